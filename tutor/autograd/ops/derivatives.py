"""Provides the derivatives that a recorded backward pass (create_graph=True) makes into nodes of
their own, as PyTorch does: tanh_backward is TanhBackwardBackward0, softmax's is
SoftmaxBackwardDataBackward0, a select's is SelectBackwardBackward0, …"""

from __future__ import annotations

import numpy as np

from ..tensor_core import TensorCore
from ..xp_numeric import NUMERIC
from .activations import SigmoidBackwardBackward0, TanhBackwardBackward0, ThresholdBackwardBackward0
from .nodes import node_class
from .record import general


def _data(value):
    return value._data if isinstance(value, TensorCore) else value


def tanh_backward(g, y):
    return general(
        (g, y), NUMERIC.tanh_backward(_data(g), _data(y)), TanhBackwardBackward0, saved=(0, 1)
    )


def sigmoid_backward(g, y):
    return general(
        (g, y), NUMERIC.sigmoid_backward(_data(g), _data(y)), SigmoidBackwardBackward0, saved=(0, 1)
    )


def threshold_backward(g, y, threshold):
    data = NUMERIC.threshold_backward(_data(g), _data(y), threshold)
    return general((g, y), data, ThresholdBackwardBackward0, saved=(0, 1), _threshold=threshold)


def _softmax_data_backward(xp, gg, n):
    g, y = n.saved_input(xp, 0), n.saved_input(xp, 1)
    dim = n._dim
    grad_g = xp.softmax_backward(gg, y, dim)
    s = xp.sum(xp.mul(g, y), (dim,), True)
    grad_y = xp.sub(xp.mul(gg, xp.sub(g, s)), xp.mul(g, xp.sum(xp.mul(gg, y), (dim,), True)))
    return grad_g, grad_y


SoftmaxBackwardDataBackward0 = node_class(
    "SoftmaxBackwardDataBackward0",
    "f(g, y) = y·(g − Σ g·y);  ∂f/∂g applies the same map,  ∂f/∂y = (g − Σ g·y) − g·Σ(·y)",
    _softmax_data_backward,
    ("_dim",),
)


def _log_softmax_data_backward(xp, gg, n):
    g, y = n.saved_input(xp, 0), n.saved_input(xp, 1)
    dim = n._dim
    e = xp.exp(y)
    grad_g = xp.sub(gg, xp.sum(xp.mul(gg, e), (dim,), True))
    grad_y = xp.neg(xp.mul(xp.mul(gg, e), xp.sum(g, (dim,), True)))
    return grad_g, grad_y


LogSoftmaxBackwardDataBackward0 = node_class(
    "LogSoftmaxBackwardDataBackward0",
    "f(g, y) = g − e^y·Σ g;  ∂f/∂g = 1 − e^y (summed),  ∂f/∂y = −e^y·Σ g",
    _log_softmax_data_backward,
    ("_dim",),
)


def softmax_backward(g, y, dim):
    data = NUMERIC.softmax_backward(_data(g), _data(y), dim)
    return general((g, y), data, SoftmaxBackwardDataBackward0, saved=(0, 1), _dim=dim)


def log_softmax_backward(g, y, dim):
    data = NUMERIC.log_softmax_backward(_data(g), _data(y), dim)
    return general((g, y), data, LogSoftmaxBackwardDataBackward0, saved=(0, 1), _dim=dim)


def _mse_data_backward(xp, gg, n):
    g, a, t = n.saved_input(xp, 0), n.saved_input(xp, 1), n.saved_input(xp, 2)
    scale = 2.0 / np.size(xp.data(a)) if n._reduction == "mean" else 2.0
    diff = xp.sub(a, t)
    grad_g = xp.sum_to(xp.mul_scalar(xp.mul(gg, diff), scale), np.shape(xp.data(g)))
    grad_a = xp.mul_scalar(xp.mul(gg, g), scale)
    return grad_g, grad_a, xp.neg(grad_a)


MseLossBackwardBackward0 = node_class(
    "MseLossBackwardBackward0",
    "f(g, a, t) = 2(a − t)·g/N;  ∂f/∂g = 2(a − t)/N,  ∂f/∂a = 2g/N,  ∂f/∂t = −2g/N",
    _mse_data_backward,
    ("_reduction",),
)


