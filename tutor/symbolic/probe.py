"""Provides numeric probing: sympy expressions evaluated with numpy at many points at once, each
value with a bound on its rounding error.

Every variable stands for a tensor: at each of P points it has K elements (an array of shape
(P, K)), of which the first `counts[p]` are present, so `elementwise_sum(f)` is f summed over
the present elements and broadcast back, exactly as Σᵢ f(xᵢ) behaves next to elementwise terms
(`sum_i(g)` alike); `elementwise_mean(f)` divides that sum by the count, and `ELEMENTS` (N) is the count itself.
No code is generated or executed: the expression tree is walked and each node computed with
numpy.  Next to each value the walk carries a running bound on its error (Wilkinson's model:
an operation rounds by at most u relative to its result, a library function by a few u, an
underflow by a few subnormals; an error in an argument is carried exactly where that is cheap
— exp, log, powers, products — and elsewhere by the function's slope, its steepest slope once
the error passes NONLINEAR), so a comparison can tell a real difference from cancellation
(1 − σ(30) against e⁻³⁰/(1+e⁻³⁰)²).  Where a step, a branch or a pole is within its argument's
error, the bound is infinite.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy

from tutor.symbolic.functions import (
    ELEMENTS,
    elementwise_mean,
    elementwise_sum,
    relu,
    sigmoid,
    sum_i,
)

Array = np.ndarray
Pair = tuple[Array, Array]

UNIT = np.finfo(np.float64).eps / 2
LIBRARY = 4 * UNIT
UNDERFLOW = 4 * np.finfo(np.float64).smallest_subnormal
NONLINEAR = 0.01
REDUCTIONS = (elementwise_sum, elementwise_mean, sum_i)


def _sigmoid(a: Array) -> Array:
    ea = np.exp(-np.abs(a))  # never overflows, so σ(−800) is e⁻⁸⁰⁰, not 1/∞
    return np.where(a >= 0, 1.0 / (1.0 + ea), ea / (1.0 + ea))


def _relu(a: Array) -> Array:
    return np.maximum(a, 0.0)


Spread = Callable[[Array, Array, Array], Array]


def _lipschitz(slope: Callable[[Array, Array], Array], bound: float) -> Spread:
    """How far an argument's error e moves the value: by the local slope while e is small,
    by the function's steepest slope anywhere beyond."""
    return lambda a, v, e: np.where(e <= NONLINEAR, slope(a, v), bound) * e


def _local(slope: Callable[[Array, Array], Array]) -> Spread:
    """As _lipschitz, for a function without a steepest slope: past NONLINEAR, nothing known."""
    return lambda a, v, e: np.where(e <= NONLINEAR, slope(a, v) * e, np.inf)


def _inverse_sine_slope(a: Array, v: Array) -> Array:
    return 1.0 / np.sqrt(1.0 - a * a)


# function, and how far an error e in its argument a can move its value v
_UNARY: dict[type, tuple[Callable[[Array], Array], Spread]] = {
    sympy.exp: (np.exp, lambda a, v, e: np.abs(v) * np.expm1(e)),
    sympy.log: (np.log, lambda a, v, e: -np.log1p(-e / np.abs(a))),
    sympy.sin: (np.sin, _lipschitz(lambda a, v: np.abs(np.cos(a)), 1.0)),
    sympy.cos: (np.cos, _lipschitz(lambda a, v: np.abs(np.sin(a)), 1.0)),
    sympy.tan: (np.tan, _local(lambda a, v: 1.0 + v * v)),
    sympy.tanh: (np.tanh, _lipschitz(lambda a, v: 1.0 - v * v, 1.0)),
    sympy.sinh: (np.sinh, _local(lambda a, v: np.cosh(a))),
    sympy.cosh: (np.cosh, _local(lambda a, v: np.abs(np.sinh(a)))),
    sympy.asin: (np.arcsin, _local(_inverse_sine_slope)),
    sympy.acos: (np.arccos, _local(_inverse_sine_slope)),
    sympy.atan: (np.arctan, _lipschitz(lambda a, v: 1.0 / (1.0 + a * a), 1.0)),
    sympy.Abs: (np.abs, lambda a, v, e: e),
    sigmoid: (_sigmoid, _lipschitz(lambda a, v: v * (1.0 - v), 0.25)),
    relu: (_relu, lambda a, v, e: e),
}
_COMPARISONS = {
    sympy.StrictLessThan: np.less,
    sympy.LessThan: np.less_equal,
    sympy.StrictGreaterThan: np.greater,
    sympy.GreaterThan: np.greater_equal,
    sympy.Eq: np.equal,
    sympy.Ne: np.not_equal,
}


