"""Provides the conversion of Python data (nested lists, numbers, numpy arrays) to engine arrays."""

from __future__ import annotations

import numpy as np

from .dtypes import BOOL, F32, F64, I64

_KIND_TO_DTYPE = {"f": F32, "i": I64, "u": I64, "b": BOOL}


def to_array(data: object, dtype: np.dtype | None = None) -> np.ndarray:
    """A fresh array holding `data`, with the dtype `torch.tensor(data)` would give it."""
    if hasattr(data, "_data") and isinstance(getattr(data, "_data", None), np.ndarray):
        array = data._data.copy()  # type: ignore[union-attr]
        return array if dtype is None else array.astype(dtype)
    if isinstance(data, np.ndarray | np.generic):
        array = np.array(data)
        if dtype is None:
            dtype = _numpy_source_dtype(array.dtype)
        return array.astype(dtype, copy=False)
    if isinstance(data, str | bytes) or not isinstance(data, list | tuple | int | float):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    try:
        array = np.array(data) if dtype is None else np.array(data, dtype=dtype)
    except (ValueError, TypeError):
        _raise_ragged(data)
        raise TypeError("new(): invalid data type") from None
    if array.dtype.kind not in _KIND_TO_DTYPE:
        if array.dtype.kind == "O":
            _raise_ragged(data)
        raise TypeError(f"new(): invalid data type '{_first_leaf_type(data)}'")
    if dtype is None:
        dtype = _KIND_TO_DTYPE[array.dtype.kind]
    return array.astype(dtype, copy=False)


def _numpy_source_dtype(np_dtype: np.dtype) -> np.dtype:
    if np_dtype == F64:
        return F64
    return _KIND_TO_DTYPE.get(np_dtype.kind, F32)


def _first_leaf_type(data: object) -> str:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif not isinstance(item, int | float):
            return type(item).__name__
    return type(data).__name__


def _raise_ragged(data: object) -> None:
    """Raises PyTorch's ValueError for nested sequences of unequal lengths, if that is the fault."""
    shape: list[int] = []
    probe = data
    while isinstance(probe, list | tuple):
        shape.append(len(probe))
        if not probe:
            break
        probe = probe[0]
    stack = [(data, 0)]
    while stack:
        item, dim = stack.pop()
        if dim >= len(shape):
            if isinstance(item, list | tuple):
                raise ValueError(f"expected sequence of length 0 at dim {dim} (got {len(item)})")
            continue
        if not isinstance(item, list | tuple):
            raise TypeError("not a sequence")
        if len(item) != shape[dim]:
            raise ValueError(
                f"expected sequence of length {shape[dim]} at dim {dim} (got {len(item)})"
            )
        stack.extend((child, dim + 1) for child in item)
