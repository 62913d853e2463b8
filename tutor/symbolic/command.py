"""Provides `tutor derive EXPR [--wrt x] [--json] [--lang ko|en]`: a derivative, step by step."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import sympy

from tutor.symbolic.functions import ELEMENTS, symbol
from tutor.symbolic.render import explain
from tutor.symbolic.render_math import LATEX, TEXT
from tutor.symbolic.render_text import derivation_text
from tutor.symbolic.steps import STRATEGIES, DerivationError, alternatives, diff_steps
from tutor.text import Text

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
# An argument starting with '-' that is not one of our options is the expression (-x^2).
_LEADING_MINUS = re.compile(r"-(?!-)")
EPILOG = """\
Sums and means.  sum(f) (or Σ(f)) is y = Σᵢ f(xᵢ) over the elements of a tensor, and
mean(f) is Σᵢ f(xᵢ)/N.  x, y, X and Y (x1, x_hat, Y2, …) are data: one value per element.

- Differentiating by a data variable (or when no sum holds data, as in sum(w^2)), the
  variable is the summed tensor and the answer is elementwise, ∂y/∂xᵢ written in x:
  sum(x^2) gives 2x, mean(x^2) gives 2x/N.
- Differentiating by any other variable when the sums hold data, it is one parameter shared
  by every element (a weight): every term contains it, so the gradient adds up every term's
  derivative.  sum((w*x - y)^2)/4 --wrt w gives Σ(x(w·x − y))/2, that is Σᵢ xᵢ(w·xᵢ − yᵢ)/2.

In --json, which sympy.sympify reads, a sum over the data is written sum_i(...) (an
undefined function: sum_i(x*(w*x - y))/2) and N, the number of elements, numel (2*x/numel),
since sympify reads N as its own function.
- y must be one number: x*sum(x) (a tensor) is refused, and with the summed tensor sums may
  only be added and scaled.  A sum takes in factors written right after it with no operator:
  Σ(x+2)(x-2) is Σ((x+2)(x-2)), while sum(x+2)*(x-2) multiplies the sum.

An expression starting with '-' works as it is (tutor derive -x^2), or after --.
"""
BAD_VARIABLE = Text(
    "--wrt needs a variable name such as x, w1 or loss",
    "--wrt에는 x, w1, loss 같은 변수 이름을 써야 합니다",
)
WHICH_VARIABLE = Text(
    "the expression has several variables ({names}): choose one with --wrt",
    "식에 변수가 여러 개 있습니다 ({names}). --wrt로 하나를 고르세요",
)
FAILED = Text(
    "could not derive this expression step by step ({kind})",
    "이 식은 단계별로 미분할 수 없습니다 ({kind})",
)


class _Refusal(Exception):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    # argparse reads '-x^2' as an unknown option unless it looks like a negative number; make
    # everything with one leading '-' look like one (our options are all '--' or exact '-h').
    parser._negative_number_matcher = _LEADING_MINUS
    parser.add_argument("expression", metavar="EXPR", help="e.g. 'sum((x+2)(x-2))' or 'x^2 - 4'")
    parser.add_argument("--wrt", metavar="VAR", default=None, help="variable (default: x)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--lang", choices=("en", "ko"), default=argparse.SUPPRESS, help="explanation language"
    )
    parser.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="auto",
        help="expand products first, or use the product rule (default: auto)",
    )
    parser.add_argument("--latex", action="store_true", help="write the math in LaTeX")


def default_lang() -> str:
    return "ko" if os.environ.get("LANG", "").lower().startswith("ko") else "en"


def run(args: argparse.Namespace) -> int:
    lang = getattr(args, "lang", None) or default_lang()
    try:
        payload = _derive(args, lang)
    except Exception as exc:  # the boundary: every refusal is one line, never a traceback
        print(f"tutor: derive: {_describe(exc, lang)}", file=sys.stderr)
        return 2
    print(payload)
    return 0


def _describe(exc: Exception, lang: str) -> str:
    describe = getattr(exc, "describe", None)
    if callable(describe):
        return " ".join(str(describe(lang)).split())
    if isinstance(exc, DerivationError | _Refusal):
        return exc.text.get(lang)
    return FAILED.format(kind=type(exc).__name__).get(lang)


def _derive(args: argparse.Namespace, lang: str) -> str:
    from tutor.symbolic.parse import parse

    wrt = args.wrt
    if wrt is not None and not _NAME.fullmatch(wrt):
        raise _Refusal(BAD_VARIABLE)
    expr = parse(args.expression, variables=[wrt] if wrt else [])
    var = symbol(wrt) if wrt else _variable_of(expr)
    tree = diff_steps(expr, var, strategy=args.strategy)
    others = [name for name, _ in alternatives(expr, var, strategy=args.strategy)]
    notation = LATEX if args.latex else TEXT
    if not args.json:
        return derivation_text(tree, lang, notation, others)
    written = _sympy_text(tree.expr)
    steps = [
        {
            "rule": step.rule,
            "expression": written(step.expression),
            "result": written(step.result),
            "explanation": step.explanation.get(lang),
        }
        for step in explain(tree, notation)
    ]
    document = {
        "expression": written(tree.expr),
        "variable": var.name,
        "derivative": written(tree.result),
        "steps": steps,
    }
    return json.dumps(document, ensure_ascii=False)


def _sympy_text(whole: sympy.Expr):
    """str() for --json, with N (the element count) written `numel`: sympify reads N as its own
    numeric-evaluation function."""
    taken = {s.name for s in whole.free_symbols}
    name = next(n for n in ("numel", "numel_", "numel__") if n not in taken)
    count = {ELEMENTS: sympy.Symbol(name, positive=True, integer=True)}
    return lambda expr: str(expr.xreplace(count))


def _variable_of(expr: sympy.Expr) -> sympy.Symbol:
    names = sorted(s.name for s in expr.free_symbols)
    if len(names) == 1:
        return symbol(names[0])
    if not names or "x" in names:
        return symbol("x")
    raise _Refusal(WHICH_VARIABLE.format(names=", ".join(names)))
