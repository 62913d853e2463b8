"""Tests for tutor.symbolic.lift: programs on symbols, checked against sympy, the engine and torch."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.symbolic.functions import elementwise_sum, symbol, to_sympy_builtin
from tutor.symbolic.lift import (
    LiftError,
    check_against_engine,
    derivative_answer,
    lift,
    run_until,
)

SEED = """
import torch
x = torch.FloatTensor([[1, 2],
                       [3, 4]]).requires_grad_(True)
x1 = x + 2
x2 = x - 2
x3 = x1 * x2
y = x3.sum()
y.backward()
print(x.grad)
"""

x = symbol("x")


def torch_grad(torch, source: str, of: str, wrt: str) -> np.ndarray:
    """wrt.grad from real PyTorch running the same program through the interpreter."""
    return check_against_engine(source, of, wrt, torch_module=torch).engine


def same_formula(a: sympy.Expr, b: sympy.Expr) -> bool:
    return sympy.simplify(to_sympy_builtin(a) - to_sympy_builtin(b)) == 0


def program(*lines: str) -> str:
    return "\n".join(("import torch", "import torch.nn.functional as F", *lines)) + "\n"


# the seed program ---------------------------------------------------------------------------


def test_seed_gradient_is_2x_and_equals_engine_grad():
    gradient = lift(SEED).gradient("y", "x")
    assert gradient.elementwise == 2 * x
    assert same_formula(gradient.elementwise, sympy.diff(to_sympy_builtin((x + 2) * (x - 2)), x))
    check = check_against_engine(SEED, "y", "x")
    assert check.ok and check.max_error < 1e-6
    np.testing.assert_allclose(gradient.at(), check.engine)


def test_seed_gradient_equals_real_torch(torch):
    np.testing.assert_allclose(
        lift(SEED).gradient("y", "x").at(), torch_grad(torch, SEED, "y", "x")
    )


def test_seed_function_is_elementwise_sum_in_plain_x():
    assert lift(SEED).function("y") == elementwise_sum((x + 2) * (x - 2))
    assert lift(SEED).function("x3") == (x + 2) * (x - 2)


def test_seed_expression_is_per_element_in_element_symbols():
    lifted = lift(SEED)
    elements = lifted.elements("x")
    assert [e.name for e in elements.flat] == ["x_0_0", "x_0_1", "x_1_0", "x_1_1"]
    expected = sum((e + 2) * (e - 2) for e in elements.flat)
    assert sympy.expand(lifted.expression("y") - expected) == 0
    assert lifted.expression("x1").shape == (2, 2)
    assert lifted.expression("x1")[1, 0] == elements[1, 0] + 2


def test_seed_derivative_answer():
    assert derivative_answer(SEED, "y", "x") == (2 * x, ("x",))


def test_derivative_answer_upto_a_statement():
    derivative, names = derivative_answer(SEED, "x1", "x", upto="x1 = x + 2")
    assert derivative == sympy.Integer(1) and names == ("x",)
    with pytest.raises(LiftError, match="no variable `y`"):
        derivative_answer(SEED, "y", "x", upto="x1   =   x+2")


def test_program_grad_inside_the_lifted_program_is_numeric(torch):
    source = SEED + "g = x.grad * 3\n"
    lifted = lift(source)
    values = np.array(lifted.expression("g"), dtype=float)
    np.testing.assert_allclose(values, 3 * torch_grad(torch, SEED, "y", "x"))


# chains, broadcasting, matmul, reductions --------------------------------------------------

CHAINS = [
    "u = torch.exp(x * 2)",
    "u = torch.tanh(torch.sigmoid(x))",
    "u = torch.log(x * x + 1)",
    "u = torch.sigmoid(x) * torch.exp(-x)",
    "u = (x ** 3 - x) / (x * x + 2)",
    "u = torch.sqrt(x * x + 1).sin()",
]


@pytest.mark.parametrize("line", CHAINS)
def test_chain_gradient_is_sympys_derivative_and_matches_engine_and_torch(line, torch):
    source = program("x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)", line)
    lifted = lift(source)
    gradient = lifted.gradient("u", "x")
    assert gradient.elementwise is not None
    assert same_formula(gradient.elementwise, sympy.diff(to_sympy_builtin(lifted.function("u")), x))
    assert check_against_engine(source, "u", "x")
    np.testing.assert_allclose(gradient.at(), torch_grad(torch, source, "u", "x"), rtol=1e-5)


def test_chain_rule_lesson_sum_of_sums(torch):
    source = program(
        "x = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)",
        "u = torch.exp(x * 2)",
        "t = torch.tanh(torch.sigmoid(x))",
        "y = u.sum() + t.sum()",
        "y.backward()",
    )
    lifted = lift(source)
    function = lifted.function("y")
    assert function.has(elementwise_sum)
    inner = to_sympy_builtin(function)
    assert same_formula(lifted.gradient("y", "x").elementwise, sympy.diff(inner, x))
    np.testing.assert_allclose(
        lifted.gradient("y", "x").at(), torch_grad(torch, source, "y", "x"), rtol=1e-5
    )


def test_broadcast_gradient_sums_back_over_the_broadcast_rows(torch):
    source = program(
        "a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)",
        "b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)",
        "y = (a * b + b).sum()",
    )
    lifted = lift(source)
    gradient = lifted.gradient("y", "b")
    assert gradient.elementwise is None
    a = lifted.elements("a")
    for j in range(3):
        assert sympy.expand(gradient.per_element[j] - (a[0, j] + a[1, j] + 2)) == 0
    np.testing.assert_allclose(gradient.at(), torch_grad(torch, source, "y", "b"))
    assert lifted.gradient("y", "a").elementwise is None  # b_j differs along a's columns


def test_linear_layer_weight_grad_per_element(torch):
    source = program(
        "inputs = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])",
        "W = torch.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], requires_grad=True)",
        "bias = torch.tensor([0.5, -0.5], requires_grad=True)",
        "out = inputs @ W.t() + bias",
        "loss = (out * out).sum()",
        "loss.backward()",
    )
    lifted = lift(source)
    gradient = lifted.gradient("loss", "W")
    out = lifted.expression("out")
    inputs = np.array([[1, 2, 3], [4, 5, 6]])
    for i, j in np.ndindex(2, 3):
        expected = sum(2 * out[n, i] * inputs[n, j] for n in range(2))
        assert sympy.expand(gradient.per_element[i, j] - expected) == 0
    assert check_against_engine(source, "loss", "W")
    np.testing.assert_allclose(gradient.at(), torch_grad(torch, source, "loss", "W"), rtol=1e-5)


def test_mean_gradient_carries_one_over_n(torch):
    source = program(
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)", "y = (x ** 2).mean()"
    )
    lifted = lift(source)
    assert lifted.function("y") == elementwise_sum(x**2) / 4
    assert lifted.gradient("y", "x").elementwise == x / 2
    assert check_against_engine(source, "y", "x")
    np.testing.assert_allclose(lifted.gradient("y", "x").at(), torch_grad(torch, source, "y", "x"))


def test_mse_loss_against_engine_and_torch(torch):
    source = program(
        "x = torch.tensor([[0.5, 1.5], [2.0, -1.0]], requires_grad=True)",
        "target = torch.tensor([[1.0, 1.0], [0.0, 0.0]])",
        "loss = F.mse_loss(x * 3, target)",
    )
    gradient = lift(source).gradient("loss", "x")
    assert gradient.elementwise is None  # the target differs per element
    assert check_against_engine(source, "loss", "x")
    np.testing.assert_allclose(gradient.at(), torch_grad(torch, source, "loss", "x"), rtol=1e-6)


def test_softmax_and_log_softmax_match_torch(torch):
    source = program(
        "x = torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], requires_grad=True)",
        "w = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])",
        "y = (torch.softmax(x, dim=1) * w).sum() + (F.log_softmax(x, dim=0) * w).sum()",
    )
    np.testing.assert_allclose(
        lift(source).gradient("y", "x").at(), torch_grad(torch, source, "y", "x"), rtol=1e-5
    )


def test_relu_abs_clamp_where_match_torch_including_zero(torch):
    source = program(
        "x = torch.tensor([-1.5, 0.0, 0.5, 2.5], requires_grad=True)",
        "y = (F.relu(x) + x.abs() + x.clamp(min=-1.0, max=2.0) + torch.where(x > 0, x * x, -x)).sum()",
    )
    np.testing.assert_allclose(
        lift(source).gradient("y", "x").at(), torch_grad(torch, source, "y", "x")
    )


def test_views_and_indexing_route_the_gradient(torch):
    source = program(
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)",
        "v = x.reshape(2, 3).t().flatten()",
        "y = (v[1:4] * torch.tensor([1.0, 2.0, 3.0])).sum() + x[2, 0] * x.T[1, 1]",
    )
    np.testing.assert_allclose(
        lift(source).gradient("y", "x").at(), torch_grad(torch, source, "y", "x")
    )


# detach, no_grad, naming, values ------------------------------------------------------------


def test_detach_cuts_the_gradient(torch):
    source = program(
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "d = x.detach()",
        "y = (x * d).sum()",
    )
    lifted = lift(source)
    gradient = lifted.gradient("y", "x")
    assert all(not getattr(g, "free_symbols", set()) for g in gradient.per_element)
    assert not any(getattr(v, "free_symbols", None) for v in lifted.expression("d"))
    assert check_against_engine(source, "y", "x")
    np.testing.assert_allclose(gradient.at(), torch_grad(torch, source, "y", "x"))


def test_no_grad_results_are_constants():
    source = program(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)",
        "with torch.no_grad():",
        "    z = x * 10",
        "y = (x * z).sum()",
    )
    lifted = lift(source)
    assert list(lifted.expression("z")) == [10, 20]
    assert list(lifted.gradient("y", "x").per_element) == [10, 20]


def test_exact_numbers_and_scalar_leaf_named_plainly():
    source = program("w = torch.tensor(0.5, requires_grad=True)", "lr = 0.1", "y = w * lr + w ** 2")
    lifted = lift(source)
    w = symbol("w")
    assert lifted.expression("lr") == sympy.Rational(1, 10)
    assert lifted.expression("y") == w / 10 + w**2
    assert lifted.gradient("y", "w").elementwise == 2 * w + sympy.Rational(1, 10)
    assert lifted.gradient("y", "w").at() == pytest.approx(1.1)


def test_rebound_variable_keeps_its_name_for_the_current_leaf():
    source = program(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)",
        "a = x * 2",
        "x = torch.tensor([5.0, 6.0], requires_grad=True)",
        "b = a + x",
    )
    lifted = lift(source)
    names = {s.name for s in lifted.expression("b")[0].free_symbols}
    assert names == {"x_0", "x2_0"}
    assert list(lifted.gradient("b", "x").per_element) == [1, 1]


def test_gradient_at_other_values():
    gradient = lift(SEED).gradient("y", "x")
    np.testing.assert_allclose(gradient.at({"x": [[0.5, -1], [0, 10]]}), [[1, -2], [0, 20]])
    with pytest.raises(LiftError):
        gradient.at({"nope": 1.0})


# refusals -----------------------------------------------------------------------------------

REFUSED = [
    ("y = x * 2\nx.add_(1)", "in-place operation"),
    ("big = torch.ones(101, 100)", "10,000"),
    ("import os", "line 4: import"),
    ("y = x.sum()\ny.backward()\ny.backward()\nz = x.undefined_thing()", "line"),
]


def test_a_branch_is_followed_at_the_programs_values():
    source = program(
        "x = torch.tensor([1.0, -3.0], requires_grad=True)",
        "if x.sum() > 0:\n    y = (x * 2).sum()\nelse:\n    y = (x * x).sum()",
    )
    assert lift(source).gradient("y", "x").elementwise == 2 * x


def test_an_update_under_no_grad_changes_the_values_the_symbols_stand_for(torch):
    source = program(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)",
        "with torch.no_grad():\n    x -= 0.1 * x",
        "y = (x * x).sum()",
    )
    lifted = lift(source)
    assert lifted.function("y") == elementwise_sum(x**2)
    np.testing.assert_allclose(lifted.gradient("y", "x").at(), torch_grad(torch, source, "y", "x"))


def test_seeded_random_values_are_pytorchs(torch):
    source = program(
        "torch.manual_seed(0)",
        "x = torch.randn(3, requires_grad=True)",
        "y = (x * x).sum()",
    )
    np.testing.assert_allclose(
        lift(source).gradient("y", "x").at(), torch_grad(torch, source, "y", "x"), rtol=1e-6
    )


@pytest.mark.parametrize(("lines", "says"), REFUSED)
def test_what_cannot_be_lifted_is_one_line_lift_error(lines, says):
    source = program("x = torch.tensor([1.0, 2.0], requires_grad=True)", lines)
    with pytest.raises(LiftError, match=says) as caught:
        lift(source)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_requests_about_a_lifted_program_are_checked():
    lifted = lift(SEED)
    with pytest.raises(LiftError, match="no variable"):
        lifted.gradient("nope", "x")
    with pytest.raises(LiftError, match="not a leaf"):
        lifted.gradient("y", "x1")
    with pytest.raises(LiftError, match="no statement"):
        lift(SEED, upto="z = 1")
    source = program("x = torch.tensor([1.0, 2.0], requires_grad=True)", "y = x[0] * x[1]")
    with pytest.raises(LiftError, match="not one formula"):
        lift(source).function("y")
    with pytest.raises(LiftError, match="differs from element to element"):
        derivative_answer(source, "y", "x")


# random elementwise programs: symbolic == engine == torch -----------------------------------

_UNARY = ["torch.sigmoid({})", "torch.tanh({})", "torch.exp({} * 0.5)", "({}).relu()", "({}) ** 2"]
_BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / (1 + {} ** 2))"]


def _expressions(depth: int) -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["x", "x", "c", "(c * 1.5)", "(x + 0.25)"])
    if depth == 0:
        return leaves
    smaller = _expressions(depth - 1)
    unary = st.tuples(st.sampled_from(_UNARY), smaller).map(lambda p: p[0].format(p[1]))
    binary = st.tuples(st.sampled_from(_BINARY), smaller, smaller).map(
        lambda p: p[0].format(p[1], p[2])
    )
    return st.one_of(leaves, unary, binary)


@settings(max_examples=20, deadline=None)
@given(
    expression=_expressions(3),
    values=st.lists(st.integers(-20, 20), min_size=4, max_size=4),
    reduce=st.sampled_from(["sum", "mean"]),
)
def test_random_elementwise_programs_agree_with_engine_and_torch(expression, values, reduce, torch):
    data = [v / 10 for v in values]
    source = program(
        f"x = torch.tensor([[{data[0]}, {data[1]}], [{data[2]}, {data[3]}]], requires_grad=True)",
        "c = torch.tensor(0.75)",
        f"u = {expression}",
        f"y = (u + x).{reduce}()",
        "y.backward()",
    )
    gradient = lift(source).gradient("y", "x")
    assert gradient.elementwise is not None
    symbolic = gradient.at()
    engine = check_against_engine(source, "y", "x")
    assert engine.ok, (source, engine)
    np.testing.assert_allclose(symbolic, torch_grad(torch, source, "y", "x"), rtol=1e-4, atol=1e-5)


def test_reductions_and_cross_entropy_lift_and_match_torch(torch):
    source = program(
        "x = torch.tensor([[1.0, 3.0, -0.5], [2.0, -1.0, 0.25]], requires_grad=True)",
        "target = torch.tensor([1, 0])",
        "y = F.cross_entropy(x, target) + x.max() + x.var() + x.norm() + x.amax(1).sum()",
    )
    np.testing.assert_allclose(
        lift(source).gradient("y", "x").at(), torch_grad(torch, source, "y", "x"), rtol=1e-5
    )


def test_a_training_step_lifts_with_the_layers_own_parameters(torch):
    source = program(
        "torch.manual_seed(0)",
        "layer = torch.nn.Linear(2, 1)",
        "opt = torch.optim.SGD(layer.parameters(), lr=0.1)",
        "x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])",
        "loss = ((layer(x) - 1) ** 2).mean()",
        "loss.backward()",
        "opt.step()",
        "z = torch.tensor([0.5, -2.0], requires_grad=True)",
        "after = ((layer(x).squeeze(1) * z - 1) ** 2).mean()",
    )
    lifted = lift(source)
    np.testing.assert_allclose(
        lifted.gradient("after", "z").at(), torch_grad(torch, source, "after", "z"), rtol=1e-5
    )


def test_create_graph_gives_a_gradient_that_differentiates_again(torch):
    source = program(
        "x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)",
        "y = (torch.sin(x) * x ** 3).sum()",
        "(g,) = torch.autograd.grad(y, x, create_graph=True)",
        "(h,) = torch.autograd.grad(g.sum(), x)",
    )
    lifted = lift(source)
    first = sympy.diff(sympy.sin(x) * x**3, x)
    assert same_formula(derivative_answer(source, "g", "x")[0], sympy.diff(first, x))
    reference = run_until(source, None, torch).variables["h"].detach().numpy()
    np.testing.assert_allclose(np.array(lifted.expression("h"), dtype=float), reference, rtol=1e-5)
