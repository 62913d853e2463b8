"""Tests for tutor.symbolic.equivalent: equal answers, wrong answers named, and bounded work."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tutor.symbolic.equivalence import REASONS, Equivalence, equivalent
from tutor.symbolic.functions import (
    ELEMENTS,
    elementwise_mean,
    elementwise_sum,
    relu,
    sigmoid,
    sum_i,
    symbol,
)
from tutor.symbolic.parse import parse
from tutor.text import Text

x, y = symbol("x"), symbol("y")

EQUAL = [
    ("2x", "2*x"),
    ("x*2", "2*x"),
    ("x+x", "2*x"),
    ("2·x", "2*x"),
    ("(x+1)(x-1)", "x^2-1"),
    ("sin(x)^2+cos(x)^2", "1"),
    ("sigmoid(x)(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2"),
    ("2sin(x)cos(x)", "sin(2x)"),
    ("tanh(x)", "2σ(2x)-1"),
    ("abs(x)", "sqrt(x^2)"),
    ("relu(x)", "(x+abs(x))/2"),
    ("e^(2x)", "exp(x)^2"),
    ("0.25", "1/4"),
    ("x^-1", "1/x"),
    ("Σ(2x)", "2sum(x)"),
    ("Σ(x²−4)", "sum(x^2) - sum(4)"),
    ("sum(x)+sum(y)", "sum(x+y)"),
    ("2^3^2", "512"),
    ("ln(x)", "log(x)"),
    ("xy", "y*x"),
    ("sigmoid(x)", "1/(1+exp(-x))"),
    ("σ(x)(1−σ(x))", "1/(2 + exp(x) + exp(-x))"),
    ("tanh(x)", "(exp(2x)-1)/(exp(2x)+1)"),
    ("1 - tanh(x)^2", "4/(exp(x)+exp(-x))^2"),
    ("1 - tanh(x)^2", "4σ(2x)(1-σ(2x))"),
    (
        "(1 - tanh(sigmoid(x))^2)*sigmoid(x)*(1-sigmoid(x))",
        "4exp(-x)/((1+exp(-x))^2 (exp(σ(x)) + exp(-σ(x)))^2)",
    ),
    ("2*exp(2x)", "2exp(x)exp(x)"),
    ("Σ(x·sigmoid(x))", "sum(x/(1+exp(-x)))"),
    ("sum(tanh(x)) + sum(1)", "sum(2σ(2x))"),
    ("log(x-1000000)", "log(2x-2000000) - log(2)"),
]


@pytest.mark.parametrize(("answer", "expected"), EQUAL)
def test_equal(answer: str, expected: str) -> None:
    result = equivalent(parse(answer), parse(expected), ["x", "y"])
    assert result == Equivalence(True)


# Near misses: each differs from the expected expression by a small amount somewhere.
NEAR_MISSES = [
    ("2.0001x", "2x"),
    ("2x + 1e-6", "2x"),
    ("2x + 1e-30", "2x"),
    ("x^2.0001", "x^2"),
    ("exp(2.001x)", "exp(2x)"),
    ("2.0001exp(2x)", "2exp(2x)"),
    ("2x + relu(x-13)", "2x"),
    ("2x + relu(13-x)", "2x"),
    ("2x + relu(x+13)", "2x + x + 13"),
    ("2x + relu(x-13)/1000", "2x"),
    ("relu(x-13)", "relu(x-13.001)"),
    ("2x + relu(exp(x) - 1000000)", "2x"),
    ("2x + relu(x^3 - 1000000)", "2x"),
    ("2x + abs(x-500000) - (x-500000)", "2x"),
    ("1/(x+1)", "1/(x + 1 + 1e-20)"),
    ("x^2 + x", "x^2 + x + 1e-9x^3"),
    ("sigmoid(x)(1-sigmoid(x))", "1.0001sigmoid(x)(1-sigmoid(x))"),
    ("(1 - tanh(sigmoid(x))^2)*sigmoid(x)", "(1 - tanh(sigmoid(x))^2)*sigmoid(x)*(1-sigmoid(x))"),
    ("tanh(x) + 1e-6sin(x)", "tanh(x)"),
    ("sum(x^2) + sum(x)/1000000", "sum(x^2)"),
    ("2x + relu(x^5 + x - 10^12)", "2x"),
]


@pytest.mark.parametrize(("answer", "expected"), NEAR_MISSES)
def test_near_misses_stay_wrong(answer: str, expected: str) -> None:
    assert not equivalent(parse(answer), parse(expected), ["x"]).equal


_THRESHOLDS = st.decimals(-1_000_000, 1_000_000, places=3, allow_nan=False)


@settings(max_examples=60)
@given(_THRESHOLDS)
def test_a_relu_at_any_threshold_is_told_apart(c) -> None:
    assert not equivalent(parse(f"2x + relu(x - ({c}))"), parse("2x"), ["x"]).equal
    assert not equivalent(parse(f"2x + relu(({c}) - x)"), parse("2x"), ["x"]).equal
    assert not equivalent(parse(f"2x + relu(2x - ({c}))"), parse("2x"), ["x"]).equal


def test_exact_verdicts_come_before_probing() -> None:
    erf = sympy.erf(x)  # no probe can evaluate it; sympy can still expand
    assert equivalent(erf * (x + 1), x * erf + erf).equal
    assert equivalent(elementwise_mean(erf), elementwise_sum(erf) / ELEMENTS).equal
    assert equivalent(2 * x + sympy.Rational(1, 10**30), 2 * x).reason == "constant-offset"
    tiny = (1 + sympy.Rational(1, 10**13)) * 2 * x
    result = equivalent(tiny, 2 * x)
    assert (result.reason, result.factor) == ("constant-factor", 1 + sympy.Rational(1, 10**13))


def test_derivatives_sympy_computes_are_matched_by_typed_answers() -> None:
    seed = elementwise_sum((x + 2) * (x - 2))
    assert equivalent(parse("2x"), sympy.diff(seed, x).doit()).equal
    assert equivalent(parse("σ(x)(1−σ(x))"), sympy.diff(sigmoid(x), x)).equal
    assert equivalent(parse("relu(x)/x"), sympy.diff(relu(x), x)).equal
    assert not equivalent(parse("x"), sympy.diff(relu(x), x)).equal


WRONG = [
    ("2x+1", "2x", "constant-offset"),
    ("x^2-1", "x^2", "constant-offset"),
    ("4x", "2x", "constant-factor"),
    ("x/2", "x", "constant-factor"),
    ("πx", "x", "constant-factor"),
    ("-2x", "2x", "sign"),
    ("1-x", "x-1", "sign"),
    ("x^2", "x^2-4", "missing-term"),
    ("sum(x^2)", "sum(x^2-4)", "missing-term"),
    ("2x", "2x+sin(x)", "missing-term"),
    ("x^2+x", "x^2", "extra-term"),
    ("sin(x)+x^3", "sin(x)", "extra-term"),
    ("2x", "x^2", "different"),
    ("sum(x)", "x", "different"),
    ("relu(x)", "x", "different"),
    ("abs(x)", "x", "different"),
    ("sigmoid(x)", "sigmoid(-x)", "different"),
    ("y", "x", "different"),
]


@pytest.mark.parametrize(("answer", "expected", "reason"), WRONG)
def test_wrong_answers_are_named(answer: str, expected: str, reason: str) -> None:
    a, b = parse(answer), parse(expected)
    result = equivalent(a, b, ["x"])
    assert (result.equal, result.reason) == (False, reason)
    assert result.reason in REASONS
    assert isinstance(result.detail, Text)
    assert result.detail.en and any("가" <= c <= "힣" for c in result.detail.ko)
    if reason in ("constant-factor", "sign"):
        assert sympy.simplify(a - result.factor * b) == 0
    if isinstance(a, elementwise_sum) and isinstance(b, elementwise_sum):
        a, b = a.args[0], b.args[0]  # a sum against a sum is judged on what is summed
    if reason == "constant-offset":
        assert sympy.simplify(a - b - result.offset) == 0
        assert result.offset.is_number
    if reason == "missing-term":
        assert result.term in sympy.Add.make_args(b)
        assert sympy.expand(a - (b - result.term)) == 0
    if reason == "extra-term":
        assert result.term in sympy.Add.make_args(a)
        assert sympy.expand(a - result.term - b) == 0


def test_feedback_names_the_numbers() -> None:
    assert "constant 1" in equivalent(parse("2x+1"), parse("2x")).detail.en
    assert "2 times" in equivalent(parse("4x"), parse("2x")).detail.en
    assert "-4" in equivalent(parse("x^2"), parse("x^2-4")).detail.ko
    assert "y" in equivalent(parse("y"), parse("x"), ["x"]).detail.en


def test_hostile_but_valid_expressions_return() -> None:
    big = parse("(x+y+2)^1000")
    assert equivalent(big, parse("(x+y+2)^999 (2+x+y)")).equal
    assert not equivalent(parse("(x+2)^1000"), parse("(x+1)^1000")).equal
    assert not equivalent(parse("exp(exp(exp(exp(x))))"), parse("x")).equal
    assert not equivalent(parse("((x+1)(x+2)(x+3)(x+4))^30"), parse("(x+1)^120")).equal
    many = parse("(a+b+c+d+f+g+h+i+j+k+l+m+n+o+p+q+r+s+t+u)^1000")
    assert not equivalent(many, 2 * many).equal


def test_variables_match_by_name_whatever_their_assumptions() -> None:
    plain = sympy.Symbol("x")
    assert equivalent(parse("2x"), 2 * plain).equal
    assert equivalent(parse("x^2"), plain**2 - 4).reason == "missing-term"


def test_only_sympy_expressions_are_compared() -> None:
    with pytest.raises(TypeError):
        equivalent("2x", parse("2x"))  # type: ignore[arg-type]


def test_piecewise_and_heaviside_are_probed() -> None:
    step = sympy.Piecewise((0, x < 0), (1, True))
    assert equivalent(sympy.Heaviside(x), step).equal
    assert equivalent(sympy.Max(0, x), relu(x)).equal


_COEFFICIENTS = st.lists(st.integers(-5, 5), min_size=1, max_size=4)


def _polynomial(coefficients: list[int]) -> sympy.Expr:
    return sum((c * x**i for i, c in enumerate(coefficients)), sympy.Integer(0))


@settings(max_examples=60, deadline=None)
@given(_COEFFICIENTS, _COEFFICIENTS)
def test_verdict_agrees_with_sympy(first: list[int], second: list[int]) -> None:
    a, b = _polynomial(first), _polynomial(second)
    assert equivalent(a, b).equal == (sympy.expand(a - b) == 0)


@settings(max_examples=40, deadline=None)
@given(_COEFFICIENTS, st.fractions(-20, 20, max_denominator=9))
def test_constant_factor_is_found(coefficients: list[int], k) -> None:
    expected = _polynomial(coefficients) + sympy.sin(x)
    factor = sympy.Rational(k.numerator, k.denominator)
    assume(factor not in (0, 1))
    result = equivalent(sympy.expand(factor * expected), expected)
    assert result.reason == ("sign" if factor == -1 else "constant-factor")
    assert result.factor == factor


def test_means_are_sums_over_the_element_count() -> None:
    mean, total = elementwise_mean, elementwise_sum
    assert equivalent(mean(x**2), total(x**2) / ELEMENTS).equal
    assert equivalent(2 * mean(x), mean(2 * x)).equal
    assert equivalent(total(1), ELEMENTS).equal
    assert equivalent(mean(x**2) * ELEMENTS, parse("sum(x^2)")).equal
    assert equivalent(parse("2x") / ELEMENTS, sympy.diff(mean(x**2), x)).equal
    assert not equivalent(mean(x**2), total(x**2) / 3).equal  # N is the tensor's, not 3
    assert not equivalent(mean(x**2), total(x**2)).equal
    assert not equivalent(parse("2x"), sympy.diff(mean(x**2), x)).equal
    result = equivalent(mean(x**2), mean(x**2 - 4))
    assert (result.reason, result.term) == ("missing-term", -4)


def test_sums_over_the_data_are_probed_like_sums() -> None:
    assert equivalent(sum_i(2 * x + 2), 2 * sum_i(x) + 2 * ELEMENTS).equal
    assert not equivalent(sum_i(2 * x + 2), 2 * sum_i(x) + 2).equal
