"""Provides the backward nodes of matrix products: mm, mv, dot, addmm."""

from __future__ import annotations

import numpy as np

from ..node import Node, check_version, sum_to


class _Product(Node):
    __slots__ = ()

    def _operands(self) -> tuple[np.ndarray, np.ndarray]:
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, b, vb = saved
        return check_version(a, va), check_version(b, vb)


class MmBackward0(_Product):
    """f(A, B) = A·B;  ∂L/∂A = G·Bᵀ,  ∂L/∂B = Aᵀ·G."""

    __slots__ = ()

    def apply(self, grad):
        a, b = self._operands()
        (fa, _), (fb, _) = self.next_functions
        return (None if fa is None else grad @ b.T, None if fb is None else a.T @ grad)


class MvBackward0(_Product):
    """f(M, v) = M·v;  ∂L/∂M = g vᵀ (outer product),  ∂L/∂v = Mᵀ·g."""

    __slots__ = ()

    def apply(self, grad):
        m, v = self._operands()
        (fm, _), (fv, _) = self.next_functions
        return (None if fm is None else np.outer(grad, v), None if fv is None else m.T @ grad)


class DotBackward0(_Product):
    """f(a, b) = Σᵢ aᵢbᵢ;  ∂f/∂a = b,  ∂f/∂b = a."""

    __slots__ = ()

    def apply(self, grad):
        a, b = self._operands()
        (fa, _), (fb, _) = self.next_functions
        return (None if fa is None else grad * b, None if fb is None else grad * a)


class AddmmBackward0(Node):
    """f(c, A, B) = c + A·B;  ∂L/∂c = G summed to c's shape,  ∂L/∂A = G·Bᵀ,  ∂L/∂B = Aᵀ·G."""

    __slots__ = ("_bias_shape",)

    def apply(self, grad):
        saved = self._saved
        if saved is None:
            raise self._freed()
        a, va, b, vb = saved
        (fc, _), (fa, _), (fb, _) = self.next_functions
        return (
            None if fc is None else sum_to(grad, self._bias_shape),
            None if fa is None else grad @ check_version(b, vb).T,
            None if fb is None else check_version(a, va).T @ grad,
        )
