"""Provides a whole derivation written out: the expression, its numbered steps, the result, other paths."""

from __future__ import annotations

from tutor.symbolic.render import Step, explain, output_of
from tutor.symbolic.render_math import TEXT, Notation
from tutor.symbolic.rules import Rule
from tutor.text import Text

PATHS = {
    "auto": Text("the default path", "기본 방법"),
    "expand": Text("expand first, then differentiate", "먼저 전개한 뒤 미분"),
    "product": Text(
        "the product rule, without expanding first", "전개하지 않고 곱의 법칙으로 바로 미분"
    ),
}
ANOTHER_PATH = Text("Another path", "다른 방법")


def derivation_text(
    tree: Rule,
    lang: str,
    notation: Notation = TEXT,
    other_paths: list[str] | tuple[str, ...] = (),
) -> str:
    """`y = …`, the numbered steps (a rule's substeps indented under it), `∂y/∂x = …`, and
    one line per other strategy's name."""
    y = output_of(tree)
    n = notation
    lines = [n.math(f"{y} = {n.expr(tree.expr)}")]
    steps: list[Step] = explain(tree, notation)
    width = len(str(len(steps)))
    lines += [
        f"{index:>{width}}. {'  ' * step.depth}{step.explanation.get(lang)}"
        for index, step in enumerate(steps, 1)
    ]
    lines.append(n.math(f"{n.ratio(y, tree.var)} = {n.expr(tree.result)}"))
    lines += [
        f"{ANOTHER_PATH.get(lang)}: --strategy {name} ({PATHS[name].get(lang)})"
        for name in other_paths
    ]
    return "\n".join(lines)
