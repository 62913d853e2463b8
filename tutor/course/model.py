"""Provides the course as frozen data: Course, Concept, Lesson, Step, Question, Choice and
Derivative."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tutor.text import Text

if TYPE_CHECKING:
    from tutor.course.params import Param

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
    holding it would type. `flatten` lets a tensor answer be typed flat. `concepts` are the ids
    of the course's concepts the question exercises. `line` is the line of `[[step.question]]`
    in the lesson file.
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
    concepts: tuple[str, ...] = ()
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
    """One lesson: a PyTorch program and the steps that walk through it.

    A lesson with `[params]` holds them in `params`, and in `template` the lesson as written
    (`{name}` placeholders in place); its own texts are rendered with values: as loaded, each
    parameter's `first` (tutor.course.variants draws others). Without params, `template` is
    None."""

    id: str
    title: Text
    program: str
    steps: tuple[Step, ...]
    path: Path = Path()
    program_line: int = 1
    params: tuple[Param, ...] = ()
    template: Lesson | None = None

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for step in self.steps for q in step.questions)

    def program_to_file_line(self, program_line: int) -> int:
        """The line in the lesson file of line `program_line` (1-based) of the program."""
        return self.program_line + max(program_line, 1) - 1


@dataclass(frozen=True)
class Concept:
    """An idea the course teaches, which questions name as the ones they exercise.

    `misconceptions` are the ids (of tutor.checking.MISCONCEPTIONS) that count against it: each
    belongs to at most one concept of a course. `line` is the line of `[[concept]]` in
    course.toml.
    """

    id: str
    title: Text
    summary: Text | None = None
    misconceptions: tuple[str, ...] = ()
    line: int = 1


@dataclass(frozen=True)
class Course:
    """A course: its title, its lessons in order and the concepts its questions exercise."""

    id: str
    title: Text
    lessons: tuple[Lesson, ...]
    path: Path = Path()
    concepts: tuple[Concept, ...] = ()

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def concept(self, concept_id: str) -> Concept:
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)

    def concept_questions(self, concept_id: str) -> tuple[tuple[Lesson, Question], ...]:
        """Every question naming the concept, with its lesson, in course order."""
        return tuple(
            (lesson, question)
            for lesson in self.lessons
            for question in lesson.questions()
            if concept_id in question.concepts
        )

    def misconception_concepts(self) -> dict[str, str]:
        """Misconception id → the id of the concept it belongs to (the first, if listed twice)."""
        found: dict[str, str] = {}
        for concept in self.concepts:
            for misconception in concept.misconceptions:
                found.setdefault(misconception, concept.id)
        return found
