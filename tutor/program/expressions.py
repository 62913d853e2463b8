"""Provides Evaluator: evaluates a checked expression tree against a program's variables."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from tutor.program.callables import Function, Method, is_program_class
from tutor.program.comprehensions import Comprehensions
from tutor.program.errors import Refusal
from tutor.program.guards import (
    check_binary,
    check_binop,
    check_elements,
    check_length,
    safe_len,
    shape_of,
)
from tutor.program.objects import check_callable, read
from tutor.program.pytypes import bounded, check_format_spec, check_printable
from tutor.program.scopes import Frame, Names, Scope
from tutor.program.values import CALLABLES, Engine

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


class Evaluator(Names, Comprehensions):
    """Expression evaluation over the running frame, the program's `variables` (its globals)
    and the safe `builtins`."""

    def __init__(self, engine: Engine, builtins: dict[str, object]) -> None:
        self.engine = engine
        self.builtins = builtins
        self.variables: dict[str, object] = {}
        self.frame: Frame | None = None
        self.scopes: dict[int, tuple[ast.AST, Scope]] = {}
        self._dispatch: dict[type, Callable[[Any], Any]] = {
            ast.Constant: lambda node: node.value,
            ast.Name: lambda node: self.lookup(node.id),
            ast.Attribute: lambda node: read(self.engine, self.eval(node.value), node.attr),
            ast.Subscript: self._subscript,
            ast.Slice: self._slice,
            ast.Tuple: lambda node: tuple(self._items(node.elts)),
            ast.List: lambda node: self._items(node.elts),
            ast.Set: lambda node: set(self._items(node.elts)),
            ast.Dict: self._dict,
            ast.BinOp: self._binop,
            ast.UnaryOp: lambda node: UNARY[type(node.op)](self.eval(node.operand)),
            ast.BoolOp: self._boolop,
            ast.Compare: self._compare,
            ast.Call: self._call,
            ast.IfExp: self._ifexp,
            ast.JoinedStr: self._joined,
            ast.FormattedValue: self._formatted,
            ast.Lambda: lambda node: self.make_function(node),
            ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension,
            ast.DictComp: self._comprehension,
            ast.GeneratorExp: self._comprehension,
        }

    def eval(self, node: ast.expr) -> Any:
        handler = self._dispatch.get(type(node))
        if handler is None:
            raise Refusal(f"{type(node).__name__} is not supported in lesson programs")
        return handler(node)

    def make_function(self, node: ast.FunctionDef | ast.Lambda) -> Function:
        """A def's or lambda's function, its defaults evaluated now, as Python does."""
        defaults = tuple(self.eval(d) for d in node.args.defaults)
        kw_defaults = {
            a.arg: self.eval(d)
            for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)
            if d is not None
        }
        name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
        prefix = self.frame.qualname if self.frame is not None else ""
        scope = self.scope_for(node)
        return Function(self, node, scope, self.enclosing(), prefix + name, defaults, kw_defaults)

    def _items(self, elements: list[ast.expr], call: str | None = None) -> list[Any]:
        items: list[Any] = []
        for element in elements:
            if isinstance(element, ast.Starred):
                more = self.eval(element.value)
                if not hasattr(more, "__iter__") and not hasattr(more, "__getitem__"):
                    where = "Value after *" if call is None else f"{call}() argument after *"
                    raise TypeError(f"{where} must be an iterable, not {type(more).__name__}")
                items.extend(bounded(more))
                check_length(len(items))
            else:
                items.append(self.eval(element))
        return items

    def _dict(self, node: ast.Dict) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                more = self.eval(value)
                check_length(len(result) + safe_len(more))
                result.update(more)
            else:
                result[self.eval(key)] = self.eval(value)
        return result

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
            elif isinstance(right, list | tuple | dict | set):
                check_printable(left)
                check_printable(right)
            result = COMPARE[type(op)](left, right)
            if len(node.ops) > 1 and not result:
                return result
            left = right
        return result

    def _call(self, node: ast.Call) -> Any:
        function = self.eval(node.func)
        name = _call_name(function)
        args = self._items(node.args, name)
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            if keyword.arg is not None:
                kwargs[keyword.arg] = self.eval(keyword.value)
                continue
            more = self.eval(keyword.value)
            if not isinstance(more, dict):
                kind = type(more).__name__
                raise TypeError(f"{name}() argument after ** must be a mapping, not {kind}")
            check_length(len(kwargs) + len(more))
            for key, value in more.items():
                if not isinstance(key, str):
                    raise TypeError(f"{name}() keywords must be strings")
                if key in kwargs:
                    raise TypeError(f"{name}() got multiple values for keyword argument '{key}'")
                kwargs[key] = value
        check_callable(self.engine, function)
        return function(*args, **kwargs)

    def _ifexp(self, node: ast.IfExp) -> Any:
        return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)

    def _joined(self, node: ast.JoinedStr) -> str:
        parts, total = [], 0
        for value in node.values:
            part = self.eval(value)
            total += len(part)
            check_length(total)
            parts.append(part)
        return "".join(parts)

    def _formatted(self, node: ast.FormattedValue) -> str:
        value = self.eval(node.value)
        check_printable(value)
        value = _CONVERSIONS[node.conversion](value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec)
        check_format_spec(spec)
        return format(value, spec)


def _call_name(function: Any) -> str:
    if isinstance(function, Method):
        function = function.function
    if isinstance(function, Function):
        return function.__qualname__
    if isinstance(function, CALLABLES):
        return function.name
    return function.__name__ if is_program_class(function) else type(function).__name__


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
