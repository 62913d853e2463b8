"""Property tests against real PyTorch: random shapes (broadcasting pairs) and values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_autograd_helpers import compare_op

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}
UNARY = ["exp", "tanh", "sigmoid", "relu", "abs", "sin", "cos", "neg"]


@st.composite
def broadcast_pair(draw):
    ndim = draw(st.integers(1, 3))
    shape = draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    other = [n if draw(st.booleans()) else 1 for n in shape]
    other = other[draw(st.integers(0, ndim - 1)) :]
    if draw(st.booleans()):
        shape, other = other, shape
    return tuple(shape), tuple(other)


def values(shape, draw):
    count = int(np.prod(shape))
    flat = draw(
        st.lists(
            st.floats(-3, 3, allow_nan=False, width=32).filter(lambda v: abs(v) > 0.1),
            min_size=count,
            max_size=count,
        )
    )
    return np.array(flat, dtype=np.float32).reshape(shape).tolist()


@settings(max_examples=25, deadline=None)
@given(data=st.data(), op=st.sampled_from(sorted(BINARY)))
def test_broadcasting_binary_ops_match_torch(torch, data, op):
    shape_a, shape_b = data.draw(broadcast_pair())
    va, vb = values(shape_a, data.draw), values(shape_b, data.draw)

    def program(T):
        a = T.tensor(va, requires_grad=True)
        b = T.tensor(vb, requires_grad=True)
        return BINARY[op](a, b), [a, b]

    compare_op(program, torch, rtol=1e-5, atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), op=st.sampled_from(UNARY))
def test_unary_ops_match_torch(torch, data, op):
    shape = tuple(data.draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    va = values(shape, data.draw)

    def program(T):
        a = T.tensor(va, requires_grad=True)
        return (-a if op == "neg" else getattr(a, op)()), [a]

    compare_op(program, torch, rtol=1e-5, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), reduction=st.sampled_from(["sum", "mean", "max", "softmax"]))
def test_reductions_match_torch(torch, data, reduction):
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    va = values(shape, data.draw)
    dim = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    keepdim = data.draw(st.booleans())

    def program(T):
        a = T.tensor(va, requires_grad=True)
        if reduction == "softmax":
            return a.softmax(-1 if dim is None else dim), [a]
        if dim is None:
            return getattr(a, reduction)(), [a]
        out = getattr(a, reduction)(dim, keepdim=keepdim)
        return (out.values if reduction == "max" else out), [a]

    compare_op(program, torch, rtol=1e-5, atol=1e-6)


@settings(max_examples=20, deadline=None)
@given(data=st.data(), scalar=st.sampled_from([2, -1, 0.5, 2.5, True]))
def test_scalar_ops_on_int_and_float_tensors_match_torch(torch, data, scalar):
    as_int = data.draw(st.booleans())
    raw = data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))

    def program(T):
        a = T.tensor(raw) if as_int else T.tensor([float(v) for v in raw], requires_grad=True)
        out = (a + scalar) * scalar - scalar / a
        return out, ([] if as_int else [a])

    compare_op(program, torch, rtol=1e-5, atol=1e-6)
