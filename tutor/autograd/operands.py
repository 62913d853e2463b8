"""Provides operand handling shared by the op families: type promotion and broadcast errors."""

from __future__ import annotations

import numpy as np

from . import errors
from .dtypes import BY_NUMPY, F32, OBJECT_DTYPE, promote_scalar, promote_tensors
from .lifting import space_of
from .tensor_core import TensorCore

NUMBER_TYPES = (int, float, bool, np.integer, np.floating, np.bool_)


def cast_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays converted to the dtype PyTorch's promotion gives the pair."""
    common = promote_tensors(a, b)
    return a.astype(common, copy=False), b.astype(common, copy=False)


def scalar_value(value: object) -> int | float | bool:
    """A Python number for a numpy scalar, unchanged for Python numbers."""
    return value.item() if isinstance(value, np.generic) else value  # type: ignore[return-value]


def with_scalar(a: np.ndarray, scalar: object) -> np.ndarray:
    """`a` converted so that numpy's result dtype with `scalar` is PyTorch's."""
    if isinstance(scalar, float) and a.dtype.kind not in "fO":
        return a.astype(F32)
    return a


_CONSTANTS: dict[tuple, np.ndarray] = {}
_FLOAT32_MAX = 3.4e38


def scalar_operands(a: np.ndarray, value: object) -> tuple[np.ndarray, object]:
    """`a` and the number ready for a numpy ufunc whose result is PyTorch's `tensor ∘ number`.

    For floating tensors the number becomes a cached read-only 0-d array of the tensor's dtype:
    numpy converts a Python number to that dtype anyway, and a ready array is cheaper.
    """
    if a.dtype == OBJECT_DTYPE:
        return a, space_of((a,)).number(value)
    found = _CONSTANTS.get((value, a.dtype))
    if found is not None:
        return a, found
    value = scalar_value(value)
    a = with_scalar(a, value)
    kind = value.__class__
    # zero is left out so that -0.0 and 0.0, equal as keys, never share an entry
    if (
        (kind is float or kind is int)
        and value
        and a.dtype.kind == "f"
        and -_FLOAT32_MAX < value < _FLOAT32_MAX
        and len(_CONSTANTS) < 512
    ):
        operand = np.array(value, dtype=a.dtype)
        operand.flags.writeable = False
        _CONSTANTS[(value, a.dtype)] = operand
        return a, operand
    return a, value


def broadcast_error(a: np.ndarray, b: np.ndarray) -> RuntimeError:
    """PyTorch's error for operands whose shapes do not broadcast."""
    message = errors.broadcast_mismatch(a.shape, b.shape) or "shapes do not broadcast"
    return RuntimeError(message)


def in_place_dtype_check(target: np.ndarray, other: object) -> None:
    """PyTorch refuses an in-place op whose result type cannot be stored in `target`."""
    if isinstance(other, TensorCore):
        result = promote_tensors(target, other._data)
    else:
        result = promote_scalar(target.dtype, other)
    if BY_NUMPY[result].category > BY_NUMPY[target.dtype].category:
        raise RuntimeError(
            f"result type {errors.scalar_type_name(result)} can't be cast to the desired output "
            f"type {errors.scalar_type_name(target.dtype)}"
        )


def output_shape_error(target: np.ndarray, other: np.ndarray) -> RuntimeError:
    """PyTorch's error when an in-place op's broadcast result is bigger than its target."""
    message = errors.broadcast_mismatch(target.shape, other.shape)
    if message is not None:
        return RuntimeError(message)
    shape = np.broadcast_shapes(target.shape, other.shape)
    return RuntimeError(
        f"output with shape {errors.shape_list(target.shape)} doesn't match the broadcast shape "
        f"{errors.shape_list(shape)}"
    )
