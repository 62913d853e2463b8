"""Provides Variants: each student's quiz drawn from the secret, traced once, degenerate draws redrawn.

A student's variant is the first draw k = 0, 1, 2, … (seeded by HMAC(secret, quiz, student, k))
whose programs run and whose answers are not degenerate: no nan or inf, no gradient that is zero
everywhere, no two questions with the same answer, no misconception giving the right answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from tutor.course.degenerate import Degenerate
from tutor.course.degenerate import degenerate as course_degenerate
from tutor.course.model import Lesson, Step
from tutor.course.params import render, values_key
from tutor.course.params import rendered_question as render_course_question
from tutor.course.problems import CourseError
from tutor.course.trace import build_trace
from tutor.quiz.model import Part, Quiz, QuizError, QuizQuestion
from tutor.quiz.secret import draw_seed, pick
from tutor.text import Text

MAX_DRAWS = 20
CACHE_SIZE = 1024
_NO_TEXT = Text("", "")


class VariantError(QuizError):
    """No usable draw within the bound; `reasons` are the Degenerate of every draw tried."""

    def __init__(self, student_id: str, reasons: list[Degenerate]) -> None:
        self.reasons = tuple(reasons)
        last = reasons[-1].reason if reasons else "no draw"
        super().__init__(
            f"no usable variant for student {student_id} in {len(reasons)} draws (last: {last})"
        )


@dataclass(frozen=True)
class Variant:
    """One student's quiz: the draw used, the parameter values, each part's program as run, and
    every question's Expected (tutor.checking) by question id."""

    quiz_id: str
    student_id: str
    draw: int
    values: Mapping[str, object]
    programs: tuple[str, ...]
    expected: Mapping[str, Any]

    def program_of(self, question: QuizQuestion) -> str:
        return self.programs[question.part]

    def prompt_of(self, question: QuizQuestion) -> Text:
        """The question's prompt with this variant's values in place of `{param}`."""
        prompt = question.prompt
        return Text(render(prompt.en, self.values), render(prompt.ko, self.values))


class OnVariant:
    """What a sitting (local practice or on the server) shows of its quiz and its variant: the
    questions, and each one's program and prompt with this variant's numbers."""

    quiz: Quiz
    variant: Variant

    @property
    def questions(self) -> tuple[QuizQuestion, ...]:
        return self.quiz.questions()

    def program(self, question: QuizQuestion) -> str:
        """The program (this variant's numbers) the question is about."""
        return self.variant.program_of(question)

    def prompt(self, question: QuizQuestion) -> Text:
        return self.variant.prompt_of(question)


class Variants:
    """Draws and traces variants of one quiz; draws with the same values are traced once (the
    latest CACHE_SIZE distinct draws are kept)."""

    def __init__(
        self, quiz: Quiz, secret: bytes, max_draws: int = MAX_DRAWS, cache: bool = True
    ) -> None:
        self.quiz = quiz
        self._secret = secret
        self.max_draws = max_draws
        self._cache: dict[tuple, tuple[tuple[str, ...], Mapping[str, Any] | Degenerate]] | None
        self._cache = {} if cache else None

    def values(self, student_id: str, draw: int, attempt: int = 1) -> dict[str, object]:
        """The parameter values of draw `draw` for a student's attempt (declaration order)."""
        seed = draw_seed(self._secret, self.quiz.id, student_id, draw, attempt)
        return {p.name: p.values[pick(seed, p.name, len(p.values))] for p in self.quiz.params}

    def for_student(self, student_id: str, attempt: int = 1) -> Variant:
        """The student's variant (of an attempt: each attempt draws its own numbers);
        VariantError if every draw up to the bound is degenerate."""
        reasons: list[Degenerate] = []
        for draw in range(self.max_draws):
            values = self.values(student_id, draw, attempt)
            programs, result = self.evaluate(values)
            if isinstance(result, Degenerate):
                reasons.append(result)
                continue
            return Variant(
                self.quiz.id, student_id, draw, MappingProxyType(values), programs, result
            )
        raise VariantError(student_id, reasons)

    def with_values(self, student_id: str, draw: int, values: Mapping[str, object]) -> Variant:
        """The variant of values drawn before (an attempt's stored parameters); VariantError
        when they no longer make a usable variant (the quiz was edited since)."""
        programs, result = self.evaluate(values)
        if isinstance(result, Degenerate):
            raise VariantError(student_id, [result])
        return Variant(
            self.quiz.id, student_id, draw, MappingProxyType(dict(values)), programs, result
        )

    def evaluate(
        self, values: Mapping[str, object]
    ) -> tuple[tuple[str, ...], Mapping[str, Any] | Degenerate]:
        """The programs for these values and every Expected, or why they are degenerate."""
        key = values_key(self.quiz.params, values)
        if self._cache is not None and key in self._cache:
            return self._cache[key]
        programs = tuple(render(part.template, values) for part in self.quiz.parts)
        evaluated = (programs, _expected(self.quiz, values))
        if self._cache is not None:
            if len(self._cache) >= CACHE_SIZE:  # bounded, so a large batch keeps a flat cost
                del self._cache[next(iter(self._cache))]
            self._cache[key] = evaluated
        return evaluated


def rendered_question(question: QuizQuestion, values: Mapping[str, object]) -> QuizQuestion:
    """The question with `{param}` replaced in its place, answer, misconceptions and prompt."""
    return replace(
        question,
        question=render_course_question(question.question, values),
        after=render(question.after, values),
    )


def part_lesson(quiz: Quiz, index: int, values: Mapping[str, object]) -> Lesson:
    """A part of one draw as a course Lesson (consecutive questions at one place share a step)."""
    part: Part = quiz.parts[index]
    steps: list[Step] = []
    for question in (rendered_question(q, values) for q in part.questions):
        where = (question.after, question.node, question.node_occurrence)
        last = steps[-1] if steps else None
        if last is not None and (last.after, last.node, last.node_occurrence) == where:
            steps[-1] = replace(last, questions=(*last.questions, question.question))
        else:
            steps.append(
                Step(
                    question.after,
                    _NO_TEXT,
                    (question.question,),
                    question.node,
                    question.node_occurrence,
                    question.question.line,
                )
            )
    return Lesson(
        id=f"{quiz.id}-part-{index + 1}",
        title=quiz.title,
        program=render(part.template, values),
        steps=tuple(steps),
        path=quiz.path,
        program_line=part.program_line,
    )


def _expected(quiz: Quiz, values: Mapping[str, object]) -> Mapping[str, Any] | Degenerate:
    expected: dict[str, Any] = {}
    for index in range(len(quiz.parts)):
        try:
            trace = build_trace(part_lesson(quiz, index, values))
        except CourseError as error:
            first = error.problems[0] if error.problems else None
            line = first.line if first else quiz.parts[index].line
            return Degenerate(None, line, first.message if first else "the program fails")
        expected.update(trace.expected)
    found = degenerate(quiz, expected)
    return found if found is not None else MappingProxyType(expected)


def degenerate(quiz: Quiz, expected: Mapping[str, Any]) -> Degenerate | None:
    """Why these answers make a bad variant, or None when they are fine."""
    return course_degenerate([q.question for q in quiz.questions()], expected)
