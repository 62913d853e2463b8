"""Provides probe_points: where to evaluate two expressions so that unequal ones show it.

Every variable gets BASE_ROWS values of its own: magnitudes 0.1–4 of both signs (where a
course's functions are tame), 0.1–4 positive, and log-uniform over 10⁻⁶…10⁸ of both signs.
Then points chosen from the expressions themselves, for each variable an argument can be
solved for: the argument peeled down to the variable as a·F(inner) + b, with a and b free of
it and F linear or invertible (exp, log, tanh, sinh, atan, sigmoid, a power), as in `x − 13`,
`2x − y` or `exp(2x) − 10⁶`:
- breakpoints: for each argument of relu, abs, sign and Heaviside, each difference of two
  arguments of Max or Min, and each `lhs − rhs` of a Piecewise condition, the variable is set
  on both sides of the root (not at it: a value at one point is a convention, not a
  derivative), at offsets of 10⁻⁹ to 1 times the root's size, so `relu(x − c)` shows whatever
  c is; an argument that is a polynomial of degree ≤ 4 in one variable gets the same around
  each real root;
- domains: points where an argument of log or of a fractional or symbolic power is positive
  (0.1–4 and log-uniform 10⁻⁶…10⁶), and where one of asin or acos lies in (−1, 1).
Other variables keep their first base values on those points.  Where a Σ, a mean or N
appears, each point is a tensor of 1 to ELEMENTS_PER_POINT elements (so N varies).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from tutor.symbolic.functions import ELEMENTS, relu, sigmoid
from tutor.symbolic.probe import REDUCTIONS, evaluate

BASE_ROWS = 40
ELEMENTS_PER_POINT = 4
COUNTS = (3, 4, 1, 2)
MAX_ROWS = 400
OFFSETS = (1e-9, 1e-6, 1e-3, 0.1, 1.0)
DOMAIN_ROWS = 8
MAX_DEGREE = 4
MAX_LAYERS = 4

_KINKS = (relu, sympy.Abs, sympy.sign, sympy.Heaviside)
_INVERSES: dict[type, Callable[[np.ndarray], np.ndarray]] = {
    sympy.exp: np.log,
    sympy.log: np.exp,
    sympy.tanh: np.arctanh,
    sympy.sinh: np.arcsinh,
    sympy.atan: np.tan,
    sigmoid: lambda t: np.log(t) - np.log1p(-t),
}


@dataclass(frozen=True)
class Points:
    """Values of each variable, shape (P, K), and how many of the K elements each point has."""

    values: dict
    counts: np.ndarray
    elements: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.counts), self.elements

    @property
    def present(self) -> np.ndarray:
        return np.arange(self.shape[1]) < self.counts[:, None]


def probe_points(
    expressions: Sequence[sympy.Expr], variables: Iterable[sympy.Symbol], seed: int
) -> Points:
    """The points at which to compare `expressions`, over `variables` (all their symbols)."""
    symbols = sorted((v for v in set(variables) if v != ELEMENTS), key=str)
    tensors = any(e.has(*REDUCTIONS, ELEMENTS) for e in expressions)
    k = ELEMENTS_PER_POINT if tensors else 1
    rng = np.random.default_rng(seed)
    base = {v: _base(rng, k) for v in symbols}
    blocks = [base]
    size = BASE_ROWS
    for argument, kind in dict.fromkeys(t for e in expressions for t in _targets(e)):
        for v in sorted(argument.free_symbols & set(symbols), key=str):
            for block in _targeted(argument, v, kind, base, rng, k):
                blocks.append(block)
                size += len(block[v])
        if size >= MAX_ROWS:
            break
    values = {v: np.concatenate([block[v] for block in blocks]) for v in symbols}
    counts = np.resize(np.array(COUNTS if tensors else (1,)), size)
    return Points(values, counts, k)


def _base(rng: np.random.Generator, k: int) -> np.ndarray:
    moderate = np.exp(rng.uniform(np.log(0.1), np.log(4.0), (20, k)))
    wide = 10.0 ** rng.uniform(-6.0, 8.0, (BASE_ROWS - 20, k))
    sign = np.where(rng.random((BASE_ROWS, k)) < 0.5, -1.0, 1.0)
    sign[16:20] = 1.0
    return np.concatenate([moderate, wide]) * sign


@functools.lru_cache(maxsize=1024)
def _targets(expr: sympy.Expr) -> tuple[tuple[sympy.Expr, str], ...]:
    """(argument, what it needs) for each breakpoint or domain the expression has."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, _KINKS):
            found.append((node.args[0], "kink"))
        elif isinstance(node, sympy.Max | sympy.Min):
            args = node.args
            found += [(a - b, "kink") for i, a in enumerate(args) for b in args[i + 1 :]]
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                relations = condition.atoms(sympy.core.relational.Relational)
                found += [(r.lhs - r.rhs, "kink") for r in relations]
        elif isinstance(node, sympy.log):
            found.append((node.args[0], "positive"))
        elif node.is_Pow and not node.exp.is_Integer:
            found.append((node.base, "positive"))
        elif isinstance(node, sympy.asin | sympy.acos):
            found.append((node.args[0], "unit"))
    return tuple(
        (argument, kind)
        for argument, kind in found
        if argument.free_symbols and not argument.has(*REDUCTIONS, ELEMENTS)
    )


