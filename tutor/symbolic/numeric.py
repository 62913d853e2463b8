"""Provides evaluate: a lifted formula as float64 numbers, walked node by node with numpy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.functions import elementwise_sum, relu, sigmoid
from tutor.symbolic.leaves import LiftError

_FUNCTIONS: dict[type, Callable[..., Any]] = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.tanh: np.tanh,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,
    sigmoid: lambda a: 1 / (1 + np.exp(-a)),
    relu: lambda a: np.maximum(a, 0),
}


def evaluate(expr: Any, point: Mapping[sympy.Symbol, Any]) -> Any:
    """`expr` at `point` (symbol → float or float array, broadcast together), in float64."""
    with np.errstate(all="ignore"):
        return _walk(sympy.sympify(expr), point)


def _walk(node: sympy.Basic, point: Mapping[sympy.Symbol, Any]) -> Any:
    if node.is_Symbol:
        if node not in point:
            raise LiftError(f"no value for {node}")
        return np.asarray(point[node], dtype=np.float64)
    if node.is_Number or node.is_NumberSymbol:
        return np.float64(float(node))
    if node is sympy.true or node is sympy.false:
        return np.bool_(bool(node))
    args = [_walk(a, point) for a in node.args] if not isinstance(node, sympy.Piecewise) else []
    kind = type(node)
    if kind in _FUNCTIONS:
        return _FUNCTIONS[kind](*args)
    if node.is_Add:
        return _fold(np.add, args)
    if node.is_Mul:
        return _fold(np.multiply, args)
    if node.is_Pow:
        return np.power(args[0], args[1])
    if isinstance(node, sympy.Heaviside):
        at_zero = args[1] if len(args) > 1 else np.float64(0.5)
        return np.where(args[0] > 0, 1.0, np.where(args[0] < 0, 0.0, at_zero))
    if isinstance(node, sympy.Max | sympy.Min):
        return _fold(np.maximum if isinstance(node, sympy.Max) else np.minimum, args)
    if isinstance(node, sympy.Piecewise):
        return _piecewise(node, point)
    if isinstance(node, sympy.core.relational.Relational):
        return _RELATIONS[node.rel_op](*args)
    if isinstance(node, sympy.And | sympy.Or | sympy.Not):
        function = {sympy.And: np.logical_and, sympy.Or: np.logical_or}.get(kind)
        return np.logical_not(args[0]) if function is None else _fold(function, args)
    if isinstance(node, elementwise_sum):
        return np.sum(args[0])
    raise LiftError(f"cannot evaluate {kind.__name__} numerically")


def _fold(function: Callable[[Any, Any], Any], args: list[Any]) -> Any:
    result = args[0]
    for arg in args[1:]:
        result = function(result, arg)
    return result


def _piecewise(node: sympy.Piecewise, point: Mapping[sympy.Symbol, Any]) -> Any:
    result: Any = np.float64(np.nan)
    for value, condition in reversed(node.args):
        result = np.where(_walk(condition, point), _walk(value, point), result)
    return result


_RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}
