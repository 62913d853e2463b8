"""Provides AttemptStore: the quizzes taken on `tutor serve`, held by the server alone.

One SQLite file (WAL) in the server's data dir, `quiz.sqlite3`, shared by every app process and
the server itself. Its rows are the whole record of a sitting:

- `quiz_version`: each quiz file ever offered, by content hash (SHA-256), with its text, so an
  attempt is graded with the version it was taken with, whatever the file says today.
- `attempt`: who, which quiz version, the draw and the parameter values drawn, when it started,
  its deadline and the time it closes (the deadline plus the late policy's grace), when and how
  it was submitted (`student`, `time-up`), and which live session holds it.
- `answer_event`: every answer as typed, append-only, with the server's time; `checked` marks
  an answer the learner asked to have checked (a try, with `feedback = "after-each"`).
- `grade`: the score applied to an attempt, with the quiz version it was computed with.

Times are seconds since the epoch on the server's clock. Every change that must happen once (a
submission, a takeover, an answer while the attempt is open and held) is one conditional UPDATE
or INSERT … SELECT inside a transaction that holds the records' write lock, so two processes (or
two servers) racing for it cannot both win.

The same SQL runs on PostgreSQL (`tutor serve --database`: the schema `tutor_quiz`,
tutor.progress.database), where every server of a class shares the records; the data dir keeps
the server's quiz secret and the versions' files read back (`quiz-versions/`)."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tutor.progress.connection import connect_when_free, run_migrations
from tutor.progress.database import (
    Database,
    DatabaseError,
    Result,
    SqliteDatabase,
    Tx,
    open_postgresql,
)
from tutor.quiz.model import Quiz, QuizError

DB_NAME = "quiz.sqlite3"
SCHEMA = "tutor_quiz"  # its PostgreSQL schema
VERSIONS_DIR = "quiz-versions"
HOW = ("student", "time-up")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE quiz_version (digest TEXT PRIMARY KEY, quiz_id TEXT NOT NULL, "
        "source TEXT NOT NULL, stored_at DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE attempt (id {id}, quiz_id TEXT NOT NULL, "
        "student_id TEXT NOT NULL, number INTEGER NOT NULL, "
        "version TEXT NOT NULL REFERENCES quiz_version (digest), draw INTEGER NOT NULL, "
        "params TEXT NOT NULL, started_at DOUBLE PRECISION NOT NULL, "
        "deadline DOUBLE PRECISION NOT NULL, closes_at DOUBLE PRECISION NOT NULL, "
        "submitted_at DOUBLE PRECISION, how TEXT, holder TEXT, held_at DOUBLE PRECISION, "
        "UNIQUE (quiz_id, student_id, number))",
        "CREATE TABLE answer_event (id {id}, "
        "attempt_id INTEGER NOT NULL REFERENCES attempt (id), question_id TEXT NOT NULL, "
        "text TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, checked INTEGER NOT NULL, "
        "outcome TEXT)",
        "CREATE INDEX answer_event_attempt ON answer_event (attempt_id, id)",
        "CREATE TABLE grade (attempt_id INTEGER PRIMARY KEY REFERENCES attempt (id), "
        "version TEXT NOT NULL, points TEXT NOT NULL, total DOUBLE PRECISION NOT NULL, "
        "graded_at DOUBLE PRECISION NOT NULL)",
    ),
)
VERSION = len(MIGRATIONS)

# AttemptStore.start's draw: attempt number → (draw, parameter values)
DrawFor = Callable[[int], tuple[int, dict[str, object]]]


class Closed(QuizError):
    """The attempt no longer takes answers (submitted, or its time is up)."""


class TakenOver(QuizError):
    """Another session of the same student now holds the attempt."""


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt as stored: `params` are the values drawn (parameter name → value)."""

    id: int
    quiz_id: str
    student_id: str
    number: int
    version: str
    draw: int
    params: dict[str, object] = field(hash=False)
    started_at: float
    deadline: float
    closes_at: float
    submitted_at: float | None = None
    how: str | None = None
    holder: str | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def remaining(self, now: float) -> float:
        """Seconds left on the clock the learner sees: until the deadline (never below 0). The
        attempt still takes answers until it closes (the grace after the deadline covers a save
        on its way when time ran out)."""
        return max(0.0, self.deadline - now)


@dataclass(frozen=True)
class AnswerEvent:
    """One answer as typed: when (server time), and whether it was checked (a try)."""

    question_id: str
    text: str
    at: float
    checked: bool
    outcome: str | None = None


