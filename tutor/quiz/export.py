"""Provides the gradebook CSV a learning management system imports: one row per student."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tutor.quiz.grading import Gradebook
from tutor.quiz.model import QuizError


def csv_header(gradebook: Gradebook) -> list[str]:
    """`student_id`, one column per question id (points), `total`, `max`, `flags`."""
    return ["student_id", *(q.id for q in gradebook.quiz.questions()), "total", "max", "flags"]


def csv_rows(gradebook: Gradebook) -> list[list[str]]:
    """Each student's row: points with 2 decimals, flags joined by `;`, sorted by student id."""
    return [
        [
            row.student_id,
            *(f"{r.points:.2f}" for r in row.results),
            f"{row.total:.2f}",
            f"{row.max_points:.2f}",
            ";".join(row.flags),
        ]
        for row in gradebook.rows
    ]


def gradebook_csv(gradebook: Gradebook) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(gradebook))
    writer.writerows(csv_rows(gradebook))
    return out.getvalue()


def write_csv(gradebook: Gradebook, path: Path) -> None:
    try:
        Path(path).write_text(gradebook_csv(gradebook), encoding="utf-8", newline="")
    except OSError as error:
        raise QuizError(f"cannot write {path}: {error.strerror or error}") from None
