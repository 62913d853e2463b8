"""Provides equivalent: whether a typed expression equals the expected one, and if not, how it differs.

Cheap symbolic checks come first (the difference is 0 as built, then after `expand` when the
expansion is small enough to be safe); then numeric probing at 24 random points, WeBWorK- and
STACK-style, over tensors of 3 elements wherever a Σ appears (see `tutor.symbolic.probe`).
Points where either side is undefined (log of a negative, overflow) are skipped; at least
MIN_POINTS must remain.  Values agree when |a−b| ≤ ABS_TOLERANCE + REL_TOLERANCE·max(|a|,|b|).
A wrong answer is then named, first fit wins: "sign", "constant-factor", "missing-term"
(one additive term of the expected expression left out), "constant-offset", "extra-term"
(one added term with a variable in it), else "different".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from tutor.symbolic.functions import elementwise_sum, symbol
from tutor.symbolic.probe import Unsupported, evaluate, sample_points
from tutor.text import Text

REASONS = ("constant-factor", "sign", "constant-offset", "missing-term", "extra-term", "different")
MIN_POINTS = 6
ABS_TOLERANCE = 1e-9
REL_TOLERANCE = 1e-7
MAX_EXPANDED_TERMS = 2000
SEED = 20240613

_DETAILS = {
    "sign": Text("Your answer has the opposite sign.", "답의 부호가 반대입니다."),
    "constant-factor": Text(
        "Your answer is {factor} times the expected one: check for a missing or extra factor.",
        "답이 기대한 값의 {factor}배입니다. 빠지거나 더 붙은 배수가 없는지 확인하세요.",
    ),
    "missing-term": Text(
        "Your answer is missing the term {term}.",
        "답에 {term} 항이 빠져 있습니다.",
    ),
    "constant-offset": Text(
        "Your answer differs from the expected one by the constant {offset}.",
        "답이 기대한 값과 상수 {offset}만큼 차이 납니다.",
    ),
    "extra-term": Text(
        "Your answer has an extra term {term}.",
        "답에 필요 없는 항 {term}이(가) 더해져 있습니다.",
    ),
    "different": Text(
        "Your answer is not equal to the expected expression.",
        "답이 기대한 식과 같지 않습니다.",
    ),
    "foreign": Text(
        "Your answer uses {names}, which the expected expression does not.",
        "답에 기대한 식에는 없는 {names}이(가) 쓰였습니다.",
    ),
}


@dataclass(frozen=True)
class Equivalence:
    """The verdict on one answer: `reason` is one of REASONS when not equal; `detail` says it
    to the learner; `factor`, `offset`, `term` carry the numbers named in the reason."""

    equal: bool
    reason: str | None = None
    detail: Text | None = None
    factor: sympy.Expr | None = None
    offset: sympy.Expr | None = None
    term: sympy.Expr | None = None


def equivalent(
    answer: sympy.Expr, expected: sympy.Expr, variables: Sequence[str] = ()
) -> Equivalence:
    """Whether `answer` equals `expected` for all values of the variables, and if not, why.

    `variables` names the question's variables: they are probed even when neither side
    uses them, and an answer using any other name is told so.
    """
    if not isinstance(answer, sympy.Expr) or not isinstance(expected, sympy.Expr):
        raise TypeError("equivalent() compares sympy expressions; use parse() for text")
    answer, expected = _with_tutor_symbols(answer), _with_tutor_symbols(expected)
    if isinstance(answer, elementwise_sum) and isinstance(expected, elementwise_sum):
        return equivalent(answer.args[0], expected.args[0], variables)
    if _symbolically_equal(answer, expected):
        return Equivalence(True)
    symbols = answer.free_symbols | expected.free_symbols | {symbol(v) for v in variables}
    elements = 3 if answer.has(elementwise_sum) or expected.has(elementwise_sum) else 1
    probe = _Probe(sample_points(symbols, elements, SEED), (24, elements))
    try:
        a, b = probe(answer), probe(expected)
    except Unsupported:
        return _different(answer, expected, variables)
    valid = np.isfinite(a) & np.isfinite(b)
    if valid.sum() < MIN_POINTS:
        return _different(answer, expected, variables)
    a, b = a[valid], b[valid]
    if _close(a, b).all():
        return Equivalence(True)
    return _classify(answer, expected, variables, a, b, probe, valid)


def _with_tutor_symbols(expr: sympy.Expr) -> sympy.Expr:
    """expr with every variable the tutor's real symbol of the same name, wherever it came from."""
    return expr.xreplace(
        {s: symbol(s.name) for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    )


def _symbolically_equal(answer: sympy.Expr, expected: sympy.Expr) -> bool:
    difference = answer - expected
    if difference == 0:
        return True
    if _expanded_terms(difference) > MAX_EXPANDED_TERMS:
        return False
    return sympy.expand(difference) == 0


def _expanded_terms(expr: sympy.Basic) -> float:
    """An upper estimate of the work `expand` does: terms it makes, inside arguments too."""
    if expr.is_Add:
        return sum(_expanded_terms(arg) for arg in expr.args)
    if expr.is_Mul:
        return math.prod(_expanded_terms(arg) for arg in expr.args)
    if expr.is_Pow:
        base = _expanded_terms(expr.base)
        if expr.exp.is_Integer and base > 1:
            return math.exp(min(abs(int(expr.exp)) * math.log(base), 690.0))
        return base + _expanded_terms(expr.exp)
    if expr.args:
        return 1 + sum(_expanded_terms(arg) for arg in expr.args)
    return 1


class _Probe:
    def __init__(self, values: dict, shape: tuple[int, int]) -> None:
        self.values = values
        self.shape = shape

    def __call__(self, expr: sympy.Expr) -> np.ndarray:
        return evaluate(expr, self.values, self.shape)


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) <= ABS_TOLERANCE + REL_TOLERANCE * np.maximum(np.abs(a), np.abs(b))


