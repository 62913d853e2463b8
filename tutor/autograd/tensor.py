"""Provides `Tensor`: the core state plus the math and view methods, and backward()."""

from __future__ import annotations

from .tensor_core import _TENSOR, TensorCore
from .tensor_math import MathMixin
from .tensor_views import ViewsMixin


class Tensor(MathMixin, ViewsMixin, TensorCore):
    """A multi-dimensional array that records the operations applied to it for backward."""

    __slots__ = ()
    __hash__ = TensorCore.__hash__

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Computes the gradient of this tensor with respect to the graph's leaves."""
        from .engine import run_backward

        run_backward(self, gradient, retain_graph, create_graph, inputs)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        from .creation import tensor

        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        from .creation import zeros

        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        from .creation import ones

        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        from .creation import full

        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        return self.new_zeros(*size, dtype=dtype, requires_grad=requires_grad)

    def uniform_(self, a=0.0, b=1.0, generator=None):
        from .creation_random import fill_random

        return fill_random(self, "uniform", a, b, generator)

    def normal_(self, mean=0.0, std=1.0, generator=None):
        from .creation_random import fill_random

        return fill_random(self, "normal", mean, std, generator)


Tensor.__module__ = "torch"
_TENSOR.append(Tensor)
