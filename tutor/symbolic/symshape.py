"""Provides ShapeMethods: a symbolic tensor's reductions, views, matrix products and softmax."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.elementwise import plain_form
from tutor.symbolic.functions import elementwise_sum
from tutor.symbolic.leaves import LiftError, as_array, check_size
from tutor.symbolic.symvalues import float32, float64, int64

_MAX_PRODUCTS = 1_000_000


def _dims(dim: Any, ndim: int) -> tuple[int, ...]:
    """Reduction dims as non-negative ints (None means all)."""
    if dim is None:
        return tuple(range(ndim))
    dims = tuple(dim) if isinstance(dim, list | tuple) else (dim,)
    size = max(ndim, 1)
    for d in dims:
        if not -size <= d < size:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], "
                f"but got {d})"
            )
    return tuple(sorted({d % size for d in dims})) if ndim else ()


def reduce(array: np.ndarray, dims: tuple[int, ...], combine: Callable[..., Any], keep: bool):
    """Combine (sympy.Add, sympy.Mul, …) all elements along `dims` at once."""
    rest = [d for d in range(array.ndim) if d not in dims]
    moved = np.transpose(array, rest + list(dims))
    kept_shape = moved.shape[: len(rest)]
    rows = moved.reshape(math.prod(kept_shape), -1)
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        out[i] = combine(*row)
    out = out.reshape(kept_shape)
    if keep:
        out = out.reshape([1 if d in dims else n for d, n in enumerate(array.shape)])
    return as_array(out)


def _shape(args: Sequence[Any]) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], list | tuple):
        return tuple(args[0])
    return tuple(args)


def matmul_arrays(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b with PyTorch's rules for 1-D operands and broadcast batches."""
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D")
    left = a[None, :] if a.ndim == 1 else a
    right = b[:, None] if b.ndim == 1 else b
    if left.shape[-1] != right.shape[-2]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({left.shape[-2]}x{left.shape[-1]} "
            f"and {right.shape[-2]}x{right.shape[-1]})"
        )
    products = left[..., :, :, None] * right[..., None, :, :]
    if products.size > _MAX_PRODUCTS:
        raise LiftError(f"a product of {products.size:,} terms is too large to lift")
    out = reduce(as_array(products), (products.ndim - 2,), sympy.Add, keep=False)
    if a.ndim == 1:
        out = out[..., 0, :]
    if b.ndim == 1:
        out = out[..., 0]
    return as_array(out)


