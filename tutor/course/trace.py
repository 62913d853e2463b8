"""Provides build_trace: a lesson's program run once, stopping at each step to compute its answers."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from tutor.course.answers import expected_answer
from tutor.course.model import Lesson, Step
from tutor.course.problems import CourseError, Problem, problem
from tutor.course.stepping import ProgramRun, RunFailed
from tutor.course.values import AnswerError


@dataclass(frozen=True)
class StepTrace:
    """Where one step stops: its snapshot (an index into LessonTrace.snapshots) and the Expected
    of each of its questions, by question id."""

    step: Step
    snapshot_index: int
    snapshot: Any
    expected: Mapping[str, Any] = field(default_factory=dict)


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
        expected: dict[str, Any] = {}
        for question in step.questions:
            try:
                expected[question.id] = expected_answer(question, run.state())
            except AnswerError as error:
                found.append(
                    problem(lesson.path, question.line, f"question `{question.id}`: {error}")
                )
        step_traces.append(
            StepTrace(
                step, snapshot_index, run.snapshots[snapshot_index], MappingProxyType(expected)
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