@functools.lru_cache(maxsize=1024)
def _layers(argument: sympy.Expr, v: sympy.Symbol) -> tuple | None:
    """argument peeled down to v as layers (a, b, inverse): argument = a·F(inner) + b with a, b
    free of v and F undone by `inverse` (None at the last layer, where inner is v); None when
    the argument is not of that shape (v in two places, a function without an inverse)."""
    layers = []
    for _ in range(MAX_LAYERS):
        b, rest = argument.as_independent(v, as_Add=True)
        a, core = rest.as_independent(v, as_Add=False)
        if core == v:
            return (*layers, (a, b, None))
        if core.is_Pow and core.exp.is_Rational and core.exp != 0:
            inverse, argument = _root(core.exp), core.base
        elif type(core) in _INVERSES and len(core.args) == 1:
            inverse, argument = _INVERSES[type(core)], core.args[0]
        else:
            return None
        layers.append((a, b, inverse))
    return None


def _root(exponent: sympy.Rational) -> Callable[[np.ndarray], np.ndarray]:
    """The inverse of t ↦ t^exponent: an odd root keeps the sign, others the positive branch."""
    power = 1.0 / float(exponent)
    if exponent.p % 2 and exponent.q % 2:
        return lambda t: np.sign(t) * np.abs(t) ** power
    return lambda t: np.power(t, power)


def _solve(layers: tuple, targets: np.ndarray, others: dict, shape) -> np.ndarray:
    """The values of v at which the layered argument takes `targets` (NaN where none)."""
    t = targets
    for a, b, inverse in layers:
        t = (t - evaluate(b, others, shape)) / evaluate(a, others, shape)
        if inverse is not None:
            t = inverse(t)
    return t


@functools.lru_cache(maxsize=1024)
def _roots(argument: sympy.Expr, v: sympy.Symbol) -> tuple[float, ...]:
    """The real roots of an argument that is a polynomial in v alone, of degree ≤ MAX_DEGREE."""
    if argument.free_symbols != {v} or not argument.is_polynomial(v):
        return ()
    poly = sympy.Poly(argument, v)
    if not 2 <= poly.degree() <= MAX_DEGREE:
        return ()
    roots = np.roots([float(c) for c in poly.all_coeffs()])
    real = roots.real[np.abs(roots.imag) <= 1e-9 * np.maximum(1.0, np.abs(roots.real))]
    return tuple(float(r) for r in np.unique(real))


def _targeted(argument, v, kind, base, rng, k) -> list[dict]:
    """Blocks of points where `argument` is near its breakpoint, or inside its domain, in v."""
    rows = 2 * len(OFFSETS) if kind == "kink" else DOMAIN_ROWS
    shape = (rows, k)
    others = {w: values[np.arange(rows) % BASE_ROWS] for w, values in base.items()}
    signed = np.array([*OFFSETS, *(-o for o in OFFSETS)])
    offsets = signed[(np.arange(rows)[:, None] + np.arange(k)) % len(signed)]
    layers = _layers(argument, v)
    with np.errstate(all="ignore"):
        if layers is not None and kind == "kink":
            root = _solve(layers, np.zeros(shape), others, shape)
            roots = [root]
        elif layers is not None:
            return [_block(others, v, _solve(layers, _inside(kind, rng, shape), others, shape))]
        elif kind == "kink":
            roots = [np.full(shape, r) for r in _roots(argument, v)]
        else:
            return []
        return [_block(others, v, r + offsets * np.maximum(1.0, np.abs(r))) for r in roots]


def _block(others: dict, v: sympy.Symbol, chosen: np.ndarray) -> dict:
    return {**others, v: np.where(np.isfinite(chosen), chosen, others[v])}


def _inside(kind: str, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Values an argument of this kind of function should take: positive, or within (−1, 1)."""
    if kind == "unit":
        return rng.uniform(-0.999, 0.999, shape)
    half = shape[0] // 2
    moderate = np.exp(rng.uniform(np.log(0.1), np.log(4.0), (half, shape[1])))
    wide = 10.0 ** rng.uniform(-6.0, 6.0, (shape[0] - half, shape[1]))
    return np.concatenate([moderate, wide])
