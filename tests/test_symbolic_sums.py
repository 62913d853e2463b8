"""Sums and means: elementwise for the summed tensor, summed over the data for a shared parameter,
each checked against sympy.diff of the same sum written out over explicit elements."""

from __future__ import annotations

import random

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.symbolic.functions import (
    ELEMENTS,
    elementwise_mean,
    elementwise_sum,
    relu,
    sigmoid,
    sum_i,
    symbol,
    to_sympy_builtin,
)
from tutor.symbolic.parse import parse
from tutor.symbolic.render import explain
from tutor.symbolic.rules import ElementwiseSumRule, SharedSumRule, walk
from tutor.symbolic.steps import DerivationError, diff_steps
from tutor.symbolic.sums import data_in, is_data, is_shared

COUNT = 3  # elements in the explicit sums
x, w = symbol("x"), symbol("w")


def _element(s: sympy.Symbol, k: int) -> sympy.Symbol:
    return sympy.Symbol(f"{s.name}_{k}", real=True)


def written_out(expr: sympy.Expr, tensors: set, at: int | None = None) -> sympy.Expr:
    """`expr` with every sum, mean and Σᵢ written out over COUNT elements (a tensor t is t_k in
    the k-th term), N as COUNT, and tensors outside every sum as element `at`."""

    def over(f: sympy.Expr) -> sympy.Expr:
        return sympy.Add(*(f.xreplace({t: _element(t, k) for t in tensors}) for k in range(COUNT)))

    out = expr.replace(elementwise_sum, over).replace(sum_i, over)
    out = out.replace(elementwise_mean, lambda f: over(f) / COUNT).xreplace({ELEMENTS: COUNT})
    if at is not None:
        out = out.xreplace({t: _element(t, at) for t in tensors})
    return to_sympy_builtin(out)


def agree(a: sympy.Expr, b: sympy.Expr, seed: int = 3) -> bool:
    rng = random.Random(seed)
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    for _ in range(6):
        point = {s: sympy.Float(rng.uniform(0.2, 1.7), 30) for s in symbols}
        left, right = complex(a.xreplace(point).evalf(30)), complex(b.xreplace(point).evalf(30))
        if abs(left - right) > 1e-12 * max(1.0, abs(left)):
            return False
    return True


SHARED = [
    ("sum((w*x - y)^2)/4", "w"),
    ("mean((w*x + b - y)^2)", "w"),
    ("mean((w*x + b - y)^2)", "b"),
    ("sqrt(mean((w*x - y)^2))", "w"),
    ("sum(sigmoid(w*x))", "w"),
    ("w^2 + sum((w*x - y)^2)", "w"),
    ("mean(relu(w*x + b))", "b"),
    ("sum(w^2) + sum(x)", "w"),
    ("mean(x*exp(-a*x))", "a"),
]


@pytest.mark.parametrize(("text", "wrt"), SHARED, ids=[f"{t} wrt {v}" for t, v in SHARED])
def test_a_shared_parameter_gets_the_gradient_summed_over_the_data(text, wrt):
    expr, var = parse(text), symbol(wrt)
    tree = diff_steps(expr, var)
    data = set(data_in(expr))
    loss = written_out(expr, data)
    assert agree(written_out(tree.result, data), sympy.diff(loss, var)), tree.result
    rules = walk(tree)
    assert any(isinstance(r, SharedSumRule) and r.name == "sum" for r in rules)
    assert not any(isinstance(r, ElementwiseSumRule) for r in rules)
    printed = str(tree.result)
    assert "sum(" not in printed and "mean(" not in printed
    names = {"sum_i": sum_i, "N": ELEMENTS, "sigmoid": sigmoid, "relu": relu}
    read_back = sympy.sympify(printed, locals=names)
    assert read_back.xreplace({s: symbol(s.name) for s in read_back.free_symbols - {ELEMENTS}}) == (
        tree.result
    )


def test_the_training_loss_gradient_is_the_sum_the_learner_expects():
    y = symbol("y")
    tree = diff_steps(parse("sum((w*x - y)^2)/4"), w)
    # ∂L/∂w = Σᵢ 2(w·xᵢ − yᵢ)·xᵢ / 4, with the number factor out front
    per_term = sympy.diff((w * x - y) ** 2 / 4, w)
    assert sympy.simplify(tree.result - sum_i(sympy.factor(per_term))) == 0
    assert str(tree.result) == "sum_i(x*(w*x - y))/2"


