"""Provides Store: every attempt committed the moment it is made, to the learner's own SQLite file
(WAL; a corrupt one moved aside) or, on a class's PostgreSQL (`tutor serve --database`), to the
tables every learner shares, each row with the learner's id; with it, in the same transaction,
its question's spaced-review card (tutor.progress.spacing), and what is due by the store's clock."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tutor.progress import due_rows
from tutor.progress.connection import connect_when_free, move_aside
from tutor.progress.database import (
    Database,
    DatabaseError,
    Result,
    SqliteDatabase,
    Tx,
    open_postgresql,
)
from tutor.progress.model import (
    Attempt,
    Clock,
    Due,
    ProgressError,
    now,
    numbers_from_json,
    numbers_json,
)
from tutor.progress.schema import MIGRATIONS
from tutor.progress.scores import (
    LessonProgress,
    Outline,
    QuestionResult,
    lesson_progress,
    question_results,
)
from tutor.text import Text, clean

if TYPE_CHECKING:
    from fsrs import Card

T = TypeVar("T")

DB_NAME = "progress.sqlite3"
SCHEMA = "tutor_progress"  # its PostgreSQL schema
MOVED_ASIDE = Text(
    "Your progress file could not be read ({error}); it was moved to {name} and a fresh one "
    "started.",
    "진행 기록 파일을 읽을 수 없어({error}) {name}(으)로 옮겨 두고 새로 시작했습니다.",
)
_ATTEMPT_COLUMNS = (
    "course_id, lesson_id, question_id, answer, correct, score, misconception, hints_used, "
    "duration_ms, at, numbers"
)


class Store:
    """One learner's attempts, positions, settings and review schedules: in one SQLite file in
    the data dir, or their rows in a class's PostgreSQL database. `clock()` is the time the
    store goes by (what is due, when a place was kept); an attempt is reviewed at its own `at`."""

    def __init__(
        self,
        db: Database,
        path: Path | None,
        notice: Text | None,
        learner: str = "",
        clock: Clock = now,
    ) -> None:
        self._db = db
        self.clock = clock
        self.path = path  # the SQLite file (None on PostgreSQL)
        self.where = db.where  # the file, or the database's URL without its password
        self.learner = learner if db.dialect != "sqlite" else ""  # a file is its learner's
        self.notice_text = notice  # what happened on opening, in both languages
        self.notice = None if notice is None else notice.en

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        *,
        database: str | None = None,
        learner: str = "",
        clock: Clock = now,
    ) -> Store:
        """The progress in `data_dir` (its SQLite file, created if need be); with `database` (a
        postgresql:// URL) the rows of `learner` there instead. `clock` returns the time now,
        timezone-aware (a test's fake clock; the default is the real one)."""
        if database is not None:
            try:
                db = open_postgresql(database, SCHEMA, MIGRATIONS)
            except DatabaseError as err:
                raise ProgressError(f"cannot open the progress store: {err}") from None
            return cls(db, None, None, learner, clock)
        assert data_dir is not None
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
            conn = connect_when_free(path)
        except sqlite3.OperationalError as err:
            raise ProgressError(f"cannot open {path}: {err}") from None
        except sqlite3.DatabaseError as err:
            moved = move_aside(path)
            notice = MOVED_ASIDE.format(error=err, name=moved.name)
            try:
                conn = connect_when_free(path)
            except sqlite3.Error as again:
                raise ProgressError(f"cannot open {path}: {again}") from None
        except OSError as err:
            raise ProgressError(f"cannot open {path}: {err.strerror or err}") from None
        return cls(SqliteDatabase(conn, path), path, notice, clock=clock)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, attempt: Attempt) -> None:
        """Commit one attempt now, its rating and its question's card with it, in one
        transaction: a killed process keeps every attempt recorded before it died, each with
        its card, and nothing of the one it was recording."""
        from tutor.progress import cards, spacing

        given = spacing.rating(
            attempt.correct, attempt.hints_used, attempt.wrong_before, attempt.duration_ms
        )
        row = (
            self.learner,
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
            numbers_json(attempt.numbers),
            int(given),
        )

        def write(tx: Tx) -> None:
            tx.execute(
                f"INSERT INTO attempt (learner_id, {_ATTEMPT_COLUMNS}, rating) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            cards.rebuild(tx, *row[:4])

        self._transaction(write)

    def card(self, course_id: str, lesson_id: str, question_id: str) -> Card | None:
        """The question's FSRS card (None: never answered)."""
        found = self._cards(course_id, lesson=lesson_id, question=question_id)
        return found[0][2] if found else None

    def cards(self, course_id: str) -> dict[tuple[str, str], Card]:
        """Every answered question's card, by (lesson id, question id)."""
        return {(lesson, question): card for lesson, question, card in self._cards(course_id)}

    def due(self, course_id: str, at: datetime | None = None) -> list[Due]:
        """The questions due for review at `at` (default: the clock's now), the longest due
        first."""
        found = self._cards(course_id, due_by=self._when(at))
        return [Due(lesson, question, card.due, card) for lesson, question, card in found]

    def due_count(self, course_id: str, at: datetime | None = None) -> int:
        """How many questions are due for review at `at` (default: the clock's now)."""
        when = self._when(at)
        return self._read(lambda tx: due_rows.count_due(tx, self.learner, course_id, when))

    def due_keys(self, course_id: str, at: datetime | None = None) -> list[tuple[str, str]]:
        """(lesson id, question id) of the questions due at `at` (default: the clock's now),
        the longest due first: `due` without reading the cards (nor importing fsrs)."""
        when = self._when(at)
        return self._read(lambda tx: due_rows.due_keys(tx, self.learner, course_id, when))

    def next_due(self, course_id: str) -> datetime | None:
        """When the course's next review is due (None: nothing answered yet)."""
        return self._read(lambda tx: due_rows.next_due(tx, self.learner, course_id))

    def retrievability(
        self, course_id: str, at: datetime | None = None
    ) -> dict[tuple[str, str], float]:
        """How likely FSRS finds each answered question's answer recalled at `at` (default: the
        clock's now), 0 to 1, by (lesson id, question id); questions never answered are absent."""
        from tutor.progress import spacing

        when = self._when(at)
        return {
            key: spacing.retrievability(card, when) for key, card in self.cards(course_id).items()
        }

    def attempts(self, lesson_id: str | None = None, course_id: str | None = None) -> list[Attempt]:
        where, params = self._filters(course_id=course_id, lesson_id=lesson_id)
        rows = self._execute(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempt {where} ORDER BY at, id", params
        ).fetchall()
        return [_attempt(row) for row in rows]

    def set_position(self, course_id: str, lesson_id: str, step_index: int) -> None:
        """Where the learner is in a lesson; the furthest step ever reached is kept too."""
        self._execute(
            "INSERT INTO position (learner_id, course_id, lesson_id, step_index, furthest, at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (learner_id, course_id, lesson_id) "
            "DO UPDATE SET step_index = excluded.step_index, furthest = CASE "
            "WHEN position.furthest > excluded.step_index THEN position.furthest "
            "ELSE excluded.step_index END, at = excluded.at",
            (self.learner, course_id, lesson_id, int(step_index), int(step_index), self._now()),
        )

    def position(self, course_id: str, lesson_id: str) -> int | None:
        row = self._execute(
            "SELECT step_index FROM position "
            "WHERE learner_id = ? AND course_id = ? AND lesson_id = ?",
            (self.learner, course_id, lesson_id),
        ).fetchone()
        return None if row is None else row[0]

    def furthest(self, course_id: str, lesson_id: str) -> int | None:
        """The furthest step of the lesson the learner has been shown (None: never opened)."""
        row = self._execute(
            "SELECT furthest FROM position WHERE learner_id = ? AND course_id = ? AND lesson_id = ?",
            (self.learner, course_id, lesson_id),
        ).fetchone()
        return None if row is None else row[0]

    def last_lesson(self, course_id: str) -> str | None:
        row = self._execute(
            "SELECT lesson_id FROM position WHERE learner_id = ? AND course_id = ? "
            "ORDER BY at DESC LIMIT 1",
            (self.learner, course_id),
        ).fetchone()
        return None if row is None else row[0]

    def save_outline(self, course_id: str, lessons: Sequence[tuple[str, Outline]]) -> None:
        """Remember the course's lessons in order with their steps' question ids, so that
        `tutor progress` and the CSV score lessons without the course files. Writes only when
        the course changed."""
        import json

        wanted = [(lesson_id, [list(step) for step in outline]) for lesson_id, outline in lessons]
        if [(lid, [list(s) for s in o]) for lid, o in self.outlines(course_id)] == wanted:
            return

        def write(tx: Tx) -> None:
            tx.execute(
                "DELETE FROM outline WHERE learner_id = ? AND course_id = ?",
                (self.learner, course_id),
            )
            for ordinal, (lesson_id, steps) in enumerate(wanted):
                tx.execute(
                    "INSERT INTO outline (learner_id, course_id, lesson_id, ordinal, steps) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (self.learner, course_id, lesson_id, ordinal, json.dumps(steps)),
                )

        self._transaction(write)

    def outlines(self, course_id: str) -> list[tuple[str, Outline]]:
        """The course's lessons as last saved by save_outline, in course order (unreadable rows,
        which only a hand-edited file could hold, are skipped)."""
        rows = self._execute(
            "SELECT lesson_id, steps FROM outline WHERE learner_id = ? AND course_id = ? "
            "ORDER BY ordinal",
            (self.learner, course_id),
        ).fetchall()
        return [(lesson_id, outline) for lesson_id, text in rows if (outline := _outline(text))]

    def courses(self) -> list[str]:
        """Every course with a saved outline, attempts or positions, by id."""
        rows = self._execute(
            "SELECT course_id FROM outline WHERE learner_id = ? "
            "UNION SELECT course_id FROM attempt WHERE learner_id = ? "
            "UNION SELECT course_id FROM position WHERE learner_id = ? ORDER BY course_id",
            (self.learner,) * 3,
        )
        return [row[0] for row in rows]

    def learners(self) -> list[str]:
        """Every learner with attempts or positions here, by id (a SQLite file: its one
        learner, '', once it has any)."""
        rows = self._execute(
            "SELECT learner_id FROM attempt UNION SELECT learner_id FROM position "
            "ORDER BY learner_id"
        )
        return [row[0] for row in rows]

    def question_results(self, course_id: str, lesson_id: str) -> dict[str, QuestionResult]:
        """Each question's result in the lesson: solved, revealed (settled either way), score."""
        return question_results(self.attempts(lesson_id=lesson_id, course_id=course_id))

    def lesson_progress(self, course_id: str, lesson_id: str, outline: Outline) -> LessonProgress:
        """The lesson's steps done, questions settled and score, as home shows them."""
        return self.course_progress(course_id, [(lesson_id, outline)])[0]

    def course_progress(
        self, course_id: str, lessons: Sequence[tuple[str, Outline]] | None = None
    ) -> list[LessonProgress]:
        """Each lesson's progress, in order; `lessons` defaults to the saved outline."""
        lessons = self.outlines(course_id) if lessons is None else lessons
        attempts = self.attempts(course_id=course_id)
        places = {
            lesson_id: (furthest, datetime.fromisoformat(at))
            for lesson_id, furthest, at in self._execute(
                "SELECT lesson_id, furthest, at FROM position WHERE learner_id = ? "
                "AND course_id = ?",
                (self.learner, course_id),
            )
        }
        by_lesson: dict[str, list[Attempt]] = {}
        for a in attempts:
            by_lesson.setdefault(a.lesson_id, []).append(a)
        out = []
        for lesson_id, outline in lessons:
            mine = by_lesson.get(lesson_id, [])
            reached, opened = places.get(lesson_id, (None, None))
            times = [t for t in (opened, *(a.at for a in mine[-1:])) if t is not None]
            out.append(
                lesson_progress(
                    lesson_id, outline, question_results(mine), reached, max(times, default=None)
                )
            )
        return out

    def misconception_counts(self, course_id: str, lesson_id: str | None = None) -> Counter:
        where, params = self._filters(course_id=course_id, lesson_id=lesson_id)
        rows = self._execute(
            f"SELECT misconception, COUNT(*) FROM attempt {where} "
            "AND misconception IS NOT NULL GROUP BY misconception",
            params,
        )
        return Counter(dict(rows.fetchall()))

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._execute(
            "SELECT value FROM setting WHERE learner_id = ? AND key = ?", (self.learner, key)
        ).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        self._execute(
            "INSERT INTO setting (learner_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (learner_id, key) DO UPDATE SET value = excluded.value",
            (self.learner, key, value),
        )

    def export_csv(self, path: Path, course_id: str | None = None) -> int:
        """Write every attempt as CSV, with its question's and lesson's score; returns how many
        rows were written."""
        from tutor.progress.export import write_csv

        return write_csv(self, path, course_id)

    def _transaction(self, body: Callable[[Tx], None]) -> None:
        """`body(tx)` in one write transaction: all of it committed, or none of it."""
        try:
            self._db.transaction(body, key=self.learner)
        except DatabaseError as err:
            raise ProgressError(f"progress store {self.where}: {err}") from None

    def _cards(self, course_id: str, **where) -> list[tuple[str, str, Card]]:
        from tutor.progress import cards

        return self._read(lambda tx: cards.read(tx, self.learner, course_id, **where))

    def _read(self, body: Callable[[Tx], T]) -> T:
        try:
            return body(self._db)
        except DatabaseError as err:
            raise ProgressError(f"progress store {self.where}: {err}") from None

    def _when(self, at: datetime | None) -> datetime:
        """`at`, else the clock's now; a time without a timezone is refused in one line."""
        when = self.clock() if at is None else at
        if when.tzinfo is None or when.utcoffset() is None:
            said = "the store's clock gave" if at is None else "asked about"
            raise ProgressError(f"{said} a time without a timezone: {when.isoformat()}")
        return when.astimezone(UTC)

    def _now(self) -> str:
        return self._when(None).isoformat()

    def _execute(self, sql: str, params: tuple = ()) -> Result:
        try:
            return self._db.execute(sql, params)
        except DatabaseError as err:
            raise ProgressError(f"progress store {self.where}: {err}") from None

    def _filters(self, **columns: str | None) -> tuple[str, tuple]:
        """A WHERE clause on this learner's rows and the columns given."""
        used = [("learner_id", self.learner)]
        used += [(name, value) for name, value in columns.items() if value is not None]
        return "WHERE " + " AND ".join(f"{n} = ?" for n, _ in used), tuple(v for _, v in used)


def _attempt(row: tuple) -> Attempt:
    course, lesson, question, answer, correct, score, misconception, hints, duration, at = row[:10]
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
        numbers=numbers_from_json(row[10]),
    )


def _outline(text: str) -> Outline:
    import json  # only where outlines are read or written: not before the first frame

    try:
        steps = json.loads(text)
        return tuple(tuple(str(q) for q in step) for step in steps)
    except (ValueError, TypeError):
        return ()
