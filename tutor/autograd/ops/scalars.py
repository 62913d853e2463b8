"""Provides the Scalar overloads PyTorch's own formulas use (its C++ `x * 2`, `x / n`, `x + 1`),
recorded as MulBackward1, DivBackward1, AddBackward1, SubBackward1 — the names a recorded
backward pass shows."""

from __future__ import annotations

import numpy as np

from ..tensor_core import TensorCore
from .arithmetic import DivBackward1, MulBackward1
from .nodes import node_class
from .record import kernel_space, unary

AddBackward1 = node_class(
    "AddBackward1", "f(a) = a + c for a number c;  ∂f/∂a = 1", lambda xp, g, n: (g,), ("_other",)
)
SubBackward1 = node_class(
    "SubBackward1", "f(a) = a − c for a number c;  ∂f/∂a = 1", lambda xp, g, n: (g,), ("_other",)
)


def _number(a: np.ndarray, c):
    return a.dtype.type(c) if a.dtype.kind == "f" else c


def mul_scalar(t: TensorCore, c):
    a = t._data
    return unary(t, kernel_space(a).mul(a, _number(a, c)), MulBackward1, _other=c)


def div_scalar(t: TensorCore, c):
    a = t._data
    with np.errstate(all="ignore"):
        return unary(t, kernel_space(a).div(a, _number(a, c)), DivBackward1, _other=c)


def add_scalar(t: TensorCore, c):
    a = t._data
    return unary(t, kernel_space(a).add(a, _number(a, c)), AddBackward1, _other=c)


def sub_scalar(t: TensorCore, c):
    a = t._data
    return unary(t, kernel_space(a).sub(a, _number(a, c)), SubBackward1, _other=c)
