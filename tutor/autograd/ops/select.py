"""Provides the choosing ops: where, maximum, minimum, clamp, masked_fill; the comparisons and
logical ops (never part of the graph)."""

from __future__ import annotations

import numpy as np

from ..dtypes import OBJECT_DTYPE, promote_scalar
from ..lifting import numbers_of
from ..operands import NUMBER_TYPES, broadcast_error, cast_pair, scalar_value
from ..tensor_core import TensorCore, result
from .nodes import node_class
from .record import general, kernel_space, unary
from .table import declare

WhereBackward0 = node_class(
    "WhereBackward0",
    "f(c, a, b) = a where c, else b;  ∂f/∂a = c,  ∂f/∂b = not c",
    lambda xp, g, n: (
        None,
        None if n.next_functions[1][0] is None else xp.where(n._mask, g, 0.0),
        None if n.next_functions[2][0] is None else xp.where(n._mask, 0.0, g),
    ),
    ("_mask",),
    keeps=True,
)


def _pick(xp, g, n, first: bool):
    a, b = xp.data(n.saved_input(xp, 0)), xp.data(n.saved_input(xp, 1))
    mask = (a > b) if first else (a < b)
    return xp.add(xp.where(mask, g, 0.0), xp.div_scalar(xp.where(a == b, g, 0.0), 2))


MaximumBackward0 = node_class(
    "MaximumBackward0",
    "f(a, b) = max(a, b);  ∂f/∂a = 1 where a > b (½ where equal),  ∂f/∂b the rest",
    lambda xp, g, n: (
        _pick(xp, g, n, True) if n.next_functions[0][0] else None,
        _pick_other(xp, g, n, True) if n.next_functions[1][0] else None,
    ),
)
MinimumBackward0 = node_class(
    "MinimumBackward0",
    "f(a, b) = min(a, b);  ∂f/∂a = 1 where a < b (½ where equal),  ∂f/∂b the rest",
    lambda xp, g, n: (
        _pick(xp, g, n, False) if n.next_functions[0][0] else None,
        _pick_other(xp, g, n, False) if n.next_functions[1][0] else None,
    ),
)


def _pick_other(xp, g, n, first: bool):
    a, b = xp.data(n.saved_input(xp, 0)), xp.data(n.saved_input(xp, 1))
    mask = (a < b) if first else (a > b)
    return xp.add(xp.where(mask, g, 0.0), xp.div_scalar(xp.where(a == b, g, 0.0), 2))


ClampBackward1 = node_class(
    "ClampBackward1",
    "f(a) = min(max(a, lo), hi) for numbers lo, hi;  ∂f/∂a = 1 where lo ≤ a ≤ hi, else 0",
    lambda xp, g, n: (xp.where(_inside(xp.data(n.saved_input(xp, 0)), n._min, n._max), g, 0.0),),
    ("_min", "_max"),
)
ClampBackward0 = node_class(
    "ClampBackward0",
    "f(a, lo, hi) = min(max(a, lo), hi) for tensors;  ∂f/∂a = 1 where lo ≤ a ≤ hi, else 0",
    lambda xp, g, n: (
        xp.where(_inside(xp.data(n.saved_input(xp, 0)), n._min, n._max), g, 0.0),
        None,
        None,
    ),
    ("_min", "_max"),
)
MaskedFillBackward0 = node_class(
    "MaskedFillBackward0",
    "f(a) = a with value v where the mask is set;  ∂f/∂a = 0 there, 1 elsewhere",
    lambda xp, g, n: (xp.where(n._mask, 0.0, g), None),
    ("_mask",),
    keeps=True,
)


def _inside(a, low, high):
    low = low._data if isinstance(low, TensorCore) else low
    high = high._data if isinstance(high, TensorCore) else high
    if low is None:
        return a <= high
    if high is None:
        return a >= low
    return (a >= low) & (a <= high)


def _data(value) -> np.ndarray | object:
    return value._data if isinstance(value, TensorCore) else value


