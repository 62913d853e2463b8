"""Provides the copies: clone, dtype conversions (to, float, double, long, int, bool), and the
copy a reshape makes when it cannot be a view."""

from __future__ import annotations

import numpy as np

from ..dtypes import BOOL, BY_NUMPY, F32, F64, I32, I64, to_numpy_dtype
from ..dtypes import dtype as dtype_class
from ..tensor_core import TensorCore, result
from .nodes import node_class
from .record import unary
from .table import declare

CloneBackward0 = node_class(
    "CloneBackward0", "f(a) = a (a copy);  ∂f/∂a = 1", lambda xp, g, n: (g,)
)
ToCopyBackward0 = node_class(
    "ToCopyBackward0",
    "f(a) = a converted to another dtype;  ∂L/∂a = the gradient converted back",
    lambda xp, g, n: (xp.cast(g, n._dtype),),
    ("_dtype",),
)
UnsafeViewBackward0 = None  # declared in shape; imported below to keep one class per name


def clone(t: TensorCore, *, memory_format=None):
    return unary(t, t._data.copy(), CloneBackward0)


def unsafe_view(t: TensorCore, shape: tuple):
    """PyTorch's _unsafe_view: the result reshaped, recorded as UnsafeViewBackward0."""
    from .shape import UnsafeViewBackward0 as node

    return unary(t, t._data.reshape(shape), node, _shape=t._data.shape)


def to(
    t: TensorCore, *args, dtype=None, device=None, copy: bool = False, non_blocking: bool = False
):
    """The tensor converted to a dtype (itself when it already has it); a device is accepted
    when it is the CPU."""
    from ..device import check
    from ..device import device as device_class

    for arg in args:
        if isinstance(arg, dtype_class):
            dtype = arg
        elif isinstance(arg, TensorCore):
            dtype = arg.dtype
        elif isinstance(arg, str | device_class):
            device = arg
        else:
            raise TypeError(
                f"to() received an invalid combination of arguments - got ({type(arg).__name__})"
            )
    check(device)
    if dtype is None:
        return clone(t) if copy else t
    target = to_numpy_dtype(dtype)
    a = t._data
    if a.dtype is target and not copy:
        return t
    data = _convert(a, target)
    if target.kind == "f" or a.dtype.kind == "O":
        return unary(t, data, ToCopyBackward0, _dtype=a.dtype)
    return result(data)


def _convert(a: np.ndarray, target: np.dtype) -> np.ndarray:
    if a.dtype.kind == "f" and target.kind in "iu":
        with np.errstate(invalid="ignore"):
            return np.trunc(a).astype(target)
    if target is BOOL:
        return a != 0
    return a.astype(target)


def float_(t: TensorCore):
    return to(t, BY_NUMPY[F32])


def double(t: TensorCore):
    return to(t, BY_NUMPY[F64])


def long(t: TensorCore):
    return to(t, BY_NUMPY[I64])


def int_(t: TensorCore):
    return to(t, BY_NUMPY[I32])


def bool_(t: TensorCore):
    return to(t, BY_NUMPY[BOOL])


def type_(t: TensorCore, dtype=None):
    """`t.type()`: its legacy type name; `t.type(torch.float64)`: converted."""
    if dtype is None:
        return f"torch.{t.dtype.legacy}"
    if isinstance(dtype, str):
        names = {f"torch.{d.legacy}": d for d in BY_NUMPY.values()}
        if dtype not in names:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = names[dtype]
    return to(t, dtype)


def cpu(t: TensorCore):
    return t


for _name, _node, _kernel, _functions, _methods in (
    ("clone", CloneBackward0, clone, "clone", "clone"),
    ("to", ToCopyBackward0, to, "", "to"),
    ("float", ToCopyBackward0, float_, "", "float"),
    ("double", ToCopyBackward0, double, "", "double"),
    ("long", None, long, "", "long"),
    ("int", None, int_, "", "int"),
    ("bool", None, bool_, "", "bool"),
    ("type", ToCopyBackward0, type_, "", "type"),
    ("cpu", None, cpu, "", "cpu cuda"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
