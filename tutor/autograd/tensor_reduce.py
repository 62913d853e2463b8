"""Provides the reductions of Tensor: sum, mean, max, softmax, log_softmax."""

from __future__ import annotations

import numpy as np

from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.reductions import (
    LogSoftmaxBackward0,
    MaxBackward0,
    MaxBackward1,
    MeanBackward0,
    MeanBackward1,
    SoftmaxBackward0,
    SumBackward0,
    SumBackward1,
)
from .tensor_core import result

_new = object.__new__
_add_reduce = np.add.reduce
_empty = np.empty
_ALL = object()


class ReturnMax(tuple):
    """`torch.return_types.max`: the (values, indices) pair `max(dim)` returns."""

    __slots__ = ()

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.max(\nvalues={self[0]!r},\nindices={self[1]!r})"


class ReduceMixin:
    """Reductions over all elements or over `dim`; `keepdim` keeps reduced dimensions as 1."""

    __slots__ = ()

    def _dims(self, dim) -> tuple[int, ...]:
        if isinstance(dim, list | tuple):
            return tuple(sorted(self._dim(d) for d in dim))
        return (self._dim(dim),)

    def sum(self, dim=_ALL, keepdim: bool = False):
        a = self._data
        if dim is _ALL:
            if a.dtype.kind == "f":
                data = _add_reduce(a, None, None, _empty((), a.dtype))
            else:
                data = np.asarray(_add_reduce(a, None, np.int64))
            if GRAD_MODE.enabled and self._requires_grad:
                fn = _new(SumBackward0)
                fn.next_functions = (self._edge,)
                fn._seq = next_seq()
                fn._shape = a.shape
                return result(type(self), data, fn)
            return result(type(self), data, None)
        dims = tuple(range(a.ndim)) if dim is None else self._dims(dim)
        data = np.asarray(a.sum(axis=dims, keepdims=keepdim))
        if a.dtype.kind != "f":
            data = data.astype(np.int64)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(SumBackward1)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._shape, fn._dims, fn._keepdim = a.shape, dims, keepdim
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def mean(self, dim=_ALL, keepdim: bool = False):
        a = self._data
        if a.dtype.kind != "f":
            name = "Long" if a.dtype.kind in "iu" else "Bool"
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {name}"
            )
        if dim is _ALL:
            data = np.asarray(a.mean(), dtype=a.dtype)
            if GRAD_MODE.enabled and self._requires_grad:
                fn = _new(MeanBackward0)
                fn.next_functions = (self._edge,)
                fn._seq = next_seq()
                fn._shape, fn._count = a.shape, a.size
                return result(type(self), data, fn)
            return result(type(self), data, None)
        dims = tuple(range(a.ndim)) if dim is None else self._dims(dim)
        data = np.asarray(a.mean(axis=dims, keepdims=keepdim), dtype=a.dtype)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(MeanBackward1)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            count = 1
            for d in dims:
                count *= a.shape[d] if a.ndim else 1
            fn._shape, fn._dims, fn._keepdim, fn._count = a.shape, dims, keepdim, count
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def max(self, dim=None, keepdim: bool = False):
        a = self._data
        if a.size == 0:
            raise RuntimeError(
                "max(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        if dim is None:
            data = np.asarray(a.max())
            if GRAD_MODE.enabled and self._requires_grad:
                fn = _new(MaxBackward1)
                fn.next_functions = (self._edge,)
                fn._seq = next_seq()
                fn._saved = (self, self._version[0], data)
                return result(type(self), data, fn)
            return result(type(self), data, None)
        axis = self._dim(dim) if a.ndim else None
        indices = np.asarray(a.argmax(axis=axis, keepdims=keepdim), dtype=np.int64)
        data = np.asarray(a.max(axis=axis, keepdims=keepdim))
        index_tensor = result(type(self), indices, None)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(MaxBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._shape, fn._dim, fn._keepdim = a.shape, axis if axis is not None else 0, keepdim
            fn._saved = indices
            return ReturnMax((result(type(self), data, fn), index_tensor))
        return ReturnMax((result(type(self), data, None), index_tensor))

    def argmax(self, dim=None, keepdim: bool = False):
        """The index of the largest element (of the flattened tensor when `dim` is None)."""
        return self._arg_reduce(np.argmax, "argmax", dim, keepdim)

    def argmin(self, dim=None, keepdim: bool = False):
        """The index of the smallest element (of the flattened tensor when `dim` is None)."""
        return self._arg_reduce(np.argmin, "argmin", dim, keepdim)

    def _arg_reduce(self, find, name: str, dim, keepdim: bool):
        a = self._data
        if a.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input")
        if dim is None:
            if a.size == 0:
                raise IndexError(
                    f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            index = np.asarray(find(a), dtype=np.int64)
            return result(type(self), index.reshape((1,) * a.ndim) if keepdim else index, None)
        axis = self._dim(dim)
        if a.ndim == 0:
            return result(type(self), np.zeros((), dtype=np.int64), None)
        if a.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
        indices = np.asarray(find(a, axis=axis, keepdims=keepdim), dtype=np.int64)
        return result(type(self), indices, None)

    def softmax(self, dim: int):
        a = self._data
        axis = self._dim(dim) if a.ndim else None
        shifted = np.exp(a - a.max(axis=axis, keepdims=True))
        data = shifted / shifted.sum(axis=axis, keepdims=True)
        return self._saving_result_along(data, SoftmaxBackward0, axis)

    def log_softmax(self, dim: int):
        a = self._data
        axis = self._dim(dim) if a.ndim else None
        shifted = a - a.max(axis=axis, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        return self._saving_result_along(data, LogSoftmaxBackward0, axis)

    def _saving_result_along(self, data: np.ndarray, cls: type, axis: int | None):
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(cls)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._dim = axis
            out = result(type(self), data, fn)
            fn._saved = (data, out._version, 0)
            return out
        return result(type(self), data, None)
