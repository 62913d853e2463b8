"""Provides `TensorCore`: a tensor's storage, autograd state, conversions and printing."""

from __future__ import annotations

import numpy as np

from . import errors
from .dtypes import BY_NUMPY, F32
from .grad_mode import GRAD_MODE
from .node import RETAINS, AccumulateGrad
from .size import Size

_new = object.__new__
NO_EDGE = (None, 0)


class TensorCore:
    """The state every tensor carries; the op families are mixed in by `tensor.Tensor`.

    `_data` is the numpy array; `_version` a one-element list shared with views and
    `detach()` results, bumped by every in-place change.
    """

    __slots__ = (
        "_data",
        "_requires_grad",
        "grad_fn",
        "grad",
        "_version",
        "_edge",
        "_base",
        "__weakref__",
    )
    __array_priority__ = 1000

    def __init__(self, *args: object) -> None:
        from .convert import to_array

        if len(args) == 1 and not isinstance(args[0], int):
            data = to_array(args[0], F32)
        else:
            data = np.zeros(tuple(int(n) for n in args), dtype=F32)  # type: ignore[call-overload]
        init(self, data, None)

    # ----- autograd state -----
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True):
        """Marks a leaf as needing gradients (floating point only)."""
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(errors.NON_LEAF_REQUIRES_GRAD)
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(errors.SET_REQUIRES_GRAD)
        if requires_grad and not self._requires_grad:
            self._edge = (AccumulateGrad(self), 0)
        elif not requires_grad:
            self._edge = NO_EDGE
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def retains_grad(self) -> bool:
        fn = self.grad_fn
        return fn is not None and RETAINS.get(fn) is self

    def retain_grad(self) -> None:
        """Keeps `.grad` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            RETAINS[self.grad_fn] = self

    def detach(self):
        """A tensor sharing this one's memory and version counter, outside the graph."""
        out = _new(type(self))
        init(out, self._data, None)
        out._version = self._version
        return out

    def detach_(self):
        """Makes this tensor a leaf that does not require grad, in place."""
        self.grad_fn = None
        self._requires_grad = False
        self._edge = NO_EDGE
        return self

    @property
    def data(self):
        out = _new(type(self))
        init(out, self._data, None)
        return out

    @data.setter
    def data(self, value) -> None:
        self._data = value._data

    def _grad_tensor(self, data: np.ndarray):
        return result(type(self), data, None)

    # ----- metadata -----
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape, or the length of one dimension."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[self._dim(dim)]

    def dim(self) -> int:
        return self._data.ndim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    @property
    def dtype(self):
        return BY_NUMPY[self._data.dtype]

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def _dim(self, dim: int) -> int:
        ndim = self._data.ndim
        span = max(ndim, 1)
        if not -span <= dim < span:
            raise errors.dim_out_of_range(dim, ndim)
        return dim % span

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    # ----- conversions -----
    def numpy(self) -> np.ndarray:
        """The data as a numpy array sharing memory with the tensor."""
        if self._requires_grad and GRAD_MODE.enabled:
            raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
        return self._data.view()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def item(self):
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
                if self._data.size
                else "Boolean value of Tensor with no values is ambiguous"
            )
        return bool(self._data.item())

    def __hash__(self) -> int:
        return id(self)

    # ----- printing -----
    def __repr__(self) -> str:
        from .printing import format_tensor

        fn = self.grad_fn
        return format_tensor(
            self._data,
            dtype=str(self._data.dtype),
            grad_fn=None if fn is None else type(fn).__name__,
            requires_grad=self._requires_grad and fn is None,
        )

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        return format(repr(self), spec)


def init(t: TensorCore, data: np.ndarray, fn: object) -> None:
    """Fills in a fresh tensor: `fn` is its grad_fn (None for a leaf)."""
    t._data = data
    t._requires_grad = fn is not None
    t.grad_fn = fn
    t.grad = None
    t._version = [0]
    t._edge = NO_EDGE if fn is None else (fn, 0)
    t._base = None


def result(cls: type, data: np.ndarray, fn: object):
    """A new tensor of class `cls` holding `data`, produced by node `fn` (or None)."""
    t = _new(cls)
    t._data = data
    t._requires_grad = fn is not None
    t.grad_fn = fn
    t.grad = None
    t._version = [0]
    t._edge = NO_EDGE if fn is None else (fn, 0)
    t._base = None
    return t


def edge(t: TensorCore) -> tuple:
    """Where a gradient for `t` goes: its grad_fn, its leaf's AccumulateGrad, or nowhere."""
    return t._edge


def check_in_place(t: TensorCore) -> None:
    """PyTorch's refusal to modify a leaf (or a view of one) that requires grad, when recording."""
    if GRAD_MODE.enabled:
        if t._requires_grad and t.grad_fn is None:
            raise RuntimeError(errors.LEAF_IN_PLACE)
        base = t._base
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError(errors.VIEW_OF_LEAF_IN_PLACE)
