"""Provides indexing: `t[...]` (views for ints and slices, copies for lists, tensors and masks),
select, narrow, index_select, gather, masked_fill's reads, and their nodes."""

from __future__ import annotations

import numpy as np

from ..tensor_core import TensorCore
from ..views import getitem, make_view
from .nodes import node_class
from .record import general, unary
from .table import declare

SelectBackward0 = node_class(
    "SelectBackward0",
    "f(a) = a[index] along `dim`;  ∂L/∂a = zeros with the gradient placed at `index`",
    lambda xp, g, n: (xp.place(g, n._shape, n._where),),
    ("_shape", "_where"),
)
SliceBackward0 = node_class(
    "SliceBackward0",
    "f(a) = a[start:stop:step] along `dim`;  ∂L/∂a = zeros with the gradient in the slice",
    lambda xp, g, n: (xp.place(g, n._shape, n._where),),
    ("_shape", "_where"),
)
IndexBackward0 = node_class(
    "IndexBackward0",
    "f(a) = a[indices];  ∂L/∂a = zeros with the gradient added at each index (repeats add)",
    lambda xp, g, n: (xp.scatter(g, n._shape, n._where),),
    ("_shape", "_where"),
    keeps=True,
)
IndexSelectBackward0 = node_class(
    "IndexSelectBackward0",
    "f(a) = a's entries `index` along `dim`;  ∂L/∂a = zeros with the gradient added back there",
    lambda xp, g, n: (xp.scatter(g, n._shape, n._where),),
    ("_shape", "_where"),
    keeps=True,
)
GatherBackward0 = node_class(
    "GatherBackward0",
    "f(a)ᵢⱼ = a[i, index[i, j]] along `dim`;  ∂L/∂a = zeros with the gradient added at index",
    lambda xp, g, n: (xp.scatter(g, n._shape, n._where),),
    ("_shape", "_where"),
    keeps=True,
)
FlipBackward0 = node_class(
    "FlipBackward0",
    "f(a) = a reversed along `dims`;  ∂L/∂a = the gradient reversed back",
    lambda xp, g, n: (xp.flip(g, n._dims),),
    ("_dims",),
)


def _plain_index(item: object) -> object:
    if isinstance(item, TensorCore):
        data = item._data
        return data if data.ndim else data.item() if data.dtype.kind in "iu" else data
    if isinstance(item, list):
        return np.asarray(item)
    return item


def _is_advanced(item: object) -> bool:
    return isinstance(item, list | np.ndarray | TensorCore) and not (
        isinstance(item, TensorCore) and item._data.ndim == 0 and item._data.dtype.kind in "iu"
    )


def getitem_(t: TensorCore, index, writing: bool = False):
    """`t[index]`, as PyTorch reads it; `writing` (for `t[index] = v`) skips every slice that
    covers its whole dimension and gives `t` itself when nothing is left."""
    if t._data.ndim == 0 and not (
        index is None
        or index is Ellipsis
        or index == ()
        or isinstance(index, TensorCore | list | np.ndarray)
    ):
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    lone_slice = isinstance(index, slice) and not writing
    items = index if isinstance(index, tuple) else (index,)
    if any(_is_advanced(i) for i in items):
        split = _split_mixed(items)
        if split is not None:
            # PyTorch applies the ints and slices first, as views, then the index lists.
            return _advanced(getitem_(t, split[0], writing), split[1])
        return _advanced(t, items)
    out = t
    dim = 0
    position = 0  # the dimension of `t` an index refers to, for error messages
    changed = False
    ellipsis_span = t._data.ndim - sum(1 for i in items if i is not None and i is not ...)
    for item in items:
        if item is ...:
            dim += ellipsis_span
            position += ellipsis_span
            continue
        if item is None:
            from .shape import unsqueeze

            out = unsqueeze(out, dim)
            dim += 1
            changed = True
            continue
        if dim >= out._data.ndim:
            raise IndexError(f"too many indices for tensor of dimension {t._data.ndim}")
        size = out._data.shape[dim]
        where = (slice(None),) * dim
        if isinstance(item, slice):
            if item.step is not None and int(item.step) <= 0:
                raise ValueError("step must be greater than zero")
            if not lone_slice and item.indices(size) == (0, size, 1):
                dim += 1
                position += 1
                continue
            key = where + (item,)
            out = make_view(
                out,
                out._data[key],
                SliceBackward0,
                (getitem, (key,)),
                _shape=out._data.shape,
                _where=key,
            )
            dim += 1
            position += 1
        else:
            i = int(item)
            if not -size <= i < size:
                raise IndexError(
                    f"index {i} is out of bounds for dimension {position} with size {size}"
                )
            key = where + (i, ...)  # with the ellipsis a 0-d pick is a view, not a copy
            out = make_view(
                out,
                out._data[key],
                SelectBackward0,
                (getitem, (key,)),
                _shape=out._data.shape,
                _where=key,
            )
            position += 1
        changed = True
    if not changed:
        if writing:
            return t
        from .shape import AliasBackward0

        return make_view(t, t._data.view(), AliasBackward0, (np.asarray, ()))
    return out


