"""Provides `torch.nn.functional`: relu, sigmoid, tanh, softmax, log_softmax, mse_loss, linear."""

from __future__ import annotations

import numpy as np

from ..functions import log_softmax, relu, sigmoid, softmax, tanh  # noqa: F401  (F.relu, …)
from ..grad_mode import GRAD_MODE
from ..node import meta_of, next_seq
from ..nodes.linalg import AddmmBackward0
from ..nodes.reductions import MseLossBackward0
from ..tensor_core import result

_new = object.__new__


def mse_loss(input, target, reduction: str = "mean"):
    """(input − target)² averaged (`mean`), summed (`sum`) or kept (`none`)."""
    a, t = input._data, target._data
    diff = a - t
    squared = diff * diff
    if reduction == "mean":
        data = np.asarray(squared.mean(), dtype=squared.dtype)
    elif reduction == "sum":
        data = np.asarray(squared.sum())
    elif reduction == "none":
        data = squared
    else:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if GRAD_MODE.enabled and (input._requires_grad or target._requires_grad):
        fn = _new(MseLossBackward0)
        fn.next_functions = (input._edge, target._edge)
        fn._seq = next_seq()
        fn._reduction = reduction
        fn._ma, fn._mb = meta_of(a, squared), meta_of(t, squared)
        fn._saved = (input, input._version[0], target, target._version[0])
        return result(type(input), data, fn)
    return result(type(input), data, None)


def linear(input, weight, bias=None):
    """input·weightᵀ + bias; a 2-D input with a bias records AddmmBackward0 as PyTorch does."""
    if bias is None or input._data.ndim != 2:
        out = input @ weight.t()
        return out if bias is None else out + bias
    wt = weight.t()
    data = bias._data + input._data @ wt._data
    if GRAD_MODE.enabled and (input._requires_grad or wt._requires_grad or bias._requires_grad):
        fn = _new(AddmmBackward0)
        fn.next_functions = (bias._edge, input._edge, wt._edge)
        fn._seq = next_seq()
        fn._bias_shape = bias._data.shape
        fn._saved = (input, input._version[0], wt, wt._version[0])
        return result(type(input), data, fn)
    return result(type(input), data, None)
