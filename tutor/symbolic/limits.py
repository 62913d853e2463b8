"""Provides the bounds a step-by-step derivation stays within, checked before any work is done."""

from __future__ import annotations

from math import comb, prod

import sympy

from tutor.symbolic.wording import josa
from tutor.text import Text

MAX_NODES = 600
MAX_DEPTH = 40
MAX_POWER_TOWER = 3
MAX_STEP_EXPONENT = 100


class DerivationError(ValueError):
    """An expression the tutor will not derive step by step; `str()` is one English line."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


TOO_BIG = Text(
    "the expression is too large to derive step by step",
    "식이 너무 커서 단계별로 미분할 수 없습니다",
)
TOWER = Text(
    "powers are stacked too high to derive step by step",
    "거듭제곱이 너무 높이 겹쳐 있어 단계별로 미분할 수 없습니다",
)
EXPONENT = Text(
    "the exponent {value} is too large to derive step by step (at most {limit} either way)",
    "지수 {value}{particle} 너무 커서 단계별로 미분할 수 없습니다 (절댓값 {limit} 이하)",
)


def check_size(expr: sympy.Expr) -> None:
    """Refuse, in one line, an expression too large, too deep or with too large a power."""
    stack: list[tuple[sympy.Basic, int, int]] = [(expr, 0, 0)]
    nodes = 0
    while stack:
        node, depth, tower = stack.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise DerivationError(TOO_BIG)
        if tower > MAX_POWER_TOWER:
            raise DerivationError(TOWER)
        if isinstance(node, sympy.Pow) and node.exp.is_Number and abs(node.exp) > MAX_STEP_EXPONENT:
            value = str(node.exp)
            raise DerivationError(
                EXPONENT.format(value=value, limit=MAX_STEP_EXPONENT, particle=josa(value, "은는"))
            )
        for index, arg in enumerate(node.args):
            in_exponent = isinstance(node, sympy.Pow) and index == 1 and not arg.is_Number
            stack.append((arg, depth + 1, tower + in_exponent))


def degree_bound(expr: sympy.Expr) -> int:
    """An upper bound on the total degree of `expr` as a polynomial in whatever it holds
    (symbols and function calls count 1), read off the tree without expanding anything."""
    if isinstance(expr, sympy.Add):
        return max(degree_bound(arg) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        return sum(degree_bound(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * degree_bound(expr.base)
    return 0 if expr.is_number else 1


def terms_bound(expr: sympy.Expr) -> int:
    """An upper bound on how many terms expanding `expr` gives, read off the tree: a product
    multiplies its factors' counts, and (a₁ + … + a_k)ⁿ has at most C(n + k − 1, k − 1)."""
    if isinstance(expr, sympy.Add):
        return sum(terms_bound(arg) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        return prod(terms_bound(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        k = terms_bound(expr.base)
        return comb(int(expr.exp) + k - 1, k - 1)
    return 1