def _classify(answer, expected, variables, a, b, probe, valid) -> Equivalence:
    cheap = _expanded_terms(answer) + _expanded_terms(expected) <= MAX_EXPANDED_TERMS
    factor = _constant(a, b)
    if factor is not None:
        exact = _exact(factor, (lambda: sympy.cancel(answer / expected)) if cheap else None)
        if exact == -1:
            return Equivalence(False, "sign", _DETAILS["sign"], factor=exact)
        detail = _DETAILS["constant-factor"].format(factor=_show(exact))
        return Equivalence(False, "constant-factor", detail, factor=exact)
    for term in _terms(expected):
        rest = b - probe(term)[valid]
        if np.isfinite(rest).all() and _close(a, rest).all():
            detail = _DETAILS["missing-term"].format(term=_show(term))
            return Equivalence(False, "missing-term", detail, term=term)
    offset = a - b
    if _close(offset, np.median(offset)).all():
        difference = (lambda: sympy.expand(answer - expected)) if cheap else None
        exact = _exact(float(np.median(offset)), difference)
        detail = _DETAILS["constant-offset"].format(offset=_show(exact))
        return Equivalence(False, "constant-offset", detail, offset=exact)
    for term in _terms(answer):
        rest = a - probe(term)[valid]
        if term.free_symbols and np.isfinite(rest).all() and _close(rest, b).all():
            detail = _DETAILS["extra-term"].format(term=_show(term))
            return Equivalence(False, "extra-term", detail, term=term)
    return _different(answer, expected, variables)


def _constant(a: np.ndarray, b: np.ndarray) -> float | None:
    """k when a = k·b at every point with k ≠ 0, 1; else None."""
    nonzero = np.abs(b) > 1e-6 * max(1.0, float(np.abs(b).max()))
    if nonzero.sum() < MIN_POINTS // 2:
        return None
    ratio = float(np.median(a[nonzero] / b[nonzero]))
    if abs(ratio) < 1e-9 or not math.isfinite(ratio):
        return None
    return ratio if _close(a, ratio * b).all() else None


def _terms(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    terms = sympy.Add.make_args(expr)
    return terms if len(terms) > 1 else ()


def _exact(value: float, candidate: Callable[[], sympy.Expr] | None) -> sympy.Expr:
    """The exact number behind a measured `value`: a small fraction, else what sympy finds."""
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) <= 1e-9 * max(1.0, abs(value)):
        return sympy.Rational(fraction.numerator, fraction.denominator)
    try:
        exact = candidate() if candidate is not None else None
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        exact = None
    if exact is not None and not exact.free_symbols and exact.is_number:
        return exact
    return sympy.Float(value, 6)


def _different(answer, expected, variables) -> Equivalence:
    known = expected.free_symbols | {symbol(v) for v in variables}
    foreign = sorted(str(s) for s in answer.free_symbols - known)
    if foreign:
        detail = _DETAILS["foreign"].format(names=", ".join(foreign))
        return Equivalence(False, "different", detail)
    return Equivalence(False, "different", _DETAILS["different"])


def _show(expr: sympy.Expr) -> str:
    return sympy.sstr(expr).replace("**", "^")
