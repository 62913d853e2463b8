"""Provides the matrix products of Tensor: `@`, matmul, mm, mv, dot."""

from __future__ import annotations

import numpy as np

from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.linalg import DotBackward0, MmBackward0, MvBackward0
from .nodes.shape import SqueezeBackward4
from .operands import cast_pair
from .tensor_core import TensorCore, result

_new = object.__new__


def _dtype_name(a: np.ndarray) -> str:
    return {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}[
        str(a.dtype)
    ]


class LinalgMixin:
    """Matrix products; `@` picks mm, mv or dot by the operands' dimensions as PyTorch does."""

    __slots__ = ()

    def _product(self, other, data: np.ndarray, cls: type):
        if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
            fn = _new(cls)
            fn.next_functions = (self._edge, other._edge)
            fn._seq = next_seq()
            fn._saved = (self, self._version[0], other, other._version[0])
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def _same_dtype(self, other) -> tuple[np.ndarray, np.ndarray]:
        a, b = self._data, other._data
        if a.dtype is not b.dtype:
            raise RuntimeError(
                "expected m1 and m2 to have the same dtype, but got: "
                f"{_dtype_name(a)} != {_dtype_name(b)}"
            )
        return a, b

    def mm(self, other):
        a, b = self._same_dtype(other)
        if a.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if b.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                f"{b.shape[0]}x{b.shape[1]})"
            )
        return self._product(other, a @ b, MmBackward0)

    def mv(self, other):
        a, b = self._same_dtype(other)
        if a.ndim != 2 or b.ndim != 1:
            raise RuntimeError("vector + matrix @ vector expected, got 1, 2, 1")
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                f"vec ({b.shape[0]})"
            )
        return self._product(other, a @ b, MvBackward0)

    def dot(self, other):
        a, b = self._same_dtype(other)
        if a.ndim != 1 or b.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same "
                f"number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively"
            )
        return self._product(other, np.asarray(a @ b), DotBackward0)

    def matmul(self, other):
        if not isinstance(other, TensorCore):
            raise TypeError(
                f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
            )
        if self._data.dtype is not other._data.dtype:
            a, b = cast_pair(self._data, other._data)
            if a.dtype is not self._data.dtype or b.dtype is not other._data.dtype:
                self._same_dtype(other)
        na, nb = self._data.ndim, other._data.ndim
        if na == 0 or nb == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D"
            )
        if na == 1 and nb == 1:
            return self.dot(other)
        if na == 2 and nb == 1:
            return self.mv(other)
        if na == 2 and nb == 2:
            return self.mm(other)
        if na == 1 and nb == 2:
            row = self.unsqueeze(0)
            if row._data.shape[1] != other._data.shape[0]:
                raise RuntimeError(
                    f"mat1 and mat2 shapes cannot be multiplied (1x{row._data.shape[1]} and "
                    f"{other._data.shape[0]}x{other._data.shape[1]})"
                )
            product = row.mm(other)
            data = product._data.reshape(product._data.shape[1:])
            if product.grad_fn is None:
                return result(type(self), data, None)
            fn = _new(SqueezeBackward4)
            fn.next_functions = (product._edge,)
            fn._seq = next_seq()
            fn._shape = product._data.shape
            return result(type(self), data, fn)
        raise RuntimeError("batched matmul is not supported by this engine")

    __matmul__ = matmul

    def __rmatmul__(self, other):
        return NotImplemented
