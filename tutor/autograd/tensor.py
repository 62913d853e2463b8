"""Provides `Tensor`: the core state plus every op family, written out in the mixins."""

from __future__ import annotations

from .engine import run_backward
from .tensor_arith import ArithmeticMixin
from .tensor_core import TensorCore
from .tensor_division import DivisionMixin
from .tensor_inplace import InPlaceMixin
from .tensor_linalg import LinalgMixin
from .tensor_reduce import ReduceMixin
from .tensor_shape import ShapeMixin
from .tensor_unary import UnaryMixin


class Tensor(
    ArithmeticMixin,
    DivisionMixin,
    UnaryMixin,
    ReduceMixin,
    ShapeMixin,
    LinalgMixin,
    InPlaceMixin,
    TensorCore,
):
    """A multi-dimensional array that records the operations applied to it for backward."""

    __slots__ = ()

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Computes the gradient of this tensor with respect to the graph's leaves."""
        run_backward(self, gradient, bool(retain_graph))
