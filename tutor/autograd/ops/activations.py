"""Provides the activation functions: relu, sigmoid, tanh, leaky_relu, elu, gelu, softplus, silu,
hardtanh (relu6), and the nodes a recorded backward pass makes of their derivatives."""

from __future__ import annotations

import math

import numpy as np

from ..exact import glibc, sleef
from ..exact.vec import elementwise, lanes
from ..tensor_core import TensorCore
from .nodes import node_class
from .record import general, kernel_space, unary
from .table import declare


def _floating(x: np.ndarray) -> np.ndarray:
    return x if x.dtype.kind in "fO" else x.astype(np.float32)


def _result(n, xp):
    return n.saved_result(xp)


def _input(n, xp):
    return n.saved_input(xp, 0)


ReluBackward0 = node_class(
    "ReluBackward0",
    "f(a) = max(a, 0);  ∂f/∂a = 1 where f > 0, else 0",
    lambda xp, g, n: (xp.threshold_backward(g, _result(n, xp), 0),),
)
SigmoidBackward0 = node_class(
    "SigmoidBackward0",
    "f(a) = 1/(1 + e⁻ᵃ);  ∂f/∂a = f·(1 − f)",
    lambda xp, g, n: (xp.sigmoid_backward(g, _result(n, xp)),),
)
TanhBackward0 = node_class(
    "TanhBackward0",
    "f(a) = tanh a;  ∂f/∂a = 1 − f²",
    lambda xp, g, n: (xp.tanh_backward(g, _result(n, xp)),),
)
LeakyReluBackward0 = node_class(
    "LeakyReluBackward0",
    "f(a) = a if a > 0 else s·a;  ∂f/∂a = 1 if a > 0 else s",
    lambda xp, g, n: (xp.leaky_relu_backward(g, _input(n, xp), n._slope),),
    ("_slope",),
)
EluBackward0 = node_class(
    "EluBackward0",
    "f(a) = a if a > 0 else α(eᵃ − 1);  ∂f/∂a = 1 if a > 0 else f + α",
    lambda xp, g, n: (xp.elu_backward(g, _input(n, xp), n._alpha),),
    ("_alpha",),
)
GeluBackward0 = node_class(
    "GeluBackward0",
    "f(a) = a·Φ(a);  ∂f/∂a = Φ(a) + a·φ(a)",
    lambda xp, g, n: (xp.gelu_backward(g, _input(n, xp)),),
)
SoftplusBackward0 = node_class(
    "SoftplusBackward0",
    "f(a) = ln(1 + eᵃ);  ∂f/∂a = σ(a)",
    lambda xp, g, n: (xp.softplus_backward(g, _input(n, xp)),),
)
SiluBackward0 = node_class(
    "SiluBackward0",
    "f(a) = a·σ(a);  ∂f/∂a = σ(a)·(1 + a·(1 − σ(a)))",
    lambda xp, g, n: (xp.silu_backward(g, _input(n, xp)),),
)
HardtanhBackward0 = node_class(
    "HardtanhBackward0",
    "f(a) = min(max(a, lo), hi);  ∂f/∂a = 1 where lo < a < hi, else 0",
    lambda xp, g, n: (xp.hardtanh_backward(g, _input(n, xp), n._low, n._high),),
    ("_low", "_high"),
)


def relu(a: TensorCore):
    x = a._data
    xp = kernel_space(x)
    return unary(a, xp.relu(x), ReluBackward0, saves="result")


def sigmoid(a: TensorCore):
    x = _floating(a._data)
    xp = kernel_space(x)
    with np.errstate(over="ignore"):
        return unary(a, xp.sigmoid(x), SigmoidBackward0, saves="result")


def tanh(a: TensorCore):
    x = _floating(a._data)
    return unary(a, kernel_space(x).tanh(x), TanhBackward0, saves="result")


def leaky_relu(a: TensorCore, negative_slope: float = 0.01, inplace: bool = False):
    x = _floating(a._data)
    data = np.where(x > 0, x, x * x.dtype.type(negative_slope))
    return unary(a, data, LeakyReluBackward0, saves="input", _slope=negative_slope)


def _expm1_scalar(x: np.ndarray) -> np.ndarray:
    return np.expm1(x.astype(np.float64)).astype(x.dtype)


def elu(a: TensorCore, alpha: float = 1.0, inplace: bool = False):
    x = _floating(a._data)
    if x.dtype == np.float32:
        coef = np.float32(alpha)

        def part(expm1):
            return lambda x: np.where(x > 0, x, expm1(x) * coef).astype(np.float32)

        with np.errstate(all="ignore"):
            data = elementwise(x, part(sleef.expm1f), part(_expm1_scalar), lanes(x.dtype, "elu"))
        return unary(a, data, EluBackward0, saves="input", _alpha=alpha)
    with np.errstate(over="ignore"):
        data = np.where(x > 0, x, x.dtype.type(alpha) * np.expm1(x))
    return unary(a, data, EluBackward0, saves="input", _alpha=alpha)


