"""Provides SymbolicTorch: the `torch` a lifted program imports, making SymTensors, not numbers."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.leaves import LiftError, Lifting, as_array, check_size
from tutor.symbolic.symfunctional import Functional
from tutor.symbolic.symmath import where
from tutor.symbolic.symtensor import SymTensor
from tutor.symbolic.symvalues import DType, Size, apply, boolean, float32, float64, int64, number

# torch functions that are the tensor method of the same name
_METHOD_NAMES = """
exp log sqrt abs sin cos tan tanh sigmoid relu neg square sign floor ceil round
sum mean max min prod matmul mm mv dot bmm add sub mul div pow clamp maximum minimum
softmax log_softmax reshape transpose t squeeze unsqueeze flatten clone
"""
_METHODS = frozenset(_METHOD_NAMES.split())


class SymNode:
    """The graph-node type of a lifted program (a lifting keeps no graph: grad_fn is None)."""


class GradMode:
    """`torch.no_grad()` / `torch.enable_grad()` for a lifting."""

    def __init__(self, ctx: Lifting, enabled: bool) -> None:
        self.ctx, self.enabled, self.before = ctx, enabled, True

    def __enter__(self) -> GradMode:
        self.before, self.ctx.grad_enabled = self.ctx.grad_enabled, self.enabled
        return self

    def __exit__(self, *exc: object) -> None:
        self.ctx.grad_enabled = self.before


def _nested(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_nested(v) for v in value]
    if isinstance(value, SymTensor):
        return value.array.tolist() if value.array.ndim else value.array[()]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return number(value)


def _infer_dtype(data: Any) -> DType:
    """torch.tensor's dtype for Python data: float32 if any float, bool if all bools, else int64."""
    kinds: set[str] = set()
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, SymTensor):
            kinds.add("float" if value.dtype.is_floating_point else value.dtype.name)
        elif isinstance(value, np.ndarray):
            kinds.add(
                "float" if value.dtype.kind == "f" else "bool" if value.dtype.kind == "b" else "int"
            )
        else:
            kinds.add(
                "bool"
                if isinstance(value, bool | np.bool_)
                else "float"
                if isinstance(value, float | np.floating | sympy.Basic)
                else "int"
            )
    if "float" in kinds:
        return float32
    return boolean if kinds == {"bool"} else int64


def _random(*args: Any, **kwargs: Any) -> Any:
    raise LiftError("random values cannot be lifted: write the tensor's values in the program")


