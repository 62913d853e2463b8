"""Provides Recorder: turns each stop of the interpreter into a Snapshot, noting what it made."""

from __future__ import annotations

from tutor.program.capture import Capture
from tutor.program.interpreter import Interpreter, Step
from tutor.program.snapshot import Snapshot, Statement


class Recorder:
    """The snapshots of one interpreter's run, in order (the Stepper's and the playground's)."""

    def __init__(self, interpreter: Interpreter) -> None:
        self.interpreter = interpreter
        self.capture = Capture(interpreter.engine)
        self.snapshots: list[Snapshot] = []
        self._previous: dict[str, int] = {}

    def record(self, event: Step, statement: Statement) -> Snapshot:
        with self.interpreter.quiet():
            return self._record(event, statement)

    def _record(self, event: Step, statement: Statement) -> Snapshot:
        interpreter, capture = self.interpreter, self.capture
        variables = interpreter.variables
        seen_nodes = len(capture.node_ids)
        records = capture.variables(variables)
        graph = capture.graph(variables)
        flow = capture.flow(event.backward, variables) if event.backward else None
        changed = tuple(n for n, v in variables.items() if self._previous.get(n) != id(v))
        new_tensors = []
        for name in changed:
            value = variables[name]
            if interpreter.engine.is_tensor(value) and id(value) not in capture.tensors_seen:
                capture.tensors_seen[id(value)] = value
                new_tensors.append(name)
        self._previous = {n: id(v) for n, v in variables.items()}
        new_nodes = tuple(entry[1] for entry in list(capture.node_ids.values())[seen_nodes:])
        snapshot = Snapshot(
            index=len(self.snapshots),
            kind=event.kind,
            statement=statement,
            output=interpreter.output.text(),
            variables=records,
            graph=graph,
            new_variables=changed,
            new_tensors=tuple(new_tensors),
            new_nodes=new_nodes,
            iteration=event.iteration,
            backward=flow,
        )
        self.snapshots.append(snapshot)
        return snapshot
