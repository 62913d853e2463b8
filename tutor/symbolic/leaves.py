"""Provides the state of one lifting: its leaves (tensors whose elements are symbols) and grad mode."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.functions import symbol

MAX_ELEMENTS = 10_000


class LiftError(ValueError):
    """A program (or a request about it) that cannot be lifted to symbols, told in one line."""


@dataclass(eq=False)
class Leaf:
    """A tensor that requires grad: each element a symbol (`key_0_1` until the leaf is named)."""

    key: str
    values: np.ndarray  # object array of exact sympy numbers
    symbols: np.ndarray  # object array of sympy symbols, same shape
    plain: sympy.Symbol  # the one symbol standing for "any element", used in elementwise forms
    name: str | None = None
    grad: Any = None  # the SymTensor holding the accumulated gradient, as numbers

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values.shape


def element_name(base: str, index: tuple[int, ...]) -> str:
    """`x` for a 0-d leaf, `x_0_1` for element x[0, 1] (0-based, as Python indexes)."""
    return "_".join((base, *map(str, index)))


def as_array(value: Any) -> np.ndarray:
    """An object ndarray, 0-d for a single value (numpy would unwrap it otherwise)."""
    if isinstance(value, np.ndarray):
        return value if value.dtype == object else value.astype(object)
    array = np.empty((), dtype=object)
    array[()] = value
    return array


def check_size(count: int) -> None:
    if count > MAX_ELEMENTS:
        raise LiftError(
            f"a tensor of {count:,} elements is over the {MAX_ELEMENTS:,} a lifting can follow"
        )


@dataclass(eq=False)
class Lifting:
    """The leaves made so far and whether grad mode is on (`torch.no_grad()` turns it off)."""

    leaves: list[Leaf] = field(default_factory=list)
    grad_enabled: bool = True
    values: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    owners: dict[sympy.Symbol, tuple[Leaf, tuple[int, ...]]] = field(default_factory=dict)
    derivatives: dict[tuple[sympy.Expr, sympy.Symbol], sympy.Expr] = field(default_factory=dict)

    def new_leaf(self, values: np.ndarray) -> Leaf:
        key = f"leaf{len(self.leaves) + 1}"
        plain = symbol(key)
        symbols = np.empty(values.shape, dtype=object)
        for index in np.ndindex(values.shape):
            symbols[index] = plain if not index else symbol(element_name(key, index))
        leaf = Leaf(key, values.copy(), symbols, plain)
        for index in np.ndindex(values.shape):
            self.values[symbols[index]] = values[index]
            self.owners[symbols[index]] = (leaf, index)
        self.leaves.append(leaf)
        return leaf

    def constant(self, data: np.ndarray) -> np.ndarray:
        """The same values with every leaf symbol replaced by its number: no gradient flows."""
        out = np.empty(data.shape, dtype=object)
        for index in np.ndindex(data.shape):
            out[index] = _substitute(data[index], self.values)
        return out

    def gradient(self, outputs: np.ndarray, weights: np.ndarray, leaf: Leaf) -> np.ndarray:
        """∂(Σₖ wₖ·outₖ)/∂ each element of `leaf`, as an object array shaped like the leaf."""
        result = np.empty(leaf.shape, dtype=object)
        terms: dict[tuple[int, ...], list[sympy.Expr]] = {i: [] for i in np.ndindex(leaf.shape)}
        for index in np.ndindex(outputs.shape):
            out, weight = outputs[index], weights[index]
            if weight == 0 or not isinstance(out, sympy.Basic):
                continue
            # a sum is differentiated term by term, each only by the symbols it holds
            for term in sympy.Add.make_args(out):
                for element, derivative in self._term_derivatives(term):
                    owner = self.owners[element]
                    if owner[0] is leaf:
                        terms[owner[1]].append(derivative if weight == 1 else weight * derivative)
        for index, parts in terms.items():
            result[index] = sympy.Add(*parts)
        return result

    def _term_derivatives(self, term: sympy.Expr) -> list[tuple[sympy.Symbol, sympy.Expr]]:
        """∂term/∂s for each leaf element s in `term`, differentiating each distinct shape of
        term once: its elements are swapped for placeholders, so x₀² and x₁² share one diff."""
        elements = sorted((s for s in term.free_symbols if s in self.owners), key=lambda s: s.name)
        if not elements:
            return []
        forward = {s: _placeholder(i) for i, s in enumerate(elements)}
        back = {p: s for s, p in forward.items()}
        template = term.xreplace(forward)
        found = []
        for s in elements:
            key = (template, forward[s])
            derivative = self.derivatives.get(key)
            if derivative is None:
                derivative = self.derivatives[key] = sympy.diff(template, forward[s])
            found.append((s, derivative.xreplace(back)))
        return found

    def evaluate(self, data: np.ndarray) -> np.ndarray:
        """Floats of every element at the leaves' values."""
        from tutor.symbolic.numeric import evaluate

        point = {s: to_float(v) for s, v in self.values.items()}
        out = np.empty(data.shape, dtype=np.float64)
        for index in np.ndindex(data.shape):
            out[index] = evaluate(data[index], point)
        return out


@functools.cache
def _placeholder(position: int) -> sympy.Symbol:
    return symbol(f"_element{position}")


def to_float(value: Any) -> float:
    if isinstance(value, sympy.Basic):
        value = sympy.N(value, 20)
        if value.is_real is False or not value.is_number:
            raise LiftError(f"the value {value} is not a real number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise LiftError(f"the value {value} is not a real number") from None


def _substitute(expr: Any, values: dict[sympy.Symbol, sympy.Expr]) -> Any:
    if not isinstance(expr, sympy.Basic) or not expr.free_symbols:
        return expr
    return expr.xreplace({s: values[s] for s in expr.free_symbols if s in values})
