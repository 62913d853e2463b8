"""Provides the statements that make and leave scopes or change the flow: def, class, return,
calls of the program's functions (bounded in depth), while, try, raise and assert."""

from __future__ import annotations

import ast
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from tutor.program.callables import Function, bind_arguments
from tutor.program.classes import base_classes, decorate, make_class
from tutor.program.errors import Refusal
from tutor.program.limits import MAX_CALL_DEPTH, STACK_RESERVE
from tutor.program.objects import classes_of
from tutor.program.scopes import Frame


class Break(BaseException):
    pass


class Continue(BaseException):
    pass


class Return(BaseException):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class ProgramCode(BaseException):
    """The program's own code was about to run where none may (taking a snapshot)."""


# what a program's `except` never catches and its `finally` never runs for: the run is over
UNCATCHABLE = (Refusal, RecursionError, MemoryError, ProgramCode)


class Control:
    """The scope and flow statements of the Interpreter (mixed into it)."""

    frame: Frame | None
    line: int
    depth: int
    quiet_depth: int
    handling: list[BaseException]

    def call_function(self, function: Function, args: tuple[Any, ...], kwargs: dict) -> Any:
        """Run one call of a program function: a frame of its own, within the call depth, the
        statement budget and Python's own stack."""
        if self.quiet_depth:
            raise ProgramCode
        if self.depth >= MAX_CALL_DEPTH:
            raise Refusal(
                f"recursion deeper than {MAX_CALL_DEPTH} calls is over the limit", self.line
            )
        _check_stack(self.depth, self.line)
        self.count_statement()
        values = bind_arguments(function, args, kwargs)
        frame = Frame(
            function.scope,
            values,
            function.closure,
            "function",
            f"{function.__qualname__}.<locals>.",
            function,
        )
        saved, line = self.frame, self.line
        self.frame = frame
        self.depth += 1
        try:
            if function.contexts:
                with contextlib.ExitStack() as stack:
                    for context in function.contexts:
                        stack.enter_context(context())
                    result = self._body(function.node)
            else:
                result = self._body(function.node)
        finally:
            self.frame = saved
            self.depth -= 1
        self.line = line
        return result

    def _body(self, node: ast.FunctionDef | ast.Lambda) -> Any:
        if isinstance(node, ast.Lambda):
            return self.eval(node.body)
        try:
            for statement in node.body:
                if type(statement) is ast.Return:  # the common last statement, without a raise
                    return self._returned(statement)
                self.execute(statement)
        except Return as signal:
            return signal.value
        return None

    def _returned(self, statement: ast.Return) -> Any:
        try:
            self._tick(statement)
            return None if statement.value is None else self.eval(statement.value)
        except Refusal as refusal:
            raise refusal.at(statement.lineno) from None

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """No program code may run inside (snapshots read values, they never run methods)."""
        self.quiet_depth += 1
        try:
            yield
        finally:
            self.quiet_depth -= 1

    def _function_def(self, node: ast.FunctionDef) -> None:
        decorators = [(self._at(d.lineno, self.eval, d), d.lineno) for d in node.decorator_list]
        self.line = node.lineno
        value: Any = self.make_function(node)
        for decorator, line in reversed(decorators):
            value = self._at(line, decorate, self.engine, decorator, value)
        self.line = node.lineno
        self.store(node.name, value)

    def _at(self, line: int, function: Any, *args: Any) -> Any:
        """`function(*args)` as the work of `line` (a decorator's own line)."""
        self.line = line
        try:
            return function(*args)
        except Refusal as refusal:
            raise refusal.at(line) from None

    def _class_def(self, node: ast.ClassDef) -> None:
        bases = base_classes(self.engine, [self.eval(b) for b in node.bases])
        prefix = self.frame.qualname if self.frame is not None else ""
        qualname = prefix + node.name
        frame = Frame(self.scope_for(node), {}, self.enclosing(), "class", qualname + ".")
        with self.inside(frame):
            self.block(node.body)
        doc = ast.get_docstring(node, clean=False)
        self.store(node.name, make_class(node.name, qualname, bases, frame.values, doc))

    def _return(self, node: ast.Return) -> None:
        raise Return(None if node.value is None else self.eval(node.value))

    def _while(self, node: ast.While) -> None:
        for _ in self.while_iterations(node):
            pass

    def while_iterations(self, node: ast.While) -> Iterator[int]:
        index = 0
        while self.eval(node.test):
            self.count_iteration()
            try:
                self.block(node.body)
            except Break:
                yield index
                return
            except Continue:
                pass
            self.line = node.lineno
            yield index
            index += 1
        self.block(node.orelse)

    def _try(self, node: ast.Try) -> None:
        try:
            self._handled(node)
        except UNCATCHABLE:
            raise
        except BaseException:
            line = self.line
            self.block(node.finalbody)
            self.line = line
            raise
        self.block(node.finalbody)

    def _handled(self, node: ast.Try) -> None:
        try:
            self.block(node.body)
        except Exception as exc:
            if isinstance(exc, UNCATCHABLE):
                raise
            handler = self._handler(node.handlers, exc)
            if handler is None:
                raise
            self._handle(handler, exc)
            return
        self.block(node.orelse)

    def _handler(self, handlers: list[ast.ExceptHandler], exc: Exception) -> Any:
        message = "catching classes that do not inherit from BaseException is not allowed"
        for handler in handlers:
            if handler.type is None:
                return handler
            classes = classes_of(self.eval(handler.type), message)
            if not all(issubclass(cls, BaseException) for cls in classes):
                raise TypeError(message)
            if isinstance(exc, classes):
                return handler
        return None

    def _handle(self, handler: ast.ExceptHandler, exc: Exception) -> None:
        if handler.name:
            self.store(handler.name, exc)
        self.handling.append(exc)
        try:
            self.block(handler.body)
        finally:
            self.handling.pop()
            if handler.name:
                with contextlib.suppress(NameError):
                    self.delete(handler.name)

    def _raise(self, node: ast.Raise) -> None:
        if node.exc is None:
            if not self.handling:
                raise RuntimeError("No active exception to reraise")
            raise self.handling[-1]
        exc = _exception(self.eval(node.exc), "exceptions must derive from BaseException")
        if node.cause is not None:
            cause = self.eval(node.cause)
            message = "exception causes must derive from BaseException"
            exc.__cause__ = None if cause is None else _exception(cause, message)
            exc.__suppress_context__ = True
        raise exc

    def _assert(self, node: ast.Assert) -> None:
        if not self.eval(node.test):
            if node.msg is None:
                raise AssertionError
            raise AssertionError(self.eval(node.msg))


def _exception(value: Any, message: str) -> BaseException:
    """What `raise value` raises: the instance, or an instance of the class named."""
    if isinstance(value, BaseException):
        return value
    try:
        (cls,) = classes_of(value, message)
    except ValueError:
        raise TypeError(message) from None
    if not issubclass(cls, BaseException):
        raise TypeError(message)
    return cls()


def _check_stack(depth: int, line: int) -> None:
    """Refuse a call when Python's own stack could not hold one more call's frames (calls
    from deeply nested expressions use more of it than MAX_CALL_DEPTH allows for)."""
    try:
        sys._getframe(max(sys.getrecursionlimit() - STACK_RESERVE, 1))
    except ValueError:
        return
    raise Refusal(
        f"recursion deeper than {depth} calls is over the limit for calls nested this deeply "
        "(Python's own stack would overflow)",
        line,
    )