class SymbolicTorch:
    """A torch-like module over one Lifting; inject it as the interpreter's torch module."""

    Tensor = SymTensor
    Node = SymNode
    Size = Size
    float32 = float = float32
    float64 = double = float64
    float16 = half = DType("float16", True)
    int64 = long = int64
    int32 = int = DType("int32", False)
    bool = boolean

    def __init__(self, ctx: Lifting | None = None) -> None:
        self.ctx = ctx if ctx is not None else Lifting()
        self.autograd = SimpleNamespace(graph=SimpleNamespace(Node=SymNode))
        self.nn = SimpleNamespace(functional=Functional(self))
        for name in _METHODS:
            setattr(self, name, self._method(name))
        for name in ("rand", "randn", "randint", "rand_like", "randn_like"):
            setattr(self, name, _random)

    def _method(self, name: str) -> Any:
        def call(tensor: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(self.as_tensor(tensor), name)(*args, **kwargs)

        call.__name__ = name
        return call

    def as_tensor(self, value: Any) -> SymTensor:
        if isinstance(value, SymTensor):
            return value
        return self.tensor(value)

    def _make(self, array: np.ndarray, dtype: DType | None, requires_grad: bool) -> SymTensor:
        check_size(array.size)
        array = apply(number, as_array(array))
        made = SymTensor(self.ctx, array, dtype=dtype or float32)
        if dtype is not None and dtype.is_floating_point:
            made.array = apply(_exact_float, made.array)
        return made.requires_grad_(True) if requires_grad else made

    def tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False):
        nested = _nested(data)
        try:
            array = as_array(np.array(nested, dtype=object))
        except ValueError:
            raise ValueError("expected sequence of equal-length lists") from None
        return self._make(array, dtype or _infer_dtype(data), requires_grad)

    def _typed(self, dtype: DType, args: tuple[Any, ...]) -> SymTensor:
        if len(args) == 1 and isinstance(args[0], list | tuple | SymTensor | np.ndarray):
            return self.tensor(args[0], dtype=dtype)
        if all(isinstance(a, int) for a in args):
            return self.zeros(*args, dtype=dtype)
        raise TypeError("new(): invalid data type")

    def FloatTensor(self, *args: Any) -> SymTensor:  # noqa: N802  (torch's names)
        return self._typed(float32, args)

    def DoubleTensor(self, *args: Any) -> SymTensor:  # noqa: N802
        return self._typed(float64, args)

    def LongTensor(self, *args: Any) -> SymTensor:  # noqa: N802
        return self._typed(int64, args)

    def IntTensor(self, *args: Any) -> SymTensor:  # noqa: N802
        return self._typed(self.int32, args)

    def BoolTensor(self, *args: Any) -> SymTensor:  # noqa: N802
        return self._typed(boolean, args)

    def full(self, size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False):
        shape = tuple(size) if isinstance(size, list | tuple) else (size,)
        check_size(int(np.prod(shape)))
        array = np.full(shape, number(fill_value), dtype=object)
        if dtype is None:
            dtype = (
                boolean
                if isinstance(fill_value, bool)
                else (int64 if isinstance(fill_value, int) else float32)
            )
        return self._make(array, dtype, requires_grad)

    def zeros(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> SymTensor:
        return self.full(_size(size), 0, dtype=dtype or float32, requires_grad=requires_grad)

    def ones(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> SymTensor:
        return self.full(_size(size), 1, dtype=dtype or float32, requires_grad=requires_grad)

    empty = zeros

    def zeros_like(self, other: Any, dtype: Any = None, requires_grad: bool = False) -> SymTensor:
        return self.zeros(*other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)

    def ones_like(self, other: Any, dtype: Any = None, requires_grad: bool = False) -> SymTensor:
        return self.ones(*other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)

    def full_like(self, other: Any, fill_value: Any, dtype: Any = None, requires_grad=False):
        return self.full(other.shape, fill_value, dtype or other.dtype, requires_grad)

    def arange(self, *args: Any, dtype: Any = None, requires_grad: bool = False) -> SymTensor:
        start, end, step = (0, args[0], 1) if len(args) == 1 else (*args[:2], args[2:3] or 1)
        step = step[0] if isinstance(step, tuple) else step
        count = max(0, int(np.ceil((end - start) / step)))
        check_size(count)
        values = [number(start) + number(step) * i for i in range(count)]
        floating = any(isinstance(a, float) for a in args)
        return self._make(
            np.array(values, dtype=object), dtype or (float32 if floating else int64), requires_grad
        )

    def linspace(self, start: Any, end: Any, steps: int, dtype: Any = None, requires_grad=False):
        check_size(steps)
        first, last = number(start), number(end)
        values = [
            first + (last - first) * sympy.Rational(i, max(steps - 1, 1)) for i in range(steps)
        ]
        return self._make(np.array(values, dtype=object), dtype or float32, requires_grad)

    def eye(self, n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False):
        check_size(n * (m or n))
        array = np.array(np.eye(n, m or n, dtype=int).tolist(), dtype=object)
        return self._make(array, dtype or float32, requires_grad)

    def manual_seed(self, seed: int) -> None:
        return None

    def no_grad(self) -> GradMode:
        return GradMode(self.ctx, False)

    def enable_grad(self) -> GradMode:
        return GradMode(self.ctx, True)

    def is_grad_enabled(self) -> bool:
        return self.ctx.grad_enabled

    def is_tensor(self, value: Any) -> bool:
        return isinstance(value, SymTensor)

    def where(self, condition: Any, a: Any, b: Any) -> SymTensor:
        return where(self.as_tensor(condition), a, b)

    def cat(self, tensors: Any, dim: int = 0) -> SymTensor:
        parts = [self.as_tensor(t) for t in tensors]
        return parts[0].result(np.concatenate([p.array for p in parts], axis=dim), *parts)

    def stack(self, tensors: Any, dim: int = 0) -> SymTensor:
        parts = [self.as_tensor(t) for t in tensors]
        return parts[0].result(np.stack([p.array for p in parts], axis=dim), *parts)

    def allclose(self, a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        left, right = (self.ctx.evaluate(self.as_tensor(t).array) for t in (a, b))
        return bool(np.allclose(left, right, rtol=rtol, atol=atol))

    def equal(self, a: Any, b: Any) -> bool:
        left, right = self.as_tensor(a), self.as_tensor(b)
        return left.shape == right.shape and bool(np.all(left.array == right.array))


def _size(size: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], list | tuple) else size


def _exact_float(value: Any) -> Any:
    if value is sympy.true or value is sympy.false:
        return sympy.Integer(int(bool(value)))
    return value
