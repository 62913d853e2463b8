"""Provides lift: a lesson program run on sympy symbols, giving each variable's formula and gradient.

A leaf that requires grad becomes one symbol per element, named after the variable it is bound
to: `x` of shape (2, 2) is `x_0_0, x_0_1, x_1_0, x_1_1` (element x[i, j] is `x_i_j`, printed
x₀ ₁ by sympy's pretty printer); a 0-d leaf is just `x`. Every other number stays an exact
sympy number (0.1 is 1/10). A formula that is the same for every element is given in the plain
symbol `x`.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

import tutor.autograd as engine
from tutor.autograd.lifting import LIFTING
from tutor.autograd.tensor_core import TensorCore
from tutor.program.errors import Refusal
from tutor.program.interpreter import Interpreter
from tutor.symbolic.elementwise import plain_form
from tutor.symbolic.forms import scalar_form
from tutor.symbolic.functions import symbol
from tutor.symbolic.kernels import SYMBOLIC, exact
from tutor.symbolic.leaves import Leaf, LiftError, Lifting, as_array, element_name, to_float
from tutor.symbolic.probe import Unsupported, evaluate_at

__all__ = [
    "EngineCheck",
    "Gradient",
    "LiftError",
    "Lifted",
    "check_against_engine",
    "derivative_answer",
    "lift",
]


@dataclass(frozen=True)
class Gradient:
    """∂(Σ of)/∂wrt: per element, and as one formula in the plain symbol when there is one.

    For a non-scalar `of` this is what `of.backward(torch.ones_like(of))` leaves in wrt.grad;
    for an elementwise `of` that is ∂ofᵢ/∂xᵢ.
    """

    of: str
    wrt: str
    per_element: np.ndarray  # object array shaped like wrt, in the element symbols
    elementwise: sympy.Expr | None  # in the plain symbol, when every element follows it
    values: Mapping[sympy.Symbol, float]  # every leaf element's value in the program
    elements: Mapping[str, np.ndarray]  # each leaf's element symbols, by leaf name

    def at(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """The gradient as float64 numbers: at the program's leaf values, or at `values`
        (leaf name → array shaped like the leaf) where given."""
        point: dict[sympy.Symbol, Any] = dict(self.values)
        plain: dict[sympy.Symbol, np.ndarray] = {}
        given = dict(values or {})
        for name, symbols in self.elements.items():
            if name in given:
                array = np.broadcast_to(
                    np.asarray(given.pop(name), dtype=np.float64), symbols.shape
                )
                point.update({symbols[i]: array[i] for i in np.ndindex(symbols.shape)})
            else:
                array = np.empty(symbols.shape, dtype=np.float64)
                for index in np.ndindex(symbols.shape):
                    array[index] = point[symbols[index]]
            plain[symbol(name)] = array
        if given:
            raise LiftError(f"`{next(iter(given))}` is not a leaf of the program")
        shape = self.per_element.shape
        try:
            if self.elementwise is not None:
                whole = evaluate_at(self.elementwise, {**point, **plain})
                return np.broadcast_to(whole, shape).astype(np.float64)
            out = np.empty(shape, dtype=np.float64)
            for index in np.ndindex(shape):
                out[index] = evaluate_at(self.per_element[index], point)
        except Unsupported as error:
            raise LiftError(str(error)) from None
        return out


class Lifted:
    """A program run on symbols up to a statement: each variable's formula and gradients."""

    def __init__(self, ctx: Lifting, variables: dict[str, Any], history: dict[int, str]) -> None:
        self.ctx = ctx
        self.variables = variables
        self.rename: dict[sympy.Symbol, sympy.Symbol] = {}
        self.leaf_names: dict[str, Leaf] = {}
        self._name_leaves(history)

    def _name_leaves(self, history: dict[int, str]) -> None:
        names: dict[int, str] = {}
        for variable, value in self.variables.items():
            leaf = self.ctx.leaf_of(value) if isinstance(value, TensorCore) else None
            if leaf is not None and id(leaf) not in names and variable not in names.values():
                names[id(leaf)] = variable
        taken = set(self.variables) | set(names.values())
        for leaf in self.ctx.leaves:
            if id(leaf) in names:
                continue
            base = history.get(id(leaf), "leaf")
            name, count = base, 1
            while name in taken:
                count += 1
                name = f"{base}{count}"
            names[id(leaf)] = name
            taken.add(name)
        for leaf in self.ctx.leaves:
            leaf.name = names[id(leaf)]
            self.leaf_names[leaf.name] = leaf
            self.rename[leaf.plain] = symbol(leaf.name)
            for index in np.ndindex(leaf.shape):
                if index:
                    self.rename[leaf.symbols[index]] = symbol(element_name(leaf.name, index))

    def _named(self, value: Any) -> Any:
        return value.xreplace(self.rename) if isinstance(value, sympy.Basic) else value

    def _rename_array(self, array: np.ndarray) -> np.ndarray:
        out = np.empty(array.shape, dtype=object)
        for index in np.ndindex(array.shape):
            out[index] = self._named(array[index])
        return out

    def tensor(self, name: str) -> TensorCore:
        value = self.variables.get(name)
        if value is None and name not in self.variables:
            raise LiftError(f"the program has no variable `{name}` at that point")
        if not isinstance(value, TensorCore):
            raise LiftError(f"`{name}` is not a tensor")
        return value

    def _array(self, name: str) -> np.ndarray:
        return as_array(np.asarray(self.tensor(name)._data, dtype=object))

    def expression(self, name: str) -> Any:
        """The variable's value in symbols: a sympy expression for a 0-d tensor or a number,
        else an object array of them."""
        value = self.variables.get(name)
        if not isinstance(value, TensorCore):
            if isinstance(value, int | float | sympy.Basic) and not isinstance(value, bool):
                return self._named(exact(value))
            self.tensor(name)
        array = self._rename_array(self._array(name))
        return array[()] if array.ndim == 0 else array

    def elements(self, name: str) -> np.ndarray:
        """The element symbols of the leaf bound to `name`."""
        return self._rename_array(self._leaf(name).symbols)

    def _leaf(self, name: str) -> Leaf:
        leaf = self.ctx.leaf_of(self.tensor(name))
        if leaf is None or not self.tensor(name).requires_grad:
            raise LiftError(f"`{name}` is not a leaf tensor that requires grad")
        return leaf

    def function(self, name: str) -> sympy.Expr:
        """The variable as one formula in plain symbols: f(x) for an elementwise tensor,
        elementwise_sum(f(x)) for one summed to a scalar (the seed's y)."""
        tensor = self.tensor(name)
        array = self._array(name)
        found = scalar_form(tensor, self.ctx) if array.ndim == 0 else None
        if found is None:
            found = plain_form(array, self.ctx)
        if found is None:
            raise LiftError(
                f"`{name}` is not one formula applied to every element; its elements are "
                "given one by one"
            )
        return self._named(sympy.sympify(found))

    def gradient(self, of: str, wrt: str) -> Gradient:
        """∂(Σ of)/∂wrt, per element and (when it is one) as a formula in the plain symbol."""
        output, leaf = self._array(of), self._leaf(wrt)
        weights = as_array(np.full(output.shape, sympy.Integer(1), dtype=object))
        raw = self.ctx.gradient(output, weights, leaf)
        elementwise = plain_form(raw, self.ctx)
        values = {self._named(s): to_float(v) for s, v in self.ctx.values.items()}
        return Gradient(
            of=of,
            wrt=wrt,
            per_element=self._rename_array(raw),
            elementwise=None if elementwise is None else self._named(sympy.sympify(elementwise)),
            values=values,
            elements={name: self._rename_array(lf.symbols) for name, lf in self.leaf_names.items()},
        )


