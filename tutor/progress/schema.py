"""Provides the progress store's schema as numbered migrations, the same on SQLite and PostgreSQL
(tutor.progress.database renders `{id}`). A SQLite file records the last applied in PRAGMA
user_version (as it always has); a PostgreSQL schema in its `schema_version` table.

Version 4 gave every table a `learner_id`: on PostgreSQL all learners share the tables and each
row says whose it is; in a SQLite file (one learner's own) it is always ''.

Version 5 keeps spaced review's schedules: a `card` per question (its FSRS card as JSON, when it
is next due as text that sorts as the times do) and each attempt's `rating`. Its last step is
Python, not SQL (a migration may hold both: tutor.progress.database.run_step): the attempts made
before it are replayed into cards, so a learner who upgrades keeps their history as schedules.

Version 6 keeps the numbers each attempt was asked with: a lesson with `[params]` shows other
values on a retry and in review, and an answer means something only beside its numbers."""

from __future__ import annotations

import sqlite3

from tutor.progress.database import SQLITE, SqliteTx, Step, Tx, render, run_step


def _replay_attempts(tx: Tx) -> None:
    from tutor.progress.cards import replay  # fsrs: only when a migration needs it

    replay(tx)


MIGRATIONS: tuple[tuple[Step, ...], ...] = (
    # version 1: attempts and positions
    (
        """CREATE TABLE attempt (
            id {id},
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            misconception TEXT,
            hints_used INTEGER NOT NULL DEFAULT 0,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE position (
            lesson_id TEXT PRIMARY KEY,
            step_index INTEGER NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
    # version 2: courses, durations, settings
    (
        "ALTER TABLE attempt ADD COLUMN course_id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE attempt ADD COLUMN duration_ms INTEGER",
        "CREATE INDEX attempt_by_lesson ON attempt (course_id, lesson_id)",
        """CREATE TABLE position_v2 (
            course_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (course_id, lesson_id)
        )""",
        "INSERT INTO position_v2 SELECT '', lesson_id, step_index, at FROM position",
        "DROP TABLE position",
        "ALTER TABLE position_v2 RENAME TO position",
        "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    # version 3: the furthest step reached in each lesson, and each course's outline (its
    # lessons in order, their steps and questions) so scores can be computed without the course
    (
        "ALTER TABLE position ADD COLUMN furthest INTEGER NOT NULL DEFAULT 0",
        "UPDATE position SET furthest = step_index",
        """CREATE TABLE outline (
            course_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            steps TEXT NOT NULL,
            PRIMARY KEY (course_id, lesson_id)
        )""",
    ),
    # version 4: whose each row is (PostgreSQL: every learner in the same tables)
    (
        "ALTER TABLE attempt ADD COLUMN learner_id TEXT NOT NULL DEFAULT ''",
        "DROP INDEX attempt_by_lesson",
        "CREATE INDEX attempt_by_learner ON attempt (learner_id, course_id, lesson_id)",
        """CREATE TABLE position_v4 (
            learner_id TEXT NOT NULL DEFAULT '',
            course_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            furthest INTEGER NOT NULL DEFAULT 0,
            at TEXT NOT NULL,
            PRIMARY KEY (learner_id, course_id, lesson_id)
        )""",
        "INSERT INTO position_v4 (course_id, lesson_id, step_index, furthest, at) "
        "SELECT course_id, lesson_id, step_index, furthest, at FROM position",
        "DROP TABLE position",
        "ALTER TABLE position_v4 RENAME TO position",
        """CREATE TABLE setting_v4 (
            learner_id TEXT NOT NULL DEFAULT '',
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (learner_id, key)
        )""",
        "INSERT INTO setting_v4 (key, value) SELECT key, value FROM setting",
        "DROP TABLE setting",
        "ALTER TABLE setting_v4 RENAME TO setting",
        """CREATE TABLE outline_v4 (
            learner_id TEXT NOT NULL DEFAULT '',
            course_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            steps TEXT NOT NULL,
            PRIMARY KEY (learner_id, course_id, lesson_id)
        )""",
        "INSERT INTO outline_v4 (course_id, lesson_id, ordinal, steps) "
        "SELECT course_id, lesson_id, ordinal, steps FROM outline",
        "DROP TABLE outline",
        "ALTER TABLE outline_v4 RENAME TO outline",
    ),
    # version 5: spaced review (tutor.progress.spacing): each question's card, each attempt's
    # rating, and the attempts made so far replayed into cards
    (
        "ALTER TABLE attempt ADD COLUMN rating INTEGER",
        """CREATE TABLE card (
            learner_id TEXT NOT NULL DEFAULT '',
            course_id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            last_review TEXT NOT NULL,
            rating INTEGER NOT NULL,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL,
            PRIMARY KEY (learner_id, course_id, lesson_id, question_id)
        )""",
        "CREATE INDEX card_by_due ON card (learner_id, course_id, due)",
        _replay_attempts,
    ),
    # version 6: the numbers each attempt was asked with (a lesson's [params], as JSON)
    ("ALTER TABLE attempt ADD COLUMN numbers TEXT",),
)

VERSION = len(MIGRATIONS)


def sqlite_script(version: int) -> str:
    """Migration `version` (1-based) as one SQLite script, its SQL only (for tests making old
    files: the Python steps only bring old rows along, and an old file made so has none)."""
    statements = [s for s in MIGRATIONS[version - 1] if isinstance(s, str)]
    return ";\n".join(render(s, SQLITE) for s in statements) + ";"


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a SQLite file to VERSION, one migration per transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > VERSION:
            raise sqlite3.DatabaseError(
                f"made by a newer tutor (schema {current}, this one knows {VERSION})"
            )
        tx = SqliteTx(conn)
        for version in range(current, VERSION):
            for step in MIGRATIONS[version]:
                run_step(tx, step, SQLITE)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
