"""Provides the checks of where constructs stand in a program (what Python's compiler refuses:
`break` outside a loop, `return` outside a function, a late `from __future__ import`, scope
errors) and the names a program binds itself, all before anything runs."""

from __future__ import annotations

import ast
import symtable
from dataclasses import dataclass

from tutor.program.errors import Refusal
from tutor.program.whitelist import FUTURE_FEATURES


@dataclass(frozen=True)
class Bindings:
    """What the program names itself: variables (any scope) and attributes it assigns or its
    classes define."""

    names: frozenset[str]
    attributes: frozenset[str]


def bindings(tree: ast.AST) -> Bindings:
    names: set[str] = set()
    attributes: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            attributes.add(node.attr)
        if isinstance(node, ast.ClassDef):
            attributes.update(_class_names(node))
    return Bindings(frozenset(names), frozenset(attributes))


def _class_names(node: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.ClassDef):
            names.add(statement.name)
        for target in _targets(statement):
            names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _targets(statement: ast.stmt) -> list[ast.expr]:
    if isinstance(statement, ast.Assign):
        return statement.targets
    if isinstance(statement, ast.AugAssign | ast.AnnAssign):
        return [statement.target]
    return []


def check_placement(tree: ast.Module, text: str, filename: str) -> None:
    """Refuse, with Python's own SyntaxError, what its compiler (not its parser) refuses."""
    _check_future(tree.body)
    _check_flow(tree.body, in_loop=False, in_function=False)
    try:
        symtable.symtable(text, filename, "exec")
    except SyntaxError as exc:
        raise Refusal(f"SyntaxError: {exc.msg}", exc.lineno or 1) from None


def _check_future(body: list[ast.stmt]) -> None:
    opening = True
    for index, node in enumerate(body):
        future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        docstring = (
            index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        )
        if future:
            if not opening:
                message = "from __future__ imports must occur at the beginning of the file"
                raise Refusal(f"SyntaxError: {message}", node.lineno)
            for alias in node.names:  # type: ignore[attr-defined]
                if alias.name not in FUTURE_FEATURES:
                    message = f"future feature {alias.name} is not defined"
                    if alias.name == "braces":
                        message = "not a chance"
                    raise Refusal(f"SyntaxError: {message}", node.lineno)
        elif not docstring:
            opening = False


_LOOPS = (ast.For, ast.While)
_BLOCKS = ("body", "orelse", "finalbody")


def _check_flow(body: list[ast.stmt], in_loop: bool, in_function: bool) -> None:
    """Break and continue only in a loop, return only in a function (iteratively, not nested
    deeper than the program is)."""
    pending = [(body, in_loop, in_function)]
    while pending:
        statements, loop, function = pending.pop()
        for node in statements:
            if isinstance(node, ast.Break) and not loop:
                raise Refusal("SyntaxError: 'break' outside loop", node.lineno)
            if isinstance(node, ast.Continue) and not loop:
                raise Refusal("SyntaxError: 'continue' not properly in loop", node.lineno)
            if isinstance(node, ast.Return) and not function:
                raise Refusal("SyntaxError: 'return' outside function", node.lineno)
            if isinstance(node, ast.FunctionDef):
                pending.append((node.body, False, True))
            elif isinstance(node, ast.ClassDef):
                pending.append((node.body, False, False))
            elif isinstance(node, _LOOPS):
                pending.append((node.body, True, function))
                pending.append((node.orelse, loop, function))
            else:
                for block in _BLOCKS:
                    pending.append((getattr(node, block, []), loop, function))
                for handler in getattr(node, "handlers", []):
                    pending.append((handler.body, loop, function))
