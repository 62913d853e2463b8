"""Provides the division and power methods of Tensor: / and ** with numbers on either side."""

from __future__ import annotations

import numpy as np

from . import errors
from .grad_mode import GRAD_MODE
from .node import meta_of, next_seq
from .nodes.arithmetic import (
    DivBackward0,
    PowBackward0,
    PowBackward1,
    PowBackward2,
    ReciprocalBackward0,
)
from .operands import NUMBER_TYPES, broadcast_error, cast_pair, scalar_value, set_metas, with_scalar
from .tensor_core import NO_EDGE, TensorCore, result

_new = object.__new__


class DivisionMixin:
    """`a / b`, `1 / a`, `a ** b`: true division gives floats; integer powers stay integers."""

    __slots__ = ()

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
                set_metas(fn, self._data, other._data, data)
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
                set_metas(fn, self._data, other._data, data)
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
