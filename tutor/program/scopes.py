"""Provides Python's scoping for lesson programs: the names each scope binds, and its frames."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Scope:
    """What a function, class body or comprehension binds itself, and what it declares."""

    locals: frozenset[str]
    globals: frozenset[str] = frozenset()
    nonlocals: frozenset[str] = frozenset()


class Frame:
    """One running scope: a call, a class body or a comprehension.

    `parent` is the enclosing function's frame (class bodies are skipped, as in Python), where
    free variables are found; `qualname` prefixes the names of what is defined inside.
    """

    __slots__ = ("scope", "values", "parent", "function", "kind", "qualname")

    def __init__(
        self,
        scope: Scope,
        values: dict[str, Any],
        parent: Frame | None,
        kind: str,
        qualname: str,
        function: Any = None,
    ) -> None:
        self.scope = scope
        self.values = values
        self.parent = parent
        self.kind = kind
        self.qualname = qualname
        self.function = function

    def binder(self, name: str) -> Frame | None:
        """The enclosing function frame that binds `name` (for a free or nonlocal name)."""
        frame = self.parent
        while frame is not None:
            if name in frame.scope.locals and frame.kind != "class":
                return frame
            frame = frame.parent
        return None


def scope_of(node: ast.AST) -> Scope:
    """The scope a def, lambda, class body or comprehension makes (never recursing)."""
    bound: set[str] = set()
    declared_global: set[str] = set()
    declared_nonlocal: set[str] = set()
    if isinstance(node, ast.FunctionDef | ast.Lambda):
        bound.update(_parameters(node.args))
    if isinstance(node, _COMPREHENSIONS):
        pending: list[ast.AST] = [g.target for g in node.generators]
    elif isinstance(node, ast.Lambda):
        pending = []
    else:
        pending = list(node.body)  # type: ignore[attr-defined]
    while pending:
        child = pending.pop()
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            bound.add(child.id)
        elif isinstance(child, ast.alias):
            bound.add(child.asname or child.name.split(".")[0])
        elif isinstance(child, ast.ExceptHandler) and child.name:
            bound.add(child.name)
        elif isinstance(child, ast.Global):
            declared_global.update(child.names)
        elif isinstance(child, ast.Nonlocal):
            declared_nonlocal.update(child.names)
        pending.extend(_evaluated_here(child))
    declared = declared_global | declared_nonlocal
    return Scope(
        frozenset(bound - declared), frozenset(declared_global), frozenset(declared_nonlocal)
    )


def _parameters(arguments: ast.arguments) -> list[str]:
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    names += [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return names


def _evaluated_here(node: ast.AST) -> list[ast.AST]:
    """The children of `node` that belong to the scope `node` is in (a nested def's name,
    decorators and defaults do; its body does not)."""
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        parts: list[ast.AST] = [*node.decorator_list, ast.Name(node.name, ast.Store())]
        if isinstance(node, ast.FunctionDef):
            parts += [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
        else:
            parts += [*node.bases, *node.keywords]
        return parts
    if isinstance(node, ast.Lambda):
        return [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
    if isinstance(node, _COMPREHENSIONS):
        return [node.generators[0].iter]
    return list(ast.iter_child_nodes(node))


def _undefined(name: str) -> NameError:
    return NameError(f"name '{name}' is not defined")


def _unbound_local(name: str) -> UnboundLocalError:
    return UnboundLocalError(
        f"cannot access local variable '{name}' where it is not associated with a value"
    )


def _unbound_free(name: str) -> NameError:
    return NameError(
        f"cannot access free variable '{name}' where it is not associated with a value in "
        "enclosing scope"
    )


class Names:
    """Finding and binding names the way Python does (mixed into the Evaluator): the running
    frame, the enclosing functions' frames, the program's globals, then the safe builtins."""

    variables: dict[str, Any]
    builtins: dict[str, object]
    frame: Frame | None
    scopes: dict[int, tuple[ast.AST, Scope]]

    def lookup(self, name: str) -> Any:
        frame = self.frame
        if frame is not None:
            scope = frame.scope
            if name in scope.locals:
                if name in frame.values:
                    return frame.values[name]
                if frame.kind != "class":
                    raise _unbound_local(name)
            elif name not in scope.globals:
                binder = frame.binder(name)
                if binder is not None:
                    if name in binder.values:
                        return binder.values[name]
                    raise _unbound_free(name)
        if name in self.variables:
            return self.variables[name]
        if name in self.builtins:
            return self.builtins[name]
        raise _undefined(name)

    def _table(self, name: str) -> tuple[dict[str, Any], Callable[[str], BaseException]]:
        frame = self.frame
        if frame is None or name in frame.scope.globals:
            return self.variables, _undefined
        if name in frame.scope.nonlocals:
            binder = frame.binder(name)
            assert binder is not None, "the checker refuses a nonlocal without a binding"
            return binder.values, _unbound_free
        if frame.kind == "class":
            return frame.values, _undefined
        return frame.values, _unbound_local

    def store(self, name: str, value: Any) -> None:
        if self.frame is None:
            self.variables[name] = value
        else:
            self._table(name)[0][name] = value

    def delete(self, name: str) -> None:
        table, missing = self._table(name)
        if name not in table:
            raise missing(name)
        del table[name]

    def enclosing(self) -> Frame | None:
        """The frame a function or comprehension defined here closes over (never a class's)."""
        frame = self.frame
        while frame is not None and frame.kind == "class":
            frame = frame.parent
        return frame

    def scope_for(self, node: ast.AST) -> Scope:
        cached = self.scopes.get(id(node))
        if cached is None or cached[0] is not node:
            cached = self.scopes[id(node)] = (node, scope_of(node))
        return cached[1]
