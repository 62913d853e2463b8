"""Provides Comparison: an answer and the expected expression evaluated side by side at probe
points (`tutor.symbolic.probe_points`), and how they differ, read off numerically.

What is judged at each point is the difference `answer − expected` as one sympy expression
(terms the two share cancel before anything is rounded), evaluated with a bound on its
rounding error (`tutor.symbolic.probe`).  A point counts where both sides and the difference
are defined and the difference's error bound is under RELIABLE of the answers' size, or under
EVIDENCE_FLOOR outright (where both are 0, as sin²x + cos²x − 1 is); at least MIN_POINTS
must count, and only points that count can tell the two apart.  The difference vanishes at a
point when |d| ≤ ABS_TOLERANCE + REL_TOLERANCE·max(|answer|, |expected|) + SAFETY·(its error
bound): the slack is the rounding the evaluation may have done plus a margin of a few
thousand units in the last place, never a share of the answer, so `2.0001x` is not 2x nor
`2x + 10⁻⁹x³` 2x, while 1 − σ(30) against e⁻³⁰/(1+e⁻³⁰)² is σ′(30) all the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import numpy as np
import sympy

from tutor.symbolic.exact import Difference, terms
from tutor.symbolic.probe import UNIT, Probe, Unsupported
from tutor.symbolic.probe_points import probe_points

MIN_POINTS = 6
ABS_TOLERANCE = 1e-14
REL_TOLERANCE = 1e-12
SAFETY = 8.0
RELIABLE = 1e-4
EVIDENCE_FLOOR = 1e-10
SEED = 20240613


class Comparison:
    """The two expressions at the probe points; `enough` points count; `agrees` there."""

    def __init__(
        self, answer: sympy.Expr, expected: sympy.Expr, symbols: Iterable[sympy.Symbol]
    ) -> None:
        self.answer, self.expected = answer, expected
        points = probe_points((expected, answer), symbols, SEED)
        self._at = Probe(points.values, points.shape, points.counts).at
        with np.errstate(all="ignore"):
            (a, ea), (b, eb) = self._at(answer), self._at(expected)
            d, ed = self._at(answer - expected)
            self.a, self.ea, self.b, self.eb, self.d, self.ed = a, ea, b, eb, d, ed
            self.scale = np.maximum(np.abs(a), np.abs(b))
            finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(ea) & np.isfinite(eb)
            finite &= np.isfinite(d) & np.isfinite(ed)
            precise = SAFETY * ed <= RELIABLE * self.scale + EVIDENCE_FLOOR
            self.use = points.present & finite & precise
        self.enough = int(self.use.any(axis=1).sum()) >= MIN_POINTS
        self.agrees = self._small(d, ed)

    @classmethod
    def of(
        cls, answer: sympy.Expr, expected: sympy.Expr, symbols: Iterable[sympy.Symbol]
    ) -> Comparison | None:
        """The comparison, or None when an expression holds what cannot be evaluated."""
        try:
            return cls(answer, expected, symbols)
        except Unsupported:
            return None

    def vanishes(self, expr: sympy.Expr) -> bool:
        """Whether `expr` is 0 at every point that counts."""
        return self._small(*self._at(expr))

    def factor(self) -> sympy.Expr | None:
        """k when answer = k·expected at every point, k ≠ 0, 1 (exact when sympy finds it)."""
        a, b = self.a[self.use], self.b[self.use]
        nonzero = np.abs(b) > ABS_TOLERANCE
        if nonzero.sum() < MIN_POINTS // 2:
            return None
        ratio = float(np.median(a[nonzero] / b[nonzero]))
        if not np.isfinite(ratio) or abs(ratio) < 1e-9:
            return None
        with np.errstate(all="ignore"):
            scaled = ratio * self.b
            slack = self.ea + abs(ratio) * self.eb + UNIT * np.abs(scaled)
            if not self._small(self.a - scaled, slack):
                return None
        k = _small_fraction(ratio)
        if k is None:
            return Difference(self.answer, self.expected).factor() or sympy.Float(ratio, 6)
        return k if k != 1 and self.vanishes(self.answer - k * self.expected) else None

    def missing_term(self) -> sympy.Expr | None:
        """The additive term of `expected` that `answer` is without."""
        for term in terms(self.expected):
            if self._differs_by(term, -1.0):
                return term
        return None

    def offset(self) -> sympy.Expr | None:
        """c when answer = expected + c at every point, c ≠ 0 (exact when sympy finds it)."""
        c = float(np.median(self.d[self.use]))
        with np.errstate(all="ignore"):
            if not self._small(self.d - c, self.ed + UNIT * abs(c)):
                return None
        offset = _small_fraction(c)
        if offset is None:
            return Difference(self.answer, self.expected).offset() or sympy.Float(c, 6)
        return (
            offset if offset != 0 and self.vanishes(self.answer - self.expected - offset) else None
        )

    def extra_term(self) -> sympy.Expr | None:
        """The additive term of `answer`, with a variable in it, that `expected` is without."""
        for term in terms(self.answer):
            if term.free_symbols and self._differs_by(term, 1.0):
                return term
        return None

    def _differs_by(self, term: sympy.Expr, sign: float) -> bool:
        """Whether answer − expected = sign·term at every point that counts."""
        t, et = self._at(term)
        with np.errstate(all="ignore"):
            rest = self.d - sign * t
            return self._small(rest, self.ed + et + UNIT * np.abs(rest))

    def _small(self, d: np.ndarray, ed: np.ndarray) -> bool:
        with np.errstate(all="ignore"):
            slack = ABS_TOLERANCE + REL_TOLERANCE * self.scale + SAFETY * ed
            small = np.isfinite(d) & np.isfinite(ed) & (np.abs(d) <= slack)
        return bool(small[self.use].all())


def _small_fraction(value: float) -> sympy.Rational | None:
    """The fraction with denominator ≤ 1000 that `value` is, to 9 digits, if there is one."""
    if not np.isfinite(value):
        return None
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) > 1e-9 * max(1.0, abs(value)):
        return None
    return sympy.Rational(fraction.numerator, fraction.denominator)
