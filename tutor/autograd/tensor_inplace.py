"""Provides the in-place methods of Tensor (add_, sub_, mul_, zero_, +=, []=) and comparisons."""

from __future__ import annotations

import numpy as np

from . import errors
from .grad_mode import GRAD_MODE
from .node import meta_of, next_seq
from .nodes.arithmetic import AddBackward0, MulBackward0, SubBackward0
from .nodes.shape import CopySlices, FillBackward2, ZeroBackward0
from .operands import (
    NUMBER_TYPES,
    in_place_dtype_check,
    output_shape_error,
    scalar_value,
)
from .tensor_core import NO_EDGE, TensorCore, check_in_place, result
from .tensor_shape import _numpy_index

_new = object.__new__


class InPlaceMixin:
    """In-place updates: PyTorch's leaf checks, a version bump, and a new grad_fn when recording."""

    __slots__ = ()

    def _in_place(self, other, ufunc, cls: type, alpha=1):
        check_in_place(self)
        if isinstance(other, TensorCore):
            b = other._data
        elif isinstance(other, NUMBER_TYPES):
            b = other = scalar_value(other)
        else:
            return NotImplemented
        in_place_dtype_check(self._data, other)
        if alpha != 1:
            b = b * alpha
        a = self._data
        original = self.detach().clone() if cls is MulBackward0 else None
        try:
            ufunc(a, b, out=a, casting="unsafe")
        except ValueError:
            raise output_shape_error(a, np.asarray(b)) from None
        self._version[0] += 1
        other_grad = isinstance(other, TensorCore) and other._requires_grad
        if GRAD_MODE.enabled and (self._requires_grad or other_grad):
            fn = _new(cls)
            fn.next_functions = (
                self._edge,
                other._edge if isinstance(other, TensorCore) else NO_EDGE,
            )
            fn._seq = next_seq()
            fn._ma = None
            fn._mb = meta_of(np.asarray(b), a) if isinstance(other, TensorCore) else None
            if cls is MulBackward0:
                if isinstance(other, TensorCore):
                    fn._saved = (original, 0, other, other._version[0])
                else:
                    fn._saved = (None, 0, other, None)
            self.grad_fn = fn
            self._requires_grad = True
            self._edge = (fn, 0)
        return self

    def add_(self, other, alpha=1):
        return self._in_place(other, np.add, AddBackward0, alpha)

    def sub_(self, other, alpha=1):
        return self._in_place(other, np.subtract, SubBackward0, alpha)

    def mul_(self, other):
        return self._in_place(other, np.multiply, MulBackward0)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_

    def zero_(self):
        """Sets every element to 0, in place; the old values no longer affect anything."""
        return self._overwrite(0, ZeroBackward0)

    def fill_(self, value):
        """Sets every element to the number `value`, in place."""
        return self._overwrite(value, FillBackward2)

    def _overwrite(self, value, cls: type):
        check_in_place(self)
        self._data[...] = value
        self._version[0] += 1
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(cls)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            self.grad_fn = fn
            self._edge = (fn, 0)
        return self

    def __setitem__(self, index, value) -> None:
        items = index if isinstance(index, tuple) else (index,)
        basic = not any(isinstance(i, list | np.ndarray | TensorCore) for i in items)
        if basic and GRAD_MODE.enabled and self._requires_grad and self.grad_fn is None:
            # PyTorch writes through a view of the leaf, so it names the view.
            raise RuntimeError(errors.VIEW_OF_LEAF_IN_PLACE)
        check_in_place(self)
        where = tuple(_numpy_index(i) for i in items)
        where = where[0] if len(where) == 1 else where
        value_data = value._data if isinstance(value, TensorCore) else value
        try:
            self._data[where] = value_data
        except IndexError as exc:
            raise IndexError(str(exc)) from None
        self._version[0] += 1
        value_grad = isinstance(value, TensorCore) and value._requires_grad
        if GRAD_MODE.enabled and (self._requires_grad or value_grad):
            fn = _new(CopySlices)
            value_edge = value._edge if isinstance(value, TensorCore) else NO_EDGE
            fn.next_functions = (self._edge, value_edge)
            fn._seq = next_seq()
            fn._saved = where
            fn._value_shape = np.shape(value_data)
            self.grad_fn = fn
            self._requires_grad = True
            self._edge = (fn, 0)

    # ----- comparisons: boolean results, never part of the graph -----
    def _compare(self, other, ufunc):
        b = other._data if isinstance(other, TensorCore) else other
        return result(type(self), np.asarray(ufunc(self._data, b)), None)

    def __eq__(self, other):  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other):  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def eq(self, other):
        return self == other

    def __hash__(self) -> int:
        return id(self)
