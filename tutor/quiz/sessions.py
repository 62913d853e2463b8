"""Provides SessionStore: quiz sessions kept in SQLite (WAL), each answer committed as typed.

A killed or crashed `tutor quiz take` resumes with its answers and its clock: the start time is
stored, and the time left is always limit − (now − started_at).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tutor.quiz.model import QuizError

DB_NAME = "quiz-sessions.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS session (quiz_id TEXT NOT NULL, student_id TEXT NOT NULL, "
    "attempt INTEGER NOT NULL, started_at TEXT NOT NULL, submitted_at TEXT, "
    "submission_path TEXT, PRIMARY KEY (quiz_id, student_id, attempt))",
    "CREATE TABLE IF NOT EXISTS answer (quiz_id TEXT NOT NULL, student_id TEXT NOT NULL, "
    "attempt INTEGER NOT NULL, question_id TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, "
    "PRIMARY KEY (quiz_id, student_id, attempt, question_id))",
)


@dataclass(frozen=True)
class SessionRecord:
    """One attempt at a quiz by one student, as stored."""

    quiz_id: str
    student_id: str
    attempt: int
    started_at: datetime
    submitted_at: datetime | None = None
    submission_path: str | None = None

    def remaining(self, limit_seconds: float, now: datetime) -> float:
        """Seconds left on the clock (never below 0)."""
        return max(0.0, limit_seconds - (now - self.started_at).total_seconds())


class SessionStore:
    """The quiz sessions of this machine, in `quiz-sessions.sqlite3` in the data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / DB_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._conn.execute("PRAGMA busy_timeout = 10000")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            for statement in _SCHEMA:
                self._conn.execute(statement)
        except (OSError, sqlite3.Error) as error:
            raise QuizError(f"cannot open the quiz sessions {self.path}: {error}") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, quiz_id: str, student_id: str, attempts: int, now: datetime) -> SessionRecord:
        """The open attempt (resumed), else a new one; QuizError when no attempts are left."""
        sessions = self.sessions(quiz_id, student_id)
        if sessions and sessions[-1].submitted_at is None:
            return sessions[-1]
        if len(sessions) >= attempts:
            raise QuizError(
                f"student {student_id} has used all {attempts} attempt"
                f"{'s' * (attempts != 1)} at quiz {quiz_id}"
            )
        record = SessionRecord(quiz_id, student_id, len(sessions) + 1, now.astimezone(UTC))
        self._execute(
            "INSERT INTO session (quiz_id, student_id, attempt, started_at) VALUES (?, ?, ?, ?)",
            (quiz_id, student_id, record.attempt, record.started_at.isoformat()),
        )
        return record

    def sessions(self, quiz_id: str, student_id: str) -> list[SessionRecord]:
        rows = self._execute(
            "SELECT attempt, started_at, submitted_at, submission_path FROM session "
            "WHERE quiz_id = ? AND student_id = ? ORDER BY attempt",
            (quiz_id, student_id),
        ).fetchall()
        return [
            SessionRecord(
                quiz_id,
                student_id,
                attempt,
                datetime.fromisoformat(started),
                None if submitted is None else datetime.fromisoformat(submitted),
                path,
            )
            for attempt, started, submitted, path in rows
        ]

    def save_answer(
        self, record: SessionRecord, question_id: str, text: str, now: datetime
    ) -> None:
        """Commit what is typed now (the latest text per question wins)."""
        self._execute(
            "INSERT INTO answer (quiz_id, student_id, attempt, question_id, text, at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quiz_id, student_id, attempt, question_id) "
            "DO UPDATE SET text = excluded.text, at = excluded.at",
            (*_key(record), question_id, text, now.astimezone(UTC).isoformat()),
        )

    def answers(self, record: SessionRecord) -> dict[str, tuple[str, datetime]]:
        """question id → (text, when last typed)."""
        rows = self._execute(
            "SELECT question_id, text, at FROM answer WHERE quiz_id = ? AND student_id = ? "
            "AND attempt = ?",
            _key(record),
        ).fetchall()
        return {qid: (text, datetime.fromisoformat(at)) for qid, text, at in rows}

    def mark_submitted(self, record: SessionRecord, now: datetime, path: Path) -> SessionRecord:
        self._execute(
            "UPDATE session SET submitted_at = ?, submission_path = ? WHERE quiz_id = ? "
            "AND student_id = ? AND attempt = ?",
            (now.astimezone(UTC).isoformat(), str(path), *_key(record)),
        )
        return SessionRecord(*_key(record), record.started_at, now.astimezone(UTC), str(path))

    def _execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise QuizError(f"quiz sessions {self.path}: {error}") from None


def _key(record: SessionRecord) -> tuple[str, str, int]:
    return record.quiz_id, record.student_id, record.attempt
