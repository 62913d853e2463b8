"""Provides the in-place ops: `add_`, `mul_`, `zero_`, `copy_`, `+=`, `t[i] = v`, … — each the
out-of-place op computed and written back into the tensor, with PyTorch's checks (leaves, views
of leaves, views made under no_grad, overlapping memory, dtype and shape), a version bump, and
the recorded node taking the tensor's place in the graph (through CopySlices for a view)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import errors
from ..dtypes import BY_NUMPY, OBJECT_DTYPE
from ..grad_mode import GRAD_MODE
from ..lifting import LIFTING
from ..operands import NUMBER_TYPES, output_shape_error
from ..tensor_core import TensorCore, check_in_place, result, view_edge
from ..views import overlapping, rebase
from .nodes import node_class
from .record import general, unary
from .table import declare

ZeroBackward0 = node_class(
    "ZeroBackward0", "f(a) = 0 (a.zero_());  ∂f/∂a = 0", lambda xp, g, n: (xp.zeros_like(g),)
)
FillBackward2 = node_class(
    "FillBackward2",
    "f(a) = c for a number c (a.fill_(c));  ∂f/∂a = 0",
    lambda xp, g, n: (xp.zeros_like(g),),
)
FillBackward3 = node_class(
    "FillBackward3",
    "f(a, v) = v everywhere (a[i] = v, a.fill_(v) for a 0-d tensor v);  ∂f/∂a = 0,  ∂f/∂v = Σ g",
    lambda xp, g, n: (
        xp.zeros_like(g) if n.next_functions[0][0] is not None else None,
        xp.sum(g, None, False) if n.next_functions[1][0] is not None else None,
    ),
)
CopyBackwards = node_class(
    "CopyBackwards",
    "f(a, s) = s copied into a;  ∂f/∂a = 0,  ∂f/∂s = 1",
    lambda xp, g, n: (xp.zeros_like(g) if n.next_functions[0][0] is not None else None, g),
)
IndexPutBackward0 = node_class(
    "IndexPutBackward0",
    "f(a, v) = a with v written at indices;  ∂f/∂a = 1 except there,  ∂f/∂v = g at the indices",
    lambda xp, g, n: (
        xp.index_zero(g, n._where) if n.next_functions[0][0] is not None else None,
        xp.index_take(g, n._where, n._value_shape) if n.next_functions[1][0] is not None else None,
    ),
    ("_where", "_value_shape"),
    keeps=True,
)

_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def _castable(target: np.dtype, source: np.dtype) -> None:
    if OBJECT_DTYPE in (target, source):
        return
    if BY_NUMPY[source].category > BY_NUMPY[target].category:
        raise RuntimeError(
            f"result type {errors.scalar_type_name(source)} can't be cast to the desired output "
            f"type {errors.scalar_type_name(target)}"
        )


def in_place(t: TensorCore, compute: Callable[[], TensorCore], broadcast_from=None) -> TensorCore:
    """Writes what `compute()` returns into `t`: PyTorch's in-place protocol."""
    check_in_place(t)
    if overlapping(t._data):
        raise RuntimeError(_OVERLAP)
    out = compute()
    data = out._data
    if data.shape != t._data.shape:
        other = broadcast_from if broadcast_from is not None else data
        raise output_shape_error(t._data, np.asarray(other))
    _castable(t._data.dtype, data.dtype)
    if LIFTING.active is not None and LIFTING.active.assign(t, data):
        t._version[0] += 1
        return t
    fn = out._edge[0]
    if fn is not None:
        _keep_inputs(fn, t)
    if t._data.dtype == OBJECT_DTYPE or data.dtype == OBJECT_DTYPE:
        if t._data.dtype != data.dtype:
            t._data = t._data.astype(object)
        t._data[...] = data
    else:
        np.copyto(t._data, data, casting="unsafe")
    t._version[0] += 1
    if fn is not None:
        _keep_result(fn, data, t)
        if t._view is not None:
            rebase(t, fn)
        else:
            t._edge = (fn, 0)
            t._requires_grad = True
            if t._hooks is not None:
                fn._owner = t
    return t


def _keep_inputs(fn, t: TensorCore) -> None:
    """The in-place op overwrites `t`: a formula that saved t's old values keeps a copy."""
    saved = fn._saved
    if not saved:
        return
    kept = list(saved)
    for i in range(0, len(kept) - 1, 2):
        if kept[i] is t and isinstance(kept[i + 1], int):
            old = result(t._data.copy())
            kept[i], kept[i + 1] = old, 0
    fn._saved = tuple(kept)


