"""Provides write_csv: every attempt as a CSV row, with the score its question and its lesson count
for (the same numbers home, review and `tutor progress` show)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.progress.model import ProgressError, numbers_json
from tutor.progress.scores import lesson_score, question_results

if TYPE_CHECKING:
    from tutor.progress.store import Store

CSV_HEADER = (
    "time",
    "course",
    "lesson",
    "question",
    "answer",
    "correct",
    "score",
    "misconception",
    "hints_used",
    "duration_ms",
    "question_score",
    "lesson_score",
    "numbers",
)


def write_csv(store: Store, path: Path, course_id: str | None = None) -> int:
    """Write the attempts (of one course, or all); returns how many rows were written.
    `question_score` is the question's first try (0 once its answer was shown); `lesson_score` is
    the lesson's score, empty when the lesson is not in a course outline the store has seen;
    `numbers` the values of the lesson's [params] the question was asked with."""
    attempts = store.attempts(course_id=course_id)
    lessons: dict[tuple[str, str], list] = {}
    for a in attempts:
        lessons.setdefault((a.course_id, a.lesson_id), []).append(a)
    questions = {key: question_results(group) for key, group in lessons.items()}
    outlines = {
        (course, lesson_id): outline
        for course in {course for course, _ in lessons}
        for lesson_id, outline in store.outlines(course)
    }
    scores = {
        key: lesson_score((q for step in outlines[key] for q in step), questions[key])
        for key in lessons
        if key in outlines
    }
    try:
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_HEADER)
            for a in attempts:
                key = (a.course_id, a.lesson_id)
                lesson = scores.get(key)
                writer.writerow(
                    (
                        a.at.isoformat(),
                        a.course_id,
                        a.lesson_id,
                        a.question_id,
                        a.answer,
                        int(a.correct),
                        f"{a.score:g}",
                        a.misconception or "",
                        a.hints_used,
                        "" if a.duration_ms is None else a.duration_ms,
                        f"{questions[key][a.question_id].score:g}",
                        "" if lesson is None else f"{lesson:g}",
                        numbers_json(a.numbers) or "",
                    )
                )
    except OSError as err:
        raise ProgressError(f"cannot write {path}: {err.strerror or err}") from None
    return len(attempts)
