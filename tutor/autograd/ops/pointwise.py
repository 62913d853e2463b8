"""Provides the three-operand pointwise ops an optimizer's step is written with — `addcmul`,
`addcdiv`, `lerp` — computed as PyTorch's CPU kernels compute them (a fused multiply-add where
they use one), with their nodes."""

from __future__ import annotations

import numpy as np

from ..fused import fma
from ..operands import broadcast_error
from ..tensor_core import TensorCore
from .nodes import node_class
from .record import general
from .table import declare


def _wants(n, i: int) -> bool:
    return n.next_functions[i][0] is not None


AddcmulBackward0 = node_class(
    "AddcmulBackward0",
    "f(a, u, v) = a + c·u·v;  ∂f/∂a = 1,  ∂f/∂u = c·v,  ∂f/∂v = c·u",
    lambda xp, g, n: (
        g if _wants(n, 0) else None,
        xp.mul(g, xp.mul_scalar(n.saved_input(xp, 1), n._value)) if _wants(n, 1) else None,
        xp.mul(g, xp.mul_scalar(n.saved_input(xp, 0), n._value)) if _wants(n, 2) else None,
    ),
    ("_value",),
)
AddcdivBackward0 = node_class(
    "AddcdivBackward0",
    "f(a, u, v) = a + c·u/v;  ∂f/∂a = 1,  ∂f/∂u = c/v,  ∂f/∂v = −c·u/v²",
    lambda xp, g, n: (
        g if _wants(n, 0) else None,
        xp.mul(g, xp.div(_full(xp, n.saved_input(xp, 1), n._value), n.saved_input(xp, 1)))
        if _wants(n, 1)
        else None,
        xp.mul(
            xp.neg(g),
            xp.div(
                xp.mul_scalar(n.saved_input(xp, 0), n._value),
                xp.mul(n.saved_input(xp, 1), n.saved_input(xp, 1)),
            ),
        )
        if _wants(n, 2)
        else None,
    ),
    ("_value",),
)
LerpBackward0 = node_class(
    "LerpBackward0",
    "f(a, b) = a + w·(b − a) for a number w;  ∂f/∂a = 1 − w,  ∂f/∂b = w",
    lambda xp, g, n: (
        xp.mul_scalar(g, 1 - n._weight) if _wants(n, 0) else None,
        xp.mul_scalar(g, n._weight) if _wants(n, 1) else None,
    ),
    ("_weight",),
)
LerpBackward1 = node_class(
    "LerpBackward1",
    "f(a, b, w) = a + w·(b − a);  ∂f/∂a = 1 − w,  ∂f/∂b = w,  ∂f/∂w = b − a",
    lambda xp, g, n: (
        xp.mul(g, xp.rsub_scalar(n.saved_input(xp, 2), 1)) if _wants(n, 0) else None,
        xp.mul(g, n.saved_input(xp, 2)) if _wants(n, 1) else None,
        xp.mul(g, xp.sub(n.saved_input(xp, 1), n.saved_input(xp, 0))) if _wants(n, 2) else None,
    ),
)


def _full(xp, like, value):
    """`value` in every place of `like`: ATen's `value / t` is `empty_like(t).fill_(value) / t`."""
    return xp.add_scalar(xp.zeros_like(like), value)


def _operands(*tensors: TensorCore) -> tuple[list[np.ndarray], np.dtype, tuple]:
    arrays = [t._data for t in tensors]
    dtype = np.result_type(*arrays)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise broadcast_error(arrays[0], arrays[1]) from None
    return [a.astype(dtype, copy=False) for a in arrays], dtype, shape


def _check_value(dtype: np.dtype, value, name: str) -> None:
    if dtype.kind in "iub" and isinstance(value, float):
        raise RuntimeError(
            f"For integral input tensors, argument {name} must not be a floating point number."
        )


def addcmul(input: TensorCore, tensor1: TensorCore, tensor2: TensorCore, *, value=1):
    """input + value·tensor1·tensor2."""
    (a, u, v), dtype, shape = _operands(input, tensor1, tensor2)
    _check_value(dtype, value, "value")
    with np.errstate(all="ignore"):
        scaled = u * np.asarray(value, dtype=dtype) if value != 1 else u
        data = np.broadcast_to(fma(scaled, v, a, dtype), shape).copy()
    return general((input, tensor1, tensor2), data, AddcmulBackward0, saved=(1, 2), _value=value)


def addcdiv(input: TensorCore, tensor1: TensorCore, tensor2: TensorCore, *, value=1):
    """input + value·tensor1/tensor2."""
    (a, u, v), dtype, shape = _operands(input, tensor1, tensor2)
    if dtype.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) using Python 3 division, or input + value * tensor1 // tensor2 "
            "using integer division."
        )
    with np.errstate(all="ignore"):
        scaled = u * np.asarray(value, dtype=dtype) if value != 1 else u
        data = np.broadcast_to(a + scaled / v, shape).copy()
    return general((input, tensor1, tensor2), data, AddcdivBackward0, saved=(1, 2), _value=value)


def _lerp(start: np.ndarray, end: np.ndarray, weight, dtype: np.dtype) -> np.ndarray:
    """PyTorch's lerp: start + w·(end − start) for |w| < ½, else end − (end − start)·(1 − w),
    each one fused multiply-add."""
    with np.errstate(all="ignore"):
        diff = end - start
        w = np.asarray(weight, dtype=dtype)
        small = np.abs(w) < 0.5
        if w.ndim == 0:
            if small:
                return fma(w, diff, start, dtype)
            return fma(w - dtype.type(1), diff, end, dtype)
        near = fma(w, diff, start, dtype)
        far = fma(w - dtype.type(1), diff, end, dtype)
        return np.where(small, near, far).astype(dtype, copy=False)


def lerp(input: TensorCore, end: TensorCore, weight):
    """input + weight·(end − input), for a number or a tensor weight."""
    if isinstance(weight, TensorCore):
        (a, b, w), dtype, shape = _operands(input, end, weight)
        data = np.broadcast_to(_lerp(a, b, w, dtype), shape).copy()
        return general((input, end, weight), data, LerpBackward1, saved=(0, 1, 2))
    if input._data.dtype != end._data.dtype:
        raise RuntimeError(f"expected dtype {_name(input)} for `end` but got dtype {_name(end)}")
    (a, b), dtype, shape = _operands(input, end)
    if dtype.kind != "f":
        raise RuntimeError(f"\"lerp_kernel_scalar\" not implemented for '{_kind(dtype)}'")
    data = np.broadcast_to(_lerp(a, b, weight, dtype), shape).copy()
    return general((input, end), data, LerpBackward0, _weight=weight)


def _name(t: TensorCore) -> str:
    return str(t.dtype).removeprefix("torch.")


def _kind(dtype: np.dtype) -> str:
    return {"int64": "Long", "int32": "Int", "bool": "Bool"}.get(str(dtype), str(dtype))


for _name_, _node, _kernel in (
    ("addcmul", AddcmulBackward0, addcmul),
    ("addcdiv", AddcdivBackward0, addcdiv),
    ("lerp", LerpBackward0, lerp),
):
    declare(_name_, _node, _kernel, functions=_name_, methods=_name_)