def _advanced(t: TensorCore, items: tuple):
    where = tuple(_plain_index(i) for i in items)
    where = where[0] if len(where) == 1 else where
    for item in where if isinstance(where, tuple) else (where,):
        if isinstance(item, np.ndarray) and item.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    try:
        data = t._data[where]
    except IndexError as exc:
        raise IndexError(_index_message(str(exc), t)) from None
    return unary(t, np.array(data), IndexBackward0, _shape=t._data.shape, _where=where)


def _index_message(text: str, t: TensorCore) -> str:
    import re

    m = re.search(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", text)
    if m:
        return f"index {m[1]} is out of bounds for dimension {m[2]} with size {m[3]}"
    return text


def _split_mixed(items: tuple) -> tuple[tuple, tuple] | None:
    """`a[0, [0, 1]]` as `a[0, :]` then `[[0, 1]]`, or None when nothing basic comes first."""
    basic, rest = [], []
    for item in items:
        if _is_advanced(item):
            basic.append(slice(None))
            rest.append(item)
        elif isinstance(item, slice):
            basic.append(item)
            rest.append(slice(None))
        elif isinstance(item, int) and not isinstance(item, bool):
            basic.append(item)
        else:  # None, Ellipsis, bools: index in one step
            return None
    if all(isinstance(item, slice) and item == slice(None) for item in basic):
        return None
    return tuple(basic), tuple(rest)


def select(t: TensorCore, dim: int, index: int):
    d = t._dim(dim)
    return getitem_(t, (slice(None),) * d + (int(index),))


def narrow(t: TensorCore, dim: int, start: int, length: int):
    d = t._dim(dim)
    size = t._data.shape[d]
    start = int(start) + (size if start < 0 else 0)
    if start < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return make_view(
        t, t._data[key], SliceBackward0, (getitem, (key,)), _shape=t._data.shape, _where=key
    )


def index_select(t: TensorCore, dim: int, index: TensorCore):
    d = t._dim(dim)
    picks = index._data.reshape(-1) if index._data.ndim else index._data.reshape(1)
    if picks.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32/int64 for index")
    key = (slice(None),) * d + (picks,)
    data = t._data[key] if t._data.ndim else t._data.reshape(1)[picks].reshape(())
    return unary(t, np.array(data), IndexSelectBackward0, _shape=t._data.shape, _where=key)


def gather(t: TensorCore, dim: int, index: TensorCore):
    d = t._dim(dim)
    idx = index._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError("gather(): Expected dtype int64 for index")
    data = np.take_along_axis(t._data, idx, axis=d)
    grid = list(np.indices(idx.shape, sparse=True))
    grid[d] = idx
    return unary(t, data, GatherBackward0, _shape=t._data.shape, _where=tuple(grid))


def flip(t: TensorCore, *dims):
    dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], list | tuple) else dims
    axes = tuple(t._dim(d) for d in dims)
    data = np.array(np.flip(t._data, axes))
    return unary(t, data, FlipBackward0, _dims=axes)


for _name, _node, _kernel, _functions, _methods in (
    ("getitem", SelectBackward0, getitem_, "", "__getitem__"),
    ("select", SelectBackward0, select, "select", "select"),
    ("narrow", SliceBackward0, narrow, "narrow", "narrow"),
    ("index_select", IndexSelectBackward0, index_select, "index_select", "index_select"),
    ("gather", GatherBackward0, gather, "gather", "gather"),
    ("flip", FlipBackward0, flip, "flip", "flip"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)

__all__ = ["general"]