def where(condition, a=None, b=None):
    if a is None and b is None:
        from ..creation import nonzero_tuple

        return nonzero_tuple(condition)
    mask = np.asarray(_data(condition))
    if mask.dtype.kind != "b":
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype.name.capitalize()}"
        )
    x, y = _data(a), _data(b)
    xa, ya = np.asarray(x), np.asarray(y)
    if isinstance(a, TensorCore) and isinstance(b, TensorCore):
        if xa.dtype != ya.dtype:
            xa, ya = cast_pair(xa, ya)
    elif isinstance(a, TensorCore):
        ya = np.asarray(y, dtype=promote_scalar(xa.dtype, scalar_value(y)))
        xa = xa.astype(ya.dtype, copy=False)
    elif isinstance(b, TensorCore):
        xa = np.asarray(x, dtype=promote_scalar(ya.dtype, scalar_value(x)))
        ya = ya.astype(xa.dtype, copy=False)
    else:
        xa, ya = np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32)
    try:
        data = np.where(mask, xa, ya)
    except ValueError:
        raise broadcast_error(xa, ya) from None
    return general((condition, a, b), data, WhereBackward0, _mask=mask)


def _both(a: TensorCore, b):
    x, y = a._data, _data(b)
    if isinstance(b, TensorCore) and x.dtype is not y.dtype:
        x, y = cast_pair(x, y)
    return x, y


def _chosen(ufunc, x, y):
    """maximum/minimum; on lifted values the larger (smaller) at the program's values."""
    if OBJECT_DTYPE not in (np.asarray(x).dtype, np.asarray(y).dtype):
        return ufunc(x, y)
    keep = numbers_of(x) >= numbers_of(y) if ufunc is np.maximum else numbers_of(x) <= numbers_of(y)
    return np.where(keep, x, y)


def maximum(a: TensorCore, b: TensorCore):
    x, y = _both(a, b)
    try:
        data = _chosen(np.maximum, x, y)
    except ValueError:
        raise broadcast_error(x, y) from None
    return general((a, b), data, MaximumBackward0, saved=(0, 1))


def minimum(a: TensorCore, b: TensorCore):
    x, y = _both(a, b)
    try:
        data = _chosen(np.minimum, x, y)
    except ValueError:
        raise broadcast_error(x, y) from None
    return general((a, b), data, MinimumBackward0, saved=(0, 1))