def gelu(a: TensorCore, approximate: str = "none"):
    x = _floating(a._data)
    cdf = 0.5 * (1 + _erf(x / np.sqrt(np.asarray(2.0, dtype=x.dtype))))
    return unary(a, (x * cdf).astype(x.dtype), GeluBackward0, saves="input")


def _softplus32(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    """log1p(e^(βx))/β, x where βx > threshold: Sleef's expf and log1pf on whole vectors,
    glibc's expf and a rounded log1p on the tail (`softplus_kernel`)."""
    b, limit = np.float32(beta), np.float32(threshold)

    def vector(x):
        return np.where(x * b > limit, x, sleef.log1pf(sleef.expf(x * b)) / b).astype(np.float32)

    def scalar(x):
        e = glibc.expf(x * b).astype(np.float64)
        return np.where(x * b > limit, x, np.log1p(e).astype(np.float32) / b).astype(np.float32)

    with np.errstate(all="ignore"):
        return elementwise(x, vector, scalar, lanes(x.dtype, "softplus"))


def softplus(a: TensorCore, beta: float = 1.0, threshold: float = 20.0):
    x = _floating(a._data)
    if x.dtype == np.float32:
        return unary(a, _softplus32(x, beta, threshold), SoftplusBackward0, saves="input")
    with np.errstate(over="ignore"):
        data = np.where(x * beta > threshold, x, np.log1p(np.exp(x * beta)) / beta)
    return unary(a, data.astype(x.dtype), SoftplusBackward0, saves="input")


def silu(a: TensorCore, inplace: bool = False):
    x = _floating(a._data)
    if x.dtype == np.float32:
        one = np.float32(1)
        with np.errstate(all="ignore"):
            data = elementwise(
                x,
                lambda x: x / (one + sleef.expf(-x)),
                lambda x: x / (one + glibc.expf(-x)),
                lanes(x.dtype, "silu"),
            )
        return unary(a, data, SiluBackward0, saves="input")
    with np.errstate(over="ignore"):
        data = x / (1 + np.exp(-x))
    return unary(a, data, SiluBackward0, saves="input")


def hardtanh(a: TensorCore, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
    x = a._data
    data = np.minimum(np.maximum(x, x.dtype.type(min_val)), x.dtype.type(max_val))
    return unary(a, data, HardtanhBackward0, saves="input", _low=min_val, _high=max_val)


def relu6(a: TensorCore, inplace: bool = False):
    return hardtanh(a, 0.0, 6.0)


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)


# the derivatives' own nodes, made when a backward pass is recorded (create_graph=True)
ThresholdBackwardBackward0 = node_class(
    "ThresholdBackwardBackward0",
    "f(g, y) = g where y > t, else 0;  ∂f/∂g = 1 where y > t, else 0",
    lambda xp, g, n: (xp.threshold_backward(g, n.saved_input(xp, 1), n._threshold), None),
    ("_threshold",),
)
SigmoidBackwardBackward0 = node_class(
    "SigmoidBackwardBackward0",
    "f(g, y) = g·y·(1 − y);  ∂f/∂g = y(1 − y),  ∂f/∂y = g(1 − 2y)",
    lambda xp, g, n: (
        xp.sigmoid_backward(g, n.saved_input(xp, 1)),
        xp.mul(
            g,
            xp.mul(n.saved_input(xp, 0), xp.rsub_scalar(xp.mul_scalar(n.saved_input(xp, 1), 2), 1)),
        ),
    ),
)
TanhBackwardBackward0 = node_class(
    "TanhBackwardBackward0",
    "f(g, y) = g·(1 − y²);  ∂f/∂g = 1 − y²,  ∂f/∂y = −2gy",
    lambda xp, g, n: (
        xp.tanh_backward(g, n.saved_input(xp, 1)),
        xp.mul(g, xp.mul_scalar(xp.mul(n.saved_input(xp, 0), n.saved_input(xp, 1)), -2)),
    ),
)


def record_backward(node: type, grad, saved, data, **params):
    """A derivative computed by a recorded backward pass, made a node of its own."""
    return general((grad, saved), data, node, saved=(0, 1), **params)


for _name, _node, _kernel, _functions, _methods in (
    ("relu", ReluBackward0, relu, "relu relu_", "relu relu_"),
    ("sigmoid", SigmoidBackward0, sigmoid, "sigmoid", "sigmoid sigmoid_"),
    ("tanh", TanhBackward0, tanh, "tanh", "tanh tanh_"),
    ("leaky_relu", LeakyReluBackward0, leaky_relu, "", ""),
    ("elu", EluBackward0, elu, "", ""),
    ("gelu", GeluBackward0, gelu, "", ""),
    ("softplus", SoftplusBackward0, softplus, "", ""),
    ("silu", SiluBackward0, silu, "", ""),
    ("hardtanh", HardtanhBackward0, hardtanh, "", ""),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
