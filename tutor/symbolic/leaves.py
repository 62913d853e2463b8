"""Provides the state of one lifting: its leaves (tensors whose elements are symbols), the
exact numbers they stand for, and the hooks the engine calls while a program runs on them —
a new leaf, a new result, an in-place update, a backward pass, a number asked for."""

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
    tensor: Any = None  # the engine tensor holding the symbols

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
    """The leaves made so far, every leaf element's value, and each recorded output's values
    (by node and output number), for reading a scalar's formula back from the graph."""

    leaves: list[Leaf] = field(default_factory=list)
    values: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    owners: dict[sympy.Symbol, tuple[Leaf, tuple[int, ...]]] = field(default_factory=dict)
    derivatives: dict[tuple[sympy.Expr, sympy.Symbol], sympy.Expr] = field(default_factory=dict)
    outputs: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)
    nodes: list[Any] = field(default_factory=list)  # keeps recorded nodes alive (ids stay unique)

    # ----- the engine's hooks -----------------------------------------------------------------

    def adopt(self, data: np.ndarray, edge: tuple) -> np.ndarray:
        """A new tensor's data: floats become exact numbers; symbols in a result that records
        nothing (no_grad, detach, .data) become the numbers they stand for."""
        check_size(data.size)
        if data.dtype.kind == "f":
            from tutor.symbolic.kernels import exact_array

            data = exact_array(data)
        elif data.dtype == object and edge[0] is None:
            data = self.constant(data)
        if edge[0] is not None:
            self.outputs[(id(edge[0]), edge[1])] = data
            self.nodes.append(edge[0])
        return data

    def becomes_leaf(self, tensor: Any) -> None:
        """`tensor.requires_grad_()`: its elements become symbols standing for its values."""
        leaf = self.new_leaf(self.constant(np.asarray(tensor._data, dtype=object)))
        leaf.tensor = tensor
        tensor._data = leaf.symbols.copy()

    def leaf_of(self, tensor: Any) -> Leaf | None:
        return next((leaf for leaf in self.leaves if leaf.tensor is tensor), None)

    def assign(self, tensor: Any, data: np.ndarray) -> bool:
        """An in-place change of a leaf (an optimizer step under no_grad): its symbols now stand
        for the new values. False for any other tensor, which the engine writes as usual."""
        leaf = self.leaf_of(tensor)
        if leaf is None:
            base = getattr(tensor, "_base", None)
            if base is not None and self.leaf_of(base) is not None:
                raise LiftError(
                    "an in-place change to part of a leaf cannot be followed on symbols"
                )
            return False
        from tutor.symbolic.kernels import exact_array

        data = np.asarray(data)
        numbers = self.constant(data if data.dtype == object else exact_array(data))
        numbers = np.broadcast_to(numbers, leaf.shape)
        for index in np.ndindex(leaf.shape):
            leaf.values[index] = numbers[index]
            self.values[leaf.symbols[index]] = numbers[index]
        return True

    def number(self, value: Any) -> Any:
        """`item()` of a lifted value: the Python number it is at the leaves' values."""
        value = _substitute(value, self.values)
        if isinstance(value, sympy.Basic):
            if value.free_symbols:
                raise LiftError(f"the value {value} is not a number")
            if value.is_Integer:
                return int(value)
            if value in (sympy.true, sympy.false):
                return bool(value)
            return to_float(value)
        return value

    def numbers(self, data: np.ndarray) -> np.ndarray:
        """An array of lifted values as float64 numbers at the leaves' values."""
        return self.evaluate(np.asarray(data, dtype=object))

    def backward(self, tensors: list, grads: list, inputs: Any, create_graph: bool = False) -> None:
        """`backward()` in a lifted program: each leaf's .grad gains ∂(Σ w·out)/∂leaf — at the
        leaves' values, exactly (the derivative is sympy's), or, with create_graph, as the
        formula itself, which can be differentiated again."""
        chosen = None
        if inputs is not None:
            listed = [inputs] if hasattr(inputs, "_data") else list(inputs)
            chosen = {id(t) for t in listed}
        for leaf in self.leaves:
            if chosen is not None and id(leaf.tensor) not in chosen:
                continue
            if not leaf.tensor._requires_grad:
                continue
            total = self._weighted(tensors, grads, leaf)
            if total is None:
                continue
            gradient = self._gradient_tensor(total, create_graph)
            held = leaf.tensor._grad
            leaf.tensor._grad = gradient if held is None else held + gradient

    def gradients(
        self,
        outputs: list,
        grads: list,
        inputs: list,
        allow_unused: Any,
        create_graph: bool = False,
    ) -> tuple:
        """`torch.autograd.grad` in a lifted program."""
        found = []
        for i, tensor in enumerate(inputs):
            leaf = self.leaf_of(tensor)
            total = None if leaf is None else self._weighted(outputs, grads, leaf)
            if total is None:
                if not allow_unused:
                    raise RuntimeError(
                        f"The differentiated Tensor at index {i} appears to not have been used "
                        "in the graph. Set allow_unused=True if this is the desired behavior."
                    )
                found.append(None)
            else:
                found.append(self._gradient_tensor(total, create_graph))
        return tuple(found)

    def _gradient_tensor(self, total: np.ndarray, create_graph: bool) -> Any:
        """A gradient as a tensor: numbers, or (create_graph) the formula in the leaves'
        symbols, recorded as depending on them so that it is differentiated again."""
        from tutor.autograd.ops.record import new_node
        from tutor.autograd.tensor_core import result

        if not create_graph:
            return result(self.constant(total))
        edges = tuple(leaf.tensor._edge for leaf in self.leaves if leaf.tensor._edge[0] is not None)
        return result(total, (new_node(LiftedGradient, edges), 0))

    def _weighted(self, tensors: list, grads: list, leaf: Leaf) -> np.ndarray | None:
        total = None
        for tensor, grad in zip(tensors, grads, strict=True):
            data = np.asarray(tensor._data, dtype=object)
            if grad is None:
                if data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                weights = np.full(data.shape, sympy.Integer(1), dtype=object)
            else:
                weights = np.broadcast_to(
                    self.constant(np.asarray(grad._data, dtype=object)), data.shape
                )
            if not any(
                isinstance(v, sympy.Basic) and v.free_symbols & set(leaf.symbols.flat)
                for v in data.flat
            ):
                continue
            part = self.gradient(data, weights, leaf)
            total = part if total is None else total + part
        return total

    # ----- symbols and their derivatives -------------------------------------------------------

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
        point = {s: to_float(v) for s, v in self.values.items()}
        out = np.empty(data.shape, dtype=np.float64)
        for index in np.ndindex(data.shape):
            out[index] = _value_at(data[index], point)
        return out


def _lifted_gradient_class() -> type:
    from tutor.autograd.node import Node

    class LiftedGradient(Node):
        """A gradient computed with create_graph in a lifted program; it depends on the leaves
        (its formula holds their symbols), and sympy differentiates it again."""

        __slots__ = ()

    return LiftedGradient


LiftedGradient = _lifted_gradient_class()


@functools.cache
def _placeholder(position: int) -> sympy.Symbol:
    return symbol(f"_element{position}")


def _value_at(value: Any, point: dict) -> float:
    if not isinstance(value, sympy.Basic):
        return float(value)
    value = value.xreplace({s: point[s] for s in value.free_symbols if s in point})
    return to_float(value)


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
