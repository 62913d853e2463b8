"""Provides the shape, indexing and in-place methods of Tensor — each a call into the op table."""

from __future__ import annotations

from .ops import activations as act
from .ops import arithmetic as ar
from .ops import indexing, inplace, join, pointwise, shape
from .ops import select as choose
from .ops.unary import KERNELS


def _in_place_unary(name: str):
    kernel = KERNELS[name]

    def method(self):
        return inplace.in_place(self, lambda: kernel(self))

    method.__name__ = name + "_"
    return method


def _in_place(function, name: str):
    def method(self, *args, **kwargs):
        return inplace.in_place(self, lambda: function(self, *args, **kwargs))

    method.__name__ = name
    return method


def _in_place_binary(function, name: str):
    def method(self, other, *args, **kwargs):
        from .operands import NUMBER_TYPES
        from .tensor_core import TensorCore

        if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
            return NotImplemented
        source = other._data if isinstance(other, TensorCore) else None
        return inplace.in_place(self, lambda: function(self, other, *args, **kwargs), source)

    method.__name__ = name
    return method


class ViewsMixin:
    """`a.view(2, 2)`, `a[0]`, `a.add_(1)`, `a[0] = 5`, …"""

    __slots__ = ()

    # ----- views and shapes -----
    def view(self, *sizes):
        return shape.view(self, *sizes)

    def reshape(self, *sizes, **named):
        return shape.reshape(self, *sizes, **named)

    def flatten(self, start_dim=0, end_dim=-1):
        return shape.flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return shape.unflatten(self, dim, sizes)

    def t(self):
        return shape.t_(self)

    @property
    def T(self):  # noqa: N802 - PyTorch's name
        return shape.reversed_dims(self)

    @property
    def mT(self):  # noqa: N802
        return shape.matrix_t(self)

    def permute(self, *dims):
        return shape.permute(self, *dims)

    def transpose(self, dim0, dim1):
        return shape.transpose(self, dim0, dim1)

    swapaxes = transpose

    def unsqueeze(self, dim):
        return shape.unsqueeze(self, dim)

    def squeeze(self, dim=None):
        return shape.squeeze(self, dim)

    def expand(self, *sizes):
        return shape.expand(self, *sizes)

    def expand_as(self, other):
        return shape.expand_as(self, other)

    def view_as(self, other):
        return shape.view_as(self, other)

    def reshape_as(self, other):
        return shape.reshape_as(self, other)

    def contiguous(self, memory_format=None):
        return shape.contiguous(self)

    def is_contiguous(self, memory_format=None):
        return shape.is_contiguous(self)

    def stride(self, dim=None):
        return shape.stride(self, dim)

    def repeat(self, *repeats):
        return join.repeat(self, *repeats)

    def split(self, split_size, dim=0):
        return join.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return join.chunk(self, chunks, dim)

    def unbind(self, dim=0):
        return join.unbind(self, dim)

    # ----- indexing -----
    def __getitem__(self, index):
        return indexing.getitem_(self, index)

    def __setitem__(self, index, value) -> None:
        inplace.setitem(self, index, value)

    def select(self, dim, index):
        return indexing.select(self, dim, index)

    def narrow(self, dim, start, length):
        return indexing.narrow(self, dim, start, length)

    def index_select(self, dim, index):
        return indexing.index_select(self, dim, index)

    def gather(self, dim, index):
        return indexing.gather(self, dim, index)

    def flip(self, *dims):
        return indexing.flip(self, *dims)

    # ----- in place -----
    add_ = __iadd__ = _in_place_binary(ar.add, "add_")
    sub_ = __isub__ = subtract_ = _in_place_binary(ar.sub, "sub_")
    mul_ = __imul__ = multiply_ = _in_place_binary(ar.mul, "mul_")
    div_ = __itruediv__ = divide_ = true_divide_ = _in_place_binary(ar.div, "div_")
    pow_ = __ipow__ = _in_place_binary(ar.pow_, "pow_")
    floor_divide_ = __ifloordiv__ = _in_place_binary(ar.floor_divide, "floor_divide_")
    remainder_ = __imod__ = _in_place_binary(ar.remainder, "remainder_")
    neg_ = negative_ = _in_place(ar.neg, "neg_")
    reciprocal_ = _in_place(ar.reciprocal, "reciprocal_")
    clamp_ = clip_ = _in_place(choose.clamp, "clamp_")
    clamp_min_ = _in_place(choose.clamp_min, "clamp_min_")
    clamp_max_ = _in_place(choose.clamp_max, "clamp_max_")
    masked_fill_ = _in_place(choose.masked_fill, "masked_fill_")
    addcmul_ = _in_place(pointwise.addcmul, "addcmul_")
    addcdiv_ = _in_place(pointwise.addcdiv, "addcdiv_")
    lerp_ = _in_place(pointwise.lerp, "lerp_")
    relu_ = _in_place(act.relu, "relu_")
    sigmoid_ = _in_place(act.sigmoid, "sigmoid_")
    tanh_ = _in_place(act.tanh, "tanh_")
    exp_ = _in_place_unary("exp")
    log_ = _in_place_unary("log")
    sqrt_ = _in_place_unary("sqrt")
    abs_ = _in_place_unary("abs")
    sin_ = _in_place_unary("sin")
    cos_ = _in_place_unary("cos")
    floor_ = _in_place_unary("floor")
    ceil_ = _in_place_unary("ceil")
    round_ = _in_place_unary("round")
    trunc_ = _in_place_unary("trunc")
    sign_ = _in_place_unary("sign")

    def square_(self):
        return inplace.in_place(self, lambda: ar.pow_(self, 2))

    def zero_(self):
        return inplace.zero_(self)

    def fill_(self, value):
        return inplace.fill_(self, value)

    def copy_(self, source, non_blocking=False):
        return inplace.copy_(self, source)

    def __imatmul__(self, other):
        from .ops.linalg import matmul

        return matmul(self, other)
