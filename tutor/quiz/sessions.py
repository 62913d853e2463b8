"""Provides SessionStore: practice quiz sessions on the learner's own machine, kept in SQLite (WAL),
each answer committed as typed.

A killed or crashed `tutor quiz take` resumes with its answers, its numbers (the practice seed is
stored) and its clock (the start time is stored; the time left is limit − (now − started_at)).
Nothing here is graded or trusted by anyone: it is the learner's own file.

Once a practice attempt is submitted its answers cannot change, whichever window tries: saving
an answer is one conditional INSERT that only an unsubmitted attempt accepts."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tutor.quiz.model import QuizError

DB_NAME = "quiz-practice.sqlite3"
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE practice (id INTEGER PRIMARY KEY, quiz_id TEXT NOT NULL, "
        "student_id TEXT NOT NULL, number INTEGER NOT NULL, seed TEXT NOT NULL, "
        "started_at TEXT NOT NULL, submitted_at TEXT, UNIQUE (quiz_id, student_id, number))",
        "CREATE TABLE practice_answer (practice_id INTEGER NOT NULL REFERENCES practice (id), "
        "question_id TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL, "
        "PRIMARY KEY (practice_id, question_id))",
    ),
)
_COLUMNS = "id, quiz_id, student_id, number, seed, started_at, submitted_at"


@dataclass(frozen=True)
class SessionRecord:
    """One practice attempt: its number, the seed its numbers are drawn from, its times."""

    id: int
    quiz_id: str
    student_id: str
    attempt: int
    seed: str
    started_at: datetime
    submitted_at: datetime | None = None

    def remaining(self, limit_seconds: float, now: datetime) -> float:
        """Seconds left on the clock (never below 0)."""
        return max(0.0, limit_seconds - (now - self.started_at).total_seconds())


class SessionStore:
    """The practice sessions of this machine, in `quiz-practice.sqlite3` in the data dir."""

    def __init__(self, data_dir: Path) -> None:
        from tutor.progress.connection import connect_when_free, run_migrations

        self.path = Path(data_dir) / DB_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = connect_when_free(
                self.path, migrate_with=lambda conn: run_migrations(conn, MIGRATIONS)
            )
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or error
            raise QuizError(f"cannot open the practice sessions {self.path}: {reason}") from None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(
        self, quiz_id: str, student_id: str, now: datetime, seed: bytes | None = None
    ) -> SessionRecord:
        """The open practice attempt (resumed), else a new one with numbers of its own, drawn
        from `seed` (random when None)."""
        sessions = self.sessions(quiz_id, student_id)
        if sessions and sessions[-1].submitted_at is None:
            return sessions[-1]
        number = len(sessions) + 1
        self._execute(
            "INSERT INTO practice (quiz_id, student_id, number, seed, started_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quiz_id, student_id, number) DO NOTHING",
            (quiz_id, student_id, number, (seed or secrets.token_bytes(32)).hex(), _text(now)),
        )
        return self.sessions(quiz_id, student_id)[number - 1]

    def sessions(self, quiz_id: str, student_id: str) -> list[SessionRecord]:
        rows = self._execute(
            f"SELECT {_COLUMNS} FROM practice WHERE quiz_id = ? AND student_id = ? ORDER BY number",
            (quiz_id, student_id),
        ).fetchall()
        return [_record(row) for row in rows]

    def record(self, record_id: int) -> SessionRecord:
        row = self._execute(
            f"SELECT {_COLUMNS} FROM practice WHERE id = ?", (record_id,)
        ).fetchone()
        if row is None:
            raise QuizError(f"no practice attempt {record_id} in {self.path}")
        return _record(row)

    def save_answer(
        self, record: SessionRecord, question_id: str, text: str, now: datetime
    ) -> None:
        """Commit what is typed now (the latest text per question wins), only while the attempt
        is not submitted (in this window or any other): else QuizError."""
        saved = self._execute(
            "INSERT INTO practice_answer (practice_id, question_id, text, at) "
            "SELECT id, ?, ?, ? FROM practice WHERE id = ? AND submitted_at IS NULL "
            "ON CONFLICT (practice_id, question_id) DO UPDATE SET text = excluded.text, "
            "at = excluded.at",
            (question_id, text, _text(now), record.id),
        ).rowcount
        if saved != 1:
            raise QuizError("this practice was submitted (in another window?); answers stay")

    def answers(self, record: SessionRecord) -> dict[str, tuple[str, datetime]]:
        """question id → (text, when last typed)."""
        rows = self._execute(
            "SELECT question_id, text, at FROM practice_answer WHERE practice_id = ?",
            (record.id,),
        ).fetchall()
        return {qid: (text, datetime.fromisoformat(at)) for qid, text, at in rows}

    def mark_submitted(self, record: SessionRecord, now: datetime) -> SessionRecord:
        """Submit once (a second time, from any window, changes nothing); the record."""
        self._execute(
            "UPDATE practice SET submitted_at = ? WHERE id = ? AND submitted_at IS NULL",
            (_text(now), record.id),
        )
        return self.record(record.id)

    def _execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise QuizError(f"practice sessions {self.path}: {error}") from None


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _record(row: tuple) -> SessionRecord:
    id_, quiz_id, student_id, number, seed, started, submitted = row
    return SessionRecord(
        id_,
        quiz_id,
        student_id,
        number,
        seed,
        datetime.fromisoformat(started),
        None if submitted is None else datetime.fromisoformat(submitted),
    )