@dataclass(frozen=True)
class AppliedGrade:
    """The score applied to an attempt and the quiz version it was computed with."""

    attempt_id: int
    version: str
    points: dict[str, float]
    total: float
    graded_at: float


_ATTEMPT_COLUMNS = (
    "id, quiz_id, student_id, number, version, draw, params, started_at, deadline, closes_at, "
    "submitted_at, how, holder"
)


def new_holder() -> str:
    """A token naming one live session (the holder of an attempt)."""
    return secrets.token_hex(16)


def closing_time(quiz: Quiz, deadline: float) -> float:
    """When an attempt with this deadline stops taking answers: after the late policy's grace."""
    return deadline + (0.0 if quiz.late.reject else quiz.late.grace_seconds)


class AttemptStore:
    """The server's quiz records. Open with `AttemptStore.open(data_dir)` (or `database=URL`);
    safe to share between threads of one process (one connection, a lock around each
    transaction)."""

    def __init__(self, db: Database, path: Path | None, data_dir: Path | None = None) -> None:
        self._db = db
        self.path = path  # the SQLite file (None on PostgreSQL)
        self.where = db.where
        self.data_dir = Path(data_dir) if data_dir is not None else (path and path.parent)
        self._lock = threading.RLock()

    @classmethod
    def open(cls, data_dir: Path, *, database: str | None = None) -> AttemptStore:
        """The records in `data_dir`, or with `database` (a postgresql:// URL) there (the data
        dir then only keeps the versions' files read back)."""
        if database is not None:
            try:
                db = open_postgresql(database, SCHEMA, MIGRATIONS)
            except DatabaseError as error:
                raise QuizError(f"cannot open the quiz records: {error}") from None
            return cls(db, None, data_dir)
        path = Path(data_dir) / DB_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = connect_when_free(path, migrate_with=_migrate)
        except (OSError, sqlite3.Error) as error:
            reason = getattr(error, "strerror", None) or error
            raise QuizError(f"cannot open the quiz records {path}: {reason}") from None
        return cls(SqliteDatabase(conn, path), path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AttemptStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # versions

    def remember(self, quiz: Quiz, now: float) -> str:
        """Keep this version of the quiz (its file's text, by digest); the digest."""
        try:
            raw = quiz.path.read_bytes()
            source = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise QuizError(f"cannot read {quiz.path}: {error}") from None
        digest = hashlib.sha256(raw).hexdigest()
        if quiz.digest and digest != quiz.digest:
            raise QuizError(f"{quiz.path} changed since it was loaded; load it again")
        self._write(
            lambda tx: tx.execute(
                "INSERT INTO quiz_version (digest, quiz_id, source, stored_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                (digest, quiz.id, source, now),
            )
        )
        return digest

    def version_source(self, digest: str) -> str:
        row = self._one("SELECT source FROM quiz_version WHERE digest = ?", (digest,))
        if row is None:
            raise QuizError(f"quiz version {digest[:12]} is not in {self.where}")
        return row[0]

    def version(self, digest: str, cache_dir: Path | None = None) -> Quiz:
        """The quiz as it was in version `digest` (read from its stored text)."""
        from tutor.quiz.load import load_quiz

        if cache_dir is None and self.data_dir is None:
            raise QuizError("no folder to read the quiz versions back in")
        directory = Path(cache_dir) if cache_dir else self.data_dir / VERSIONS_DIR
        target = directory / f"{digest}.quiz.toml"
        if not target.is_file():
            source = self.version_source(digest)
            try:
                directory.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
                partial.write_text(source, encoding="utf-8")
                partial.replace(target)
            except OSError as error:
                raise QuizError(f"cannot write {target}: {error.strerror}") from None
        return load_quiz(target)

    # attempts

    def start(
        self,
        quiz: Quiz,
        student_id: str,
        now: float,
        draw_for: DrawFor,
        holder: str,
    ) -> AttemptRecord:
        """The student's open attempt (now held by `holder`: a second login takes it over),
        else a new one if attempts are left (QuizError when not). A new attempt is drawn by
        `draw_for(number) -> (draw, params)` and records this version of the quiz."""
        digest = self.remember(quiz, now)
        existing = self.attempts(quiz.id, student_id)
        if existing and not existing[-1].submitted:
            return self.take_over(existing[-1], holder, now)
        number = len(existing) + 1
        if number > quiz.attempts:
            plural = "s" * (quiz.attempts != 1)
            raise QuizError(f"all {quiz.attempts} attempt{plural} at this quiz are used")
        draw, params = draw_for(number)
        deadline = now + quiz.time_limit_seconds
        try:
            self._write(
                lambda tx: tx.execute(
                    "INSERT INTO attempt (quiz_id, student_id, number, version, draw, params, "
                    "started_at, deadline, closes_at, holder, held_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        quiz.id,
                        student_id,
                        number,
                        digest,
                        draw,
                        json.dumps(params, sort_keys=True),
                        now,
                        deadline,
                        closing_time(quiz, deadline),
                        holder,
                        now,
                    ),
                )
            )
        except QuizError:
            # another session of the same student started it a moment ago: take that one
            again = self.attempts(quiz.id, student_id)
            if again and not again[-1].submitted:
                return self.take_over(again[-1], holder, now)
            raise
        return self.attempts(quiz.id, student_id)[-1]

    def attempt(self, attempt_id: int) -> AttemptRecord:
        row = self._one(f"SELECT {_ATTEMPT_COLUMNS} FROM attempt WHERE id = ?", (attempt_id,))
        if row is None:
            raise QuizError(f"no attempt {attempt_id} in {self.where}")
        return _record(row)

    def attempts(
        self, quiz_id: str | None = None, student_id: str | None = None
    ) -> list[AttemptRecord]:
        """Attempts (of a quiz, of a student), by quiz, student and number."""
        where, params = [], []
        if quiz_id is not None:
            where.append("quiz_id = ?")
            params.append(quiz_id)
        if student_id is not None:
            where.append("student_id = ?")
            params.append(student_id)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._execute(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempt{clause} ORDER BY quiz_id, student_id, number",
            tuple(params),
        ).fetchall()
        return [_record(row) for row in rows]

    def take_over(self, record: AttemptRecord, holder: str, now: float) -> AttemptRecord:
        """Make `holder` the attempt's live session; the one before learns it on its next save
        or look (`holds`)."""
        self._write(
            lambda tx: tx.execute(
                "UPDATE attempt SET holder = ?, held_at = ? WHERE id = ?", (holder, now, record.id)
            )
        )
        return self.attempt(record.id)

    def holds(self, attempt_id: int, holder: str) -> bool:
        row = self._one("SELECT holder FROM attempt WHERE id = ?", (attempt_id,))
        return row is not None and row[0] == holder

    def release(self, attempt_id: int, holder: str) -> None:
        """The session is leaving (the attempt stays open for the next login)."""
        self._write(
            lambda tx: tx.execute(
                "UPDATE attempt SET holder = NULL WHERE id = ? AND holder = ?",
                (attempt_id, holder),
            )
        )

    def save(
        self,
        record: AttemptRecord,
        holder: str,
        question_id: str,
        text: str,
        now: float,
        *,
        checked: bool = False,
        outcome: str | None = None,
    ) -> None:
        """Add an answer as typed, only while the attempt is open, before it closes, and held
        by `holder`: else Closed or TakenOver (nothing is written)."""
        inserted = self._write(
            lambda tx: (
                tx.execute(
                    "INSERT INTO answer_event (attempt_id, question_id, text, at, checked, outcome) "
                    "SELECT id, ?, ?, ?, ?, ? FROM attempt WHERE id = ? AND submitted_at IS NULL "
                    "AND closes_at > ? AND holder = ?",
                    (question_id, text, now, int(checked), outcome, record.id, now, holder),
                ).rowcount
            )
        )
        if inserted != 1:
            raise self._why_not(record.id, holder, now)

    def _why_not(self, attempt_id: int, holder: str, now: float) -> QuizError:
        current = self.attempt(attempt_id)
        if current.submitted:
            return Closed("this attempt has been submitted; answers can no longer change")
        if current.closes_at <= now:
            return Closed("time is up; answers can no longer change")
        return TakenOver("this quiz was opened in another session, which now holds it")

    def events(self, attempt_id: int) -> list[AnswerEvent]:
        rows = self._execute(
            "SELECT question_id, text, at, checked, outcome FROM answer_event "
            "WHERE attempt_id = ? ORDER BY id",
            (attempt_id,),
        ).fetchall()
        return [AnswerEvent(q, t, at, bool(c), o) for q, t, at, c, o in rows]

    def submit(
        self, record: AttemptRecord, now: float, how: str, holder: str | None = None
    ) -> AttemptRecord:
        """Submit once: stamped `now`, or the closing time when that came first (time-up on
        time, whoever notices it). Submitting again changes nothing. With `holder`, only the
        session holding the attempt may submit it (TakenOver otherwise)."""
        if how not in HOW:
            raise ValueError(how)
        held = "" if holder is None else " AND holder = ?"
        changed = self._write(
            lambda tx: (
                tx.execute(
                    "UPDATE attempt SET submitted_at = CASE WHEN closes_at <= ? THEN closes_at "
                    "ELSE ? END, how = CASE WHEN closes_at <= ? THEN 'time-up' ELSE ? END "
                    f"WHERE id = ? AND submitted_at IS NULL{held}",
                    (now, now, now, how, record.id) + (() if holder is None else (holder,)),
                ).rowcount
            )
        )
        current = self.attempt(record.id)
        if not changed and not current.submitted:
            raise TakenOver("this quiz was opened in another session, which now holds it")
        return current

    def close_expired(self, now: float) -> list[AttemptRecord]:
        """Submit every open attempt whose time is up, stamped at its closing time (the server's
        sweep: a learner who closed the page is submitted on time too). The attempts this call
        closed (another process's sweep at the same moment closes the others: each once)."""

        def sweep(tx: Tx) -> list[int]:
            rows = tx.all(
                "SELECT id FROM attempt WHERE submitted_at IS NULL AND closes_at <= ? ORDER BY id",
                (now,),
            )
            closed = []
            for (attempt_id,) in rows:
                changed = tx.execute(
                    "UPDATE attempt SET submitted_at = closes_at, how = 'time-up' "
                    "WHERE id = ? AND submitted_at IS NULL",
                    (attempt_id,),
                ).rowcount
                if changed:
                    closed.append(attempt_id)
            return closed

        return [self.attempt(attempt_id) for attempt_id in self._write(sweep)]

    # grades

    def first_grade(
        self, attempt_id: int, version: str, points: dict[str, float], total: float, now: float
    ) -> bool:
        """Record an attempt's first grade (with the version it was taken with); a grade already
        there (another grading, a regrade applied) is kept. Whether this one was written."""
        written = self._write(
            lambda tx: (
                tx.execute(
                    "INSERT INTO grade (attempt_id, version, points, total, graded_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO NOTHING",
                    (attempt_id, version, json.dumps(points, sort_keys=True), total, now),
                ).rowcount
            )
        )
        return written == 1

    def apply_grade(
        self, attempt_id: int, version: str, points: dict[str, float], total: float, now: float
    ) -> None:
        """Replace an attempt's grade (a regrade the instructor asked for)."""
        self._write(
            lambda tx: tx.execute(
                "INSERT INTO grade (attempt_id, version, points, total, graded_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO UPDATE SET "
                "version = excluded.version, points = excluded.points, total = excluded.total, "
                "graded_at = excluded.graded_at",
                (attempt_id, version, json.dumps(points, sort_keys=True), total, now),
            )
        )

    def grades(self) -> dict[int, AppliedGrade]:
        rows = self._execute(
            "SELECT attempt_id, version, points, total, graded_at FROM grade"
        ).fetchall()
        return {a: AppliedGrade(a, v, json.loads(p), t, g) for a, v, p, t, g in rows}

    # plumbing

    def _write(self, body):
        """`body(tx)` in one transaction that takes the records' write lock at once (every
        process's, every server's writes take turns); its result."""
        with self._lock:
            try:
                return self._db.transaction(body)
            except DatabaseError as error:
                raise QuizError(f"quiz records {self.where}: {error}") from None

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        return self._execute(sql, params).fetchone()

    def _execute(self, sql: str, params: tuple = ()) -> Result:
        """One statement, a transaction of its own (a single statement is atomic: one UPDATE
        … WHERE submitted_at IS NULL wins once)."""
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except DatabaseError as error:
                raise QuizError(f"quiz records {self.where}: {error}") from None


def _record(row: tuple) -> AttemptRecord:
    (id_, quiz_id, student_id, number, version, draw, params, started, deadline, closes,
     submitted, how, holder) = row  # fmt: skip
    return AttemptRecord(
        id_, quiz_id, student_id, number, version, draw, json.loads(params),
        started, deadline, closes, submitted, how, holder,
    )  # fmt: skip


def _migrate(conn: sqlite3.Connection) -> None:
    run_migrations(conn, MIGRATIONS)
