"""Provides equivalent: whether a typed expression equals the expected one, and if not, how it differs.

Exact first (`tutor.symbolic.exact`): when sympy decides the difference in bounded time —
zero, a nonzero number, a nonzero rational function — that is the verdict, so `2x + 1e-30` is
not 2x (a typed decimal is exact).  Otherwise the two are evaluated side by side at points
chosen from the expressions themselves, tiny to large, both signs, both sides of every
breakpoint, inside every domain, each value with a bound on its rounding error
(`tutor.symbolic.comparison`, whose tolerances are the evaluation's rounding, never a share of
the answer).  A wrong answer is then named, from the probes when they show the difference and
exactly when only sympy sees it, first fit wins: "sign", "constant-factor", "missing-term" (one
additive term of the expected expression left out), "constant-offset", "extra-term" (one added
term with a variable in it), else "different".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from tutor.symbolic import exact
from tutor.symbolic.comparison import Comparison
from tutor.symbolic.functions import symbol
from tutor.symbolic.probe import REDUCTIONS
from tutor.text import Text

REASONS = ("constant-factor", "sign", "constant-offset", "missing-term", "extra-term", "different")

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
    for kind in REDUCTIONS:
        if isinstance(answer, kind) and isinstance(expected, kind):
            return equivalent(answer.args[0], expected.args[0], variables)
    answer, expected = exact.canonical(answer), exact.canonical(expected)
    decided = exact.decide(answer, expected)
    if decided:
        return Equivalence(True)
    symbols = answer.free_symbols | expected.free_symbols | {symbol(v) for v in variables}
    compared = Comparison.of(answer, expected, symbols)
    telling = compared is not None and compared.enough and not compared.agrees
    if decided is None and not telling:
        equal = compared is not None and compared.enough and compared.agrees
        return Equivalence(True) if equal else _different(answer, expected, variables)
    found = compared if telling else exact.Difference(answer, expected)
    return _named(found, answer, expected, variables)


def _named(found: Comparison | exact.Difference, answer, expected, variables) -> Equivalence:
    """The first fitting name for the difference `found` (numerically or exactly)."""
    factor = found.factor()
    if factor is not None and factor == -1:
        return Equivalence(False, "sign", _DETAILS["sign"], factor=factor)
    if factor is not None:
        detail = _DETAILS["constant-factor"].format(factor=_show(factor))
        return Equivalence(False, "constant-factor", detail, factor=factor)
    term = found.missing_term()
    if term is not None:
        detail = _DETAILS["missing-term"].format(term=_show(term))
        return Equivalence(False, "missing-term", detail, term=term)
    offset = found.offset()
    if offset is not None:
        detail = _DETAILS["constant-offset"].format(offset=_show(offset))
        return Equivalence(False, "constant-offset", detail, offset=offset)
    term = found.extra_term()
    if term is not None:
        detail = _DETAILS["extra-term"].format(term=_show(term))
        return Equivalence(False, "extra-term", detail, term=term)
    return _different(answer, expected, variables)


def _different(answer, expected, variables) -> Equivalence:
    known = expected.free_symbols | {symbol(v) for v in variables}
    foreign = sorted(str(s) for s in answer.free_symbols - known)
    if foreign:
        detail = _DETAILS["foreign"].format(names=", ".join(foreign))
        return Equivalence(False, "different", detail)
    return Equivalence(False, "different", _DETAILS["different"])


def _show(expr: sympy.Expr) -> str:
    return sympy.sstr(expr).replace("**", "^")
