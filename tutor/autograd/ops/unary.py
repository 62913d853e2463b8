"""Provides the elementwise functions: exp, log, sqrt, abs, trigonometry, rounding, and their
nodes. Each row of the table is one op: its kernel name in the namespaces, the node it records,
the node's math and derivative, and whether it saves its input or its result."""

from __future__ import annotations

import numpy as np

from ..tensor_core import TensorCore
from .nodes import node_class
from .record import kernel_space, unary
from .table import declare


def _input(n, xp):
    return n.saved_input(xp, 0)


def _result(n, xp):
    return n.saved_result(xp)


def _zero(xp, g, n):
    return (xp.zeros_like(g),)


# name, node, math, saves, derivative
_ROWS = (
    (
        "exp",
        "ExpBackward0",
        "f(a) = eᵃ;  ∂f/∂a = eᵃ = f",
        "result",
        lambda xp, g, n: (xp.mul(g, _result(n, xp)),),
    ),
    (
        "exp2",
        "Exp2Backward0",
        "f(a) = 2ᵃ;  ∂f/∂a = 2ᵃ·ln 2",
        "result",
        lambda xp, g, n: (xp.mul_scalar(xp.mul(g, _result(n, xp)), float(np.log(2.0))),),
    ),
    (
        "expm1",
        "Expm1Backward0",
        "f(a) = eᵃ − 1;  ∂f/∂a = f + 1",
        "result",
        lambda xp, g, n: (xp.mul(g, xp.add_scalar(_result(n, xp), 1)),),
    ),
    (
        "log",
        "LogBackward0",
        "f(a) = ln a;  ∂f/∂a = 1/a",
        "input",
        lambda xp, g, n: (xp.div(g, _input(n, xp)),),
    ),
    (
        "log2",
        "Log2Backward0",
        "f(a) = log₂ a;  ∂f/∂a = 1/(a·ln 2)",
        "input",
        lambda xp, g, n: (xp.div(g, xp.mul_scalar(_input(n, xp), float(np.log(2.0)))),),
    ),
    (
        "log10",
        "Log10Backward0",
        "f(a) = log₁₀ a;  ∂f/∂a = 1/(a·ln 10)",
        "input",
        lambda xp, g, n: (xp.div(g, xp.mul_scalar(_input(n, xp), float(np.log(10.0)))),),
    ),
    (
        "log1p",
        "Log1PBackward0",
        "f(a) = ln(1 + a);  ∂f/∂a = 1/(1 + a)",
        "input",
        lambda xp, g, n: (xp.div(g, xp.add_scalar(_input(n, xp), 1)),),
    ),
    (
        "sqrt",
        "SqrtBackward0",
        "f(a) = √a;  ∂f/∂a = 1/(2√a) = 1/(2f)",
        "result",
        lambda xp, g, n: (xp.div(g, xp.mul_scalar(_result(n, xp), 2)),),
    ),
    (
        "rsqrt",
        "RsqrtBackward0",
        "f(a) = 1/√a;  ∂f/∂a = −f³/2",
        "result",
        lambda xp, g, n: (xp.mul(xp.mul_scalar(g, -0.5), xp.pow_scalar(_result(n, xp), 3)),),
    ),
    (
        "abs",
        "AbsBackward0",
        "f(a) = |a|;  ∂f/∂a = sign(a) (0 at 0)",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.sgn(_input(n, xp))),),
    ),
    (
        "sin",
        "SinBackward0",
        "f(a) = sin a;  ∂f/∂a = cos a",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.cos(_input(n, xp))),),
    ),
    (
        "cos",
        "CosBackward0",
        "f(a) = cos a;  ∂f/∂a = −sin a",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.neg(xp.sin(_input(n, xp)))),),
    ),
    (
        "tan",
        "TanBackward0",
        "f(a) = tan a;  ∂f/∂a = 1 + f²",
        "result",
        lambda xp, g, n: (xp.mul(g, xp.add_scalar(xp.pow_scalar(_result(n, xp), 2), 1)),),
    ),
    (
        "sinh",
        "SinhBackward0",
        "f(a) = sinh a;  ∂f/∂a = cosh a",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.cosh(_input(n, xp))),),
    ),
    (
        "cosh",
        "CoshBackward0",
        "f(a) = cosh a;  ∂f/∂a = sinh a",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.sinh(_input(n, xp))),),
    ),
    (
        "asin",
        "AsinBackward0",
        "f(a) = asin a;  ∂f/∂a = 1/√(1 − a²)",
        "input",
        lambda xp, g, n: (xp.mul(g, xp.rsqrt(xp.rsub_scalar(xp.pow_scalar(_input(n, xp), 2), 1))),),
    ),
    (
        "acos",
        "AcosBackward0",
        "f(a) = acos a;  ∂f/∂a = −1/√(1 − a²)",
        "input",
        lambda xp, g, n: (
            xp.mul(g, xp.neg(xp.rsqrt(xp.rsub_scalar(xp.pow_scalar(_input(n, xp), 2), 1)))),
        ),
    ),
    (
        "atan",
        "AtanBackward0",
        "f(a) = atan a;  ∂f/∂a = 1/(1 + a²)",
        "input",
        lambda xp, g, n: (xp.div(g, xp.add_scalar(xp.pow_scalar(_input(n, xp), 2), 1)),),
    ),
    (
        "erf",
        "ErfBackward0",
        "f(a) = erf a;  ∂f/∂a = 2/√π · e^(−a²)",
        "input",
        lambda xp, g, n: (
            xp.mul(
                g,
                xp.mul_scalar(xp.exp(xp.neg(xp.pow_scalar(_input(n, xp), 2))), 1.1283791670955126),
            ),
        ),
    ),
    ("sign", "SignBackward0", "f(a) = sign a;  ∂f/∂a = 0", "", _zero),
    ("sgn", "SgnBackward0", "f(a) = sgn a;  ∂f/∂a = 0", "", _zero),
    ("floor", "FloorBackward0", "f(a) = ⌊a⌋;  ∂f/∂a = 0", "", _zero),
    ("ceil", "CeilBackward0", "f(a) = ⌈a⌉;  ∂f/∂a = 0", "", _zero),
    ("round", "RoundBackward0", "f(a) = a rounded half to even;  ∂f/∂a = 0", "", _zero),
    ("trunc", "TruncBackward0", "f(a) = a rounded toward 0;  ∂f/∂a = 0", "", _zero),
    ("frac", "FracBackward0", "f(a) = a − trunc(a);  ∂f/∂a = 1", "", lambda xp, g, n: (g,)),
)

NODES: dict[str, type] = {}


def _kernel(name: str, kernel_name: str, node: type, saves: str, floating: bool):
    def apply(a: TensorCore):
        x = a._data
        if floating and x.dtype.kind not in "fO":
            x = x.astype(np.float32)
        xp = kernel_space(x)
        with np.errstate(all="ignore"):
            data = getattr(xp, kernel_name)(x)
        return unary(a, data, node, saves=saves)

    apply.__name__ = name
    apply.__doc__ = node.__doc__
    return apply


KERNELS: dict[str, object] = {}
# rounding keeps integer tensors as they are; everything else computes in floating point
_KEEPS_DTYPE = frozenset(("abs", "sign", "sgn", "floor", "ceil", "round", "trunc"))

for _name, _node_name, _math, _saves, _derivative in _ROWS:
    _node = node_class(_node_name, _math, _derivative)
    NODES[_node_name] = _node
    KERNELS[_name] = _kernel(_name, _name, _node, _saves, _name not in _KEEPS_DTYPE)
    declare(_name, _node, KERNELS[_name], functions=_name, methods=f"{_name} {_name}_")
