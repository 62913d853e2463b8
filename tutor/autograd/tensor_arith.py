"""Provides the arithmetic methods of Tensor: + − × ÷ ** and their reflected forms."""

from __future__ import annotations

import numpy as np

from . import errors
from .grad_mode import GRAD_MODE
from .node import meta_of, next_seq
from .nodes.arithmetic import (
    AddBackward0,
    DivBackward0,
    MulBackward0,
    NegBackward0,
    PowBackward0,
    PowBackward1,
    PowBackward2,
    ReciprocalBackward0,
    RsubBackward1,
    SubBackward0,
)
from .operands import NUMBER_TYPES, broadcast_error, cast_pair, scalar_value, with_scalar
from .tensor_core import NO_EDGE, TensorCore, result

_new = object.__new__


def _metas(fn, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    if a.dtype is b.dtype:
        fn._ma = meta_of(a, out)
        fn._mb = meta_of(b, out)
    else:  # mixed dtypes: always cast each gradient back to its input's dtype
        fn._ma = (a.shape, a.dtype)
        fn._mb = (b.shape, b.dtype)


class ArithmeticMixin:
    """`a + b`, `a - b`, `a * b`, `a / b`, `a ** b`, `-a`, with numbers on either side."""

    __slots__ = ()

    def __add__(self, other):
        a = self._data
        if isinstance(other, TensorCore):
            b = other._data
            if a.dtype is not b.dtype:
                a, b = cast_pair(a, b)
            try:
                data = a + b
            except ValueError:
                raise broadcast_error(a, b) from None
            if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
                fn = _new(AddBackward0)
                fn.next_functions = (self._edge, other._edge)
                fn._seq = next_seq()
                _metas(fn, self._data, other._data, data)
                return result(type(self), data, fn)
            return result(type(self), data, None)
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        data = with_scalar(a, other) + other
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(AddBackward0)
            fn.next_functions = (self._edge, NO_EDGE)
            fn._seq = next_seq()
            fn._ma = meta_of(a, data)
            fn._mb = None
            return result(type(self), data, fn)
        return result(type(self), data, None)

    __radd__ = __add__

    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else other * alpha)

    def __sub__(self, other):
        a = self._data
        if isinstance(other, TensorCore):
            b = other._data
            if a.dtype is not b.dtype:
                a, b = cast_pair(a, b)
            try:
                data = a - b
            except ValueError:
                raise broadcast_error(a, b) from None
            if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
                fn = _new(SubBackward0)
                fn.next_functions = (self._edge, other._edge)
                fn._seq = next_seq()
                _metas(fn, self._data, other._data, data)
                return result(type(self), data, fn)
            return result(type(self), data, None)
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        data = with_scalar(a, other) - other
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(SubBackward0)
            fn.next_functions = (self._edge, NO_EDGE)
            fn._seq = next_seq()
            fn._ma = meta_of(a, data)
            fn._mb = None
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else other * alpha)

    def __rsub__(self, other):
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        a = self._data
        data = other - with_scalar(a, other)
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(RsubBackward1)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._ma = meta_of(a, data)
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def __mul__(self, other):
        a = self._data
        if isinstance(other, TensorCore):
            b = other._data
            if a.dtype is not b.dtype:
                a, b = cast_pair(a, b)
            try:
                data = a * b
            except ValueError:
                raise broadcast_error(a, b) from None
            if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
                fn = _new(MulBackward0)
                fn.next_functions = (self._edge, other._edge)
                fn._seq = next_seq()
                _metas(fn, self._data, other._data, data)
                fn._saved = (self, self._version[0], other, other._version[0])
                return result(type(self), data, fn)
            return result(type(self), data, None)
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        data = with_scalar(a, other) * other
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(MulBackward0)
            fn.next_functions = (self._edge, NO_EDGE)
            fn._seq = next_seq()
            fn._ma = meta_of(a, data)
            fn._mb = None
            fn._saved = (None, 0, other, None)
            return result(type(self), data, fn)
        return result(type(self), data, None)

    __rmul__ = __mul__

    def mul(self, other):
        return self * other

    def __truediv__(self, other):
        a = self._data
        if isinstance(other, TensorCore):
            b = other._data
            if a.dtype is not b.dtype:
                a, b = cast_pair(a, b)
            if a.dtype.kind != "f":
                a, b = a.astype(np.float32), b.astype(np.float32)
            try:
                with np.errstate(divide="ignore", invalid="ignore"):
                    data = a / b
            except ValueError:
                raise broadcast_error(a, b) from None
            if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
                fn = _new(DivBackward0)
                fn.next_functions = (self._edge, other._edge)
                fn._seq = next_seq()
                _metas(fn, self._data, other._data, data)
                fn._saved = (self, self._version[0], other, other._version[0])
                return result(type(self), data, fn)
            return result(type(self), data, None)
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        if a.dtype.kind != "f":
            a = a.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            data = a / other
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(DivBackward0)
            fn.next_functions = (self._edge, NO_EDGE)
            fn._seq = next_seq()
            fn._ma = meta_of(self._data, data)
            fn._mb = None
            fn._saved = (None, 0, other, None)
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def div(self, other):
        return self / other

    def __rtruediv__(self, other):
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        return self.reciprocal() * other

    def reciprocal(self):
        """1/a, elementwise (integers give float32)."""
        a = self._data
        if a.dtype.kind != "f":
            a = a.astype(np.float32)
        with np.errstate(divide="ignore"):
            data = 1 / a
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(ReciprocalBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            out = result(type(self), data, fn)
            fn._saved = (data, out._version, 0)
            return out
        return result(type(self), data, None)

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

    def __pow__(self, other):
        a = self._data
        if isinstance(other, TensorCore):
            b = other._data
            if a.dtype is not b.dtype:
                a, b = cast_pair(a, b)
            _check_int_power(a, b)
            try:
                with np.errstate(all="ignore"):
                    data = a**b
            except ValueError:
                raise broadcast_error(a, b) from None
            if GRAD_MODE.enabled and (self._requires_grad or other._requires_grad):
                fn = _new(PowBackward1)
                fn.next_functions = (self._edge, other._edge)
                fn._seq = next_seq()
                _metas(fn, self._data, other._data, data)
                out = result(type(self), data, fn)
                saved = (self, self._version[0], other, other._version[0], data, out._version, 0)
                fn._saved = saved
                return out
            return result(type(self), data, None)
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        a = with_scalar(a, other)
        _check_int_power(a, other)
        with np.errstate(all="ignore"):
            data = a**other
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(PowBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._saved = (self, self._version[0], other)
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def pow(self, exponent):
        return self**exponent

    def __rpow__(self, other):
        if not isinstance(other, NUMBER_TYPES):
            return NotImplemented
        other = scalar_value(other)
        b = with_scalar(self._data, other)
        _check_int_power(np.asarray(other), b)
        with np.errstate(all="ignore"):
            data = np.asarray(np.power(np.asarray(other, dtype=b.dtype), b))
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(PowBackward2)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            out = result(type(self), data, fn)
            fn._saved = (other, data, out._version, 0)
            return out
        return result(type(self), data, None)


def _check_int_power(base: np.ndarray | object, exponent: np.ndarray | object) -> None:
    base_kind = base.dtype.kind if isinstance(base, np.ndarray) else "f"
    if base_kind not in "iu":
        return
    if isinstance(exponent, np.ndarray):
        negative = exponent.dtype.kind in "iu" and bool((exponent < 0).any())
    else:
        negative = isinstance(exponent, int) and exponent < 0
    if negative:
        raise RuntimeError(errors.NEGATIVE_INT_POWER)