class Unsupported(ValueError):
    """The expression holds something the probe cannot evaluate numerically."""


def evaluate(
    expr: sympy.Expr, values: dict, shape: tuple[int, int], counts: Array | None = None
) -> Array:
    """expr at every point: an array of `shape` (NaN where undefined or not real)."""
    return evaluate_with_error(expr, values, shape, counts)[0]


def evaluate_with_error(
    expr: sympy.Expr, values: dict, shape: tuple[int, int], counts: Array | None = None
) -> Pair:
    """expr at every point and a bound on the rounding error of each value, both of `shape`.

    `counts` (shape (P,), default all K) says how many elements each point has."""
    return Probe(values, shape, counts).at(expr)


def evaluate_at(expr: sympy.Expr, point: dict) -> Array:
    """expr at one point (symbol → number or array, broadcast together) as float64 numbers."""
    arrays = {s: np.asarray(v, dtype=float) for s, v in point.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    size = max(1, int(np.prod(shape)))
    flat = {s: np.broadcast_to(a, shape).reshape(1, size) for s, a in arrays.items()}
    value = evaluate(sympy.sympify(expr), flat, (1, size))
    return np.array(value, dtype=float).reshape(shape)


class Probe:
    """Expressions evaluated at one set of points; what two of them share is computed once."""

    def __init__(self, values: dict, shape: tuple[int, int], counts: Array | None = None):
        if counts is None:
            counts = np.full(shape[0], shape[1])
        self._walker = _Walker(values, shape, np.asarray(counts))

    def at(self, expr: sympy.Expr) -> Pair:
        """expr's values and their error bounds, both of the points' shape."""
        shape = self._walker.shape
        with np.errstate(all="ignore"):
            value, error = self._walker.pair(expr)
            return np.broadcast_to(value, shape), np.broadcast_to(error, shape)


def _rounding(number: sympy.Basic, value: float) -> float:
    if number.is_Rational and abs(number.p) < 2**53 and number.q & (number.q - 1) == 0:
        return 0.0  # an integer or a dyadic fraction is stored exactly
    return UNIT * abs(value)


def _rounded(value: Array, units: float) -> Array:
    """The rounding of one operation: `units` relative, or an underflow to 0 or subnormal."""
    return units * np.abs(value) + UNDERFLOW


def _unsure(argument: Array, error: Array) -> Array:
    """Where an argument is within its error of 0 (a step or branch could go either way)."""
    return ~(np.abs(argument) > error) & (error != 0)


class _Walker:
    def __init__(self, values: dict, shape: tuple[int, int], counts: Array) -> None:
        self.values = values
        self.shape = shape
        self.present = np.arange(shape[1]) < counts[:, None]
        self.counts = counts[:, None].astype(float)
        self.memo: dict[sympy.Basic, Pair] = {}

    def pair(self, expr: sympy.Basic) -> Pair:
        if expr not in self.memo:
            value, error = self._compute(expr)
            self.memo[expr] = (np.asarray(value, dtype=float), np.asarray(error, dtype=float))
        return self.memo[expr]

    def _compute(self, expr: sympy.Basic) -> Pair:
        if expr == ELEMENTS:
            return self.counts, np.zeros(1)
        if expr.is_Symbol:
            if expr not in self.values:
                raise Unsupported(f"no value for {expr}")
            return self.values[expr], np.zeros(1)
        if expr.is_Atom and expr.is_number:  # numbers, π, e, zoo, i (NaN: not real)
            value = _number(expr)
            return np.float64(value), np.float64(_rounding(expr, value))
        if expr.is_Add:
            return self._add(expr.args)
        if expr.is_Mul:
            return self._mul(expr.args)
        if expr.is_Pow:
            return self._pow(expr)
        if isinstance(expr, REDUCTIONS):
            return self._sum(expr)
        if isinstance(expr, sympy.Heaviside | sympy.sign):
            return self._step(expr)
        if isinstance(expr, sympy.Max | sympy.Min):
            combine = np.maximum if isinstance(expr, sympy.Max) else np.minimum
            pairs = [self.pair(arg) for arg in expr.args]
            value, error = pairs[0]
            for v, e in pairs[1:]:
                value, error = combine(value, v), np.maximum(error, e)
            return value, error
        if isinstance(expr, sympy.Piecewise):
            return self._piecewise(expr)
        for kind, (function, spread) in _UNARY.items():
            if isinstance(expr, kind) and len(expr.args) == 1:
                a, e = self.pair(expr.args[0])
                value = function(a)
                return value, spread(a, value, e) + _rounded(value, LIBRARY)
        raise Unsupported(f"cannot evaluate {type(expr).__name__}")

    def _add(self, args: tuple) -> Pair:
        total, error = self.pair(args[0])
        for arg in args[1:]:
            v, e = self.pair(arg)
            total = total + v
            error = error + e + UNIT * np.abs(total)
        return total, error

    def _mul(self, args: tuple) -> Pair:
        product, error = self.pair(args[0])
        for arg in args[1:]:
            v, e = self.pair(arg)
            error = np.abs(product) * e + np.abs(v) * error + error * e
            product = product * v
            error = error + _rounded(product, UNIT)
        return product, error

    def _pow(self, expr: sympy.Pow) -> Pair:
        (b, eb), (n, en) = self.pair(expr.base), self.pair(expr.exp)
        value = np.power(b, n)
        error = _rounded(value, LIBRARY)
        if eb.any():
            # the worst |b ± eb|^n − |b|^n, exactly: away from 0 for n > 0, towards it for n < 0
            toward = np.where(n > 0, 1.0, -1.0) * eb / np.abs(b)
            spread = np.abs(np.power(np.abs(b), n) * np.expm1(n * np.log1p(toward)))
            error = error + np.where(b == 0, np.power(eb, n), spread)
            if not (expr.exp.is_Integer and expr.exp.is_positive):
                error = np.where(2 * eb >= np.abs(b), np.inf, error)  # a pole or a branch
        if en.any():
            error = error + np.abs(value) * np.expm1(np.abs(np.log(np.abs(b))) * en)
        return value, error

    def _sum(self, expr: sympy.Function) -> Pair:
        v, e = (np.broadcast_to(part, self.shape) for part in self.pair(expr.args[0]))
        v, e = np.where(self.present, v, 0.0), np.where(self.present, e, 0.0)
        total = v.sum(axis=1, keepdims=True)
        error = e.sum(axis=1, keepdims=True) + UNIT * self.counts * np.abs(v).sum(
            axis=1, keepdims=True
        )
        if isinstance(expr, elementwise_mean):
            total, error = total / self.counts, error / self.counts + _rounded(total, UNIT)
        return np.broadcast_to(total, self.shape), np.broadcast_to(error, self.shape)

    def _step(self, expr: sympy.Function) -> Pair:
        a, e = self.pair(expr.args[0])
        if isinstance(expr, sympy.sign):
            return np.sign(a), np.where(_unsure(a, e), 2.0, 0.0)
        at_zero, _ = self.pair(expr.args[1]) if len(expr.args) > 1 else (0.5, 0.0)
        return np.heaviside(a, at_zero), np.where(_unsure(a, e), 1.0, 0.0)

    def _piecewise(self, expr: sympy.Piecewise) -> Pair:
        result, error = np.full(self.shape, np.nan), np.zeros(self.shape)
        decided = np.zeros(self.shape, dtype=bool)
        for piece, condition in expr.args:
            holds, unsure = (np.broadcast_to(c, self.shape) for c in self._condition(condition))
            undecided = ~decided
            error = np.where(undecided & unsure, np.inf, error)
            holds = holds & undecided
            v, e = (np.broadcast_to(part, self.shape) for part in self.pair(piece))
            result, error = np.where(holds, v, result), np.where(holds, np.maximum(error, e), error)
            decided |= holds
        return result, error

    def _condition(self, condition: sympy.Basic) -> tuple[Array | bool, Array | bool]:
        """Where the condition holds, and where rounding could change that."""
        if condition is sympy.true or condition is sympy.false:
            return bool(condition), False
        for kind, compare in _COMPARISONS.items():
            if isinstance(condition, kind):
                (l, el), (r, er) = self.pair(condition.lhs), self.pair(condition.rhs)
                return compare(l, r), _unsure(l - r, el + er)
        if isinstance(condition, sympy.And | sympy.Or):
            parts = [self._condition(arg) for arg in condition.args]
            reduce = np.logical_and if isinstance(condition, sympy.And) else np.logical_or
            holds = reduce.reduce(np.broadcast_arrays(*(p[0] for p in parts)))
            return holds, np.logical_or.reduce(np.broadcast_arrays(*(p[1] for p in parts)))
        if isinstance(condition, sympy.Not):
            holds, unsure = self._condition(condition.args[0])
            return np.logical_not(holds), unsure
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
