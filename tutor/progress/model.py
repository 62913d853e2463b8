"""Provides the record the store keeps of each answer (Attempt) and ProgressError."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


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


class ProgressError(Exception):
    """The store cannot be used; the message is one line for the learner."""
