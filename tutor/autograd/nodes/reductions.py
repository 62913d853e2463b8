"""Provides the backward nodes of reductions: sum, mean, max, softmax, log_softmax, mse_loss."""

from __future__ import annotations

import numpy as np

from ..node import ONE, Node, check_output_version, check_version, fit

# backward() of a sum starts from ONE: small arrays of ones, by (dtype, shape), are made once
# (numpy multiplies a contiguous array much faster than a stride-0 view of a scalar).
_ONES_OF: dict[tuple, np.ndarray] = {}
_ONES = frozenset(id(one) for one in ONE.values())
_SMALL = 4096


def _expand(grad: np.ndarray, dims: tuple[int, ...], keepdim: bool, shape: tuple) -> np.ndarray:
    """The gradient of a reduction over `dims`, broadcast back over them (read-only view)."""
    if not keepdim:
        grad = np.expand_dims(grad, dims)
    return np.broadcast_to(grad, shape)


def spread(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """A 0-d gradient seen as an array of `shape` without copying (what np.broadcast_to gives)."""
    if not grad.flags.c_contiguous:
        grad = grad.copy()
    return np.ndarray(shape, grad.dtype, grad, 0, (0,) * len(shape))


class SumBackward0(Node):
    """f(a) = Σᵢ aᵢ;  ∂f/∂aᵢ = 1."""

    __slots__ = ("_shape",)

    def apply(self, grad):
        if id(grad) in _ONES:
            key = (grad.dtype, self._shape)
            ones = _ONES_OF.get(key)
            if ones is not None:
                return (ones,)
            if len(_ONES_OF) < 64 and np.prod(self._shape) <= _SMALL:
                ones = np.ones(self._shape, dtype=grad.dtype)
                ones.flags.writeable = False
                _ONES_OF[key] = ones
                return (ones,)
        return (spread(grad, self._shape),)


class SumBackward1(Node):
    """f(a) = Σ over `dim` of a;  ∂f/∂a = 1, spread back over the summed dimensions."""

    __slots__ = ("_shape", "_dims", "_keepdim")

    def apply(self, grad):
        return (_expand(grad, self._dims, self._keepdim, self._shape),)


class MeanBackward0(Node):
    """f(a) = (1/N)·Σᵢ aᵢ;  ∂f/∂aᵢ = 1/N."""

    __slots__ = ("_shape", "_count")

    def apply(self, grad):
        return (spread(grad / self._count, self._shape),)


class MeanBackward1(Node):
    """f(a) = mean over `dim` of a;  ∂f/∂a = 1/N, N the number of elements averaged."""

    __slots__ = ("_shape", "_dims", "_keepdim", "_count")

    def apply(self, grad):
        return (_expand(grad / self._count, self._dims, self._keepdim, self._shape),)


class MaxBackward1(Node):
    """f(a) = max a;  ∂f/∂aᵢ = 1/k where aᵢ is one of the k largest (ties share), else 0."""

    __slots__ = ()

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, version, top = saved
        data = check_version(a, version)
        mask = data == top
        return (grad * mask / mask.sum(dtype=data.dtype),)


class MaxBackward0(Node):
    """f(a) = max of a along `dim`;  ∂f/∂a = 1 at the index chosen, 0 elsewhere."""

    __slots__ = ("_shape", "_dim", "_keepdim")

    def apply(self, grad):
        indices = self._saved
        if indices is None:
            raise self._freed()
        if not self._keepdim:
            grad = np.expand_dims(grad, self._dim)
            indices = np.expand_dims(indices, self._dim)
        out = np.zeros(self._shape, dtype=grad.dtype)
        np.put_along_axis(out, indices, grad, self._dim)
        return (out,)


class SoftmaxBackward0(Node):
    """f(a) = eᵃ / Σ eᵃ along `dim`;  ∂L/∂a = f·(g − Σ g·f)."""

    __slots__ = ("_dim",)

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        check_output_version(self, *saved)
        out = saved[0]
        return (out * (grad - (grad * out).sum(axis=self._dim, keepdims=True)),)


class LogSoftmaxBackward0(Node):
    """f(a) = a − log Σ eᵃ along `dim`;  ∂L/∂a = g − e^f·Σ g."""

    __slots__ = ("_dim",)

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        check_output_version(self, *saved)
        return (grad - np.exp(saved[0]) * grad.sum(axis=self._dim, keepdims=True),)


class MseLossBackward0(Node):
    """f(a, t) = mean((a − t)²);  ∂f/∂a = 2(a − t)/N,  ∂f/∂t = −2(a − t)/N."""

    __slots__ = ("_reduction", "_ma", "_mb")

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, t, vt = saved
        diff = check_version(a, va) - check_version(t, vt)
        local = 2 * diff
        if self._reduction == "mean":
            local = local / diff.size
        g = grad * local
        (fa, _), (ft, _) = self.next_functions
        return (
            None if fa is None else fit(g, self._ma),
            None if ft is None else fit(-g, self._mb),
        )