def lift(source: str, *, upto: str | None = None) -> Lifted:
    """Run `source` on symbols through the statement `upto` (all of it when None); LiftError
    (one line) for what cannot be lifted. Results are cached by (source, upto)."""
    return _lift(source, upto)


@functools.lru_cache(maxsize=16)
def _lift(source: str, upto: str | None) -> Lifted:
    ctx = Lifting()
    history: dict[int, str] = {}

    def note(variables: dict[str, Any]) -> None:
        for name, value in variables.items():
            leaf = ctx.leaf_of(value) if isinstance(value, TensorCore) else None
            if leaf is not None:
                history.setdefault(id(leaf), name)

    before = (LIFTING.active, LIFTING.space)
    LIFTING.active, LIFTING.space = ctx, SYMBOLIC
    try:
        interpreter = run_until(source, upto, engine, note)
    finally:
        LIFTING.active, LIFTING.space = before
    return Lifted(ctx, dict(interpreter.variables), history)


def run_until(source: str, upto: str | None, torch_module: Any, note: Any = None) -> Interpreter:
    """Run the program on `torch_module` through the statement `upto`; LiftError on failure."""
    target = _normalise(upto) if upto is not None else None
    try:
        interpreter = Interpreter(source, "<program>", torch_module=torch_module)
    except Refusal as refusal:
        raise LiftError(f"line {refusal.line}: {refusal.message}") from None
    try:
        for step in interpreter.steps():
            if note is not None:
                note(interpreter.variables)
            if step.kind == "statement" and target == _normalise(ast.unparse(step.statement)):
                return interpreter
    except LiftError as error:
        raise LiftError(f"line {interpreter.line}: {error}") from None
    except Refusal as refusal:
        raise LiftError(f"line {refusal.line or interpreter.line}: {refusal.message}") from None
    except Exception as error:  # the program's own error, on symbols or on the engine
        message = str(error).splitlines()[0] if str(error) else ""
        raise LiftError(
            f"line {interpreter.line}: the program raised {type(error).__name__}: {message}"
        ) from None
    if target is not None:
        raise LiftError(f"the program has no statement `{upto}`")
    return interpreter


