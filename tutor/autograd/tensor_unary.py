"""Provides the elementwise methods of Tensor: exp, log, sqrt, abs, sin, cos, relu, sigmoid, tanh."""

from __future__ import annotations

import numpy as np

from .dtypes import bool_, float32, float64, int64, promote_scalar, to_numpy_dtype
from .grad_mode import GRAD_MODE
from .node import next_seq
from .nodes.unary import (
    AbsBackward0,
    ClampBackward1,
    CloneBackward0,
    CosBackward0,
    ExpBackward0,
    LogBackward0,
    ReluBackward0,
    SigmoidBackward0,
    SinBackward0,
    SqrtBackward0,
    TanhBackward0,
    ToCopyBackward0,
)
from .operands import NUMBER_TYPES, scalar_value
from .tensor_core import result

_new = object.__new__


def _floating(a: np.ndarray) -> np.ndarray:
    return a if a.dtype.kind == "f" else a.astype(np.float32)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


class UnaryMixin:
    """Elementwise functions; each saves what its derivative needs (its input or its result)."""

    __slots__ = ()

    def _saving_input(self, data: np.ndarray, cls: type):
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(cls)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._saved = (self, self._version[0])
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def _saving_result(self, data: np.ndarray, cls: type):
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(cls)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            out = result(type(self), data, fn)
            fn._saved = (data, out._version, 0)
            return out
        return result(type(self), data, None)

    def exp(self):
        with np.errstate(over="ignore"):
            return self._saving_result(np.exp(_floating(self._data)), ExpBackward0)

    def log(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._saving_input(np.log(_floating(self._data)), LogBackward0)

    def sqrt(self):
        with np.errstate(invalid="ignore"):
            return self._saving_result(np.sqrt(_floating(self._data)), SqrtBackward0)

    def abs(self):
        return self._saving_input(np.abs(self._data), AbsBackward0)

    __abs__ = abs

    def sin(self):
        return self._saving_input(np.sin(_floating(self._data)), SinBackward0)

    def cos(self):
        return self._saving_input(np.cos(_floating(self._data)), CosBackward0)

    def relu(self):
        a = self._data
        return self._saving_result(np.maximum(a, a.dtype.type(0)), ReluBackward0)

    def sigmoid(self):
        with np.errstate(over="ignore"):
            return self._saving_result(_sigmoid(_floating(self._data)), SigmoidBackward0)

    def tanh(self):
        return self._saving_result(np.tanh(_floating(self._data)), TanhBackward0)

    def clamp(self, min=None, max=None):  # noqa: A002 - PyTorch's argument names
        """Each element limited to [min, max]; either bound may be left out."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        a = self._data
        target = a.dtype
        bounds = []
        for bound in (min, max):
            if bound is not None:
                if not isinstance(bound, NUMBER_TYPES):
                    raise TypeError(
                        "clamp(): min and max must be numbers, not " + type(bound).__name__
                    )
                bound = scalar_value(bound)
                target = promote_scalar(target, bound)
            bounds.append(bound)
        low, high = bounds
        data = a.astype(target)
        if low is not None:
            data = np.maximum(data, target.type(low))
        if high is not None:
            data = np.minimum(data, target.type(high))
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(ClampBackward1)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._saved = (self, self._version[0])
            fn._min, fn._max = low, high
            return result(type(self), data, fn)
        return result(type(self), data, None)

    clip = clamp

    def to(self, dtype):
        """The tensor converted to `dtype` (itself when it already has it)."""
        target = to_numpy_dtype(dtype)
        a = self._data
        if a.dtype is target:
            return self
        data = a.astype(target)
        if GRAD_MODE.enabled and self._requires_grad and target.kind == "f":
            fn = _new(ToCopyBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            fn._dtype = a.dtype
            return result(type(self), data, fn)
        return result(type(self), data, None)

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to(float64)

    def long(self):
        return self.to(int64)

    def bool(self):
        return self.to(bool_)

    def clone(self):
        """A copy in new memory, still connected to the graph."""
        data = self._data.copy()
        if GRAD_MODE.enabled and self._requires_grad:
            fn = _new(CloneBackward0)
            fn.next_functions = (self._edge,)
            fn._seq = next_seq()
            return result(type(self), data, fn)
        return result(type(self), data, None)
