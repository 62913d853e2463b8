"""Provides the additive and multiplicative methods of Tensor: + − × and their reflected forms."""

from __future__ import annotations

import numpy as np

from . import errors
from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.arithmetic import AddBackward0, MulBackward0, NegBackward0, RsubBackward1, SubBackward0
from .operands import NUMBER_TYPES, broadcast_error, cast_pair, scalar_operands, set_metas
from .tensor_core import NO_EDGE, TensorCore, result

_new = object.__new__
_add, _subtract, _multiply = np.add, np.subtract, np.multiply


def _unary_meta(a: np.ndarray, out: np.ndarray) -> tuple | None:
    """`tensor ∘ number` keeps the tensor's shape: only a changed dtype needs mapping back."""
    return None if a.dtype is out.dtype else (a.shape, a.dtype)


def _binary(self, other, ufunc, node_class, *, saves: bool):
    """`self ∘ other` for a tensor or a Python number `other`, recording `node_class` when a
    gradient is wanted; `saves` keeps the operands (and their versions) for backward."""
    a = self._data
    if isinstance(other, TensorCore):
        b = other._data
        if a.dtype is not b.dtype:
            a, b = cast_pair(a, b)
        try:
            data = ufunc(a, b)
        except ValueError:
            raise broadcast_error(a, b) from None
        if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
            fn = _new(node_class)
            fn.next_functions = (self._edge, other._edge)
            fn._seq = next_seq()
            set_metas(fn, self._data, other._data, data)
            if saves:
                fn._saved = (self, self._version[0], other, other._version[0])
            return result(type(self), data, fn)
        return result(type(self), data, None)
    if not isinstance(other, NUMBER_TYPES):
        return NotImplemented
    converted, number = scalar_operands(a, other)
    data = ufunc(converted, number)
    if GRAD_MODE.enabled and self._requires_grad:
        fn = _new(node_class)
        fn.next_functions = (self._edge, NO_EDGE)
        fn._seq = next_seq()
        fn._ma = _unary_meta(a, data)
        fn._mb = None
        if saves:
            fn._saved = (None, 0, number, None)
        return result(type(self), data, fn)
    return result(type(self), data, None)


class ArithmeticMixin:
    """`a + b`, `a - b`, `a * b`, `-a`, with numbers on either side."""

    __slots__ = ()

    def __add__(self, other):
        return _binary(self, other, _add, AddBackward0, saves=False)

    __radd__ = __add__

    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else other * alpha)

    def __sub__(self, other):
        return _binary(self, other, _subtract, SubBackward0, saves=False)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else other * alpha)

    def __rsub__(self, other):
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        a = self._data
        converted, number = scalar_operands(a, other)
        data = _subtract(number, converted)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(RsubBackward1)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._ma = _unary_meta(a, data)
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def __mul__(self, other):
        return _binary(self, other, _multiply, MulBackward0, saves=True)

    __rmul__ = __mul__

    def mul(self, other):
        return self * other

    def __neg__(self):
        a = self._data
        if a.dtype.kind == "b":
            raise RuntimeError(errors.BOOL_NEG)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(NegBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            return result(type(self), -a, fn)
        return result(type(self), -a, None)

    def neg(self):
        return -self

    def __pos__(self):
        return self
