"""Provides the tensor constructors: tensor, FloatTensor, ones, zeros, full, arange, linspace,
eye, empty, from_numpy, the random ones (rand, randn, randint, randperm, *_like)."""

from __future__ import annotations

import numpy as np

from . import errors
from .convert import to_array
from .device import CPU
from .device import check as check_device
from .dtypes import BOOL, F32, F64, I32, I64, to_numpy_dtype
from .tensor import Tensor
from .tensor_core import TensorCore, result


def _leaf(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = result(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(errors.CREATE_REQUIRES_GRAD)
        t.requires_grad_(True)
    return t


def tensor(
    data, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False
) -> Tensor:
    """A new leaf tensor holding a copy of `data` (floats → float32, ints → int64)."""
    check_device(device)
    np_dtype = None if dtype is None else to_numpy_dtype(dtype)
    if isinstance(data, TensorCore):
        import warnings

        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    return _leaf(to_array(data, np_dtype), requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    if isinstance(data, TensorCore) and (dtype is None or data.dtype is dtype):
        return data
    if isinstance(data, np.ndarray):
        return from_numpy(data) if dtype is None else tensor(data, dtype=dtype)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array) -> Tensor:
    """A tensor sharing memory with a numpy array."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    if array.dtype not in (F32, F64, I64, I32, BOOL) and array.dtype.kind != "u":
        if array.dtype.kind in "iu":
            raise TypeError(
                f"can't convert np.ndarray of type numpy.{array.dtype}. The only supported types "
                "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                "uint64, uint32, uint16, uint8, and bool."
            )
        raise TypeError(f"can't convert np.ndarray of type numpy.{array.dtype}.")
    return result(array)


def _typed(np_dtype: np.dtype):
    def make(*args) -> Tensor:
        if len(args) == 1 and isinstance(args[0], list | tuple):
            return result(to_array(args[0], np_dtype))
        if len(args) == 1 and isinstance(args[0], TensorCore | np.ndarray):
            return result(to_array(args[0], np_dtype))
        return result(np.zeros(tuple(int(n) for n in args), dtype=np_dtype))

    return make


FloatTensor = _typed(F32)
DoubleTensor = _typed(F64)
LongTensor = _typed(I64)
IntTensor = _typed(I32)
BoolTensor = _typed(BOOL)


def _shape(size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def _dtype(dtype) -> np.dtype:
    return to_numpy_dtype(dtype)


def ones(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    check_device(device)
    return _leaf(np.ones(_shape(size), dtype=_dtype(dtype)), requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    check_device(device)
    return _leaf(np.zeros(_shape(size), dtype=_dtype(dtype)), requires_grad)


def empty(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def _like(other: TensorCore, dtype, device=None) -> tuple[tuple, np.dtype]:
    """The shape and dtype of a `*_like` tensor, made on `other`'s device (the CPU) unless
    `device=` names another (never on the default device)."""
    check_device(CPU if device is None else device)
    return other._data.shape, other._data.dtype if dtype is None else _dtype(dtype)


def ones_like(other: Tensor, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(other, dtype, device)
    return _leaf(np.ones(shape, dtype=np_dtype), requires_grad)


def zeros_like(other: Tensor, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    shape, np_dtype = _like(other, dtype, device)
    return _leaf(np.zeros(shape, dtype=np_dtype), requires_grad)


def empty_like(other: Tensor, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return zeros_like(other, dtype, device, requires_grad)


def _fill_dtype(fill_value) -> np.dtype:
    if isinstance(fill_value, bool):
        return BOOL
    if isinstance(fill_value, int):
        return I64
    return F32


def full(size, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    check_device(device)
    np_dtype = _fill_dtype(fill_value) if dtype is None else _dtype(dtype)
    return _leaf(np.full(_shape((size,)), fill_value, dtype=np_dtype), requires_grad)


def full_like(
    other: Tensor, fill_value, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    shape, np_dtype = _like(other, dtype, device)
    return _leaf(np.full(shape, fill_value, dtype=np_dtype), requires_grad)


def arange(
    start_or_end, end=None, step=1, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    check_device(device)
    begin, stop = (0, start_or_end) if end is None else (start_or_end, end)
    values = [v.item() if isinstance(v, TensorCore) else v for v in (begin, stop, step)]
    begin, stop, step = values
    if dtype is None:
        is_int = all(isinstance(v, int) for v in values)
        np_dtype = I64 if is_int else F32
    else:
        np_dtype = _dtype(dtype)
        if np_dtype.kind == "b":
            raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (stop - begin) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    count = int(np.ceil((stop - begin) / step))
    data = (
        (np.float64(begin) + np.float64(step) * np.arange(count)).astype(np_dtype)
        if np_dtype.kind == "f"
        else np.arange(begin, stop, step).astype(np_dtype)
    )
    return _leaf(data, requires_grad)


def range_(start, end, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    import warnings

    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior "
        "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
        "values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    count = int(np.floor((end - start) / step)) + 1
    np_dtype = F32 if dtype is None else _dtype(dtype)
    return _leaf(
        (np.float64(start) + np.float64(step) * np.arange(count)).astype(np_dtype), requires_grad
    )


def linspace(start, end, steps, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end, computed as PyTorch's CPU kernel does.

    The first half counts up from `start`, the second half down from `end`, each value one
    fused multiply-add (rounded once); integer results truncate a double-precision value.
    """
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    check_device(device)
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


def eye(
    n: int, m: int | None = None, dtype=None, device=None, requires_grad: bool = False
) -> Tensor:
    check_device(device)
    return _leaf(np.eye(n, m, dtype=_dtype(dtype)), requires_grad)


def nonzero_tuple(condition) -> tuple:
    data = condition._data if isinstance(condition, TensorCore) else np.asarray(condition)
    return tuple(result(np.asarray(i, dtype=np.int64)) for i in np.nonzero(data))


def nonzero(t: TensorCore, as_tuple: bool = False):
    if as_tuple:
        return nonzero_tuple(t)
    return result(np.asarray(np.argwhere(t._data), dtype=np.int64))


def tril(t: TensorCore, diagonal: int = 0):
    from .ops.select import where

    mask = np.tril(np.ones(t._data.shape[-2:], dtype=bool), diagonal)
    return where(result(np.broadcast_to(mask, t._data.shape).copy()), t, 0.0)


def triu(t: TensorCore, diagonal: int = 0):
    from .ops.select import where

    mask = np.triu(np.ones(t._data.shape[-2:], dtype=bool), diagonal)
    return where(result(np.broadcast_to(mask, t._data.shape).copy()), t, 0.0)