ELEMENTWISE = [
    ("sum((w*x - y)^2)", "x"),
    ("sum((w*x - y)^2)", "y"),
    ("mean(x^2)", "x"),
    ("Σ(x+2)(x-2)", "x"),
    ("3sum(x^3) + sum(exp(x)) + 5", "x"),
    ("sum(w^2)", "w"),
    ("2mean(sigmoid(x)) - mean(x)", "x"),
    ("mean((x+1)(x-1))/3", "x"),
]


@pytest.mark.parametrize(("text", "wrt"), ELEMENTWISE, ids=[f"{t} wrt {v}" for t, v in ELEMENTWISE])
def test_the_summed_tensor_gets_the_elementwise_derivative_written_in_x(text, wrt):
    expr, var = parse(text), symbol(wrt)
    tree = diff_steps(expr, var)
    tensors = set(data_in(expr)) | {var}
    first = _element(var, 1)
    expected = sympy.diff(written_out(expr, tensors), first)
    assert agree(written_out(tree.result, tensors, at=1), expected), tree.result
    assert not any(isinstance(r, SharedSumRule) for r in walk(tree))
    assert "sum" not in str(tree.result)


def test_mean_is_one_over_n_times_the_sum_step_by_step():
    expr = parse("mean(x^2)")
    tree = diff_steps(expr, x)
    assert [r.name for r in walk(tree)] == [
        "rewrite",
        "constant_multiple",
        "elementwise_sum",
        "power",
    ]
    assert tree.rewritten == elementwise_sum(x**2) / ELEMENTS
    assert tree.result == sympy.diff(to_sympy_builtin(expr), x)
    assert str(tree.result) == "2*x/N"


@pytest.mark.parametrize(
    ("name", "data"),
    [("x", True), ("y", True), ("X", True), ("x1", True), ("y_hat", True), ("Y2", True)]
    + [("w", False), ("b", False), ("xy", False), ("a", False), ("loss", False), ("t", False)],
)
def test_data_are_x_and_y_by_name(name, data):
    assert is_data(name) is data


def test_which_variable_is_shared():
    b = symbol("b")
    assert is_shared(parse("sum((w*x - y)^2)"), w)
    assert not is_shared(parse("sum((w*x - y)^2)"), x)
    assert not is_shared(parse("sum(w^2)"), w)  # no data: w is the summed tensor
    assert is_shared(parse("sum(x^2) + b^2"), b)
    assert not is_shared(parse("w*x + b"), w)  # no sum at all: elementwise, as always


@pytest.mark.parametrize(
    ("text", "wrt", "shown"),
    [
        ("x*sum(x)", "x", "for Σᵢ xᵢ² write sum(x^2)"),
        ("sum(x)*x + 1", "x", "for Σᵢ xᵢ² write sum(x^2)"),
        ("2x*mean(sin(x))", "x", "for (1/N)·Σᵢ xᵢ·sin(xᵢ) write 2*mean(x*sin(x))"),
        ("x + sum(x)", "x", "write it inside the sum"),
        ("w*x + sum((w*x - y)^2)", "w", "x stands outside"),
        ("sum(w^2) + w", "w", "w stands outside"),
    ],
)
def test_a_tensor_outside_every_sum_is_refused_in_one_line(text, wrt, shown):
    with pytest.raises(DerivationError) as caught:
        diff_steps(parse(text), symbol(wrt))
    text_ = caught.value.text
    assert shown in text_.en and "tensor" in text_.en and "not a scalar" in text_.en
    assert "텐서" in text_.ko and "\n" not in text_.en + text_.ko


def test_shared_steps_name_the_data_and_never_index_the_weight():
    tree = diff_steps(parse("mean((w*x + b - y)^2)"), symbol("b"))
    lines = [s.explanation.en for s in explain(tree)]
    assert any("x and y are data" in line and "b is one parameter shared" in line for line in lines)
    assert not any("bᵢ" in line for line in lines)
    assert any("Σᵢ" in line and "yᵢ" in line for line in lines)


