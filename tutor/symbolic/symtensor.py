"""Provides SymTensor: a tensor whose elements are sympy expressions, with PyTorch's arithmetic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.leaves import LiftError, Lifting, as_array, check_size, to_float
from tutor.symbolic.symmath import MathMethods
from tutor.symbolic.symshape import ShapeMethods
from tutor.symbolic.symvalues import DType, Size, add, apply, div, float32, int64, number, truth


class SymTensor(MathMethods, ShapeMethods):
    """What a lesson program's tensor holds when it runs on symbols instead of numbers."""

    __hash__ = object.__hash__

    def __init__(
        self,
        ctx: Lifting,
        data: np.ndarray,
        leaves: frozenset[int] = frozenset(),
        *,
        dtype: DType = float32,
        form: sympy.Expr | None = None,
    ) -> None:
        check_size(data.size)
        self.ctx = ctx
        self.array = as_array(data)
        self.leaves = leaves  # indices into ctx.leaves of the leaves this tensor depends on
        self.dtype = dtype
        self.form = form  # for a scalar: its value in plain symbols, e.g. elementwise_sum(x**2)
        self.leaf: Any = None
        self.is_leaf = True
        self.retains_grad = False

    # construction helpers -------------------------------------------------------------------

    def _operand(self, value: Any) -> SymTensor:
        if isinstance(value, SymTensor):
            return value
        data = as_array(number(value)) if not isinstance(value, list | tuple) else None
        if data is None:
            data = np.array(value, dtype=object)
            data = apply(number, data)
        return SymTensor(self.ctx, data, dtype=self.dtype)

    def result(self, data: np.ndarray, *inputs: SymTensor, form: Any = None) -> SymTensor:
        """A new non-leaf tensor computed from `inputs` (a constant under no_grad)."""
        leaves: frozenset[int] = frozenset().union(*(t.leaves for t in inputs))
        if leaves and not self.ctx.grad_enabled:
            data, leaves, form = self.ctx.constant(as_array(data)), frozenset(), None
        floating = any(t.dtype.is_floating_point for t in inputs)
        dtype = next((t.dtype for t in inputs if t.dtype.is_floating_point), float32)
        out = SymTensor(self.ctx, as_array(data), leaves, dtype=dtype if floating else int64)
        out.form = form if out.array.ndim == 0 else None
        out.is_leaf = not leaves
        return out

    def binary(self, other: Any, function: Callable[[Any, Any], Any], reverse: bool = False):
        other_t = self._operand(other)
        a, b = (other_t, self) if reverse else (self, other_t)
        out = self.result(apply(function, a.array, b.array), a, b)
        if out.array.ndim == 0:
            forms = (a.scalar_form(), b.scalar_form())
            if None not in forms:
                out.form = function(*forms)
        if function is div and not out.dtype.is_floating_point:
            out.dtype = float32
        return out

    def unary(self, function: Callable[[Any], Any]) -> SymTensor:
        form = self.scalar_form()
        out = self.result(apply(function, self.array), self)
        if out.array.ndim == 0 and form is not None and out.leaves:
            out.form = function(form)
        return out

    def scalar_form(self) -> Any:
        """The scalar's value in plain symbols, if known; a constant is its own form."""
        if self.array.ndim != 0:
            return None
        if self.form is not None:
            return self.form
        value = self.array[()]
        if not self.leaves:
            return value
        if self.leaf is not None:
            return self.leaf.plain
        return None

    # the autograd surface ---------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        return bool(self.leaves)

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> SymTensor:
        if requires_grad and not self.leaves:
            if not self.dtype.is_floating_point:
                raise RuntimeError("only Tensors of floating point dtype can require gradients")
            self.leaf = self.ctx.new_leaf(self.array)
            self.array = self.leaf.symbols.copy()
            self.leaves = frozenset({len(self.ctx.leaves) - 1})
            self.is_leaf, self.form = True, None
        elif not requires_grad and self.leaves:
            if not self.is_leaf:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            self.detach_()
        return self

    @property
    def grad(self) -> SymTensor | None:
        return self.leaf.grad if self.leaf is not None else None

    @grad.setter
    def grad(self, value: SymTensor | None) -> None:
        if self.leaf is None:
            raise LiftError("only a leaf's .grad can be set in a lifted program")
        self.leaf.grad = value

    @property
    def grad_fn(self) -> None:
        return None

    def retain_grad(self) -> None:
        self.retains_grad = True

    def backward(
        self,
        gradient: Any = None,
        retain_graph: Any = None,
        create_graph: bool = False,
        inputs=None,
    ) -> None:
        """Accumulate d(Σ gradient·self)/d leaf into each leaf's .grad, as exact numbers."""
        if not self.leaves:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None:
            if self.array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            weights = as_array(np.full(self.array.shape, sympy.Integer(1), dtype=object))
        else:
            weights = self.ctx.constant(np.broadcast_to(self._operand(gradient).array, self.shape))
        for position in sorted(self.leaves):
            leaf = self.ctx.leaves[position]
            values = self.ctx.constant(self.ctx.gradient(self.array, weights, leaf))
            if leaf.grad is None:
                leaf.grad = SymTensor(self.ctx, values, dtype=self.dtype)
            else:
                leaf.grad.array = apply(add, leaf.grad.array, values)

    def detach(self) -> SymTensor:
        return SymTensor(self.ctx, self.ctx.constant(self.array), dtype=self.dtype)

    def detach_(self) -> SymTensor:
        self.array, self.leaves, self.form = self.ctx.constant(self.array), frozenset(), None
        self.leaf, self.is_leaf = None, True
        return self

    @property
    def data(self) -> SymTensor:
        return self.detach()

    @data.setter
    def data(self, value: Any) -> None:
        self.assign(self._operand(value).array, "assigning .data", frozenset())

    def become(self, other: SymTensor, what: str) -> SymTensor:
        """Take `other`'s values in place: the in-place form of an operation."""
        self.assign(other.array, what, other.leaves)
        self.form = other.form
        return self

    def assign(self, data: np.ndarray, what: str, leaves: frozenset[int] | None = None):
        """Overwrite the values in place (refused for a leaf whose elements are symbols)."""
        if self.leaf is not None and self.leaves:
            raise LiftError(
                f"{what} changes a leaf that requires grad in place; a lifting cannot follow it"
            )
        data = as_array(data)
        if not self.ctx.grad_enabled:
            data = self.ctx.constant(data)
        try:
            data = np.broadcast_to(data, self.shape).copy()
        except ValueError:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match") from None
        self.array = data
        if not self.ctx.grad_enabled:
            leaves = frozenset()
        self.leaves = self.leaves | (self._leaves_of(data) if leaves is None else leaves)
        self.form = None
        self.is_leaf = not self.leaves
        return self

    def _leaves_of(self, data: np.ndarray) -> frozenset[int]:
        found: set[int] = set()
        for value in data.flat:
            for element in getattr(value, "free_symbols", ()):
                owner = self.ctx.owners.get(element)
                if owner is not None:
                    found.add(self.ctx.leaves.index(owner[0]))
        return frozenset(found)

    # shape and conversion ---------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        return Size(self.array.shape)

    @property
    def ndim(self) -> int:
        return self.array.ndim

    def size(self, dim: int | None = None) -> Any:
        return self.shape if dim is None else self.array.shape[dim]

    def dim(self) -> int:
        return self.array.ndim

    def numel(self) -> int:
        return self.array.size

    def item(self) -> Any:
        if self.array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        return self.array.flat[0]

    def tolist(self) -> Any:
        return self.array.tolist()

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def __bool__(self) -> bool:
        if self.array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        value = truth(self.array.flat[0])
        if value is not None:
            return value
        raise LiftError(
            "the program branches on a value that depends on a leaf (data-dependent control "
            "flow); a lifting follows one formula for every value"
        )

    def __float__(self) -> float:
        value = self.item()
        if getattr(value, "free_symbols", None):
            raise LiftError("float() of a value that depends on a leaf cannot be lifted")
        return to_float(value)

    def __int__(self) -> int:
        return int(self.__float__())

    def __len__(self) -> int:
        if not self.array.ndim:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __iter__(self) -> Iterator[SymTensor]:
        for index in range(len(self)):
            yield self[index]

    def __repr__(self) -> str:
        body = (
            str(self.array.tolist()) if self.array.size <= 100 else f"<{self.array.size} elements>"
        )
        grad = ", requires_grad=True" if self.leaves else ""
        return f"tensor({body}{grad})"

    def __format__(self, spec: str) -> str:
        if self.array.size == 1 and not self.leaves and spec:
            return format(to_float(self.array.flat[0]), spec)
        return format(repr(self), spec)

    def __getitem__(self, index: Any) -> SymTensor:
        return self.result(as_array(self.array[_plain_index(index)]), self)

    def __setitem__(self, index: Any, value: Any) -> None:
        data = self.array.copy()
        data[_plain_index(index)] = self._operand(value).array
        self.assign(data, "assigning to an element")


def _plain_index(index: Any) -> Any:
    """A numpy index for a tensor index (tensors of constants become integer/bool arrays)."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, SymTensor):
        if index.leaves:
            raise LiftError("indexing by a value that depends on a leaf cannot be lifted")
        kind = bool if index.dtype.name == "bool" else int
        return np.array(index.array.tolist(), dtype=kind)
    return index
