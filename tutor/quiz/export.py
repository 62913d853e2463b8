"""Provides the gradebook CSV a learning management system imports: one row per student, the
roster's own columns (an LMS export's Name, ID, Section …) repeated so the file goes back in.

Columns: `student_id`, the roster's other columns in its order, one column per question (points,
2 decimals, before a late penalty), `total` (after it), `max`, `flags` (`;`-separated),
`attempt` (the one that counts), `submitted_at` (ISO 8601, UTC), `minutes_late`. A cell of text
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
and not a number) is written with a leading `'`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tutor.quiz.grading import Gradebook, GradeRow
from tutor.quiz.model import QuizError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SEPARATORS = re.compile(r"[\s_\-]+")


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it (numbers are left alone)."""
    if not text.startswith(_FORMULA_START):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def lms_columns(roster: object | None) -> list[str]:
    """The roster's columns repeated in the gradebook: all but a `student_id` column."""
    if roster is None:
        return []
    headers = list(getattr(roster, "headers", []))
    id_column = getattr(roster, "id_column", None)
    return [
        name
        for name in headers
        if not (name == id_column and _SEPARATORS.sub("", name.casefold()) == "studentid")
    ]


def csv_header(gradebook: Gradebook, roster: object | None = None) -> list[str]:
    roster = roster if roster is not None else gradebook.roster
    return [
        "student_id",
        *lms_columns(roster),
        *(q.id for q in gradebook.quiz.questions()),
        "total",
        "max",
        "flags",
        "attempt",
        "submitted_at",
        "minutes_late",
    ]


def csv_rows(gradebook: Gradebook, roster: object | None = None) -> list[list[str]]:
    """Each student's row, sorted by student id (a student not on the roster has its columns
    empty)."""
    roster = roster if roster is not None else gradebook.roster
    columns = lms_columns(roster)
    students = getattr(roster, "students", None) or []
    by_id = {s.id: s.columns for s in students}
    return [_row(row, columns, by_id.get(row.student_id, {})) for row in gradebook.rows]


def _row(row: GradeRow, columns: list[str], extra: dict[str, str]) -> list[str]:
    return [
        safe_cell(row.student_id),
        *(safe_cell(extra.get(name, "")) for name in columns),
        *(f"{r.points:.2f}" for r in row.results),
        f"{row.total:.2f}",
        f"{row.max_points:.2f}",
        ";".join(row.flags),
        "" if row.attempt is None else str(row.attempt),
        row.submitted_at or "",
        str(row.minutes_late) if row.graded else "",
    ]


def gradebook_csv(gradebook: Gradebook, roster: object | None = None) -> str:
    """The gradebook as CSV text; `roster` (else the gradebook's) gives the LMS columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in csv_header(gradebook, roster)])
    writer.writerows(csv_rows(gradebook, roster))
    return out.getvalue()


def write_csv(gradebook: Gradebook, path: Path, roster: object | None = None) -> None:
    try:
        Path(path).write_text(gradebook_csv(gradebook, roster), encoding="utf-8", newline="")
    except OSError as error:
        raise QuizError(f"cannot write {path}: {error.strerror or error}") from None
