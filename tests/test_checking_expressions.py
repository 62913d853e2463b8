"""Expression answers graded through the symbolic parser and sympy equivalence."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sympy

from tutor.checking import Expected, Verdict, grade
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
        ("4x", "doubled"),
        ("x", "halved"),
        ("-2x", "sign-flipped"),
        ("6x", "constant-factor"),
        ("2x - 4", "constant-offset"),
    ],
)
def test_constant_factors_and_offsets_are_named(text, mid):
    verdict = check(derivative(), text)
    assert not verdict.correct and verdict.misconception == mid


def test_factor_is_stated_for_a_constant_factor():
    assert "3 times" in check(derivative(), "6x").feedback.en


def test_alternatives_come_first():
    expected = derivative({"forward-value": FUNCTION})
    assert check(expected, "x² − 4").misconception == "forward-value"
    assert check(expected, "2x").correct


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
