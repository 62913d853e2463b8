"""Provides Interpreter: runs a checked lesson program statement by statement, within limits."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tutor.program.checker import parse_program
from tutor.program.errors import Refusal
from tutor.program.expressions import IN_PLACE, Evaluator, check_index
from tutor.program.guards import check_binop, check_length, safe_len
from tutor.program.limits import MAX_LOOP_ITERATIONS, MAX_STATEMENTS
from tutor.program.safe_builtins import Output, make_builtins
from tutor.program.values import Engine, ModuleFunction, read_attribute, write_attribute
from tutor.program.whitelist import MODULE_ATTRIBUTES

_BACKWARD_PARAMETERS = ("gradient", "retain_graph", "create_graph", "inputs")


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


@dataclass(frozen=True)
class Step:
    """One point the program has run to: after a statement, a loop iteration, or a backward node."""

    kind: str
    statement: ast.stmt
    iteration: int | None = None
    backward: Any = None


def default_engine() -> Any:
    import tutor.autograd

    return tutor.autograd


class Interpreter(Evaluator):
    """A lesson program, checked on construction (raises Refusal), run by `run()` or `steps()`."""

    def __init__(
        self, source: str | bytes, filename: str = "<program>", torch_module: Any = None
    ) -> None:
        self.filename = filename
        self.tree = parse_program(source, filename)
        self.output = Output()
        engine = Engine(torch_module if torch_module is not None else default_engine())
        super().__init__(engine, make_builtins(self.output))
        self.statements_run = 0
        self.iterations_run = 0
        self.line = 1

    def run(self) -> None:
        """Run the whole program; raises Refusal, or the program's own exception."""
        for statement in self.tree.body:
            self.execute(statement)

    def steps(self, backward_nodes: bool = False) -> Iterator[Step]:
        """Run lazily, yielding after every top-level statement and every top-level iteration.

        With `backward_nodes`, a top-level `t.backward(…)` runs through the engine's
        `backward_steps`, yielding once per graph node before the statement's own step.
        """
        for statement in self.tree.body:
            if isinstance(statement, ast.For):
                self._tick(statement)
                for index in self._iterations(statement):
                    yield Step("iteration", statement, index)
            elif backward_nodes and _is_backward_call(statement):
                yield from self._backward(statement)
            else:
                self.execute(statement)
            yield Step("statement", statement)

    def execute(self, statement: ast.stmt) -> None:
        try:
            self._tick(statement)
            self._execute(statement)
        except Refusal as refusal:
            raise refusal.at(statement.lineno) from None

    def _tick(self, statement: ast.stmt) -> None:
        self.line = statement.lineno
        self.statements_run += 1
        if self.statements_run > MAX_STATEMENTS:
            raise Refusal(f"the program ran over {MAX_STATEMENTS:,} statements", self.line)

    def _execute(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Expr):
            self.eval(node.value)
        elif isinstance(node, ast.Assign):
            value = self.eval(node.value)
            for target in node.targets:
                self.assign(target, value)
        elif isinstance(node, ast.AugAssign):
            self._augmented(node)
        elif isinstance(node, ast.For):
            for _ in self._iterations(node):
                pass
        elif isinstance(node, ast.If):
            self._block(node.body if self.eval(node.test) else node.orelse)
        elif isinstance(node, ast.With):
            self._with(node)
        elif isinstance(node, ast.Break):
            raise _Break
        elif isinstance(node, ast.Continue):
            raise _Continue
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                assert isinstance(target, ast.Name)
                if target.id not in self.variables:
                    raise NameError(f"name '{target.id}' is not defined")
                del self.variables[target.id]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self._import(node)
        elif not isinstance(node, ast.Pass):
            raise Refusal(f"{type(node).__name__} is not supported in lesson programs")

    def _block(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.execute(statement)

    def _iterations(self, node: ast.For) -> Iterator[int]:
        try:
            iterable = self.eval(node.iter)
            remaining = MAX_LOOP_ITERATIONS - self.iterations_run
            if hasattr(iterable, "__len__") and safe_len(iterable) > remaining:
                raise Refusal(
                    f"a loop of {safe_len(iterable):,} iterations is over the limit of "
                    f"{MAX_LOOP_ITERATIONS:,} loop iterations"
                )
        except Refusal as refusal:
            raise refusal.at(node.lineno) from None
        for index, item in enumerate(iterable):
            self.iterations_run += 1
            if self.iterations_run > MAX_LOOP_ITERATIONS:
                raise Refusal(
                    f"the program ran over {MAX_LOOP_ITERATIONS:,} loop iterations", node.lineno
                )
            try:
                self.assign(node.target, item)
                self._block(node.body)
            except _Break:
                yield index
                return
            except _Continue:
                pass
            except Refusal as refusal:
                raise refusal.at(node.lineno) from None
            self.line = node.lineno
            yield index

    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.variables[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            for element, item in zip(target.elts, _unpack(value, len(target.elts)), strict=True):
                self.assign(element, item)
        elif isinstance(target, ast.Attribute):
            write_attribute(self.engine, self.eval(target.value), target.attr, value)
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
            self.variables[target.id] = op(current, value)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            current = read_attribute(self.engine, owner, target.attr)
            value = self.eval(node.value)
            check_binop(op, current, value)
            write_attribute(self.engine, owner, target.attr, op(current, value))
        elif isinstance(target, ast.Subscript):
            container, index = self.eval(target.value), self.eval(target.slice)
            check_index(container, index)
            current = container[index]
            value = self.eval(node.value)
            check_binop(op, current, value)
            container[index] = op(current, value)

    def _with(self, node: ast.With) -> None:
        contexts = []
        for item in node.items:
            call = item.context_expr
            assert isinstance(call, ast.Call)
            function = self.eval(call.func)
            if not (isinstance(function, ModuleFunction) and function.path == "torch"):
                raise Refusal("with is supported only as `with torch.no_grad():`")
            contexts.append(function())
        _enter_all(contexts, lambda: self._block(node.body))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                path = alias.name if alias.asname else alias.name.split(".")[0]
                self.variables[alias.asname or path] = self.engine.resolve(path)
            return
        module = self.engine.resolve(node.module or "")
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            value = (
                self.engine.resolve(full)
                if full in MODULE_ATTRIBUTES
                else module.attribute(self.engine, alias.name)
            )
            self.variables[alias.asname or alias.name] = value

    def _backward(self, statement: ast.Expr) -> Iterator[Step]:
        self._tick(statement)
        call = statement.value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        try:
            tensor = self.eval(call.func.value)
            method = read_attribute(self.engine, tensor, "backward")
            args = [self.eval(arg) for arg in call.args]
            kwargs = {kw.arg: self.eval(kw.value) for kw in call.keywords if kw.arg}
        except Refusal as refusal:
            raise refusal.at(statement.lineno) from None
        bound = _bind_backward(args, kwargs)
        stepper = self.engine.backward_steps
        plain = bound is None or bound.get("create_graph") or bound.get("inputs") is not None
        if plain or stepper is None or not self.engine.is_tensor(tensor):
            method(*args, **kwargs)
            return
        retain = bool(bound.get("retain_graph"))
        for node_step in stepper(tensor, bound.get("gradient"), retain_graph=retain):
            yield Step("backward-node", statement, backward=node_step)


def _is_backward_call(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "backward"
    )


def _bind_backward(args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    if len(args) > len(_BACKWARD_PARAMETERS) or set(kwargs) - set(_BACKWARD_PARAMETERS):
        return None
    bound = dict(zip(_BACKWARD_PARAMETERS, args, strict=False))
    if set(bound) & set(kwargs):
        return None
    return {**bound, **kwargs}


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


def _enter_all(contexts: list[Any], body: Any) -> None:
    if not contexts:
        body()
        return
    with contexts[0]:
        _enter_all(contexts[1:], body)
