"""Provides ProgramRun: a lesson program driven to each step's place, and its state for answers."""

from __future__ import annotations

import ast
import traceback
import warnings
from typing import Any

from tutor.course.values import AnswerError


class RunFailed(Exception):
    """The program could not reach a step: refused, raised, or the node never ran.

    `line` is a line of the program when `in_program`; otherwise the step itself is at fault.
    """

    def __init__(self, message: str, line: int | None = None, in_program: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.in_program = in_program


def _error_line(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]


class ProgramRun:
    """The program run lazily by tutor.program's Stepper, statement by statement and, in a
    `.backward()`, node by node; `snapshots` holds the Stepper's Snapshot of every stop."""

    def __init__(self, source: str, filename: str = "<lesson>") -> None:
        from tutor.program import Refusal, Stepper

        self.source, self._filename = source, filename
        try:
            self.stepper = Stepper(source, filename)
        except Refusal as refusal:
            raise RunFailed(f"refused: {refusal.message}", refusal.line, True) from None
        self._targets: list[tuple[int, str | None, int]] = []

    @property
    def snapshots(self) -> list[Any]:
        return self.stepper.snapshots

    def statements(self) -> list[str]:
        """The top-level statements, normalised by `ast.unparse`."""
        return [statement.text for statement in self.stepper.statements()]

    def advance(self, position: int, node: str | None = None, occurrence: int = 1) -> int:
        """Run until top-level statement `position` has run (or, with `node`, until that node's
        `occurrence`-th execution in its backward); the index of the snapshot stopped at."""
        self._targets.append((position, node, occurrence))
        seen = 0
        while True:
            snapshot = self._pull(position)
            at_statement = snapshot.statement.index == position
            if at_statement and snapshot.kind == "statement":
                if node is None:
                    return snapshot.index
                raise RunFailed(self._missing_node(node, occurrence, seen, snapshot.statement.text))
            if at_statement and node is not None and _node_name(snapshot) == node:
                seen += 1
                if seen == occurrence:
                    return snapshot.index

    def _pull(self, position: int) -> Any:
        from tutor.program import Refusal

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                snapshot = self.stepper.step()
        except Refusal as refusal:
            raise RunFailed(f"refused: {refusal.message}", refusal.line, True) from None
        except Exception as error:  # the program's own error, as Python would print it
            line = self.stepper.interpreter.line
            raise RunFailed(_error_line(error), line, True) from None
        if snapshot is None:
            text = self.stepper.statements()[position].text
            raise RunFailed(f"the program ended before `{text}` ran")
        return snapshot

    @staticmethod
    def _missing_node(node: str, occurrence: int, seen: int, statement: str) -> str:
        times = "" if occurrence == 1 else f" {occurrence} times"
        found = "it never ran" if seen == 0 else f"it ran only {seen} time{'s' * (seen != 1)}"
        return (
            f"node `{node}` does not run{times} during `{statement}` "
            f"({found}; is that statement a stepped `.backward()`?)"
        )

    def state(self) -> ProgramState:
        """The live state where the run has stopped."""
        return ProgramState(self)

    def replay(self) -> ProgramRun:
        """A fresh run of the same program brought to the same place (a throwaway copy)."""
        copy = ProgramRun(self.source, self._filename)
        for target in self._targets:
            copy.advance(*target)
        return copy

    @property
    def interpreter(self) -> Any:
        return self.stepper.interpreter


def _node_name(snapshot: Any) -> str | None:
    flow = snapshot.backward
    if snapshot.kind != "backward-node" or flow is None:
        return None
    return flow.node_name.rsplit("::", 1)[-1]


class ProgramState:
    """What the answers need at a stop: expressions evaluated, outcomes tried, node gradients."""

    def __init__(self, run: ProgramRun) -> None:
        self._run = run

    def evaluate(self, text: str) -> object:
        from tutor.program import Refusal
        from tutor.program.checker import parse_expression

        try:
            tree = parse_expression(text)
        except Refusal as refusal:
            raise AnswerError(f"`{text}` is refused: {refusal.message}") from None
        variables = self._run.interpreter.variables
        added = {k: v for k, v in self._node_names().items() if k not in variables}
        variables.update(added)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self._run.interpreter.eval(tree.body)
        except Refusal as refusal:
            raise AnswerError(f"`{text}` is refused: {refusal.message}") from None
        except Exception as error:
            raise AnswerError(f"`{text}` fails here: {_error_line(error)}") from None
        finally:
            for name in added:
                variables.pop(name, None)

    def _node_names(self) -> dict[str, object]:
        """`grad_inputs` and `grad_outputs` of the node stopped at (none elsewhere)."""
        gradients = self.node_gradients()
        if gradients is None:
            return {}
        return {"grad_inputs": gradients[0], "grad_outputs": gradients[1]}

    def outcome(self, text: str) -> tuple[str | None, str | None, object]:
        """Run `text` (statements; the last one's value if it is an expression) on a throwaway
        copy of the state: (error type, message, None) or (None, None, value)."""
        from tutor.program import Refusal
        from tutor.program.checker import parse_program

        try:
            tree = parse_program(text, "<answer>")
            interpreter = self._run.replay().interpreter
        except Refusal as refusal:
            raise AnswerError(f"`{text}` is refused: {refusal.message}") from None
        except RunFailed as failed:
            raise AnswerError(f"replaying the program failed: {failed.message}") from None
        value: object = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for index, statement in enumerate(tree.body):
                    last = index == len(tree.body) - 1
                    if last and isinstance(statement, ast.Expr):
                        value = interpreter.eval(statement.value)
                    else:
                        interpreter.execute(statement)
        except Refusal as refusal:
            raise AnswerError(f"`{text}` is refused: {refusal.message}") from None
        except Exception as error:
            return type(error).__name__, str(error), None
        return None, None, value

    def node_gradients(self) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
        """(grad_inputs sent, grad_outputs arrived) as arrays, when stopped at a backward node."""
        snapshots = self._run.snapshots
        flow = snapshots[-1].backward if snapshots else None
        if flow is None or snapshots[-1].kind != "backward-node":
            return None
        sent = tuple(None if s.gradient is None else s.gradient.values for s in flow.sent)
        arriving = tuple(None if a is None else a.values for a in flow.arriving)
        return sent, arriving

    def history(self, name: str) -> list[tuple[Any, Any]]:
        """(snapshot, the variable's record or None) for every stop so far, in order."""
        return [(snap, snap.variables.get(name)) for snap in self._run.snapshots]

    def bindings(self) -> dict[str, object]:
        """The program's numeric variables where the run stopped: tensors as arrays, numbers."""
        snapshots = self._run.snapshots
        found: dict[str, object] = {}
        for name, record in (snapshots[-1].variables if snapshots else {}).items():
            if record.tensor is not None:
                found[name] = record.tensor.values
            elif isinstance(record.value, int | float) and not isinstance(record.value, bool):
                found[name] = record.value
        return found

    def lift(self, variable: str, wrt: str) -> object:
        """∂variable/∂wrt as one formula in `wrt`, from the program lifted to symbols up to here."""
        from tutor.symbolic.lift import derivative_answer

        snapshots = self._run.snapshots
        upto = snapshots[-1].statement.text if snapshots else None
        try:
            derivative, _ = derivative_answer(self._run.source, variable, wrt, upto=upto)
        except Exception as error:  # the lifter's refusal (LiftError) or a program error
            raise AnswerError(f"`d/d{wrt} {variable}`: {error}") from None
        return derivative
