"""Provides the shape and indexing methods of Tensor: view, reshape, transpose, [], …"""

from __future__ import annotations

import numpy as np

from . import errors
from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.shape import (
    AliasBackward0,
    ExpandBackward0,
    IndexBackward0,
    PermuteBackward0,
    SelectBackward0,
    SliceBackward0,
    SqueezeBackward0,
    SqueezeBackward1,
    TBackward0,
    TransposeBackward0,
    UnsafeViewBackward0,
    UnsqueezeBackward0,
    ViewBackward0,
)
from .tensor_core import TensorCore, result

_new = object.__new__


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], list | tuple):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


def _infer(shape: tuple, size: int) -> tuple:
    known = 1
    for n in shape:
        if n != -1:
            known *= n
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if shape.count(-1) == 1 and known and size % known == 0:
        return tuple(size // known if n == -1 else n for n in shape)
    if known != size or -1 in shape:
        raise RuntimeError(
            f"shape '{errors.shape_list(shape)}' is invalid for input of size {size}"
        )
    return shape


class ShapeMixin:
    """Views share memory and the version counter with their base; the rest copy."""

    __slots__ = ()

    def _view(self, data: np.ndarray, cls: type, **fields):
        base = self._base if self._base is not None else self
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(cls)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            for name, value in fields.items():
                setattr(fn, name, value)
            out = result(type(self), data, fn)
        else:
            out = result(type(self), data, None)
        out._version = self._version
        out._base = base
        return out

    def view(self, *shape):
        a = self._data
        shape = _infer(_shape_arg(shape), a.size)
        try:
            data = np.reshape(a, shape, copy=False)
        except ValueError:
            raise RuntimeError(errors.VIEW_STRIDE) from None
        return self._view(data, ViewBackward0, _shape=a.shape)

    def reshape(self, *shape):
        a = self._data
        shape = _infer(_shape_arg(shape), a.size)
        try:
            data = np.reshape(a, shape, copy=False)
        except ValueError:
            copied = self.clone()
            data = copied._data.reshape(shape)
            if copied.grad_fn is None:
                return result(type(self), data, None)
            fn = _new(UnsafeViewBackward0)
            fn.next_functions = (copied._edge,)
            fn._seq = next_seq()
            fn._shape = a.shape
            return result(type(self), data, fn)
        return self._view(data, ViewBackward0, _shape=a.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        first, last = self._dim(start_dim), self._dim(end_dim)
        if first == last:
            return self
        merged = 1
        for n in shape[first : last + 1]:
            merged *= n
        return self.reshape(*shape[:first], merged, *shape[last + 1 :])

    def t(self):
        a = self._data
        if a.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {a.ndim}D")
        return self._view(a.T, TBackward0)

    @property
    def T(self):  # noqa: N802 - PyTorch's name
        a = self._data
        order = tuple(range(a.ndim - 1, -1, -1))
        return self._view(a.transpose(order), PermuteBackward0, _inverse=order)

    def permute(self, *dims):
        order = tuple(self._dim(d) for d in _shape_arg(dims))
        if len(order) != self._data.ndim or len(set(order)) != len(order):
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match "
                "the length of the desired ordering of dimensions i.e. input.dim() = "
                f"{self._data.ndim} is not equal to len(dims) = {len(order)}"
            )
        inverse = tuple(int(i) for i in np.argsort(order))
        return self._view(self._data.transpose(order), PermuteBackward0, _inverse=inverse)

    def transpose(self, dim0: int, dim1: int):
        d0, d1 = self._dim(dim0), self._dim(dim1)
        data = np.swapaxes(self._data, d0, d1) if self._data.ndim else self._data.view()
        return self._view(data, TransposeBackward0, _dims=(d0, d1) if self._data.ndim else (0, 0))

    def unsqueeze(self, dim: int):
        a = self._data
        if not -a.ndim - 1 <= dim <= a.ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-a.ndim - 1}, {a.ndim}],"
                f" but got {dim})"
            )
        return self._view(np.expand_dims(a, dim % (a.ndim + 1)), UnsqueezeBackward0, _shape=a.shape)

    def squeeze(self, dim=None):
        a = self._data
        if dim is None:
            return self._view(
                a.reshape(tuple(n for n in a.shape if n != 1)), SqueezeBackward0, _shape=a.shape
            )
        d = self._dim(dim)
        data = a.reshape(a.shape[:d] + a.shape[d + 1 :]) if a.ndim and a.shape[d] == 1 else a
        return self._view(data.view(), SqueezeBackward1, _shape=a.shape)

    def expand(self, *sizes):
        a = self._data
        sizes = _shape_arg(sizes)
        lead = len(sizes) - a.ndim
        target = tuple(a.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        try:
            data = np.broadcast_to(a, target)
        except ValueError:
            raise RuntimeError(
                f"The expanded size of the tensor ({sizes[-1]}) must match the existing size "
                f"({a.shape[-1] if a.ndim else 1}) at non-singleton dimension {len(sizes) - 1}."
                f"  Target sizes: {errors.shape_list(sizes)}.  Tensor sizes: "
                f"{errors.shape_list(a.shape)}"
            ) from None
        return self._view(data, ExpandBackward0, _shape=a.shape)

    def expand_as(self, other):
        return self.expand(*other.shape)

    def view_as(self, other):
        return self.view(*other.shape)

    def __getitem__(self, index):
        items = index if isinstance(index, tuple) else (index,)
        if any(isinstance(i, list | np.ndarray | TensorCore) for i in items):
            split = _split_mixed(items)
            if split is not None:
                # PyTorch applies the ints and slices first, as views, then the index lists.
                return self[split[0]]._advanced(split[1])
            return self._advanced(items)
        out = self
        dim = 0
        position = 0  # the dimension of `self` an index refers to, for error messages
        changed = False
        ellipsis_span = self._data.ndim - sum(1 for i in items if i is not None and i is not ...)
        for item in items:
            if item is ...:
                dim += ellipsis_span
                position += ellipsis_span
                continue
            if item is None:
                out = out.unsqueeze(dim)
                dim += 1
                changed = True
                continue
            if dim >= out._data.ndim:
                raise IndexError(f"too many indices for tensor of dimension {self._data.ndim}")
            size = out._data.shape[dim]
            where = (slice(None),) * dim
            if isinstance(item, slice):
                if item == slice(None) or item.indices(size) == (0, size, 1):
                    dim += 1
                    position += 1
                    continue
                out = out._view(
                    out._data[where + (item,)],
                    SliceBackward0,
                    _shape=out._data.shape,
                    _where=where + (item,),
                )
                dim += 1
                position += 1
            else:
                i = int(item)
                if not -size <= i < size:
                    raise IndexError(
                        f"index {i} is out of bounds for dimension {position} with size {size}"
                    )
                out = out._view(
                    out._data[where + (i, ...)],
                    SelectBackward0,
                    _shape=out._data.shape,
                    _where=where + (i,),
                )
                position += 1
            changed = True
        if not changed:
            return self._view(self._data.view(), AliasBackward0)
        return out

    def _advanced(self, items: tuple):
        where = tuple(_numpy_index(i) for i in items)
        where = where[0] if len(where) == 1 else where
        try:
            data = self._data[where]
        except IndexError as exc:
            raise IndexError(str(exc)) from None
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(IndexBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._shape = self._data.shape
            fn._saved = where
            return result(type(self), data, fn)
        return result(type(self), data, None)


def _split_mixed(items: tuple) -> tuple[tuple, tuple] | None:
    """`a[0, [0, 1]]` as `a[0, :]` then `[[0, 1]]`, or None when nothing basic comes first."""
    basic, rest = [], []
    for item in items:
        if isinstance(item, list | np.ndarray | TensorCore):
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


def _numpy_index(item: object) -> object:
    if isinstance(item, TensorCore):
        return item._data
    if isinstance(item, list):
        return np.asarray(item)
    return item
