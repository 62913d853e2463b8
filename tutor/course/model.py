"""Provides the course as frozen data: Course, Lesson, Step, Question, Choice and Derivative."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from tutor.text import Text

KINDS = ("tensor", "number", "expression", "choice", "grad_fn", "outcome", "backward-node")

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Choice:
    """One option of a choice question: what is shown, and the value that makes it right."""

    text: Text
    value: object


@dataclass(frozen=True)
class Derivative:
    """An expression question's answer written as a function: sympy differentiates `of` by `wrt`."""

    of: str
    wrt: str


@dataclass(frozen=True)
class Question:
    """What to ask and where the answer comes from (never the answer itself).

    `answer` is an expression over the program's state at the step (or `d/dx y` for an
    expression); `derivative` is the other way to give an expression question's answer.
    `misconceptions` maps a misconception id to an expression giving the answer a learner
    holding it would type. `flatten` lets a tensor answer be typed flat. `line` is the line of `[[step.question]]` in the lesson file.
    """

    id: str
    kind: str
    prompt: Text
    answer: str | None = None
    derivative: Derivative | None = None
    hints: tuple[Text, ...] = ()
    choices: tuple[Choice, ...] = ()
    misconceptions: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    flatten: bool = False
    line: int = 1


@dataclass(frozen=True)
class Step:
    """A place in the program: after a top-level statement, or at a node of the backward it runs.

    `node` names a backward node (e.g. `MulBackward0`); the stop is its `node_occurrence`-th
    execution during that statement's backward.
    """

    after: str
    text: Text
    questions: tuple[Question, ...] = ()
    node: str | None = None
    node_occurrence: int = 1
    line: int = 1


@dataclass(frozen=True)
class Lesson:
    """One lesson: a PyTorch program and the steps that walk through it."""

    id: str
    title: Text
    program: str
    steps: tuple[Step, ...]
    path: Path = Path()
    program_line: int = 1

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for step in self.steps for q in step.questions)

    def program_to_file_line(self, program_line: int) -> int:
        """The line in the lesson file of line `program_line` (1-based) of the program."""
        return self.program_line + max(program_line, 1) - 1


@dataclass(frozen=True)
class Course:
    """A course: its title and its lessons in order."""

    id: str
    title: Text
    lessons: tuple[Lesson, ...]
    path: Path = Path()

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)
