"""Expression answers graded through the symbolic parser and sympy equivalence."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy

from tutor.checking import Expected, Verdict, grade
from tutor.checking.grade import STRICT_ENV
from tutor.checking.misconceptions import feedback_for, fits
from tutor.symbolic import equivalence
from tutor.symbolic.functions import symbol

QUESTION = SimpleNamespace(id="dy-dx", kind="expression")
X = symbol("x")
FUNCTION = X**2 - 4  # the seed lesson: y = Σ(x+2)(x−2) = Σ(x²−4)


def derivative(alternatives=None) -> Expected:
    return Expected(
        "expression", sympy.diff(FUNCTION, X), variables=("x",), alternatives=alternatives or {}
    )


def check(expected: Expected, text: str) -> Verdict:
    verdict = grade(QUESTION, expected, text)
    en, ko = verdict.feedback.en, verdict.feedback.ko
    assert en.strip() and ko.strip() and en != ko and "\n" not in en + ko
    assert 0.0 <= verdict.score <= 1.0
    return verdict


@pytest.mark.parametrize("text", ["2x", "2*x", "2·x", "x*2", "x + x", "2 x", "(x+2) + (x-2)"])
def test_equal_forms_are_correct(text):
    verdict = check(derivative(), text)
    assert verdict.correct and verdict.misconception is None


def test_a_different_expression_is_wrong_with_no_misconception():
    verdict = check(derivative(), "x^2")
    assert not verdict.correct and verdict.score == 0 and verdict.misconception is None
    assert "not equal" in verdict.feedback.en


@pytest.mark.parametrize(
    ("text", "mid"),
    [
        ("-2x", "derivative-sign"),
        ("4x", "constant-factor"),
        ("x", "constant-factor"),
        ("6x", "constant-factor"),
        ("2.0001x", "constant-factor"),
        ("2x - 4", "constant-offset"),
        ("2x + 1e-6", "constant-offset"),
    ],
)
def test_constant_factors_and_offsets_are_named(text, mid):
    verdict = check(derivative(), text)
    assert not verdict.correct and verdict.misconception == mid
    assert fits(mid, "derivative")


def test_the_sign_is_told_as_a_derivative_sign():
    feedback = check(derivative(), "-2x").feedback
    assert feedback == feedback_for("derivative-sign")
    assert "derivative" in feedback.en and "미분" in feedback.ko


def test_factor_is_stated_for_a_constant_factor():
    assert "3 times" in check(derivative(), "6x").feedback.en
    assert "1/2 times" in check(derivative(), "x").feedback.en


@pytest.mark.parametrize(
    "text", ["2x + relu(x-13)", "2x + relu(x - 1000000)", "2.0001x", "x^2.0001"]
)
def test_near_misses_are_wrong(text):
    assert not check(derivative(), text).correct


def test_alternatives_come_first():
    inner = {"chain-inner-missing": sympy.exp(2 * X)}
    expected = Expected("expression", 2 * sympy.exp(2 * X), variables=("x",), alternatives=inner)
    assert check(expected, "exp(2x)").misconception == "chain-inner-missing"
    assert check(expected, "2exp(2x)").correct


def test_only_alternatives_that_fit_a_derivative_are_named():
    expected = derivative({"forward-value": FUNCTION, "sign-flipped": -2 * X, "no-such-id": X**3})
    assert check(expected, "x² − 4").misconception is None
    assert check(expected, "-2x").misconception == "derivative-sign"
    assert check(expected, "x^3").misconception is None


def test_a_grading_fault_is_one_line_for_a_learner_and_raised_in_tests(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("sympy fell over")

    monkeypatch.setattr(equivalence, "equivalent", broken)
    with pytest.raises(RuntimeError, match="fell over"):
        grade(QUESTION, derivative(), "2x")
    monkeypatch.setenv(STRICT_ENV, "0")
    verdict = check(derivative(), "2x")
    assert not verdict.readable and "could not be compared" in verdict.feedback.en


@pytest.mark.parametrize(
    "text",
    [
        "2x +",
        "__import__('os').system('true')",
        "x.grad",
        "lambda x: 2*x",
        "(" * 4000 + "x" + ")" * 4000,
        "x" * 1_000_000,
        "2**2**2**2**2**2",
    ],
)
def test_unreadable_expressions_get_one_line(text):
    verdict = check(derivative(), text)
    assert not verdict.correct and verdict.score == 0


def test_the_column_is_named():
    verdict = check(derivative(), "2x + )")
    assert "column" in verdict.feedback.en and "칸" in verdict.feedback.ko
