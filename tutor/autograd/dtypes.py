"""Provides torch-like dtype objects and PyTorch's type promotion rules for them."""

from __future__ import annotations

import numpy as np


class dtype:  # noqa: N801 - named as torch names it
    """A tensor element type; prints as `torch.float32`."""

    __slots__ = ("name", "np", "is_floating_point", "category", "legacy")

    def __init__(self, name: str, np_type: type, category: int, legacy: str) -> None:
        self.name = name
        self.np = np.dtype(np_type)
        self.category = category  # 0 bool, 1 integer, 2 floating point
        self.is_floating_point = category == 2
        self.legacy = legacy

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float32 = dtype("float32", np.float32, 2, "FloatTensor")
float64 = dtype("float64", np.float64, 2, "DoubleTensor")
int64 = dtype("int64", np.int64, 1, "LongTensor")
int32 = dtype("int32", np.int32, 1, "IntTensor")
int16 = dtype("int16", np.int16, 1, "ShortTensor")
int8 = dtype("int8", np.int8, 1, "CharTensor")
uint8 = dtype("uint8", np.uint8, 1, "ByteTensor")
bool_ = dtype("bool", np.bool_, 0, "BoolTensor")

F32 = float32.np
F64 = float64.np
I64 = int64.np
BOOL = bool_.np

I32 = int32.np
BY_NUMPY: dict[np.dtype, dtype] = {
    d.np: d for d in (float32, float64, int64, int32, int16, int8, uint8, bool_)
}
ALL = tuple(BY_NUMPY.values())
# A program lifted to symbols holds sympy expressions: such a tensor counts as float32.
OBJECT_DTYPE = np.dtype(object)


def of(array: np.ndarray) -> dtype:
    """The dtype object of an engine array."""
    return BY_NUMPY[array.dtype]


def logical_dtype(array: np.ndarray) -> dtype:
    """The dtype a tensor holding `array` reports (float32 for symbols)."""
    found = BY_NUMPY.get(array.dtype)
    return float32 if found is None else found


def to_numpy_dtype(value: object) -> np.dtype:
    """The numpy dtype for a `dtype=` argument (a dtype object, or None for float32)."""
    if value is None:
        return F32
    if isinstance(value, dtype):
        return value.np
    raise TypeError(f"dtype(): argument 'dtype' must be torch.dtype, not {type(value).__name__}")


def _category(np_dtype: np.dtype) -> int:
    return BY_NUMPY[np_dtype].category if np_dtype != OBJECT_DTYPE else 2


_PAIR_CACHE: dict[tuple, np.dtype] = {}


def promote_tensors(a: np.ndarray, b: np.ndarray) -> np.dtype:
    """torch.result_type of two tensors: dimensioned tensors outrank 0-d ones of the same category."""
    key = (a.dtype, b.dtype, a.ndim == 0, b.ndim == 0)
    found = _PAIR_CACHE.get(key)
    if found is not None:
        return found
    if OBJECT_DTYPE in (a.dtype, b.dtype):
        return OBJECT_DTYPE
    da, db, a0, b0 = key
    ca, cb = _category(da), _category(db)
    if a0 == b0:
        # Within a category the wider type wins; across categories the higher category does.
        result = np.promote_types(da, db) if ca == cb else (da if ca > cb else db)
    else:
        dim_t, zero_t = (db, da) if a0 else (da, db)
        result = dim_t if _category(dim_t) >= _category(zero_t) else zero_t
    _PAIR_CACHE[key] = result
    return result


def promote_scalar(a: np.dtype, scalar: object) -> np.dtype:
    """torch.result_type of a tensor and a Python number (a "wrapped number")."""
    if isinstance(scalar, bool) or a == OBJECT_DTYPE:
        return a
    if isinstance(scalar, int):
        return I64 if a == BOOL else a
    return a if _category(a) == 2 else F32


def float_of(a: np.dtype) -> np.dtype:
    """The dtype true division gives: integers and bools divide in float32."""
    return a if a is F32 or a is F64 or a == OBJECT_DTYPE else F32