@pytest.mark.parametrize(
    "expr",
    [
        elementwise_sum(x) ** 2,
        sympy.exp(elementwise_sum(x)),
        elementwise_sum(x) + x,
        elementwise_sum(elementwise_sum(x)),
        elementwise_sum(x) * elementwise_sum(x**2),
        x * elementwise_sum(x),
        elementwise_sum(x + 2) * (x - 2),
        elementwise_mean(x) * x,
    ],
    ids=str,
)
def test_sum_not_standing_alone_is_refused(expr):
    with pytest.raises(DerivationError, match="sum"):
        diff_steps(expr, x)


def test_a_tensor_times_its_sum_is_refused_not_rewritten():
    # x·Σⱼxⱼ has one value per element; it used to be derived as Σ(x²), answering 2x.
    with pytest.raises(DerivationError) as caught:
        diff_steps(x * elementwise_sum(x), x)
    text = caught.value.text
    assert "tensor" in text.en and "not a scalar" in text.en
    assert "for Σᵢ xᵢ² write sum(x^2)" in text.en
    assert "텐서" in text.ko and "sum(x^2)" in text.ko
    assert "\n" not in text.en + text.ko


# A sum takes in the factors written right after it, as on paper; an operator ends that.
SUMS = [
    ("Σ(x+2)(x-2)", elementwise_sum((x + 2) * (x - 2))),
    ("Σ (x + 2)(x − 2)", elementwise_sum((x + 2) * (x - 2))),
    ("sum(x+2)(x-2)", elementwise_sum((x + 2) * (x - 2))),
    ("2Σ(x+2)(x-2)^2 + 1", 2 * elementwise_sum((x + 2) * (x - 2) ** 2) + 1),
    ("sum(x)(x)sin(x)", elementwise_sum(x**2 * sympy.sin(x))),
    ("mean(x)(x)/2", elementwise_mean(x**2) / 2),
    ("sum(x+2)*(x-2)", elementwise_sum(x + 2) * (x - 2)),
    ("x*sum(x)", x * elementwise_sum(x)),
    ("x sum(x)", x * elementwise_sum(x)),
    ("(Σ(x))(x)", x * elementwise_sum(x)),
    ("sum(x)^2", elementwise_sum(x) ** 2),
    ("sum(x)²(x)", x * elementwise_sum(x) ** 2),
    ("sum²(x)(x)", x * elementwise_sum(x) ** 2),
    ("sum(x)/2(x)", elementwise_sum(x) * x / 2),
    ("sum(x) - (x)", elementwise_sum(x) - x),
    ("sum(w) mean(x)(x)", elementwise_sum(w) * elementwise_mean(x**2)),
]


@pytest.mark.parametrize(("text", "expected"), SUMS, ids=[t for t, _ in SUMS])
def test_a_sum_takes_in_only_the_factors_written_right_after_it(text, expected) -> None:
    assert parse(text) == expected


_TERMS = st.sampled_from([x, x, w, symbol("y"), sympy.Integer(2), sympy.Rational(1, 2)])
_UNARY = [sympy.sin, sympy.exp, sympy.tanh, sigmoid, sympy.atan]


def _grow(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(children, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
        st.tuples(st.sampled_from(_UNARY), children).map(lambda p: p[0](p[1])),
    )


SUMMANDS = st.recursive(_TERMS, _grow, max_leaves=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summand=SUMMANDS, mean=st.booleans(), wrt=st.sampled_from(["x", "w"]))
def test_every_generated_sum_is_derived_as_its_reading_says(summand, mean, wrt):
    expr = (elementwise_mean if mean else elementwise_sum)(summand)
    var = symbol(wrt)
    tree = diff_steps(expr, var)
    tensors = set(data_in(expr)) | (set() if is_shared(expr, var) else {var})
    explicit = written_out(expr, tensors)
    if is_shared(expr, var):
        assert agree(written_out(tree.result, tensors), sympy.diff(explicit, var))
    else:
        expected = sympy.diff(explicit, _element(var, 1))
        assert agree(written_out(tree.result, tensors, at=1), expected)
    for step in explain(tree):
        assert step.explanation.en and step.explanation.ko
