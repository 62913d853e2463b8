"""Provides the gradebook's data and the rules every score is computed by: one question's points
(partial credit), the late policy, and the rows a gradebook is made of.

The gradebook itself is built from the server's records by tutor.quiz.server_grading; local
practice (tutor.quiz.taking) scores itself with the same `grade_question`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from tutor.quiz.model import Quiz
from tutor.quiz.variant import Variant
from tutor.text import Text

# every flag a row may carry, in the order they are listed
FLAGS = ("late", "time-up", "in-progress", "missing", "unlisted", "no-variant", "old-version")
FLAG_TEXT = {
    "late": Text("late", "지각"),
    "time-up": Text("time-up", "시간 종료"),
    "in-progress": Text("in progress", "푸는 중"),
    "missing": Text("missing", "미응시"),
    "unlisted": Text("not on the roster", "명단에 없음"),
    "no-variant": Text("no variant", "변형 없음"),
    "old-version": Text("old version", "이전 버전"),
}


def flag_text(flag: str, lang: str) -> str:
    """A gradebook flag in the learner's language (the flag itself when unknown)."""
    known = FLAG_TEXT.get(flag)
    return known.get(lang) if known else flag


@dataclass(frozen=True)
class QuestionResult:
    """One question of one student: points earned (after any try penalty, before a late
    penalty) and why."""

    question_id: str
    points: float
    max_points: float
    answered: bool = False
    correct: bool = False
    score: float = 0.0
    misconception: str | None = None


@dataclass(frozen=True)
class GradeRow:
    """One student's line of the gradebook. `graded` is False when no submitted attempt counted.

    `attempt` is the number of the attempt that counts (the best score of the student's
    submitted attempts), `attempts` how many were submitted, `submitted_at` its submission time
    (ISO 8601, UTC), `minutes_late` the minutes it was submitted after the deadline (started
    minutes; within the late policy's grace they cost nothing), `version` the quiz version (its
    SHA-256) the score was computed with."""

    student_id: str
    results: tuple[QuestionResult, ...]
    total: float
    max_points: float
    flags: tuple[str, ...] = ()
    minutes_late: int = 0
    graded: bool = False
    attempt: int | None = None
    attempts: int = 0
    submitted_at: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Gradebook:
    """Every student's row (sorted by id), the roster it was checked against (its students and
    LMS columns, for the CSV) and lines to tell the instructor (`unreadable`: what could not be
    graded, one line each)."""

    quiz: Quiz
    rows: tuple[GradeRow, ...]
    unreadable: tuple[str, ...] = ()
    roster: object | None = None


def grade_question(
    quiz: Quiz, variant: Variant, question_id: str, text: str | None
) -> QuestionResult:
    """The points `text` earns on one question of this variant: full points when right, the
    verdict's share when the question's rule is proportional, else none."""
    from tutor.checking import grade

    question = quiz.question(question_id)
    if text is None or not text.strip():
        return QuestionResult(question_id, 0.0, question.points)
    verdict = grade(question.question, variant.expected[question_id], text)
    partial = verdict.score if question.partial == "proportional" else 0.0
    share = 1.0 if verdict.correct else partial
    return QuestionResult(
        question_id,
        question.points * share,
        question.points,
        True,
        verdict.correct,
        verdict.score,
        verdict.misconception,
    )


def late_factor(quiz: Quiz, over: float) -> tuple[float, int]:
    """(share of the points kept, minutes counted late after the grace) for a submission `over`
    seconds after the deadline."""
    policy = quiz.late
    if over <= policy.grace_seconds:
        return 1.0, 0
    minutes = max(1, math.ceil((over - policy.grace_seconds) / 60.0 - 1e-9))
    if policy.reject or (policy.max_minutes is not None and minutes > policy.max_minutes):
        return 0.0, minutes
    return max(0.0, 1.0 - policy.penalty_per_minute * minutes), minutes


def minutes_past(over: float) -> int:
    """Started minutes after the deadline (0 on time)."""
    return max(0, math.ceil(over / 60.0 - 1e-9)) if over > 0 else 0


def empty_row(quiz: Quiz, student_id: str, flags: Iterable[str], **fields: object) -> GradeRow:
    """A row with no score (missing, in progress, no usable variant)."""
    results = tuple(QuestionResult(q.id, 0.0, q.points) for q in quiz.questions())
    return GradeRow(student_id, results, 0.0, quiz.max_points, ordered(flags), **fields)


def ordered(flags: Iterable[str]) -> tuple[str, ...]:
    flags = set(flags)
    return tuple(flag for flag in FLAGS if flag in flags)
