"""Provides the exact half of the equivalence check: what sympy decides about two expressions
in bounded time, and the exact factor, offset or term by which they differ.

The difference is expanded only when the expansion is small (an upper estimate of the terms
`expand` makes, MAX_EXPANDED_TERMS), put over one denominator (`together`) or `cancel`led only
when smaller still (MAX_CANCEL_TERMS), never `simplify`d.  When it is then zero, a nonzero
number, or a nonzero rational function of the variables with rational coefficients (nonzero
on an open set, so somewhere in any domain), it is decided.  Anything else, or a Float
anywhere (not exact), is left to probing.
"""

from __future__ import annotations

import math

import sympy

from tutor.symbolic.functions import ELEMENTS, elementwise_mean, elementwise_sum, symbol

MAX_EXPANDED_TERMS = 2000
MAX_CANCEL_TERMS = 200
NONZERO = sympy.Float(1e-25)
_DIGITS = 30


def canonical(expr: sympy.Expr) -> sympy.Expr:
    """expr with every variable the tutor's real symbol of its name and mean(f) as Σf/N."""
    named = expr.xreplace(
        {
            s: symbol(s.name)
            for s in expr.free_symbols
            if isinstance(s, sympy.Symbol) and s != ELEMENTS
        }
    )
    if not named.has(elementwise_mean):
        return named
    return named.replace(elementwise_mean, lambda f: elementwise_sum(f) / ELEMENTS)


def expanded_terms(expr: sympy.Basic) -> float:
    """An upper estimate of the work `expand` does: terms it makes, inside arguments too."""
    if expr.is_Add:
        return sum(expanded_terms(arg) for arg in expr.args)
    if expr.is_Mul:
        return math.prod(expanded_terms(arg) for arg in expr.args)
    if expr.is_Pow:
        base = expanded_terms(expr.base)
        if expr.exp.is_Integer and base > 1:
            return math.exp(min(abs(int(expr.exp)) * math.log(base), 690.0))
        return base + expanded_terms(expr.exp)
    if expr.args:
        return 1 + sum(expanded_terms(arg) for arg in expr.args)
    return 1


def combined_terms(expr: sympy.Basic) -> float:
    """An upper estimate of the terms `together` or `cancel` make: every denominator's terms
    multiply the numerator's."""
    total = math.log(expanded_terms(expr))
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_Integer and node.exp < 0:
            total += -int(node.exp) * math.log(expanded_terms(node.base))
    return math.exp(min(total, 690.0))


def expanded(expr: sympy.Expr, limit: float = MAX_EXPANDED_TERMS) -> sympy.Expr | None:
    """expand(expr), or None when that would be too much work."""
    if expr == 0 or not expr.args:
        return expr
    if expanded_terms(expr) > limit:
        return None
    return sympy.expand(expr)


def decide(answer: sympy.Expr, expected: sympy.Expr) -> bool | None:
    """True when answer = expected identically, False when they surely differ, else None."""
    difference = expanded(answer - expected)
    if difference is None:
        return None
    if difference == 0:
        return True
    if difference.has(sympy.Float):
        return None
    if not difference.free_symbols:
        return False if _nonzero_number(difference) else None
    if not _rational_function(difference):
        return None
    if _polynomial(difference):
        return False  # expand leaves a polynomial that is zero as 0
    if combined_terms(difference) > MAX_CANCEL_TERMS:
        return None
    numerator = expanded(sympy.fraction(sympy.together(difference))[0])
    return None if numerator is None else numerator == 0


class Difference:
    """How `answer` differs from `expected`, found exactly: each method None when it cannot say."""

    def __init__(self, answer: sympy.Expr, expected: sympy.Expr) -> None:
        self.answer = answer
        self.expected = expected

    def factor(self) -> sympy.Expr | None:
        """k when answer = k·expected identically, k a number other than 0 and 1."""
        answer, expected = self.answer, self.expected
        if expected == 0 or answer.has(sympy.Float) or expected.has(sympy.Float):
            return None
        ratio_terms = combined_terms(answer) * combined_terms(expected) * expanded_terms(expected)
        if ratio_terms > MAX_CANCEL_TERMS:
            return None
        try:
            ratio = sympy.cancel(answer / expected)
        except sympy.PolynomialError:
            return None
        if ratio.free_symbols or not ratio.is_number or ratio in (0, 1):
            return None
        return ratio if ratio.is_Rational or _nonzero_number(ratio) else None

    def offset(self) -> sympy.Expr | None:
        """c when answer = expected + c identically, c a nonzero number."""
        difference = expanded(self.answer - self.expected)
        if difference is None or difference.free_symbols or difference.has(sympy.Float):
            return None
        return difference if _nonzero_number(difference) else None

    def missing_term(self) -> sympy.Expr | None:
        """The additive term of `expected` that `answer` is, identically, without."""
        for term in terms(self.expected):
            if expanded(self.answer - (self.expected - term)) == 0:
                return term
        return None

    def extra_term(self) -> sympy.Expr | None:
        """The additive term of `answer`, with a variable in it, that `expected` is without."""
        for term in terms(self.answer):
            if term.free_symbols and expanded(self.answer - term - self.expected) == 0:
                return term
        return None


def terms(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """The additive terms of a sum of two or more; () for anything else."""
    found = sympy.Add.make_args(expr)
    return found if len(found) > 1 else ()


def _nonzero_number(number: sympy.Expr) -> bool:
    if number.is_Rational:
        return number != 0
    try:
        value = number.evalf(_DIGITS)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return False
    return bool(value.is_Number and value.is_finite and abs(value) > NONZERO)


def _rational_function(expr: sympy.Basic) -> bool:
    """Whether expr is built of variables and rational numbers by +, × and integer powers."""
    if expr.is_Symbol or expr.is_Rational:
        return True
    if expr.is_Add or expr.is_Mul:
        return all(_rational_function(arg) for arg in expr.args)
    if expr.is_Pow:
        return expr.exp.is_Integer and _rational_function(expr.base)
    return False


def _polynomial(expr: sympy.Basic) -> bool:
    if expr.is_Add or expr.is_Mul:
        return all(_polynomial(arg) for arg in expr.args)
    if expr.is_Pow:
        return expr.exp.is_Integer and expr.exp > 0 and _polynomial(expr.base)
    return bool(expr.is_Symbol or expr.is_Rational)
