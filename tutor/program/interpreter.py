"""Provides Interpreter: runs a checked lesson program statement by statement, within limits."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tutor.program.assignments import Assignments
from tutor.program.budget import RunClock
from tutor.program.checker import parse_program
from tutor.program.control import Break, Continue, Control
from tutor.program.errors import Refusal
from tutor.program.expressions import Evaluator
from tutor.program.guards import loop_over_limit, safe_len
from tutor.program.limits import MAX_LOOP_ITERATIONS, MAX_STATEMENTS
from tutor.program.objects import program_builtins, read
from tutor.program.safe_builtins import Output, make_builtins
from tutor.program.syntax import GRAD_MODES, WITH_FORMS
from tutor.program.values import Engine, ModuleFunction
from tutor.program.whitelist import MODULE_PATHS

_BACKWARD_PARAMETERS = ("gradient", "retain_graph", "create_graph", "inputs")


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


class Interpreter(Assignments, Control, Evaluator):
    """A lesson program, checked on construction (raises Refusal), run by `run()` or `steps()`.

    `line` is the line of the statement running (inside a called function, the function's
    line), and stays on the failing line when the program raises.
    """

    def __init__(
        self, source: str | bytes, filename: str = "<program>", torch_module: Any = None
    ) -> None:
        self.filename = filename
        self.tree = parse_program(source, filename)
        self.output = Output()
        if torch_module is None:
            torch_module = default_engine()
            # a program starts on the CPU, as in a fresh Python process, whatever the one
            # before it set with torch.set_default_device
            torch_module.set_default_device(None)
        engine = Engine(torch_module)
        table = make_builtins(self.output)
        super().__init__(engine, table)
        table.update(program_builtins(self, table))
        self.statements_run = 0
        self.iterations_run = 0
        # the counts past which the next checkpoint comes (the limits, and the CPU clock)
        self.statements_checked_to = 0
        self.iterations_checked_to = 0
        self.clock = RunClock()
        self.depth = 0
        self.quiet_depth = 0
        self.handling: list[BaseException] = []
        self.line = 1
        self._statements: dict[type, Callable[[Any], None]] = {
            ast.Expr: lambda node: self.eval(node.value),
            ast.Assign: self._assign,
            ast.AugAssign: self._augmented,
            ast.AnnAssign: self._annotated,
            ast.For: self._for,
            ast.While: self._while,
            ast.If: lambda node: self.block(node.body if self.eval(node.test) else node.orelse),
            ast.With: self._with,
            ast.Try: self._try,
            ast.Raise: self._raise,
            ast.Assert: self._assert,
            ast.FunctionDef: self._function_def,
            ast.ClassDef: self._class_def,
            ast.Return: self._return,
            ast.Break: _break,
            ast.Continue: _continue,
            ast.Delete: self._delete,
            ast.Import: self._import,
            ast.ImportFrom: self._import,
            ast.Pass: _nothing,
            ast.Global: _nothing,
            ast.Nonlocal: _nothing,
        }

    def run(self) -> None:
        """Run the whole program; raises Refusal, or the program's own exception."""
        with self.one_run():
            for statement in self.tree.body:
                self.execute(statement)

    @contextlib.contextmanager
    def one_run(self) -> Iterator[None]:
        """What runs inside is one run for the CPU budget (see budget.py): `run()`, or code
        evaluated outside `run()` and `steps()`, such as a playground's lone expression."""
        self._start_run()
        self.clock.resume()
        try:
            yield
        finally:
            self.clock.pause()

    def steps(self, backward_nodes: bool = False) -> Iterator[Step]:
        """Run lazily, yielding after every top-level statement and every top-level iteration.

        With `backward_nodes`, a top-level `t.backward(…)` runs through the engine's
        `backward_steps`, yielding once per graph node before the statement's own step.
        All the steps are one run of the CPU budget, whose clock stops between them.
        """
        self._start_run()
        steps = self._steps(backward_nodes)
        while True:
            self.clock.resume()
            try:
                step = next(steps)
            except StopIteration:
                return
            finally:
                self.clock.pause()
            yield step

    def _start_run(self) -> None:
        self.clock.start()
        self.statements_checked_to = self.statements_run
        self.iterations_checked_to = self.iterations_run

    def _steps(self, backward_nodes: bool) -> Iterator[Step]:
        for statement in self.tree.body:
            if isinstance(statement, ast.For | ast.While):
                self._tick(statement)
                loop = (
                    self.for_iterations(statement)
                    if isinstance(statement, ast.For)
                    else self._top_while(statement)
                )
                for index in loop:
                    yield Step("iteration", statement, index)
            elif backward_nodes and _is_backward_call(statement):
                yield from self._backward(statement)
            else:
                self.execute(statement)
            yield Step("statement", statement)

    def execute(self, statement: ast.stmt) -> None:
        try:
            self._tick(statement)
            handler = self._statements.get(type(statement))
            if handler is None:
                kind = type(statement).__name__
                raise Refusal(f"{kind} is not supported in lesson programs")
            handler(statement)
        except Refusal as refusal:
            raise refusal.at(statement.lineno) from None

    def _tick(self, statement: ast.stmt) -> None:
        self.line = statement.lineno
        self.statements_run += 1
        if self.statements_run > self.statements_checked_to:
            self._statement_checkpoint()

    def count_statement(self) -> None:
        self.statements_run += 1
        if self.statements_run > self.statements_checked_to:
            self._statement_checkpoint()

    def _statement_checkpoint(self) -> None:
        if self.statements_run > MAX_STATEMENTS:
            raise Refusal(f"the program ran over {MAX_STATEMENTS:,} statements", self.line)
        self._check_clock(self.line)

    def loop_checkpoint(self, line: int) -> None:
        """The loop iteration just counted is over the limit, or the CPU clock is due."""
        if self.iterations_run > MAX_LOOP_ITERATIONS:
            raise Refusal(f"the program ran over {MAX_LOOP_ITERATIONS:,} loop iterations", line)
        self._check_clock(line)

    def _check_clock(self, line: int) -> None:
        """Refuses the run past its CPU budget; else sets the next checkpoints (the per-statement
        cost is one comparison: the clock is read only at a checkpoint, see budget.py)."""
        try:
            interval = self.clock.check()
        except Refusal as refusal:
            raise refusal.at(line) from None
        self.statements_checked_to = min(MAX_STATEMENTS, self.statements_run + interval)
        self.iterations_checked_to = min(MAX_LOOP_ITERATIONS, self.iterations_run + interval)

    def block(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.execute(statement)

    def _for(self, node: ast.For) -> None:
        for _ in self.for_iterations(node):
            pass

    def _top_while(self, node: ast.While) -> Iterator[int]:
        try:
            yield from self.while_iterations(node)
        except Refusal as refusal:
            raise refusal.at(node.lineno) from None

    def for_iterations(self, node: ast.For) -> Iterator[int]:
        try:
            iterable = self.eval(node.iter)
            remaining = MAX_LOOP_ITERATIONS - self.iterations_run
            if hasattr(iterable, "__len__") and safe_len(iterable) > remaining:
                raise loop_over_limit(safe_len(iterable), self.iterations_run)
        except Refusal as refusal:
            raise refusal.at(node.lineno) from None
        for index, item in enumerate(iterable):
            self.iterations_run += 1
            if self.iterations_run > self.iterations_checked_to:
                self.loop_checkpoint(node.lineno)
            try:
                self.assign(node.target, item)
                self.block(node.body)
            except Break:
                yield index
                return
            except Continue:
                pass
            except Refusal as refusal:
                raise refusal.at(node.lineno) from None
            self.line = node.lineno
            yield index
        self.block(node.orelse)

    def _with(self, node: ast.With) -> None:
        contexts = []
        for item in node.items:
            call = item.context_expr
            assert isinstance(call, ast.Call)
            function = self.eval(call.func)
            if not (
                isinstance(function, ModuleFunction)
                and function.path == "torch"
                and function.name in GRAD_MODES
            ):
                raise Refusal(WITH_FORMS)
            args = [self.eval(a) for a in call.args]
            contexts.append(function(*args, **{k.arg: self.eval(k.value) for k in call.keywords}))
        _enter_all(contexts, lambda: self.block(node.body))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                path = alias.name if alias.asname else alias.name.split(".")[0]
                self.store(alias.asname or path, self.engine.resolve(path))
            return
        if node.module == "__future__":
            return
        module = self.engine.resolve(node.module or "")
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            value = (
                self.engine.resolve(full)
                if full in MODULE_PATHS
                else module.attribute(self.engine, alias.name)
            )
            self.store(alias.asname or alias.name, value)

    def _backward(self, statement: ast.Expr) -> Iterator[Step]:
        self._tick(statement)
        call = statement.value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        try:
            tensor = self.eval(call.func.value)
            method = read(self.engine, tensor, "backward")
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


def _break(node: ast.Break) -> None:
    raise Break


def _continue(node: ast.Continue) -> None:
    raise Continue


def _nothing(node: ast.stmt) -> None:
    pass


def _is_backward_call(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "backward"
        and not any(isinstance(a, ast.Starred) for a in statement.value.args)
        and all(k.arg for k in statement.value.keywords)
    )


def _bind_backward(args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    if len(args) > len(_BACKWARD_PARAMETERS) or set(kwargs) - set(_BACKWARD_PARAMETERS):
        return None
    bound = dict(zip(_BACKWARD_PARAMETERS, args, strict=False))
    if set(bound) & set(kwargs):
        return None
    return {**bound, **kwargs}


def _enter_all(contexts: list[Any], body: Any) -> None:
    if not contexts:
        body()
        return
    with contexts[0]:
        _enter_all(contexts[1:], body)
