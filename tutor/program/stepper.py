"""Provides Stepper: runs a lesson program one step at a time, keeping a Snapshot of each."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from tutor.program.checker import parse_expression, parse_program
from tutor.program.errors import Refusal
from tutor.program.forms import bindings
from tutor.program.interpreter import Interpreter
from tutor.program.recorder import Recorder
from tutor.program.snapshot import Snapshot, Statement


def normalise(statement_text: str) -> str:
    """A statement's text the way `Stepper.statements()` writes it (`ast.unparse`)."""
    return ast.unparse(parse_program(statement_text.strip() + "\n"))


class Stepper:
    """Steps a program: after each top-level statement, each top-level loop iteration, and
    each node of a top-level `backward()`, it records an immutable Snapshot.

    Construction checks the program (raises Refusal). `step()` raises the program's own
    exception when it fails; `error` keeps it and `finished` turns True.
    """

    def __init__(
        self, source: str | bytes, filename: str = "<lesson>", torch_module: Any = None
    ) -> None:
        self.interpreter = Interpreter(source, filename, torch_module)
        self.recorder = Recorder(self.interpreter)
        self.capture = self.recorder.capture
        self.snapshots = self.recorder.snapshots
        self.finished = False
        self.error: BaseException | None = None
        self._steps = self.interpreter.steps(backward_nodes=True)
        self._statements = tuple(
            Statement(i, s.lineno, s.end_lineno or s.lineno, ast.unparse(s))
            for i, s in enumerate(self.interpreter.tree.body)
        )
        self._index_of = {id(s): i for i, s in enumerate(self.interpreter.tree.body)}

    def statements(self) -> tuple[Statement, ...]:
        """The top-level statements in order, with lines and normalised text."""
        return self._statements

    @property
    def variables(self) -> dict[str, Any]:
        """The live variables (read only, please: the course evaluates on them)."""
        return self.interpreter.variables

    @property
    def output(self) -> str:
        return self.interpreter.output.text()

    def step(self) -> Snapshot | None:
        """Run to the next step and return its snapshot; None once the program has ended."""
        if self.finished:
            return None
        try:
            event = next(self._steps)
        except StopIteration:
            self.finished = True
            return None
        except BaseException as exc:
            self.finished = True
            self.error = exc
            raise
        return self.recorder.record(event, self._statements[self._index_of[id(event.statement)]])

    def __iter__(self) -> Iterator[Snapshot]:
        while (snapshot := self.step()) is not None:
            yield snapshot

    def run_all(self) -> list[Snapshot]:
        """Run to the end (raising the program's exception if it fails); all snapshots."""
        for _ in self:
            pass
        return self.snapshots

    def run_until(self, target: str | Callable[[Snapshot], bool]) -> Snapshot:
        """Run to the next snapshot after which `target` has run.

        `target` is a top-level statement's text (matched after `ast.unparse`, or a loop's
        first line) or a predicate on snapshots. LookupError if the program ends first.
        """
        matches = _matcher(target)
        while (snapshot := self.step()) is not None:
            if matches(snapshot):
                return snapshot
        raise LookupError(f"the program ended before reaching {target!r}")

    def evaluate(self, expression: str) -> Any:
        """Evaluate an expression on the live state, under the same whitelist.

        Raises Refusal for anything outside the subset, and the program's own exception
        (e.g. the engine's RuntimeError) if evaluating it fails.
        """
        tree = parse_expression(expression, bindings(self.interpreter.tree))
        return self.interpreter.eval(tree.body)


def _matcher(target: str | Callable[[Snapshot], bool]) -> Callable[[Snapshot], bool]:
    if callable(target):
        return target
    wanted = target.strip()
    with contextlib.suppress(Refusal):
        wanted = normalise(wanted)

    def matches(snapshot: Snapshot) -> bool:
        if snapshot.kind != "statement":
            return False
        text = snapshot.statement.text
        return text == wanted or text.splitlines()[0] == wanted.splitlines()[0].rstrip()

    return matches
