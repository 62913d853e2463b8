"""Differential tests for clamp, linspace and argmax/argmin against real PyTorch 2.13."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_autograd_helpers import compare_error, compare_op

import tutor.autograd as ours

A = [[-1.0, 0.5, 2.0], [1.0, float("nan"), 3.0]]
INTS = [[1, 5, -3], [0, 2, 2]]


def clamped(bounds: dict, data=A, dtype=None, grad=True):
    def program(T):
        a = T.tensor(data, dtype=dtype, requires_grad=grad)
        return a.clamp(**bounds), [a]

    return program


CLAMPS = {
    "both": clamped({"min": 0.0, "max": 1.0}),
    "min only": clamped({"min": 1.0}),
    "max only": clamped({"max": 1.0}),
    "bounds on the data": clamped({"min": 0.5, "max": 2.0}),
    "min above max": clamped({"min": 2.0, "max": 0.0}),
    "int bounds on floats": clamped({"min": 0, "max": 1}),
    "float64": clamped({"min": 0.0, "max": 1.0}, dtype="float64"),
    "int tensor, int bounds": clamped({"min": 0, "max": 2}, INTS, grad=False),
    "int tensor, float bound": clamped({"min": 0.5}, INTS, grad=False),
}


@pytest.mark.parametrize("name", CLAMPS)
def test_clamp_matches_torch(name, torch):
    program = CLAMPS[name]

    def typed(T):
        # the dtype names a string above; each namespace turns it into its own dtype object
        return program(_Dtyped(T))

    compare_op(typed, torch)


def test_torch_clamp_and_positional_bounds(torch):
    def program(T):
        a = T.tensor(A, requires_grad=True)
        return T.clamp(a, -0.5, 0.5) * T.clamp(a, min=0.0), [a]

    compare_op(program, torch)


def test_clamp_without_bounds_raises_like_torch(torch):
    compare_error(lambda T: T.tensor([1.0]).clamp(), torch)
    compare_error(lambda T: T.clamp(T.tensor([1.0]), None, None), torch)


def test_clamp_saved_input_is_version_checked(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = a * 1
        c = b.clamp(0.0, 1.5)
        b.add_(1)
        c.sum().backward()

    compare_error(program, torch)


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.floats(-4, 4, width=32), min_size=1, max_size=6),
    low=st.floats(-3, 3, width=32),
    span=st.floats(0, 3, width=32),
)
def test_clamp_gradient_is_the_inside_mask(values, low, span):
    a = ours.tensor(values, requires_grad=True)
    a.clamp(low, low + span).sum().backward()
    x = np.asarray(values, dtype=np.float32)
    high = np.float32(low + span)
    expected = ((x >= np.float32(low)) & (x <= high)).astype(np.float32)
    np.testing.assert_array_equal(a.grad.numpy(), expected)


LINSPACES = [
    (0, 1, 5),
    (-1.0, 1.0, 3),
    (0, 10, 4),
    (3, 1, 5),
    (0.1, 1.3, 7),
    (-2.0, 5.0, 16),
    (0.1, 1.3, 50),
    (-2.0, 5.0, 101),
    (0, 1, 1),
    (0, 1, 0),
    (2.5, 2.5, 3),
    (7.0, 1e-30, 12),  # the exact sum lies just past a float32 midpoint
]


@pytest.mark.parametrize("start, end, steps", LINSPACES)
@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
def test_linspace_matches_torch_bit_for_bit(start, end, steps, dtype, torch):
    mine = ours.linspace(start, end, steps, dtype=_dtype(ours, dtype))
    theirs = torch.linspace(start, end, steps, dtype=_dtype(torch, dtype))
    assert str(mine.dtype) == str(theirs.dtype)
    assert mine.tolist() == theirs.tolist()
    assert repr(mine) == repr(theirs)


@settings(max_examples=40, deadline=None)
@given(
    start=st.floats(-100, 100, width=32),
    end=st.floats(-100, 100, width=32),
    steps=st.integers(2, 80),
)
def test_linspace_float32_matches_torch(start, end, steps, torch):
    assert ours.linspace(start, end, steps).tolist() == torch.linspace(start, end, steps).tolist()


def test_linspace_requires_grad_and_errors(torch):
    compare_op(lambda T: (T.linspace(0, 1, 5, requires_grad=True), []), torch)
    compare_error(lambda T: T.linspace(0, 1, -1), torch)


ARGS = [{}, {"dim": 0}, {"dim": 1}, {"dim": -1, "keepdim": True}, {"keepdim": True}]


@pytest.mark.parametrize("kwargs", ARGS, ids=str)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize(
    "data", [[[1.0, 5.0], [7.0, 2.0]], [[1, 3, 3], [4, 4, 0]], [[1.0, float("nan")], [2.0, 1.0]]]
)
def test_argmax_argmin_match_torch(data, name, kwargs, torch):
    def program(T):
        a = T.tensor(data)
        if a.is_floating_point():
            a.requires_grad_(True)
        method = getattr(a, name)(**kwargs)
        function = getattr(T, name)(a, **kwargs)
        assert method.tolist() == function.tolist()
        return method, []

    compare_op(program, torch)


@pytest.mark.parametrize(
    "program",
    [
        lambda T: T.tensor([]).argmax(),
        lambda T: T.zeros(1, 0).argmax(1),
        lambda T: T.tensor([[1.0]]).argmax(2),
        lambda T: T.tensor([True, False]).argmax(),
    ],
)
def test_argmax_errors_match_torch(program, torch):
    compare_error(program, torch)


def test_argmax_of_a_scalar_and_of_an_empty_dim(torch):
    compare_op(lambda T: (T.tensor(3.0).argmax(0, True), []), torch)
    compare_op(lambda T: (T.zeros(0, 2).argmax(1), []), torch)


def _dtype(T, name):
    return None if name is None else getattr(T, name)


class _Dtyped:
    """A namespace whose `tensor(dtype="float64")` means the namespace's own float64."""

    def __init__(self, T) -> None:
        self._T = T

    def tensor(self, data, dtype=None, requires_grad=False):
        return self._T.tensor(data, dtype=_dtype(self._T, dtype), requires_grad=requires_grad)
