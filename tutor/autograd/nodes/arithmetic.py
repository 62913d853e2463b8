"""Provides the backward nodes of arithmetic: add, sub, mul, div, neg, pow, reciprocal."""

from __future__ import annotations

import numpy as np

from ..node import Node, check_output_version, check_version, fit

_multiply = np.multiply


class AddBackward0(Node):
    """f(a, b) = a + b;  ∂f/∂a = 1,  ∂f/∂b = 1 (each summed back over broadcast dimensions)."""

    __slots__ = ("_ma", "_mb")

    def apply(self, grad):
        (fa, _), (fb, _) = self.next_functions
        return (
            None if fa is None else fit(grad, self._ma),
            None if fb is None else fit(grad, self._mb),
        )


class SubBackward0(Node):
    """f(a, b) = a − b;  ∂f/∂a = 1,  ∂f/∂b = −1."""

    __slots__ = ("_ma", "_mb")

    def apply(self, grad):
        (fa, _), (fb, _) = self.next_functions
        return (
            None if fa is None else fit(grad, self._ma),
            None if fb is None else fit(-grad, self._mb),
        )


class RsubBackward1(Node):
    """f(a) = c − a for a number c;  ∂f/∂a = −1."""

    __slots__ = ("_ma",)

    def apply(self, grad):
        return (fit(-grad, self._ma),)


class MulBackward0(Node):
    """f(a, b) = a·b;  ∂f/∂a = b,  ∂f/∂b = a."""

    __slots__ = ("_ma", "_mb")

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, b, vb = saved
        (fa, _), (fb, _) = self.next_functions
        ga = gb = None
        if fa is not None:
            if vb is not None:
                b = b._data if b._version[0] == vb else check_version(b, vb)
            ga = _multiply(grad, b)
            if self._ma is not None:
                ga = fit(ga, self._ma)
        if fb is not None:
            gb = _multiply(grad, a._data if a._version[0] == va else check_version(a, va))
            if self._mb is not None:
                gb = fit(gb, self._mb)
        return ga, gb


class DivBackward0(Node):
    """f(a, b) = a / b;  ∂f/∂a = 1/b,  ∂f/∂b = −a/b²."""

    __slots__ = ("_ma", "_mb")

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, b, vb = saved
        (fa, _), (fb, _) = self.next_functions
        bd = b if vb is None else check_version(b, vb)
        ga = gb = None
        if fa is not None:
            ga = fit(grad / bd, self._ma)
        if fb is not None:
            gb = fit(-grad * check_version(a, va) / (bd * bd), self._mb)
        return ga, gb


class NegBackward0(Node):
    """f(a) = −a;  ∂f/∂a = −1."""

    __slots__ = ()

    def apply(self, grad):
        return (-grad,)


class ReciprocalBackward0(Node):
    """f(a) = 1/a;  ∂f/∂a = −1/a² = −f²."""

    __slots__ = ()

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        result, counter, version = saved
        check_output_version(self, result, counter, version)
        return (-grad * (result * result),)


class PowBackward0(Node):
    """f(a) = aᵖ for a number p;  ∂f/∂a = p·aᵖ⁻¹ (0 when p = 0)."""

    __slots__ = ()

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, p = saved
        data = check_version(a, va)
        if p == 0:
            return (np.zeros_like(grad),)
        return ((grad * (p * data ** (p - 1))).astype(data.dtype, copy=False),)


class PowBackward1(Node):
    """f(a, b) = aᵇ;  ∂f/∂a = b·aᵇ⁻¹,  ∂f/∂b = aᵇ·ln a (0 where a = 0 and b ≥ 0)."""

    __slots__ = ("_ma", "_mb")

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, b, vb, result, counter, version = saved
        (fa, _), (fb, _) = self.next_functions
        ad, bd = check_version(a, va), check_version(b, vb)
        ga = gb = None
        if fa is not None:
            ga = fit(grad * (bd * ad ** (bd - 1)), self._ma)
        if fb is not None:
            check_output_version(self, result, counter, version)
            with np.errstate(divide="ignore", invalid="ignore"):
                local = np.where((ad == 0) & (bd >= 0), 0, result * np.log(ad))
            gb = fit(grad * local, self._mb)
        return ga, gb


class PowBackward2(Node):
    """f(b) = cᵇ for a number c;  ∂f/∂b = cᵇ·ln c."""

    __slots__ = ()

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        base, result, counter, version = saved
        check_output_version(self, result, counter, version)
        if base == 0:
            return (np.zeros_like(grad),)
        return ((grad * (result * np.log(base))).astype(result.dtype, copy=False),)
