"""Provides Evaluator: evaluates a checked expression tree against a program's variables."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.guards import check_binary, check_binop, check_elements, check_length, shape_of
from tutor.program.safe_builtins import check_format_spec, check_printable
from tutor.program.values import CALLABLES, Engine, read_attribute

BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.MatMult: operator.matmul,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
IN_PLACE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd,
    ast.Sub: operator.isub,
    ast.Mult: operator.imul,
    ast.Div: operator.itruediv,
    ast.FloorDiv: operator.ifloordiv,
    ast.Mod: operator.imod,
    ast.Pow: operator.ipow,
    ast.MatMult: operator.imatmul,
    ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift,
    ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior,
    ast.BitXor: operator.ixor,
}
UNARY: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
    ast.Invert: operator.invert,
}
COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_CONVERSIONS: dict[int, Callable[[Any], str]] = {-1: lambda v: v, 115: str, 114: repr, 97: ascii}


class Evaluator:
    """Expression evaluation over `variables`, falling back to `builtins` for names."""

    def __init__(self, engine: Engine, builtins: dict[str, object]) -> None:
        self.engine = engine
        self.builtins = builtins
        self.variables: dict[str, object] = {}
        self._dispatch: dict[type, Callable[[Any], Any]] = {
            ast.Constant: lambda node: node.value,
            ast.Name: self._name,
            ast.Attribute: lambda node: read_attribute(
                self.engine, self.eval(node.value), node.attr
            ),
            ast.Subscript: self._subscript,
            ast.Slice: self._slice,
            ast.Tuple: lambda node: tuple(self.eval(e) for e in node.elts),
            ast.List: lambda node: [self.eval(e) for e in node.elts],
            ast.BinOp: self._binop,
            ast.UnaryOp: lambda node: UNARY[type(node.op)](self.eval(node.operand)),
            ast.BoolOp: self._boolop,
            ast.Compare: self._compare,
            ast.Call: self._call,
            ast.IfExp: self._ifexp,
            ast.JoinedStr: self._joined,
            ast.FormattedValue: self._formatted,
        }

    def eval(self, node: ast.expr) -> Any:
        handler = self._dispatch.get(type(node))
        if handler is None:
            raise Refusal(f"{type(node).__name__} is not supported in lesson programs")
        return handler(node)

    def lookup(self, name: str) -> Any:
        if name in self.variables:
            return self.variables[name]
        if name in self.builtins:
            return self.builtins[name]
        raise NameError(f"name '{name}' is not defined")

    def _name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def _subscript(self, node: ast.Subscript) -> Any:
        value, index = self.eval(node.value), self.eval(node.slice)
        check_index(value, index)
        return value[index]

    def _slice(self, node: ast.Slice) -> slice:
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if part is None else self.eval(part) for part in parts))

    def _binop(self, node: ast.BinOp) -> Any:
        op = BINARY[type(node.op)]
        left, right = self.eval(node.left), self.eval(node.right)
        check_binop(op, left, right)
        return op(left, right)

    def _boolop(self, node: ast.BoolOp) -> Any:
        value = None
        for operand in node.values:
            value = self.eval(operand)
            if bool(value) == isinstance(node.op, ast.Or):
                return value
        return value

    def _compare(self, node: ast.Compare) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.eval(comparator)
            if hasattr(left, "shape") and hasattr(right, "shape"):
                check_binary(left, right)
            elif isinstance(right, list | tuple):
                check_printable(left)
                check_printable(right)
            result = COMPARE[type(op)](left, right)
            if len(node.ops) > 1 and not result:
                return result
            left = right
        return result

    def _call(self, node: ast.Call) -> Any:
        function = self.eval(node.func)
        args = [self.eval(arg) for arg in node.args]
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords if kw.arg is not None}
        if not isinstance(function, CALLABLES):
            if callable(function):
                kind = type(function).__name__
                raise Refusal(f"calling a {kind} value is not supported in lesson programs")
            raise TypeError(f"'{type(function).__name__}' object is not callable")
        return function(*args, **kwargs)

    def _ifexp(self, node: ast.IfExp) -> Any:
        return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)

    def _joined(self, node: ast.JoinedStr) -> str:
        parts = [self.eval(value) for value in node.values]
        text = "".join(parts)
        check_length(len(text))
        return text

    def _formatted(self, node: ast.FormattedValue) -> str:
        value = self.eval(node.value)
        check_printable(value)
        value = _CONVERSIONS[node.conversion](value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec)
        check_format_spec(spec)
        return format(value, spec)


def check_index(value: object, index: object) -> None:
    """Refuse advanced indexing that would gather more elements than a tensor may hold."""
    shape = shape_of(value)
    if not shape:
        return
    indices = index if isinstance(index, tuple) else (index,)
    gathered = 1
    for item in indices:
        if isinstance(item, list):
            gathered *= max(len(item), 1)
        elif not isinstance(item, int | slice | type(None) | type(Ellipsis)):
            item_shape = shape_of(item)
            dtype = str(getattr(item, "dtype", ""))
            if item_shape and "bool" not in dtype:
                gathered *= math.prod(item_shape)
    if gathered > 1:
        check_elements(gathered * math.prod(shape), "the indexing result")
