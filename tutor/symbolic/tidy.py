"""Provides tidy: a rule's result in its simplest cheap form, never at the cost of a runaway simplify."""

from __future__ import annotations

from functools import lru_cache

import sympy
from sympy.polys.polyerrors import PolynomialError

from tutor.symbolic.limits import degree_bound, terms_bound

MAX_TIDY_OPS = 40
MAX_TIDY_DEGREE = 12
MAX_TIDY_TERMS = 64


@lru_cache(maxsize=4096)
def tidy(expr: sympy.Expr) -> sympy.Expr:
    """`expr`, or its factored or cancelled form when that has fewer operations.

    Skipped for expressions with no sum in them (nothing to factor), over MAX_TIDY_OPS
    operations, of degree over MAX_TIDY_DEGREE, or expanding to over MAX_TIDY_TERMS terms
    (factor and cancel expand first), so it costs a few milliseconds at most.
    """
    if not expr.has(sympy.Add) or expr.is_Add and all(a.is_Atom for a in expr.args):
        return expr
    size = sympy.count_ops(expr)
    too_big = degree_bound(expr) > MAX_TIDY_DEGREE or terms_bound(expr) > MAX_TIDY_TERMS
    if size > MAX_TIDY_OPS or too_big:
        return expr
    best, best_key = expr, (size, len(str(expr)))
    for simplify in (sympy.factor, sympy.cancel):
        try:
            candidate = simplify(expr)
        except (PolynomialError, ValueError, TypeError, RecursionError):
            continue
        key = (sympy.count_ops(candidate), len(str(candidate)))
        if key < best_key:
            best, best_key = candidate, key
    return best
