"""Provides the assignment statements: `=` to names, tuples, attributes and items, augmented
`+=` (guarded before it computes), annotated `x: int = 1`, and `del`."""

from __future__ import annotations

import ast
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.expressions import IN_PLACE, check_index
from tutor.program.guards import check_binop, check_length
from tutor.program.objects import read, write


class Assignments:
    """The assignment part of the Interpreter (mixed into it: eval, store, lookup, delete…)."""

    def _assign(self, node: ast.Assign) -> None:
        value = self.eval(node.value)
        for target in node.targets:
            self.assign(target, value)

    def _annotated(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.assign(node.target, self.eval(node.value))

    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.store(target.id, value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element, item in zip(target.elts, _unpack(value, len(target.elts)), strict=True):
                self.assign(element, item)
        elif isinstance(target, ast.Attribute):
            write(self.engine, self.eval(target.value), target.attr, value)
        elif isinstance(target, ast.Subscript):
            container, index = self.eval(target.value), self.eval(target.slice)
            if isinstance(container, list) and isinstance(index, slice):
                check_length(len(container) + len(value) if hasattr(value, "__len__") else 0)
            container[index] = value
        else:
            raise Refusal(f"cannot assign to {type(target).__name__}")

    def _augmented(self, node: ast.AugAssign) -> None:
        op = IN_PLACE[type(node.op)]
        target = node.target
        if isinstance(target, ast.Name):
            current = self.lookup(target.id)
            value = self.eval(node.value)
            check_binop(op, current, value)
            self.store(target.id, op(current, value))
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            current = read(self.engine, owner, target.attr)
            value = self.eval(node.value)
            check_binop(op, current, value)
            write(self.engine, owner, target.attr, op(current, value))
        elif isinstance(target, ast.Subscript):
            container, index = self.eval(target.value), self.eval(target.slice)
            check_index(container, index)
            current = container[index]
            value = self.eval(node.value)
            check_binop(op, current, value)
            container[index] = op(current, value)

    def _delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.delete(target.id)
            else:
                assert isinstance(target, ast.Subscript), "the checker allows no other"
                container, index = self.eval(target.value), self.eval(target.slice)
                del container[index]


def _unpack(value: Any, count: int) -> list[Any]:
    try:
        iterator = iter(value)
    except TypeError:
        raise TypeError(f"cannot unpack non-iterable {type(value).__name__} object") from None
    items: list[Any] = []
    for item in iterator:
        items.append(item)
        if len(items) > count:
            raise ValueError(f"too many values to unpack (expected {count})")
    if len(items) < count:
        raise ValueError(f"not enough values to unpack (expected {count}, got {len(items)})")
    return items
