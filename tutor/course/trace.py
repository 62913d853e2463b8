"""Provides build_trace: a lesson's program run once, stopping at each step to compute its answers,
and what each question asks about (Asked), so a screen can hold it back until it is answered."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from tutor.course.answers import expected_answer
from tutor.course.model import Lesson, Question, Step
from tutor.course.problems import CourseError, Problem, problem
from tutor.course.stepping import ProgramRun, RunFailed
from tutor.course.values import AnswerError


@dataclass(frozen=True)
class Asked:
    """What a question asks about, in the program's state at its step: the values of
    variables (`x1`, `y.item()`, `x[0, 0].item()`), their gradients (`x.grad`), graph node
    names (a grad_fn question's answer), and the gradients the backward node stopped at sends
    on (`grad_inputs[k]`) or received (`grad_outputs`). An outcome question about the step's own
    statement asks about the variables that statement made. A screen shows these as `?` until
    the question is settled."""

    values: frozenset[str] = frozenset()
    grads: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    sends: frozenset[int] = frozenset()
    arriving: bool = False

    def __or__(self, other: Asked) -> Asked:
        return Asked(
            self.values | other.values,
            self.grads | other.grads,
            self.names | other.names,
            self.sends | other.sends,
            self.arriving or other.arriving,
        )

    def __bool__(self) -> bool:
        return bool(self.values or self.grads or self.names or self.sends or self.arriving)


# attributes that say something about a tensor other than its values
_NOT_VALUES = frozenset({"requires_grad", "is_leaf", "shape", "dtype", "ndim", "device", "size"})


def asked_by(question: Question, expected: Any, snapshot: Any) -> Asked:
    """What `question` asks about at `snapshot` (its step's stop), read from its answer
    expression; `expected` is its Expected (the node name of a grad_fn question)."""
    kind = question.kind
    if kind == "expression" or not question.answer:
        return Asked()
    if kind == "grad_fn":
        return Asked(names=frozenset({str(expected.value)}))
    if kind == "outcome":
        made = snapshot.new_variables if _runs_in(question.answer, snapshot.statement.text) else ()
        return Asked(values=frozenset(made))
    try:
        tree = ast.parse(question.answer.strip(), mode="eval").body
    except SyntaxError:
        return Asked()
    values: set[str] = set()
    grads: set[str] = set()
    sends: set[int] = set()
    arriving = False
    for root, attrs, index in _chains(tree):
        if root == "grad_inputs":
            sends.update(range(_inputs(snapshot)) if index is None else (index,))
        elif root == "grad_outputs":
            arriving = True
        elif _is_data(snapshot.variables.get(root)):
            first = attrs[0] if attrs else None
            if first == "grad":
                grads.add(root)
            elif first not in _NOT_VALUES and first != "grad_fn":
                values.add(root)
    return Asked(frozenset(values), frozenset(grads), frozenset(), frozenset(sends), arriving)


def _chains(tree: ast.AST) -> list[tuple[str, list[str], int | None]]:
    """Each name the expression reads, with the attributes read from it (`x.grad[1].item()`:
    `x`, ['grad', 'item']) and its first constant integer index (`grad_inputs[1]`: 1)."""
    found: list[tuple[str, list[str], int | None]] = []
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name):
            continue
        attrs: list[str] = []
        index: int | None = None
        current: ast.AST = node
        while (parent := parents.get(id(current))) is not None:
            if isinstance(parent, ast.Attribute) and parent.value is current:
                attrs.append(parent.attr)
            elif isinstance(parent, ast.Subscript) and parent.value is current:
                slice_ = parent.slice
                if index is None and isinstance(slice_, ast.Constant):
                    index = slice_.value if isinstance(slice_.value, int) else None
            elif not (isinstance(parent, ast.Call) and parent.func is current and attrs):
                break
            current = parent
        found.append((node.id, attrs, index))
    return found


def _is_data(record: Any) -> bool:
    """Whether a variable holds the program's data (not a module such as `torch`)."""
    return record is not None and record.type != "ModuleProxy"


def _inputs(snapshot: Any) -> int:
    flow = snapshot.backward
    return len(flow.sent) if flow is not None else 0


def _runs_in(code: str, statement: str) -> bool:
    """Whether the step's statement runs `code` itself (`a = x3.numpy()` runs `x3.numpy()`)."""
    try:
        wanted = ast.dump(ast.parse(code.strip(), mode="eval").body)
    except SyntaxError:
        return False
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return False
    return any(ast.dump(node) == wanted for node in ast.walk(tree) if isinstance(node, ast.expr))


@dataclass(frozen=True)
class StepTrace:
    """Where one step stops: its snapshot (an index into LessonTrace.snapshots), the Expected
    of each of its questions and what each asks about (Asked), by question id."""

    step: Step
    snapshot_index: int
    snapshot: Any
    expected: Mapping[str, Any] = field(default_factory=dict)
    asked: Mapping[str, Asked] = field(default_factory=dict)


@dataclass(frozen=True)
class LessonTrace:
    """A lesson run once: every snapshot in order, each step's stop, every question's Expected."""

    lesson: Lesson
    snapshots: tuple[Any, ...]
    steps: tuple[StepTrace, ...]
    expected: Mapping[str, Any]


def build_trace(lesson: Lesson) -> LessonTrace:
    """Run the lesson's program through the stepper, stopping at every step; CourseError lists
    each step that cannot be reached and each answer that cannot be computed."""
    found: list[Problem] = []
    try:
        run = ProgramRun(lesson.program, filename=f"{lesson.path}")
    except RunFailed as error:
        raise CourseError([_at_program(lesson, error)]) from None
    positions = _positions(lesson, run.statements(), found)
    if found:
        raise CourseError(found)
    step_traces: list[StepTrace] = []
    for step, position in zip(lesson.steps, positions, strict=True):
        try:
            snapshot_index = run.advance(position, step.node, step.node_occurrence)
        except RunFailed as error:
            found.append(_at_step(lesson, step, error))
            break
        snapshot = run.snapshots[snapshot_index]
        expected: dict[str, Any] = {}
        asked: dict[str, Asked] = {}
        for question in step.questions:
            try:
                expected[question.id] = expected_answer(question, run.state())
            except AnswerError as error:
                found.append(
                    problem(lesson.path, question.line, f"question `{question.id}`: {error}")
                )
                continue
            asked[question.id] = asked_by(question, expected[question.id], snapshot)
        step_traces.append(
            StepTrace(
                step,
                snapshot_index,
                snapshot,
                MappingProxyType(expected),
                MappingProxyType(asked),
            )
        )
    if found:
        raise CourseError(found)
    every = {qid: e for s in step_traces for qid, e in s.expected.items()}
    return LessonTrace(lesson, tuple(run.snapshots), tuple(step_traces), MappingProxyType(every))


def normalise(statement: str) -> str:
    """A statement as `ast.unparse` writes it, so spacing and quotes do not matter; a compound
    statement's header alone (`with torch.no_grad():`) stands for the whole statement."""
    text = statement.strip()
    try:
        return ast.unparse(ast.parse(text))
    except SyntaxError:
        if not text.endswith(":"):
            raise
    return _header(ast.unparse(ast.parse(text + " pass")))


def _header(statement: str) -> str:
    first = statement.splitlines()[0]
    return first if first.endswith(":") else statement


def _positions(lesson: Lesson, statements: list[str], found: list[Problem]) -> list[int]:
    """Each step's top-level statement index: the first match after the previous step's place
    (a node step may share the previous node step's statement; a step after a node step may
    stop at the end of that same statement)."""
    positions: list[int] = []
    previous, previous_was_node = -1, False
    for step in lesson.steps:
        try:
            wanted = normalise(step.after)
        except SyntaxError:
            found.append(problem(lesson.path, step.line, f"`after = {step.after!r}` is not Python"))
            positions.append(previous)
            continue
        start = previous if previous_was_node else previous + 1
        matches = [
            i
            for i in range(max(start, 0), len(statements))
            if wanted in (statements[i], _header(statements[i]))
        ]
        if not matches:
            where = "in the program" if previous < 0 else "after the previous step's statement"
            found.append(
                problem(
                    lesson.path,
                    step.line,
                    f"`after = {step.after!r}`: no such top-level statement {where}",
                )
            )
            positions.append(previous)
            continue
        previous, previous_was_node = matches[0], step.node is not None
        positions.append(previous)
    return positions


def _at_program(lesson: Lesson, error: RunFailed) -> Problem:
    line = lesson.program_to_file_line(error.line) if error.line else lesson.program_line
    return problem(lesson.path, line, f"program: {error.message}")


def _at_step(lesson: Lesson, step: Step, error: RunFailed) -> Problem:
    if error.line is not None and error.in_program:
        line = lesson.program_to_file_line(error.line)
        return problem(
            lesson.path,
            line,
            f"program: {error.message} (before the step at line {step.line} is reached)",
        )
    return problem(lesson.path, step.line, error.message)
