"""Provides GRAPH, the namespace backward formulas compute with when `create_graph=True`: every
step is a recorded op on tensors, so the gradients have a graph of their own (second
derivatives) and name their nodes as PyTorch's derivative formulas do."""

from __future__ import annotations

import numpy as np

from .tensor_core import TensorCore, result
from .xp_numeric import NUMERIC


def _tensor(value) -> TensorCore:
    return value if isinstance(value, TensorCore) else result(np.asarray(value))


def _ops():
    from .ops import (
        activations,
        arithmetic,
        copying,
        indexing,
        inplace,
        join,
        linalg,
        losses,
        reduce,
        scalars,
        select,
        shape,
        unary,
    )

    return (
        activations,
        arithmetic,
        copying,
        indexing,
        inplace,
        join,
        linalg,
        losses,
        reduce,
        scalars,
        select,
        shape,
        unary,
    )


class _Graph:
    """Tensors in, tensors out, every step recorded."""

    recording = True

    def __init__(self) -> None:
        (
            self._act,
            self._ar,
            self._copy,
            self._idx,
            self._inplace,
            self._join,
            self._lin,
            self._loss,
            self._red,
            self._sc,
            self._sel,
            self._shape,
            self._un,
        ) = _ops()
        from .ops.derivatives import DERIVATIVE_OPS

        self._derivatives = DERIVATIVE_OPS

    # ----- saved tensors -----
    @staticmethod
    def unpack(tensor):
        return tensor

    @staticmethod
    def unpack_result(node, data, counter):
        out = result(data, (node, 0))
        out._version = counter
        return out

    @staticmethod
    def data(a):
        return a._data if isinstance(a, TensorCore) else a

    # ----- arithmetic -----
    def add(self, a, b):
        return self._ar.add(a, b) if isinstance(a, TensorCore) else self._ar.add(b, a, reverse=True)

    def sub(self, a, b):
        return self._ar.sub(a, b) if isinstance(a, TensorCore) else self._ar.rsub(b, a)

    def mul(self, a, b):
        return self._ar.mul(a, b) if isinstance(a, TensorCore) else self._ar.mul(b, a, reverse=True)

    def div(self, a, b):
        return self._ar.div(_tensor(a), b)

    def neg(self, a):
        return self._ar.neg(a)

    def pow(self, a, b):
        return self._ar.pow_(a, b)

    def floor_div(self, a, b):
        return self._ar.floor_divide(_tensor(a), b)

    def pow_scalar(self, a, c):
        return self._ar.pow_(a, c)

    def mul_scalar(self, a, c):
        return self._sc.mul_scalar(a, c)

    def div_scalar(self, a, c):
        return self._sc.div_scalar(a, c)

    def add_scalar(self, a, c):
        return self._sc.add_scalar(a, c)

    def sub_scalar(self, a, c):
        return self._sc.sub_scalar(a, c)

    def rsub_scalar(self, a, c):
        return self._ar.rsub(a, c)

    def reciprocal(self, a):
        return self._ar.reciprocal(a)

    # ----- elementwise functions -----
    def __getattr__(self, name: str):
        kernels = self._un.KERNELS
        if name in kernels:
            return kernels[name]
        raise AttributeError(name)

    def sigmoid(self, a):
        return self._act.sigmoid(a)

    def tanh(self, a):
        return self._act.tanh(a)

    def relu(self, a):
        return self._act.relu(a)

    def rsqrt(self, a):
        return self._un.KERNELS["rsqrt"](a)

    # ----- shapes -----
    def sum(self, a, dims, keepdim):
        return self._red.sum_(a, dims, keepdim)

    def sum_to(self, a, shape):
        """at::sum_to: a sum (keeping dimensions) over the broadcast ones, then a view."""
        shape = tuple(shape)
        if a._data.shape == shape:
            return a
        lead = a._data.ndim - len(shape)
        dims = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and a._data.shape[lead + i] != 1
        )
        if dims:
            a = self._red.sum_(a, dims, True)
        return self._shape.view(a, *shape) if lead > 0 else a

    def expand(self, a, shape):
        return self._shape.expand(a, *shape)

    def reshape(self, a, shape):
        return self._shape.reshape(a, *shape)

    def transpose(self, a, d0, d1):
        return self._shape.transpose(a, d0, d1)

    def permute(self, a, order):
        return self._shape.permute(a, *order)

    def t(self, a):
        return self._shape.t_(a)

    def unsqueeze_dims(self, a, dims):
        for d in sorted(dims):
            a = self._shape.unsqueeze(a, d)
        return a

    def squeeze_dim(self, a, dim):
        return self._shape.squeeze(a, dim)

    def flip(self, a, dims):
        return self._idx.flip(a, *dims)

    def narrow(self, a, dim, start, size):
        return self._idx.narrow(a, dim, start, size)

    def unbind(self, a, dim):
        return list(self._join.unbind(a, dim))

    def stack(self, arrays, dim):
        return self._join.stack([_tensor(x) for x in arrays], dim)

    def concat(self, arrays, dim):
        return self._join.cat([_tensor(x) for x in arrays], dim)

    # ----- products -----
    def matmul(self, a, b):
        return self._lin.matmul(a, b)

    def mm(self, a, b):
        return self._lin.mm(a, b)

    def mv(self, a, b):
        return self._lin.mv(a, b)

    def bmm(self, a, b):
        return self._lin.bmm(a, b)

    def outer(self, a, b):
        return self._lin.outer(a, b)

    # ----- made from nothing -----
    @staticmethod
    def zeros(shape, dtype):
        return result(np.zeros(shape, dtype=dtype))

    @staticmethod
    def zeros_like(a):
        return result(np.zeros_like(a._data if isinstance(a, TensorCore) else a))

    def cast(self, a, dtype):
        from .dtypes import BY_NUMPY

        return a if a._data.dtype == dtype else self._copy.to(a, BY_NUMPY[np.dtype(dtype)])

    def where(self, mask, a, b):
        return self._sel.where(result(np.asarray(mask)), a, b)

    # ----- derivatives with nodes of their own -----
    def tanh_backward(self, g, y):
        return self._derivatives["tanh_backward"](g, y)

    def sigmoid_backward(self, g, y):
        return self._derivatives["sigmoid_backward"](g, y)

    def threshold_backward(self, g, y, threshold):
        return self._derivatives["threshold_backward"](g, y, threshold)

    def softmax_backward(self, g, y, dim):
        return self._derivatives["softmax_backward"](g, y, dim)

    def log_softmax_backward(self, g, y, dim):
        return self._derivatives["log_softmax_backward"](g, y, dim)

    def mse_backward(self, g, a, t, reduction):
        return self._derivatives["mse_backward"](g, a, t, reduction)

    def evenly_distribute(self, g, a, top):
        mask = NUMERIC.evenly_distribute(np.ones_like(a._data), a._data, top._data) != 0
        count = float(mask.sum())
        return self.mul(self.div_scalar(g, count), result(mask.astype(a._data.dtype)))

    def place(self, g, shape, where):
        name = "select_backward" if any(isinstance(w, int) for w in where) else "slice_backward"
        return self._derivatives[name](g, shape, where)

    def scatter(self, g, shape, where):
        return self._derivatives["index_backward"](g, shape, where)

    def put_along(self, g, shape, indices, dim):
        return self._derivatives["value_selecting_backward"](g, shape, indices, dim)

    def scatter_flat(self, g, shape, index):
        return self._derivatives["as_strided_backward"](g, shape, index)

    def split_flat(self, g, index):
        whole = self._copy.clone(g)
        flat = self._shape.reshape(whole, -1)
        return whole, self._idx.getitem_(flat, result(np.asarray(index)))

    def put_flat(self, whole, index, part):
        flat = self._shape.reshape(whole, -1)
        if part is None:
            self._inplace.setitem(flat, result(np.asarray(index)), 0.0)
        else:
            self._inplace.setitem(flat, result(np.asarray(index)), part)
        return whole

    def take_along(self, g, indices, dim):
        return self._idx.gather(g, dim, result(np.asarray(indices)))

    def take_flat(self, g, index):
        return self._idx.getitem_(self._shape.reshape(g, -1), result(np.asarray(index)))

    def index_zero(self, g, where):
        out = self._copy.clone(g)
        self._inplace.setitem(out, where, 0.0)
        return out

    def index_take(self, g, where, shape):
        return self.sum_to(
            self._idx._advanced(g, where if isinstance(where, tuple) else (where,)), shape
        )


def _composed(name: str):
    """A derivative without a node of its own in this engine: its numeric formula applied to
    the tensors' values, recorded as one node with no derivative (a third derivative of it is
    refused with PyTorch's message)."""

    def compute(*args):
        from .ops.derivatives import opaque

        return opaque(name, getattr(NUMERIC, name), args)

    return compute


for _name in (
    "leaky_relu_backward",
    "elu_backward",
    "gelu_backward",
    "softplus_backward",
    "silu_backward",
    "hardtanh_backward",
    "nll_backward",
    "bce_backward",
    "bce_logits_backward",
    "smooth_l1_backward",
    "huber_backward",
    "amax_backward",
    "prod_backward",
    "var_backward",
    "std_backward",
    "norm_backward",
    "logsumexp_backward",
    "cumsum_backward",
    "repeat_backward",
):
    setattr(_Graph, _name, staticmethod(_composed(_name)))

_INSTANCE: list[_Graph] = []


def graph() -> _Graph:
    if not _INSTANCE:
        _INSTANCE.append(_Graph())
    return _INSTANCE[0]
