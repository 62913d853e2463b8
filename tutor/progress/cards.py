"""Provides the progress store's card rows: each question's FSRS card (tutor.progress.spacing)
as the fold of its rated attempts, written in the transaction that records an attempt
(`rebuild`) and, once, for every attempt made before cards were kept (`replay`, migration 5);
and the rows read back (`read`).

A card is always rebuilt from all of its question's attempts, never stepped from the row
before: an attempt recorded out of time order, or a row a hand edit spoiled, still makes the
card fsrs computes for those answers at those times. A question has a handful of attempts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import groupby

from fsrs import Card

from tutor.progress.database import Tx
from tutor.progress.due_rows import stamp
from tutor.progress.spacing import Answer, fold

_CHUNK = 500  # attempt ids per UPDATE (well under SQLite's limit on parameters)
_KEY = "learner_id, course_id, lesson_id, question_id"
_ANSWER = "id, correct, hints_used, duration_ms, at, rating"


def rebuild(tx: Tx, learner: str, course: str, lesson: str, question: str) -> None:
    """Make the question's card row what its attempts make it."""
    rows = tx.all(
        f"SELECT {_ANSWER} FROM attempt WHERE learner_id = ? AND course_id = ? "
        "AND lesson_id = ? AND question_id = ? ORDER BY id",
        (learner, course, lesson, question),
    )
    _write(tx, [((learner, course, lesson, question), rows)])


def replay(tx: Tx) -> None:
    """Every learner's cards from their attempts, and each attempt's rating (migration 5)."""
    rows = tx.all(f"SELECT {_KEY}, {_ANSWER} FROM attempt ORDER BY {_KEY}, id")
    _write(tx, [(key, [row[4:] for row in group]) for key, group in groupby(rows, _key)])


def read(
    tx: Tx,
    learner: str,
    course: str,
    *,
    lesson: str | None = None,
    question: str | None = None,
    due_by: datetime | None = None,
) -> list[tuple[str, str, Card]]:
    """(lesson, question, card) of the course's cards, the earliest due first (those due by
    `due_by` only, if given); a row that cannot be read (a hand edit) is left out."""
    where, params = "learner_id = ? AND course_id = ?", [learner, course]
    for column, value in (("lesson_id", lesson), ("question_id", question)):
        if value is not None:
            where += f" AND {column} = ?"
            params.append(value)
    if due_by is not None:
        where += " AND due <= ?"
        params.append(stamp(due_by))
    rows = tx.all(
        f"SELECT lesson_id, question_id, card FROM card WHERE {where} "
        "ORDER BY due, lesson_id, question_id",
        params,
    )
    out = []
    for lesson_id, question_id, text in rows:
        try:
            out.append((lesson_id, question_id, Card.from_json(text)))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return out


def _key(row: tuple) -> tuple:
    return row[:4]


def _write(tx: Tx, groups: Iterable[tuple[tuple, Sequence[tuple]]]) -> None:
    """Each question's card row from its attempts' rows (id, correct, hints_used, duration_ms,
    at, rating); an attempt without a rating (or with one no tutor wrote) is given its own."""
    unrated: dict[int, list[int]] = {}
    for key, rows in groups:
        answers, ids = [], []
        for attempt_id, correct, hints, duration, at, given in rows:
            try:
                when = datetime.fromisoformat(at)
            except (TypeError, ValueError):
                continue  # a time no tutor wrote: not a review
            answers.append(Answer(when, bool(correct), hints or 0, duration, given))
            ids.append((attempt_id, given))
        folded = fold(answers)
        if folded is None:
            tx.execute(
                "DELETE FROM card WHERE learner_id = ? AND course_id = ? AND lesson_id = ? "
                "AND question_id = ?",
                key,
            )
            continue
        for (attempt_id, given), found in zip(ids, folded.ratings, strict=True):
            if given != found:  # none yet, or one no tutor wrote
                unrated.setdefault(int(found), []).append(attempt_id)
        card = folded.card
        tx.execute(
            f"INSERT INTO card ({_KEY}, card, due, last_review, rating, reps, lapses) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT ({_KEY}) DO UPDATE SET card = excluded.card, due = excluded.due, "
            "last_review = excluded.last_review, rating = excluded.rating, "
            "reps = excluded.reps, lapses = excluded.lapses",
            (
                *key,
                card.to_json(),
                stamp(card.due),
                stamp(card.last_review),
                int(folded.last),
                folded.reps,
                folded.lapses,
            ),
        )
    for given, attempt_ids in unrated.items():
        for start in range(0, len(attempt_ids), _CHUNK):
            chunk = attempt_ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            tx.execute(f"UPDATE attempt SET rating = ? WHERE id IN ({marks})", (given, *chunk))
