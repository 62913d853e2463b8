"""Provides `torch.nn.functional`: the activations, softmax and losses of the op table, and
linear — the same ops as `torch.relu`, `Tensor.softmax`, …"""

from __future__ import annotations

from ..ops.activations import elu, gelu, hardtanh, leaky_relu, relu6, sigmoid, silu, softplus, tanh
from ..ops.activations import relu as _relu
from ..ops.linalg import linear
from ..ops.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    log_softmax,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
    softmax,
)


def relu(input, inplace: bool = False):
    if inplace:
        return input.relu_()
    return _relu(input)


__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "elu",
    "gelu",
    "hardtanh",
    "huber_loss",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "relu",
    "relu6",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]
