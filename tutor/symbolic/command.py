"""Provides `tutor derive EXPR [--wrt x] [--json] [--lang ko|en]`: a derivative, step by step."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

import sympy

from tutor.symbolic.functions import symbol
from tutor.symbolic.render import explain
from tutor.symbolic.render_math import LATEX, TEXT
from tutor.symbolic.render_text import derivation_text
from tutor.symbolic.steps import STRATEGIES, DerivationError, alternatives, diff_steps
from tutor.text import Text

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
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
    steps = [
        {
            "rule": step.rule,
            "expression": str(step.expression),
            "result": str(step.result),
            "explanation": step.explanation.get(lang),
        }
        for step in explain(tree, notation)
    ]
    document = {
        "expression": str(tree.expr),
        "variable": var.name,
        "derivative": str(tree.result),
        "steps": steps,
    }
    return json.dumps(document, ensure_ascii=False)


def _variable_of(expr: sympy.Expr) -> sympy.Symbol:
    names = sorted(s.name for s in expr.free_symbols)
    if len(names) == 1:
        return symbol(names[0])
    if not names or "x" in names:
        return symbol("x")
    raise _Refusal(WHICH_VARIABLE.format(names=", ".join(names)))
