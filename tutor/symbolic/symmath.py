"""Provides MathMethods: a symbolic tensor's elementwise arithmetic, functions and in-place forms."""

from __future__ import annotations

from typing import Any

import sympy

from tutor.symbolic.functions import relu, sigmoid
from tutor.symbolic.leaves import LiftError
from tutor.symbolic.symvalues import add, apply, boolean, div, mul, number, power, sub


def _relu(a: Any) -> Any:
    return relu(a) if getattr(a, "free_symbols", None) else sympy.Max(0, a)


def _constant_only(name: str, function: Any) -> Any:
    def on_constant(a: Any) -> Any:
        if getattr(a, "free_symbols", None):
            raise LiftError(f"{name} of a value that depends on a leaf cannot be lifted")
        return function(a)

    return on_constant


UNARY = {
    "neg": lambda a: -a,
    "abs": sympy.Abs,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "sigmoid": sigmoid,
    "relu": _relu,
    "square": lambda a: a**2,
    "sign": sympy.sign,
    "floor": _constant_only("floor", sympy.floor),
    "ceil": _constant_only("ceil", sympy.ceiling),
    "round": _constant_only("round", lambda a: sympy.Integer(round(float(a)))),
}

COMPARE = {
    "eq": sympy.Eq,
    "ne": sympy.Ne,
    "lt": sympy.Lt,
    "le": sympy.Le,
    "gt": sympy.Gt,
    "ge": sympy.Ge,
}


class MathMethods:
    """Mixed into SymTensor, which provides `binary`, `unary`, `become`, `array` and `ctx`."""

    binary: Any
    unary: Any
    become: Any
    result: Any
    array: Any
    _operand: Any

    def __add__(self, other: Any) -> Any:
        return self.binary(other, add)

    def __radd__(self, other: Any) -> Any:
        return self.binary(other, add, reverse=True)

    def __sub__(self, other: Any) -> Any:
        return self.binary(other, sub)

    def __rsub__(self, other: Any) -> Any:
        return self.binary(other, sub, reverse=True)

    def __mul__(self, other: Any) -> Any:
        return self.binary(other, mul)

    def __rmul__(self, other: Any) -> Any:
        return self.binary(other, mul, reverse=True)

    def __truediv__(self, other: Any) -> Any:
        return self.binary(other, div)

    def __rtruediv__(self, other: Any) -> Any:
        return self.binary(other, div, reverse=True)

    def __pow__(self, other: Any) -> Any:
        return self.binary(other, power)

    def __rpow__(self, other: Any) -> Any:
        return self.binary(other, power, reverse=True)

    def __neg__(self) -> Any:
        return self.unary(UNARY["neg"])

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return self.unary(UNARY["abs"])

    def __iadd__(self, other: Any) -> Any:
        return self.become(self + other, "+=")

    def __isub__(self, other: Any) -> Any:
        return self.become(self - other, "-=")

    def __imul__(self, other: Any) -> Any:
        return self.become(self * other, "*=")

    def __itruediv__(self, other: Any) -> Any:
        return self.become(self / other, "/=")

    def __ipow__(self, other: Any) -> Any:
        return self.become(self**other, "**=")

    def add(self, other: Any, alpha: Any = 1) -> Any:
        return self + (other if alpha == 1 else self._operand(other) * alpha)

    def sub(self, other: Any, alpha: Any = 1) -> Any:
        return self - (other if alpha == 1 else self._operand(other) * alpha)

    def mul(self, other: Any) -> Any:
        return self * other

    def div(self, other: Any) -> Any:
        return self / other

    def pow(self, exponent: Any) -> Any:
        return self**exponent

    def add_(self, other: Any, alpha: Any = 1) -> Any:
        return self.become(self.add(other, alpha), "add_")

    def sub_(self, other: Any, alpha: Any = 1) -> Any:
        return self.become(self.sub(other, alpha), "sub_")

    def mul_(self, other: Any) -> Any:
        return self.become(self * other, "mul_")

    def div_(self, other: Any) -> Any:
        return self.become(self / other, "div_")

    def pow_(self, exponent: Any) -> Any:
        return self.become(self**exponent, "pow_")

    def zero_(self) -> Any:
        return self.fill_(0)

    def fill_(self, value: Any) -> Any:
        return self.become(self.result(apply(lambda a: number(value), self.array)), "fill_")

    def copy_(self, source: Any) -> Any:
        return self.become(self._operand(source), "copy_")

    def clamp(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002  (torch's names)
        low, high = (None if v is None else number(v) for v in (min, max))

        def clamp_one(a: Any) -> Any:
            pieces = []
            if low is not None:
                pieces.append((low, a < low))
            if high is not None:
                pieces.append((high, a > high))
            return sympy.Piecewise(*pieces, (a, True))

        return self.unary(clamp_one)

    def clamp_(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        return self.become(self.clamp(min, max), "clamp_")

    def maximum(self, other: Any) -> Any:
        return self.binary(other, sympy.Max)

    def minimum(self, other: Any) -> Any:
        return self.binary(other, sympy.Min)

    def where(self, condition: Any, other: Any) -> Any:
        return where(condition, self, other)

    def _compare(self, other: Any, name: str) -> Any:
        out = self.binary(other, COMPARE[name])
        out.dtype, out.leaves, out.form, out.is_leaf = boolean, frozenset(), None, True
        return out

    def eq(self, other: Any) -> Any:
        return self._compare(other, "eq")

    def ne(self, other: Any) -> Any:
        return self._compare(other, "ne")

    def lt(self, other: Any) -> Any:
        return self._compare(other, "lt")

    def le(self, other: Any) -> Any:
        return self._compare(other, "le")

    def gt(self, other: Any) -> Any:
        return self._compare(other, "gt")

    def ge(self, other: Any) -> Any:
        return self._compare(other, "ge")

    __lt__, __le__, __gt__, __ge__ = lt, le, gt, ge

    def __eq__(self, other: object) -> Any:  # type: ignore[override]
        return self._compare(other, "eq")

    def __ne__(self, other: object) -> Any:  # type: ignore[override]
        return self._compare(other, "ne")


def _unary_method(name: str) -> Any:
    def method(self: Any) -> Any:
        return self.unary(UNARY[name])

    def in_place(self: Any) -> Any:
        return self.become(method(self), f"{name}_")

    method.__name__, in_place.__name__ = name, f"{name}_"
    return method, in_place


for _name in UNARY:
    _method, _in_place = _unary_method(_name)
    setattr(MathMethods, _name, _method)
    setattr(MathMethods, f"{_name}_", _in_place)


def where(condition: Any, a: Any, b: Any) -> Any:
    """torch.where(condition, a, b), elementwise as Piecewise((a, condition), (b, True))."""
    owner = next((t for t in (condition, a, b) if hasattr(t, "binary")), None)
    if owner is None:
        raise LiftError("torch.where needs at least one tensor")
    cond, first, second = (owner._operand(t) for t in (condition, a, b))

    def choose(c: Any, x: Any, y: Any) -> Any:
        return sympy.Piecewise((x, c), (y, True))

    return owner.result(apply(choose, cond.array, first.array, second.array), first, second)