def _normalise(statement: str) -> str:
    try:
        return ast.unparse(ast.parse(statement.strip()))
    except SyntaxError:
        raise LiftError(f"`{statement}` is not a statement") from None


def derivative_answer(
    source: str, of: str, wrt: str, upto: str | None = None
) -> tuple[sympy.Expr, tuple[str, ...]]:
    """∂of/∂wrt as one formula in the plain symbol `wrt` (2*x for the seed's y), with the names
    of its free symbols; LiftError when the derivative differs from element to element."""
    gradient = lift(source, upto=upto).gradient(of, wrt)
    if gradient.elementwise is None:
        raise LiftError(
            f"d{of}/d{wrt} is not one formula in {wrt}: it differs from element to element"
        )
    names = tuple(sorted(s.name for s in gradient.elementwise.free_symbols)) or (wrt,)
    return gradient.elementwise, names


@dataclass(frozen=True)
class EngineCheck:
    """The symbolic gradient at the program's values beside the engine's wrt.grad."""

    ok: bool
    max_error: float
    symbolic: np.ndarray
    engine: np.ndarray

    def __bool__(self) -> bool:
        return self.ok


def check_against_engine(
    source: str, of: str, wrt: str, *, upto: str | None = None, torch_module: Any = None
) -> EngineCheck:
    """Compare ∂(Σ of)/∂wrt from the lifting with `wrt.grad` from the engine (or `torch_module`)
    running the same program: the program's own backward, else `of.backward(ones_like(of))`."""
    symbolic = lift(source, upto=upto).gradient(of, wrt).at()
    if torch_module is None:
        import tutor.autograd as torch_module
    interpreter = run_until(source, upto, torch_module)
    try:
        leaf, output = interpreter.variables[wrt], interpreter.variables[of]
        if leaf.grad is None:
            output.backward(torch_module.ones_like(output))
        engine = np.asarray(leaf.grad.detach().numpy(), dtype=np.float64)
    except Exception as error:
        raise LiftError(f"the engine gave no gradient: {type(error).__name__}: {error}") from None
    if engine.shape != symbolic.shape:
        raise LiftError(f"shapes differ: symbolic {symbolic.shape}, engine {engine.shape}")
    error = np.abs(symbolic - engine)
    max_error = float(error.max()) if error.size else 0.0
    ok = bool(np.all(error <= 1e-5 + 1e-4 * np.abs(symbolic)))
    return EngineCheck(ok, max_error, symbolic, engine)
