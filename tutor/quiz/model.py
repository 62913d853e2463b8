"""Provides the quiz as frozen data: Quiz, Part, QuizQuestion and LatePolicy (and Param, the
course's: lessons and quizzes declare parameters alike)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.course.model import Question
from tutor.course.params import Param
from tutor.text import Text

__all__ = [
    "FEEDBACK_POLICIES",
    "PARTIAL_RULES",
    "LatePolicy",
    "Param",
    "Part",
    "Quiz",
    "QuizError",
    "QuizQuestion",
]

PARTIAL_RULES = ("proportional", "none")
FEEDBACK_POLICIES = ("after-submit", "after-each")


class QuizError(Exception):
    """A quiz, secret, submission or session that cannot be used; the message is one line."""


@dataclass(frozen=True)
class LatePolicy:
    """How a submission after the time limit is treated.

    `reject` scores any late submission 0. Otherwise a submission up to `grace_seconds` over the
    limit is on time; after that each started minute (counted from the end of the grace) costs
    `penalty_per_minute` of the total, and more than `max_minutes` scores 0.
    """

    reject: bool = False
    grace_seconds: float = 0.0
    penalty_per_minute: float = 0.0
    max_minutes: float | None = None


@dataclass(frozen=True)
class QuizQuestion:
    """One question of a quiz: the course Question (no hints), where in its part's program it is
    asked, its points and its partial credit rule."""

    question: Question
    part: int
    after: str
    node: str | None
    node_occurrence: int
    points: float
    partial: str

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def prompt(self) -> Text:
        return self.question.prompt

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass(frozen=True)
class Part:
    """A program template (with `{param}` placeholders) and the questions asked about it."""

    template: str
    program_line: int
    questions: tuple[QuizQuestion, ...]
    line: int = 1


@dataclass(frozen=True)
class Quiz:
    """A whole quiz file: settings, parameters and parts; `digest` is the file's SHA-256.

    With `feedback = "after-each"`, each answer checked (Enter) and readable uses one of the
    question's `tries`; each try after the first costs `try_penalty` of its points."""

    id: str
    title: Text
    path: Path
    time_limit_seconds: float
    attempts: int
    partial: str
    feedback: str
    late: LatePolicy
    secret_file: Path | None
    params: tuple[Param, ...]
    parts: tuple[Part, ...]
    digest: str = ""
    tries: int = 1
    try_penalty: float = 0.0

    def questions(self) -> tuple[QuizQuestion, ...]:
        return tuple(q for part in self.parts for q in part.questions)

    def question(self, question_id: str) -> QuizQuestion:
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions())