def _keep_result(fn, data: np.ndarray, t: TensorCore) -> None:
    """A formula that saved its result now finds it in `t`, checked by t's version counter."""
    saved = fn._saved
    if saved and len(saved) >= 3 and saved[-3] is data:
        fn._saved = (*saved[:-3], t._data, t._version, t._version[0])


def _method(function: Callable) -> Callable:
    def method(t: TensorCore, *args, **kwargs):
        return in_place(t, lambda: function(t, *args, **kwargs))

    method.__name__ = function.__name__ + "_"
    return method


def zero_(t: TensorCore):
    """Sets every element to 0, in place; the old values no longer affect anything."""
    return in_place(t, lambda: unary(t, np.zeros_like(t._data), ZeroBackward0))


def fill_(t: TensorCore, value):
    """Sets every element to `value` (a number or a 0-d tensor), in place."""
    if isinstance(value, TensorCore):
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        data = np.full_like(t._data, value._data)
        return in_place(t, lambda: general((t, value), data, FillBackward3))
    return in_place(t, lambda: unary(t, np.full_like(t._data, value), FillBackward2))


def _fill_number(t: TensorCore, value) -> TensorCore:
    """`t[…] = number`: PyTorch makes the number a 0-d tensor and fills with it."""
    data = np.full_like(t._data, value)
    return in_place(t, lambda: general((t, None), data, FillBackward3))


def copy_(t: TensorCore, source, non_blocking: bool = False):
    """Copies `source` (broadcast to t's shape, converted to t's dtype) into `t`."""
    if not isinstance(source, TensorCore):
        raise TypeError(
            f"copy_(): argument 'other' (position 1) must be Tensor, not {type(source).__name__}"
        )
    src = source._data
    try:
        data = (
            np.broadcast_to(src, t._data.shape).astype(t._data.dtype)
            if src.dtype != OBJECT_DTYPE
            else np.broadcast_to(src, t._data.shape).copy()
        )
    except ValueError:
        raise RuntimeError(
            f"output with shape {errors.shape_list(t._data.shape)} doesn't match the broadcast shape "
            f"{errors.shape_list(np.broadcast_shapes(t._data.shape, src.shape) if _broadcasts(t._data.shape, src.shape) else src.shape)}"
        ) from None

    def compute():
        if GRAD_MODE.enabled and (
            t._requires_grad
            or source._requires_grad
            or (t._view is not None and t._base._requires_grad)
        ):
            return general((t, source), np.array(data), CopyBackwards)
        return result(np.array(data))

    return in_place(t, compute)


def _broadcasts(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def setitem(t: TensorCore, index, value) -> None:
    """`t[index] = value`: basic indices write through a view (CopySlices); lists, tensors and
    masks through index_put_ (IndexPutBackward0)."""
    from .indexing import _is_advanced, getitem_

    items = index if isinstance(index, tuple) else (index,)
    if any(_is_advanced(i) for i in items):
        _index_put(t, items, value)
        return
    target = getitem_(t, index, writing=True)
    if isinstance(value, TensorCore) and value._data.ndim == 0:
        fill_(target, value)
    elif isinstance(value, TensorCore):
        copy_(target, value)
    elif isinstance(value, NUMBER_TYPES):
        _fill_number(target, value)
    else:
        from ..creation import tensor as make_tensor

        copy_(target, make_tensor(value, dtype=t.dtype))


def _index_put(t: TensorCore, items: tuple, value) -> None:
    from .indexing import _plain_index

    where = tuple(_plain_index(i) for i in items)
    where = where[0] if len(where) == 1 else where
    values = value._data if isinstance(value, TensorCore) else np.asarray(value)

    def compute():
        data = t._data.copy()
        try:
            data[where] = values
        except (IndexError, ValueError) as exc:
            raise (
                IndexError(str(exc)) if isinstance(exc, IndexError) else RuntimeError(str(exc))
            ) from None
        inputs = (t, value if isinstance(value, TensorCore) else None)
        return general(inputs, data, IndexPutBackward0, _where=where, _value_shape=np.shape(values))

    in_place(t, compute)


def _in_place_binary(function: Callable) -> Callable:
    def method(t: TensorCore, other, *args, **kwargs):
        if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
            return NotImplemented
        return in_place(
            t,
            lambda: function(t, other, *args, **kwargs),
            other._data if isinstance(other, TensorCore) else None,
        )

    method.__name__ = function.__name__.rstrip("_") + "_"
    return method


def add_(t: TensorCore, other, alpha=1):
    from .arithmetic import add

    return _in_place_binary(add)(t, other, alpha)


def _declare_in_place(names: dict[str, Callable]) -> None:
    for name, function in names.items():
        declare(name, None, function, methods=name)


__all__ = ["_method", "_in_place_binary", "_declare_in_place", "view_edge"]