def clamp(t: TensorCore, min=None, max=None):  # noqa: A002 - PyTorch's argument names
    """Each element limited to [min, max]; either bound may be left out."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    a = t._data
    if isinstance(min, TensorCore) or isinstance(max, TensorCore):
        data = a
        if min is not None:
            data = _chosen(np.maximum, data, _data(min))
        if max is not None:
            data = _chosen(np.minimum, data, _data(max))
        return general(
            (t, min, max), np.asarray(data), ClampBackward0, saved=(0,), _min=min, _max=max
        )
    target = a.dtype
    bounds = []
    for bound in (min, max):
        if bound is not None:
            if not isinstance(bound, NUMBER_TYPES):
                raise TypeError("clamp(): min and max must be numbers, not " + type(bound).__name__)
            bound = scalar_value(bound)
            target = promote_scalar(target, bound)
        bounds.append(bound)
    low, high = bounds
    data = a.astype(target)
    if low is not None:
        data = _chosen(np.maximum, data, _bound(target, low))
    if high is not None:
        data = _chosen(np.minimum, data, _bound(target, high))
    return unary(t, data, ClampBackward1, saves="input", _min=low, _max=high)


def _bound(target: np.dtype, value):
    return (
        kernel_space(np.empty(0, target)).number(value)
        if target == OBJECT_DTYPE
        else target.type(value)
    )


def clamp_min(t: TensorCore, min):  # noqa: A002
    return clamp(t, min=min)


def clamp_max(t: TensorCore, max):  # noqa: A002
    return clamp(t, max=max)


def masked_fill(t: TensorCore, mask, value):
    m = np.asarray(_data(mask))
    if m.dtype.kind != "b":
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype.name}"
        )
    fill = _data(value)
    a = t._data
    data = np.where(m, np.asarray(fill, dtype=a.dtype), a)
    if data.shape != a.shape:
        raise RuntimeError(
            f"The size of tensor a ({a.shape[-1]}) must match the size of tensor b ({m.shape[-1]}) at non-singleton dimension {m.ndim - 1}"
        )
    return general(
        (t, value if isinstance(value, TensorCore) else None), data, MaskedFillBackward0, _mask=m
    )


def _compare(ufunc):
    def compare(a: TensorCore, other):
        x = numbers_of(a._data)
        y = numbers_of(_data(other))
        if isinstance(other, TensorCore) and x.dtype is not y.dtype:
            x, y = cast_pair(x, y)
        try:
            return result(np.asarray(ufunc(x, y)))
        except ValueError:
            raise broadcast_error(x, np.asarray(y)) from None

    return compare


eq, ne, lt, le, gt, ge = (
    _compare(f)
    for f in (np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal)
)


def _logical(ufunc):
    def logical(a: TensorCore, other=None):
        if other is None:
            return result(np.asarray(ufunc(a._data.astype(bool))))
        return result(
            np.asarray(ufunc(a._data.astype(bool), np.asarray(_data(other)).astype(bool)))
        )

    return logical


logical_not = _logical(np.logical_not)
logical_and = _logical(np.logical_and)
logical_or = _logical(np.logical_or)
logical_xor = _logical(np.logical_xor)


def invert(a: TensorCore):
    x = a._data
    if x.dtype.kind == "f":
        raise TypeError("bitwise_not_cpu not implemented for 'Float'")
    return result(np.asarray(~x))


def _bitwise(ufunc, name: str):
    def bitwise(a: TensorCore, other):
        x, y = a._data, np.asarray(_data(other))
        if x.dtype.kind == "f" or y.dtype.kind == "f":
            raise RuntimeError(f"\"{name}_cpu\" not implemented for 'Float'")
        return result(np.asarray(ufunc(x, y)))

    return bitwise


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def isnan(a: TensorCore):
    return result(np.isnan(a._data) if a._data.dtype.kind == "f" else np.zeros(a._data.shape, bool))


def isinf(a: TensorCore):
    return result(np.isinf(a._data) if a._data.dtype.kind == "f" else np.zeros(a._data.shape, bool))


def isfinite(a: TensorCore):
    return result(
        np.isfinite(a._data) if a._data.dtype.kind == "f" else np.ones(a._data.shape, bool)
    )


def equal(a: TensorCore, b: TensorCore) -> bool:
    return a._data.shape == b._data.shape and bool(np.array_equal(a._data, b._data))


def allclose(a: TensorCore, b: TensorCore, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(np.allclose(a._data, _data(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(a: TensorCore, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return result(np.isclose(a._data, _data(b), rtol=rtol, atol=atol, equal_nan=equal_nan))


for _name, _node, _kernel, _functions, _methods in (
    ("where", WhereBackward0, where, "where", ""),
    ("maximum", MaximumBackward0, maximum, "maximum", "maximum"),
    ("minimum", MinimumBackward0, minimum, "minimum", "minimum"),
    ("clamp", ClampBackward1, clamp, "clamp clip", "clamp clip"),
    ("clamp_min", ClampBackward1, clamp_min, "clamp_min", "clamp_min"),
    ("clamp_max", ClampBackward1, clamp_max, "clamp_max", "clamp_max"),
    ("masked_fill", MaskedFillBackward0, masked_fill, "masked_fill", "masked_fill"),
    ("eq", None, eq, "eq", "eq __eq__"),
    ("ne", None, ne, "ne", "ne __ne__"),
    ("lt", None, lt, "lt less", "lt less __lt__"),
    ("le", None, le, "le less_equal", "le less_equal __le__"),
    ("gt", None, gt, "gt greater", "gt greater __gt__"),
    ("ge", None, ge, "ge greater_equal", "ge greater_equal __ge__"),
    ("logical_not", None, logical_not, "logical_not", "logical_not"),
    ("logical_and", None, logical_and, "logical_and", "logical_and"),
    ("logical_or", None, logical_or, "logical_or", "logical_or"),
    ("logical_xor", None, logical_xor, "logical_xor", "logical_xor"),
    ("invert", None, invert, "bitwise_not", "bitwise_not __invert__"),
    ("bitwise_and", None, bitwise_and, "bitwise_and", "bitwise_and __and__"),
    ("bitwise_or", None, bitwise_or, "bitwise_or", "bitwise_or __or__"),
    ("bitwise_xor", None, bitwise_xor, "bitwise_xor", "bitwise_xor __xor__"),
    ("isnan", None, isnan, "isnan", "isnan"),
    ("isinf", None, isinf, "isinf", "isinf"),
    ("isfinite", None, isfinite, "isfinite", "isfinite"),
    ("equal", None, equal, "equal", "equal"),
    ("allclose", None, allclose, "allclose", "allclose"),
    ("isclose", None, isclose, "isclose", "isclose"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
