"""Provides the tensor constructors: tensor, FloatTensor, ones, zeros, full, arange, linspace, …"""

from __future__ import annotations

import numpy as np

from . import errors
from .convert import to_array
from .dtypes import F32, I64, to_numpy_dtype
from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.shape import CatBackward0, StackBackward0
from .operands import cast_pair
from .tensor import Tensor
from .tensor_core import TensorCore, result

_new = object.__new__


def _leaf(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = result(Tensor, data, None)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(errors.CREATE_REQUIRES_GRAD)
        t.requires_grad_(True)
    return t


def tensor(data, dtype=None, requires_grad: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of `data` (floats → float32, ints → int64)."""
    np_dtype = None if dtype is None else to_numpy_dtype(dtype)
    return _leaf(to_array(data, np_dtype), requires_grad)


def FloatTensor(*args) -> Tensor:  # noqa: N802 - PyTorch's name
    """A float32 tensor from data, or of the given shape (filled with zeros here)."""
    if len(args) == 1 and isinstance(args[0], list):
        try:
            return result(Tensor, np.array(args[0], dtype=F32), None)
        except (ValueError, TypeError):
            pass
    return Tensor(*args)


def LongTensor(*args) -> Tensor:  # noqa: N802
    """An int64 tensor from data."""
    return result(Tensor, to_array(args[0], I64), None)


def _shape(size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def ones(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.ones(_shape(size), dtype=to_numpy_dtype(dtype)), requires_grad)


def zeros(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.zeros(_shape(size), dtype=to_numpy_dtype(dtype)), requires_grad)


def ones_like(other: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    np_dtype = other._data.dtype if dtype is None else to_numpy_dtype(dtype)
    return _leaf(np.ones(other._data.shape, dtype=np_dtype), requires_grad)


def zeros_like(other: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:
    np_dtype = other._data.dtype if dtype is None else to_numpy_dtype(dtype)
    return _leaf(np.zeros(other._data.shape, dtype=np_dtype), requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    if dtype is None:
        if isinstance(fill_value, bool):
            np_dtype = np.dtype(np.bool_)
        elif isinstance(fill_value, int):
            np_dtype = I64
        else:
            np_dtype = F32
    else:
        np_dtype = to_numpy_dtype(dtype)
    return _leaf(np.full(_shape((size,)), fill_value, dtype=np_dtype), requires_grad)


def arange(start_or_end, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    begin, stop = (0, start_or_end) if end is None else (start_or_end, end)
    if dtype is None:
        is_int = all(isinstance(v, int) for v in (begin, stop, step))
        np_dtype = I64 if is_int else F32
    else:
        np_dtype = to_numpy_dtype(dtype)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    return _leaf(np.arange(begin, stop, step).astype(np_dtype), requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end, computed as PyTorch's CPU kernel does.

    The first half counts up from `start`, the second half down from `end`, each value one
    fused multiply-add (rounded once); integer results truncate a double-precision value.
    """
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    np_dtype = F32 if dtype is None else to_numpy_dtype(dtype)
    first, last = (v.item() if isinstance(v, TensorCore) else v for v in (start, end))
    if np_dtype.kind != "f":
        first, last = int(first), int(last)
    begin, stop = np_dtype.type(first), np_dtype.type(last)
    if steps <= 1:
        return _leaf(np.full(steps, begin, dtype=np_dtype), requires_grad)
    half = steps // 2
    up, down = np.arange(half), np.arange(steps - half - 1, -1, -1)
    if np_dtype is F32:
        step = (stop - begin) / np.float32(steps - 1)
        values = np.concatenate((_fused(step, up, begin), _fused(-step, down, stop)))
    else:
        wide = np.longdouble  # a double-precision stand-in for the fused multiply-add
        step = wide((float(stop) - float(begin)) / (steps - 1))
        values = np.concatenate((wide(begin) + step * up, wide(stop) - step * down))
        if np_dtype.kind != "f":
            values = np.trunc(values)
    return _leaf(values.astype(np_dtype), requires_grad)


def _fused(step: np.float32, counts: np.ndarray, base: np.float32) -> np.ndarray:
    """float32 `base + step·count` rounded once, as a fused multiply-add rounds it."""
    product = np.float64(step) * counts  # exact: 24-bit step times a count below 2**29
    total = product + np.float64(base)
    # TwoSum: `error` is what rounding `total` lost, so product + base == total + error exactly
    back = total - base
    error = (product - back) + (base - (total - back))
    rounded = total.astype(np.float32)
    other = np.nextafter(rounded, np.where(total > rounded, np.inf, -np.inf).astype(np.float32))
    tie = (error != 0) & ((rounded.astype(np.float64) + other) / 2 == total)
    if tie.any():  # `total` sits halfway: the exact sum lies on the side `error` points to
        upward = np.maximum(rounded, other)
        downward = np.minimum(rounded, other)
        rounded = np.where(tie, np.where(error > 0, upward, downward), rounded)
    return rounded


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    return _leaf(np.eye(n, m, dtype=to_numpy_dtype(dtype)), requires_grad)


def cat(tensors, dim: int = 0) -> Tensor:
    """The tensors joined along an existing dimension."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    axis = tensors[0]._dim(dim)
    arrays = _common([t._data for t in tensors])
    try:
        data = np.concatenate(arrays, axis=axis)
    except ValueError:
        raise RuntimeError(
            "Sizes of tensors must match except in dimension "
            f"{axis}. Expected size {arrays[0].shape[1 - axis] if arrays[0].ndim > 1 else 0} "
            "but got a different size for a tensor in the list."
        ) from None
    return _joined(tensors, data, CatBackward0, _dim=axis, _bounds=_bounds(arrays, axis))


def stack(tensors, dim: int = 0) -> Tensor:
    """The tensors (all one shape) stacked along a new dimension."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ndim = tensors[0]._data.ndim + 1
    if not -ndim <= dim < ndim:
        raise errors.dim_out_of_range(dim, ndim)
    axis = dim % ndim
    arrays = _common([t._data for t in tensors])
    for i, a in enumerate(arrays):
        if a.shape != arrays[0].shape:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{errors.shape_list(arrays[0].shape)} at entry 0 and "
                f"{errors.shape_list(a.shape)} at entry {i}"
            )
    return _joined(tensors, np.stack(arrays, axis=axis), StackBackward0, _dim=axis)


def _common(arrays: list[np.ndarray]) -> list[np.ndarray]:
    first = arrays[0]
    for other in arrays[1:]:
        first, _ = cast_pair(first, other)
    return [a.astype(first.dtype, copy=False) for a in arrays]


def _bounds(arrays: list[np.ndarray], axis: int) -> list[int]:
    bounds, total = [], 0
    for a in arrays[:-1]:
        total += a.shape[axis]
        bounds.append(total)
    return bounds


def _joined(tensors: list[TensorCore], data: np.ndarray, cls: type, **fields) -> Tensor:
    if GRAD_MODE.enabled and any(t._requires_grad for t in tensors):
        fn = _new(cls)
        fn.next_functions = tuple(t._edge for t in tensors)
        fn._seq = next_seq()
        for name, value in fields.items():
            setattr(fn, name, value)
        return result(Tensor, data, fn)
    return result(Tensor, data, None)