def mse_backward(g, a, t, reduction):
    data = NUMERIC.mse_backward(_data(g), _data(a), _data(t), reduction)
    return general((g, a, t), data, MseLossBackwardBackward0, saved=(0, 1, 2), _reduction=reduction)


def _take(xp, gg, n):
    from .indexing import _advanced, getitem_

    where = n._where
    if n._basic:
        return (getitem_(gg, where),)
    return (_advanced(gg, where if isinstance(where, tuple) else (where,)),)


SelectBackwardBackward0 = node_class(
    "SelectBackwardBackward0",
    "f(g) = zeros with g placed at index;  ∂f/∂g = that index",
    _take,
    ("_where", "_basic"),
)
SliceBackwardBackward0 = node_class(
    "SliceBackwardBackward0",
    "f(g) = zeros with g placed in a slice;  ∂f/∂g = that slice",
    _take,
    ("_where", "_basic"),
)


def index_backward(g, shape, where):
    data = NUMERIC.scatter(_data(g), shape, where)
    return general((g,), data, _GatherBack, _where=where, _basic=False)


_GatherBack = node_class(
    "IndexPutImplBackward0",
    "f(g) = zeros with g added at indices;  ∂f/∂g = g at those indices",
    _take,
    ("_where", "_basic"),
)


def value_selecting_backward(g, shape, indices, dim):
    data = NUMERIC.put_along(_data(g), shape, indices, dim)
    return general((g,), data, _ScatterBack, _indices=indices, _dim=dim)


_ScatterBack = node_class(
    "ScatterBackward0",
    "f(g) = zeros with g scattered along `dim` at indices;  ∂f/∂g = gathered there",
    lambda xp, gg, n: (xp.take_along(gg, n._indices, n._dim),),
    ("_indices", "_dim"),
)


def as_strided_backward(g, shape, index):
    data = NUMERIC.scatter_flat(_data(g), shape, index)
    return general((g,), data, _AsStridedBack, _index=index)


_AsStridedBack = node_class(
    "AsStridedScatterBackward0",
    "f(g) = zeros with g added at fixed places;  ∂f/∂g = the values at those places",
    lambda xp, gg, n: (xp.take_flat(gg, n._index),),
    ("_index",),
)


def _opaque_backward(xp, gg, n):
    others = [n.saved_input(xp, i) for i in range(1, n._count)]
    again = getattr(xp, n._name)(gg, *others, *n._params)
    return (again, *([None] * (n._count - 1)))


_OPAQUE: dict[str, type] = {}


def opaque(name: str, function, args: tuple):
    """A derivative linear in its first argument: recorded with a node sending `function` of the
    incoming gradient back to it (its other arguments get none)."""
    tensors = [a for a in args if isinstance(a, TensorCore)]
    params = tuple(a for a in args[len(tensors) :])
    node = _OPAQUE.get(name)
    if node is None:
        camel = "".join(part.capitalize() for part in name.removesuffix("_backward").split("_"))
        node = node_class(
            f"{camel}BackwardBackward0",
            f"f(g, …) = {name}(g, …), linear in g;  ∂f/∂g = {name} of the incoming gradient",
            _opaque_backward,
            ("_name", "_count", "_params"),
        )
        _OPAQUE[name] = node
    data = function(*[_data(a) for a in args])
    return general(
        tuple(tensors),
        data,
        node,
        saved=tuple(range(len(tensors))),
        _name=name,
        _count=len(tensors),
        _params=params,
    )


def select_backward(g, shape, where):
    data = NUMERIC.place(_data(g), shape, where)
    return general((g,), data, SelectBackwardBackward0, _where=where, _basic=True)


def slice_backward(g, shape, where):
    data = NUMERIC.place(_data(g), shape, where)
    return general((g,), data, SliceBackwardBackward0, _where=where, _basic=True)


DERIVATIVE_OPS = {
    "tanh_backward": tanh_backward,
    "sigmoid_backward": sigmoid_backward,
    "threshold_backward": threshold_backward,
    "softmax_backward": softmax_backward,
    "log_softmax_backward": log_softmax_backward,
    "mse_backward": mse_backward,
    "select_backward": select_backward,
    "slice_backward": slice_backward,
    "index_backward": index_backward,
    "value_selecting_backward": value_selecting_backward,
    "as_strided_backward": as_strided_backward,
}
