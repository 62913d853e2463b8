"""Provides the backward nodes of elementwise functions: exp, log, sqrt, abs, sin, cos, …"""

from __future__ import annotations

import numpy as np

from ..node import Node, check_output_version, check_version


class _SavesInput(Node):
    __slots__ = ()

    def _input(self) -> np.ndarray:
        saved = self._saved
        if saved is None:
            raise self._freed()
        return check_version(*saved)


class _SavesResult(Node):
    __slots__ = ()

    def _result(self) -> np.ndarray:
        saved = self._saved
        if saved is None:
            raise self._freed()
        check_output_version(self, *saved)
        return saved[0]


class ExpBackward0(_SavesResult):
    """f(a) = eᵃ;  ∂f/∂a = eᵃ = f."""

    __slots__ = ()

    def apply(self, grad):
        return (grad * self._result(),)


class LogBackward0(_SavesInput):
    """f(a) = ln a;  ∂f/∂a = 1/a."""

    __slots__ = ()

    def apply(self, grad):
        return (grad / self._input(),)


class SqrtBackward0(_SavesResult):
    """f(a) = √a;  ∂f/∂a = 1/(2√a) = 1/(2f)."""

    __slots__ = ()

    def apply(self, grad):
        return (grad / (2 * self._result()),)


class AbsBackward0(_SavesInput):
    """f(a) = |a|;  ∂f/∂a = sign(a) (0 at 0)."""

    __slots__ = ()

    def apply(self, grad):
        return (grad * np.sign(self._input()),)


class SinBackward0(_SavesInput):
    """f(a) = sin a;  ∂f/∂a = cos a."""

    __slots__ = ()

    def apply(self, grad):
        return (grad * np.cos(self._input()),)


class CosBackward0(_SavesInput):
    """f(a) = cos a;  ∂f/∂a = −sin a."""

    __slots__ = ()

    def apply(self, grad):
        return (grad * -np.sin(self._input()),)


class ReluBackward0(_SavesResult):
    """f(a) = max(a, 0);  ∂f/∂a = 1 where f > 0, else 0."""

    __slots__ = ()

    def apply(self, grad):
        result = self._result()
        return (grad * (result > 0).astype(result.dtype),)


class SigmoidBackward0(_SavesResult):
    """f(a) = 1/(1 + e⁻ᵃ);  ∂f/∂a = f·(1 − f)."""

    __slots__ = ()

    def apply(self, grad):
        result = self._result()
        return (grad * (result * (1 - result)),)


class TanhBackward0(_SavesResult):
    """f(a) = tanh a;  ∂f/∂a = 1 − f²."""

    __slots__ = ()

    def apply(self, grad):
        result = self._result()
        return (grad * (1 - result * result),)


class ToCopyBackward0(Node):
    """f(a) = a converted to another dtype;  ∂L/∂a = the gradient converted back."""

    __slots__ = ("_dtype",)

    def apply(self, grad):
        return (grad.astype(self._dtype),)


class CloneBackward0(Node):
    """f(a) = a (a copy);  ∂f/∂a = 1."""

    __slots__ = ()

    def apply(self, grad):
        return (grad,)


class ClampBackward1(_SavesInput):
    """f(a) = min(max(a, lo), hi) for numbers lo, hi;  ∂f/∂a = 1 where lo ≤ a ≤ hi, else 0."""

    __slots__ = ("_min", "_max")

    def apply(self, grad):
        a = self._input()
        low, high = self._min, self._max
        if low is None:
            inside = a <= high
        elif high is None:
            inside = a >= low
        else:
            inside = (a >= low) & (a <= high)
        return (np.where(inside, grad, grad.dtype.type(0)),)