class ShapeMethods:
    """Mixed into SymTensor, which provides `result`, `array`, `ctx` and `_operand`."""

    result: Any
    array: Any
    ctx: Any
    dtype: Any
    _operand: Any

    def sum(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        dims = _dims(dim, self.array.ndim)
        out = self.result(reduce(self.array, dims, sympy.Add, keepdim), self)
        if out.array.ndim == 0 and len(dims) == self.array.ndim:
            out.form = self._summed_form()
        return out

    def mean(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        dims = _dims(dim, self.array.ndim)
        count = math.prod(self.array.shape[d] for d in dims)
        return self.sum(dim, keepdim) / count

    def _summed_form(self) -> Any:
        if self.array.ndim == 0:
            return None
        inner = plain_form(self.array, self.ctx)
        return None if inner is None else elementwise_sum(inner)

    def prod(self, dim: Any = None, keepdim: bool = False) -> Any:
        return self.result(
            reduce(self.array, _dims(dim, self.array.ndim), sympy.Mul, keepdim), self
        )

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is not None:
            raise LiftError("max(dim) cannot be lifted; max() of the whole tensor can")
        return self.result(reduce(self.array, _dims(None, self.array.ndim), sympy.Max, False), self)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is not None:
            raise LiftError("min(dim) cannot be lifted; min() of the whole tensor can")
        return self.result(reduce(self.array, _dims(None, self.array.ndim), sympy.Min, False), self)

    def matmul(self, other: Any) -> Any:
        other = self._operand(other)
        return self.result(matmul_arrays(self.array, other.array), self, other)

    def __matmul__(self, other: Any) -> Any:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Any:
        return self._operand(other).matmul(self)

    def mm(self, other: Any) -> Any:
        return self.matmul(other)

    def mv(self, other: Any) -> Any:
        return self.matmul(other)

    def dot(self, other: Any) -> Any:
        return self.matmul(other)

    def bmm(self, other: Any) -> Any:
        return self.matmul(other)

    def softmax(self, dim: int = -1) -> Any:
        exps = self.exp()
        return exps / exps.sum(dim, keepdim=True)

    def log_softmax(self, dim: int = -1) -> Any:
        return self - self.exp().sum(dim, keepdim=True).log()

    def _view(self, array: np.ndarray) -> Any:
        out = self.result(as_array(array), self)
        out.dtype = self.dtype
        return out

    def reshape(self, *shape: Any) -> Any:
        try:
            return self._view(self.array.reshape(_shape(shape)))
        except ValueError:
            wanted = list(_shape(shape))
            raise RuntimeError(
                f"shape '{wanted}' is invalid for input of size {self.array.size}"
            ) from None

    def view(self, *shape: Any) -> Any:
        return self.reshape(*shape)

    def view_as(self, other: Any) -> Any:
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        shape = self.array.shape
        if not shape:
            return self.reshape(1)
        start, end = start_dim % len(shape), end_dim % len(shape)
        return self.reshape(*shape[:start], math.prod(shape[start : end + 1]), *shape[end + 1 :])

    def t(self) -> Any:
        if self.array.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.array.ndim}D"
            )
        return self._view(self.array.T)

    @property
    def T(self) -> Any:  # noqa: N802  (torch's name)
        return self._view(self.array.T)

    @property
    def mT(self) -> Any:  # noqa: N802
        return self.transpose(-2, -1)

    def transpose(self, dim0: int, dim1: int) -> Any:
        return self._view(np.swapaxes(self.array, dim0, dim1))

    def permute(self, *dims: Any) -> Any:
        return self._view(np.transpose(self.array, _shape(dims)))

    def unsqueeze(self, dim: int) -> Any:
        return self._view(np.expand_dims(self.array, dim % (self.array.ndim + 1)))

    def squeeze(self, dim: Any = None) -> Any:
        if dim is None:
            return self._view(self.array.squeeze())
        dims = tuple(d for d in _dims(dim, self.array.ndim) if self.array.shape[d] == 1)
        return self._view(self.array.squeeze(dims) if dims else self.array)

    def expand(self, *sizes: Any) -> Any:
        shape = _shape(sizes)
        padded = (1,) * (len(shape) - self.array.ndim) + self.array.shape
        target = tuple(p if s == -1 else s for p, s in zip(padded, shape, strict=True))
        check_size(math.prod(target))
        return self._view(np.broadcast_to(self.array, target).copy())

    def expand_as(self, other: Any) -> Any:
        return self.expand(*other.shape)

    def repeat(self, *sizes: Any) -> Any:
        shape = _shape(sizes)
        check_size(self.array.size * math.prod(shape))
        return self._view(np.tile(self.array, shape))

    def clone(self) -> Any:
        out = self._view(self.array.copy())
        out.form = getattr(self, "form", None)
        return out

    def contiguous(self) -> Any:
        return self

    def _cast(self, dtype: Any) -> Any:
        out = self.clone()
        out.dtype = dtype
        return out

    def float(self) -> Any:
        return self._cast(float32)

    def double(self) -> Any:
        return self._cast(float64)

    def long(self) -> Any:
        if self.requires_grad:  # type: ignore[attr-defined]
            raise LiftError("converting a tensor that requires grad to integers cannot be lifted")
        return self._cast(int64)

    def to(self, *args: Any, **kwargs: Any) -> Any:
        dtype = kwargs.get(
            "dtype", next((a for a in args if hasattr(a, "is_floating_point")), None)
        )
        return self if dtype is None else self._cast(dtype)

    def numpy(self) -> Any:
        if self.requires_grad:  # type: ignore[attr-defined]
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self.ctx.evaluate(self.array).astype(np.float32)

    def element_size(self) -> int:
        return 4
