"""Provides the record the store keeps of each answer (Attempt), a question due for review
(Due), the store's default clock (`now`) and ProgressError."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Card

Clock = Callable[[], datetime]


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Attempt:
    """One answer a learner submitted, with how it was graded."""

    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    score: float
    misconception: str | None = None
    hints_used: int = 0
    course_id: str = ""
    duration_ms: int | None = None
    at: datetime = field(default_factory=now)
    # the values of the lesson's [params] the question was asked with, by name (none: a lesson
    # without params): the numbers on screen when it was answered
    numbers: tuple[tuple[str, object], ...] = ()
    # wrong answers to this question before this one in this sitting (it rates the answer,
    # tutor.progress.spacing; the rating is stored, this is not: read back, it is 0)
    wrong_before: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Due:
    """A question whose review is due: its card, and when it fell due."""

    lesson_id: str
    question_id: str
    due: datetime
    card: Card


class ProgressError(Exception):
    """The store cannot be used; the message is one line for the learner."""


def numbers_json(numbers: tuple[tuple[str, object], ...]) -> str | None:
    """An attempt's numbers as JSON (`{"a": 3, "shape": [2, 3]}`); None for none."""
    import json

    return json.dumps(dict(numbers)) if numbers else None


def numbers_from_json(text: str | None) -> tuple[tuple[str, object], ...]:
    """An attempt's numbers read back (a shape, written as a JSON list, is a tuple again); a
    value no tutor wrote (a hand edit) reads as none."""
    if not text:
        return ()
    import json

    try:
        found = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(found, dict):
        return ()
    return tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in found.items())
