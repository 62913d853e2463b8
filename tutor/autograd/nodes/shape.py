"""Provides the backward nodes of shape and indexing ops: view, transpose, select, index, cat, …"""

from __future__ import annotations

import numpy as np

from ..node import Node, sum_to


class ViewBackward0(Node):
    """f(a) = a viewed with another shape;  ∂L/∂a = the gradient reshaped back."""

    __slots__ = ("_shape",)

    def apply(self, grad):
        return (grad.reshape(self._shape),)


class UnsafeViewBackward0(ViewBackward0):
    """f(a) = reshape of a copy of a;  ∂L/∂a = the gradient reshaped back."""

    __slots__ = ()


class AliasBackward0(Node):
    """f(a) = a (the same values seen through a new view);  ∂f/∂a = 1."""

    __slots__ = ()

    def apply(self, grad):
        return (grad,)


class TBackward0(Node):
    """f(a) = aᵀ;  ∂L/∂a = (∂L/∂f)ᵀ."""

    __slots__ = ()

    def apply(self, grad):
        return (grad.T,)


class PermuteBackward0(Node):
    """f(a) = a with dimensions reordered;  ∂L/∂a = the gradient with the inverse order."""

    __slots__ = ("_inverse",)

    def apply(self, grad):
        return (grad.transpose(self._inverse),)


class TransposeBackward0(Node):
    """f(a) = a with two dimensions swapped;  ∂L/∂a = the gradient swapped back."""

    __slots__ = ("_dims",)

    def apply(self, grad):
        return (np.swapaxes(grad, *self._dims),)


class SelectBackward0(Node):
    """f(a) = a[index] along `dim`;  ∂L/∂a = zeros with the gradient placed at `index`."""

    __slots__ = ("_shape", "_where")

    def apply(self, grad):
        out = np.zeros(self._shape, dtype=grad.dtype)
        out[self._where] = grad
        return (out,)


class SliceBackward0(SelectBackward0):
    """f(a) = a[start:stop:step] along `dim`;  ∂L/∂a = zeros with the gradient in the slice."""

    __slots__ = ()


class IndexBackward0(Node):
    """f(a) = a[indices];  ∂L/∂a = zeros with the gradient added at each index (repeats add)."""

    __slots__ = ("_shape",)

    def apply(self, grad):
        where = self._saved
        if where is None:
            raise self._freed()
        out = np.zeros(self._shape, dtype=grad.dtype)
        np.add.at(out, where, grad)
        return (out,)


class UnsqueezeBackward0(Node):
    """f(a) = a with a new dimension of size 1;  ∂L/∂a = the gradient with it removed."""

    __slots__ = ("_shape",)

    def apply(self, grad):
        return (grad.reshape(self._shape),)


class SqueezeBackward0(UnsqueezeBackward0):
    """f(a) = a without its size-1 dimensions;  ∂L/∂a = the gradient reshaped back."""

    __slots__ = ()


class SqueezeBackward1(UnsqueezeBackward0):
    """f(a) = a without size-1 dimension `dim`;  ∂L/∂a = the gradient reshaped back."""

    __slots__ = ()


class SqueezeBackward4(UnsqueezeBackward0):
    """f(a) = a without the size-1 dimension matmul added;  ∂L/∂a = the gradient reshaped back."""

    __slots__ = ()


class ExpandBackward0(Node):
    """f(a) = a broadcast to a bigger shape;  ∂L/∂a = the gradient summed back to a's shape."""

    __slots__ = ("_shape",)

    def apply(self, grad):
        return (sum_to(grad, self._shape),)


class CatBackward0(Node):
    """f(a₁, …, aₙ) = concatenation along `dim`;  ∂L/∂aᵢ = aᵢ's piece of the gradient."""

    __slots__ = ("_dim", "_bounds")

    def apply(self, grad):
        return tuple(np.split(grad, self._bounds, axis=self._dim))


class StackBackward0(Node):
    """f(a₁, …, aₙ) = the aᵢ stacked along a new `dim`;  ∂L/∂aᵢ = slice i of the gradient."""

    __slots__ = ("_dim",)

    def apply(self, grad):
        return tuple(np.moveaxis(grad, self._dim, 0))


class CopySlices(Node):
    """f(a, v) = a with a[index] replaced by v;  ∂L/∂a = g with zeros at index,  ∂L/∂v = g[index]."""

    __slots__ = ("_value_shape",)

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def apply(self, grad):
        where = self._saved
        if where is None:
            raise self._freed()
        (fa, _), (fv, _) = self.next_functions
        ga = gv = None
        if fa is not None:
            ga = grad.copy()
            ga[where] = 0
        if fv is not None:
            gv = sum_to(np.asarray(grad[where]), self._value_shape)
        return ga, gv


class ZeroBackward0(Node):
    """f(a) = 0 (a.zero_());  ∂f/∂a = 0."""

    __slots__ = ()

    def apply(self, grad):
        return (np.zeros_like(grad),)


class FillBackward2(ZeroBackward0):
    """f(a) = c for a number c (a.fill_(c));  ∂f/∂a = 0."""

    __slots__ = ()
