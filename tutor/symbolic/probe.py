"""Provides numeric probing: sympy expressions evaluated with numpy at many random points at once.

Every variable stands for a tensor: at each of P points it has K elements (an array of shape
(P, K)), so `elementwise_sum(f)` is f summed over the K elements and broadcast back, exactly
as Σᵢ f(xᵢ) behaves next to elementwise terms.  No code is generated or executed: the
expression tree is walked and each node computed with numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import sympy

from tutor.symbolic.functions import ELEMENTS, elementwise_mean, elementwise_sum, relu, sigmoid

Array = np.ndarray

_UNARY: dict[type, Callable[[Array], Array]] = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.tanh: np.tanh,
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.asin: np.arcsin,
    sympy.acos: np.arccos,
    sympy.atan: np.arctan,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,
    sigmoid: lambda a: 1.0 / (1.0 + np.exp(-a)),
    relu: lambda a: np.maximum(a, 0.0),
}


class Unsupported(ValueError):
    """The expression holds something the probe cannot evaluate numerically."""


def sample_points(variables: Iterable[sympy.Symbol], elements: int, seed: int) -> dict:
    """Random values for each variable, shape (24, elements): magnitudes 0.1–3 of both signs,
    0.1–3 positive (for log and sqrt), and 3–12 of both signs; never integers, never near 0."""
    rng = np.random.default_rng(seed)
    values = {}
    for var in sorted(variables, key=str):
        small = rng.uniform(np.log(0.1), np.log(3.0), (18, elements))
        large = rng.uniform(3.0, 12.0, (6, elements))
        magnitude = np.concatenate([np.exp(small), large])
        sign = np.where(rng.random((24, elements)) < 0.5, -1.0, 1.0)
        sign[12:18] = 1.0
        values[var] = magnitude * sign
    return values


def evaluate(expr: sympy.Expr, values: dict, shape: tuple[int, int]) -> Array:
    """expr at every point: an array of `shape` (NaN where undefined or not real)."""
    with np.errstate(all="ignore"):
        result = _Walker(values, shape).value(expr)
        return np.broadcast_to(np.asarray(result, dtype=float), shape)


class _Walker:
    def __init__(self, values: dict, shape: tuple[int, int]) -> None:
        self.values = values
        self.shape = shape
        self.memo: dict[sympy.Basic, Array | float] = {}

    def value(self, expr: sympy.Basic) -> Array | float:
        if expr not in self.memo:
            self.memo[expr] = self._compute(expr)
        return self.memo[expr]

    def _compute(self, expr: sympy.Basic) -> Array | float:
        if expr == ELEMENTS:
            return float(self.shape[1])
        if expr.is_Symbol:
            if expr not in self.values:
                raise Unsupported(f"no value for {expr}")
            return self.values[expr]
        if expr.is_Number or isinstance(expr, sympy.NumberSymbol):
            return _number(expr)
        if expr.is_Add:
            return sum((self.value(arg) for arg in expr.args), start=0.0)
        if expr.is_Mul:
            product: Array | float = 1.0
            for arg in expr.args:
                product = product * self.value(arg)
            return product
        if expr.is_Pow:
            return np.power(np.asarray(self.value(expr.base), dtype=float), self.value(expr.exp))
        if isinstance(expr, elementwise_sum):
            inner = np.broadcast_to(np.asarray(self.value(expr.args[0]), dtype=float), self.shape)
            return np.broadcast_to(inner.sum(axis=1, keepdims=True), self.shape)
        if isinstance(expr, elementwise_mean):
            inner = np.broadcast_to(np.asarray(self.value(expr.args[0]), dtype=float), self.shape)
            return np.broadcast_to(inner.mean(axis=1, keepdims=True), self.shape)
        if isinstance(expr, sympy.Heaviside):
            at_zero = self.value(expr.args[1]) if len(expr.args) > 1 else 0.5
            return np.heaviside(self.value(expr.args[0]), at_zero)
        if isinstance(expr, sympy.Max | sympy.Min):
            combine = np.maximum if isinstance(expr, sympy.Max) else np.minimum
            result = self.value(expr.args[0])
            for arg in expr.args[1:]:
                result = combine(result, self.value(arg))
            return result
        if isinstance(expr, sympy.Piecewise):
            return self._piecewise(expr)
        for kind, function in _UNARY.items():
            if isinstance(expr, kind) and len(expr.args) == 1:
                return function(np.asarray(self.value(expr.args[0]), dtype=float))
        raise Unsupported(f"cannot evaluate {type(expr).__name__}")

    def _piecewise(self, expr: sympy.Piecewise) -> Array:
        result = np.full(self.shape, np.nan)
        decided = np.zeros(self.shape, dtype=bool)
        for piece, condition in expr.args:
            holds = np.broadcast_to(self._condition(condition), self.shape) & ~decided
            result = np.where(holds, np.broadcast_to(self.value(piece), self.shape), result)
            decided |= holds
        return result

    def _condition(self, condition: sympy.Basic) -> Array | bool:
        if condition is sympy.true or condition is sympy.false:
            return bool(condition)
        comparisons = {
            sympy.StrictLessThan: np.less,
            sympy.LessThan: np.less_equal,
            sympy.StrictGreaterThan: np.greater,
            sympy.GreaterThan: np.greater_equal,
            sympy.Eq: np.equal,
            sympy.Ne: np.not_equal,
        }
        for kind, compare in comparisons.items():
            if isinstance(condition, kind):
                return compare(self.value(condition.lhs), self.value(condition.rhs))
        if isinstance(condition, sympy.And | sympy.Or):
            parts = [self._condition(arg) for arg in condition.args]
            reduce = np.logical_and if isinstance(condition, sympy.And) else np.logical_or
            return reduce.reduce(np.broadcast_arrays(*parts)) if parts else True
        if isinstance(condition, sympy.Not):
            return np.logical_not(self._condition(condition.args[0]))
        raise Unsupported(f"cannot evaluate condition {type(condition).__name__}")


def _number(expr: sympy.Basic) -> float:
    if expr.has(sympy.I):
        return float("nan")
    try:
        return float(expr)
    except OverflowError:
        return float("inf") if expr.is_positive else float("-inf")
    except TypeError:
        return float("nan")
