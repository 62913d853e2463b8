"""Provides read_roster: a class list (CSV, as typed or as exported by Canvas or Moodle) read into
a Roster of Students, each with its student id and every column of its row.

The file is UTF-8, with or without a byte-order mark. Cells are separated by commas, or, when the
header line holds no comma, by semicolons or tabs (a spreadsheet's other "CSV"s). Blank lines, and
lines of nothing but separators, are skipped anywhere.

The header is the first line that is not blank. Headers are matched ignoring case, spaces, `_`
and `-` (`student_id`, `Student ID`, ` student-id `, `StudentID` are one name). The student id
is the first of these columns that the header has:

1. `student_id` (or `학번`);
2. `SIS User ID` (Canvas: the institution's student number);
3. `ID number` (Moodle: the institution's student number);
4. `SIS Login ID` (Canvas), then `Username` (Moodle), then `Email address` (Moodle).

Canvas's and Moodle's plain `ID` (the LMS's internal number, which students do not know) is
never the student id. A header with none of these is an error: a student is never made from a
header. The chosen column must then be filled on every row: an empty id is an error, not a
reason to look at another column (add a `student_id` column to choose one).

In a Canvas export (its first column is `Student`, and it has `SIS User ID`) three kinds of row
are not students and are skipped: `Points Possible`, the row of posting policies (`Manual
Posting`, `Muted`) whose Student and id are empty, and Canvas's own Test Student (`Student,
Test`, no id).

Every column is kept for each student, in the header's order, including the id column as
written (the gradebook repeats them). Columns with an empty header are dropped; two columns with
the same header are an error.

A student id is compared after normalize_id: surrounding spaces stripped and Unicode NFKC
applied (full-width `２０２４` is `2024`), and otherwise exactly, case included (`S12` and
`s12` are two students). It is at most 128 characters, without control or invisible characters.

Every problem is a RosterError whose text is one line, `FILE:LINE: what`, for example
`roster.csv:7: duplicate student_id 's12' (first on line 3)`."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tutor.ids import id_problem, normalize_id
from tutor.text import clean

MAX_BYTES = 20_000_000

# (how the column is named in messages, its header names as _header_key makes them), in order
ID_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("student_id", ("studentid", "학번")),
    ("SIS User ID", ("sisuserid",)),
    ("ID number", ("idnumber",)),
    ("SIS Login ID", ("sisloginid",)),
    ("Username", ("username",)),
    ("Email address", ("emailaddress",)),
)
_CANVAS_TEST_STUDENTS = ("Student, Test", "Test Student")
_SEPARATORS = re.compile(r"[\s_\-]+")


class RosterError(ValueError):
    """A roster that cannot be used, in one line: `FILE:LINE: what`."""


@dataclass(frozen=True)
class Student:
    id: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Roster:
    path: Path
    headers: list[str]  # every kept column, in the file's order
    id_column: str  # the header whose column became Student.id
    students: list[Student]


def read_roster(path: str | Path) -> Roster:
    path = Path(path)
    return _Reader(path).read(_text(path))


def _text(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise RosterError(f"{path}: cannot read the roster: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise RosterError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB: not a class roster")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RosterError(f"{path}:1: UTF-16 text: save the roster as CSV (UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise RosterError(
            f"{path}:{line}: not UTF-8 text: save the roster as CSV (UTF-8)"
        ) from None


def _header_key(header: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", header).casefold())


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return ","
    if ";" in first:
        return ";"
    return "\t" if "\t" in first else ","


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int, what: str) -> RosterError:
        return RosterError(f"{self.path}:{line}: {what}")

    def read(self, text: str) -> Roster:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        rows = self._rows(reader)
        try:
            header_line, header = next(rows)
        except StopIteration:
            raise self.error(
                1, "empty file: a header with a student_id column is expected"
            ) from None
        kept, headers = self._headers(header_line, header)
        id_index, id_label = self._id_column(header_line, header)
        keys = [_header_key(cell) for cell in header]
        canvas = keys[0] == "student" and "sisuserid" in keys
        students: list[Student] = []
        first_line: dict[str, int] = {}
        for line, row in rows:
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                raise self.error(
                    line, f"{len(row)} cells, but the header has {len(header)} columns"
                )
            row = row + [""] * (len(header) - len(row))
            student_id = normalize_id(row[id_index])
            if canvas and _canvas_extra(row[0].strip(), student_id):
                continue
            problem = id_problem(student_id)
            named = "student_id" if id_label == "student_id" else f"student_id ({id_label})"
            if problem == "empty":
                raise self.error(line, f"empty {named}: every student needs one")
            if problem is not None:
                raise self.error(line, f"{named} {student_id[:40]!r}: {problem}")
            if student_id in first_line:
                raise self.error(
                    line,
                    f"duplicate {named} {student_id!r} (first on line {first_line[student_id]})",
                )
            first_line[student_id] = line
            columns = {name: clean(row[i]) for i, name in kept}
            students.append(Student(student_id, columns))
        if not students:
            raise self.error(header_line, "no students below the header")
        return Roster(self.path, headers, header[id_index].strip(), students)

    def _rows(self, reader):
        """(first line of the record, cells) of each record that is not blank."""
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise self.error(line, f"not CSV: {err}") from None
            if any(cell.strip() for cell in row):
                yield line, row

    def _headers(self, line: int, header: list[str]) -> tuple[list[tuple[int, str]], list[str]]:
        kept: list[tuple[int, str]] = []
        seen: set[str] = set()
        for index, cell in enumerate(header):
            name = clean(cell).strip()
            if not name:
                continue
            if name in seen:
                raise self.error(line, f"two columns are named {name!r}")
            seen.add(name)
            kept.append((index, name))
        return kept, [name for _, name in kept]

    def _id_column(self, line: int, header: list[str]) -> tuple[int, str]:
        keys = [_header_key(cell) for cell in header]
        for label, names in ID_COLUMNS:
            found = [i for i, key in enumerate(keys) if key in names]
            if len(found) > 1:
                both = " and ".join(repr(header[i].strip()) for i in found)
                raise self.error(line, f"two student_id columns: {both}")
            if found:
                return found[0], label
        others = ", ".join(repr(label) for label, _ in ID_COLUMNS[1:])
        raise self.error(line, f"no student_id column in the header (nor any of {others}); add one")


def _canvas_extra(name: str, student_id: str) -> bool:
    """Canvas's rows that are not students: points possible, posting policies, Test Student."""
    if name == "Points Possible":
        return True
    return not student_id and (not name or name in _CANVAS_TEST_STUDENTS)
