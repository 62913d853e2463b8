"""Provides what the card table's `due` column tells without fsrs: the questions due by a time
and when the next one is (the home screen's line, drawn in the first frame, before fsrs is
imported), and `stamp`, the fixed-width UTC text that column holds."""

from __future__ import annotations

from datetime import UTC, datetime

from tutor.progress.database import Tx


def utc(at: datetime) -> datetime:
    """`at` in UTC (fsrs wants exactly that); a naive time is taken as local, like Attempt.at."""
    return at.astimezone(UTC)


def stamp(at: datetime) -> str:
    """`at` as fixed-width UTC text, which sorts as the times do (the card table's `due`)."""
    return utc(at).isoformat(timespec="microseconds")


def due_keys(tx: Tx, learner: str, course: str, due_by: datetime) -> list[tuple[str, str]]:
    """(lesson, question) of the course's cards due by `due_by`, the longest due first."""
    rows = tx.all(
        "SELECT lesson_id, question_id FROM card WHERE learner_id = ? AND course_id = ? "
        "AND due <= ? ORDER BY due, lesson_id, question_id",
        (learner, course, stamp(due_by)),
    )
    return [(lesson, question) for lesson, question in rows]


def count_due(tx: Tx, learner: str, course: str, due_by: datetime) -> int:
    row = tx.one(
        "SELECT COUNT(*) FROM card WHERE learner_id = ? AND course_id = ? AND due <= ?",
        (learner, course, stamp(due_by)),
    )
    return int(row[0]) if row else 0


def next_due(tx: Tx, learner: str, course: str) -> datetime | None:
    """When the course's earliest card is due (None: no card, or none readable)."""
    row = tx.one(
        "SELECT MIN(due) FROM card WHERE learner_id = ? AND course_id = ?", (learner, course)
    )
    try:
        return datetime.fromisoformat(row[0]) if row and row[0] else None
    except (TypeError, ValueError):
        return None
