"""Provides Store: every attempt committed to SQLite (WAL) the moment it is made; corrupt files moved aside."""

from __future__ import annotations

import csv
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from tutor.progress.model import Attempt, LessonSummary
from tutor.progress.schema import migrate
from tutor.text import clean

DB_NAME = "progress.sqlite3"
_ATTEMPT_COLUMNS = (
    "course_id, lesson_id, question_id, answer, correct, score, misconception, hints_used, "
    "duration_ms, at"
)
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
)


class ProgressError(Exception):
    """The store cannot be used; the message is one line for the learner."""


class Store:
    """The learner's attempts, positions and settings, in one SQLite file in the data dir."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notice: str | None) -> None:
        self._conn = conn
        self.path = path
        self.notice = notice

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ProgressError(
                f"cannot create the data directory {data_dir}: {err.strerror}"
            ) from None
        path = data_dir / DB_NAME
        notice = None
        try:
            conn = _connect_when_free(path)
        except sqlite3.OperationalError as err:
            raise ProgressError(f"cannot open {path}: {err}") from None
        except sqlite3.DatabaseError as err:
            moved = _move_aside(path)
            notice = (
                f"Your progress file could not be read ({err}); it was moved to {moved.name} "
                "and a fresh one started."
            )
            try:
                conn = _connect_when_free(path)
            except sqlite3.Error as again:
                raise ProgressError(f"cannot open {path}: {again}") from None
        except OSError as err:
            raise ProgressError(f"cannot open {path}: {err.strerror or err}") from None
        return cls(conn, path, notice)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, attempt: Attempt) -> None:
        """Commit one attempt now: a killed process keeps every attempt recorded before it died."""
        self._execute(
            f"INSERT INTO attempt ({_ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attempt.course_id,
                attempt.lesson_id,
                attempt.question_id,
                clean(attempt.answer),
                int(attempt.correct),
                float(attempt.score),
                attempt.misconception,
                int(attempt.hints_used),
                attempt.duration_ms,
                attempt.at.astimezone(UTC).isoformat(),
            ),
        )

    def attempts(self, lesson_id: str | None = None, course_id: str | None = None) -> list[Attempt]:
        where, params = _filters(course_id=course_id, lesson_id=lesson_id)
        rows = self._execute(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempt {where} ORDER BY at, id", params
        ).fetchall()
        return [_attempt(row) for row in rows]

    def set_position(self, course_id: str, lesson_id: str, step_index: int) -> None:
        self._execute(
            "INSERT INTO position (course_id, lesson_id, step_index, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (course_id, lesson_id) DO UPDATE SET step_index = excluded.step_index, "
            "at = excluded.at",
            (course_id, lesson_id, int(step_index), _now()),
        )

    def position(self, course_id: str, lesson_id: str) -> int | None:
        row = self._execute(
            "SELECT step_index FROM position WHERE course_id = ? AND lesson_id = ?",
            (course_id, lesson_id),
        ).fetchone()
        return None if row is None else row[0]

    def last_lesson(self, course_id: str) -> str | None:
        row = self._execute(
            "SELECT lesson_id FROM position WHERE course_id = ? ORDER BY at DESC LIMIT 1",
            (course_id,),
        ).fetchone()
        return None if row is None else row[0]

    def lesson_summary(
        self, course_id: str, lesson_id: str, question_ids: list[str] | tuple[str, ...]
    ) -> LessonSummary:
        wanted = set(question_ids)
        solved = {
            row[0]
            for row in self._execute(
                "SELECT DISTINCT question_id FROM attempt "
                "WHERE course_id = ? AND lesson_id = ? AND correct = 1",
                (course_id, lesson_id),
            )
        }
        last = self._execute(
            "SELECT score FROM attempt WHERE course_id = ? AND lesson_id = ? "
            "ORDER BY at DESC, id DESC LIMIT 1",
            (course_id, lesson_id),
        ).fetchone()
        return LessonSummary(len(solved & wanted), len(wanted), None if last is None else last[0])

    def misconception_counts(self, course_id: str, lesson_id: str | None = None) -> Counter:
        where, params = _filters(course_id=course_id, lesson_id=lesson_id)
        rows = self._execute(
            f"SELECT misconception, COUNT(*) FROM attempt {where} "
            f"{'AND' if where else 'WHERE'} misconception IS NOT NULL GROUP BY misconception",
            params,
        )
        return Counter(dict(rows.fetchall()))

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        self._execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def export_csv(self, path: Path, course_id: str | None = None) -> int:
        """Write every attempt as CSV; returns how many rows were written."""
        attempts = self.attempts(course_id=course_id)
        try:
            with open(path, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(CSV_HEADER)
                for a in attempts:
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
                        )
                    )
        except OSError as err:
            raise ProgressError(f"cannot write {path}: {err.strerror or err}") from None
        return len(attempts)

    def _execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as err:
            raise ProgressError(f"progress store {self.path}: {err}") from None


def _connect_when_free(path: Path, patience: float = 15.0) -> sqlite3.Connection:
    """Connect, waiting out another tutor that holds the lock (SQLite's busy handler does not
    cover every step of creating a database, e.g. the switch to WAL)."""
    deadline = time.monotonic() + patience
    delay = 0.005
    while True:
        try:
            return _connect(path)
        except sqlite3.OperationalError as err:
            if not _is_busy(err) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _is_busy(err: sqlite3.OperationalError) -> bool:
    return getattr(err, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ) or ("locked" in str(err) or "busy" in str(err))


def _connect(path: Path) -> sqlite3.Connection:
    if path.exists() and not path.is_file():
        raise sqlite3.DatabaseError("it is not a file")
    conn = sqlite3.connect(path, isolation_level=None, timeout=10.0, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise sqlite3.DatabaseError("cannot use write-ahead logging")
        # WAL + NORMAL: a commit is in the log before record() returns, so a killed process loses
        # nothing; only a power cut can drop the last commits. FULL would fsync every answer.
        conn.execute("PRAGMA synchronous = NORMAL")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("it failed SQLite's integrity check")
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as err:
        raise ProgressError(f"cannot move the unreadable {path} aside: {err.strerror}") from None
    return target


def _filters(**columns: str | None) -> tuple[str, tuple]:
    used = [(name, value) for name, value in columns.items() if value is not None]
    if not used:
        return "", ()
    return "WHERE " + " AND ".join(f"{n} = ?" for n, _ in used), tuple(v for _, v in used)


def _attempt(row: tuple) -> Attempt:
    course, lesson, question, answer, correct, score, misconception, hints, duration, at = row
    return Attempt(
        lesson_id=lesson,
        question_id=question,
        answer=clean(answer),
        correct=bool(correct),
        score=score,
        misconception=misconception,
        hints_used=hints,
        course_id=course,
        duration_ms=duration,
        at=datetime.fromisoformat(at),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()
