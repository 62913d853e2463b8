"""Provides the database schema as numbered migrations; PRAGMA user_version records the last applied."""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # version 1: attempts and positions
    """
    CREATE TABLE attempt (
        id INTEGER PRIMARY KEY,
        lesson_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        correct INTEGER NOT NULL,
        score REAL NOT NULL,
        misconception TEXT,
        hints_used INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
    );
    CREATE TABLE position (
        lesson_id TEXT PRIMARY KEY,
        step_index INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # version 2: courses, durations, settings
    """
    ALTER TABLE attempt ADD COLUMN course_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempt ADD COLUMN duration_ms INTEGER;
    CREATE INDEX attempt_by_lesson ON attempt (course_id, lesson_id);
    CREATE TABLE position_v2 (
        course_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        step_index INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (course_id, lesson_id)
    );
    INSERT INTO position_v2 SELECT '', lesson_id, step_index, at FROM position;
    DROP TABLE position;
    ALTER TABLE position_v2 RENAME TO position;
    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # version 3: the furthest step reached in each lesson, and each course's outline (its
    # lessons in order, their steps and questions) so scores can be computed without the course
    """
    ALTER TABLE position ADD COLUMN furthest INTEGER NOT NULL DEFAULT 0;
    UPDATE position SET furthest = step_index;
    CREATE TABLE outline (
        course_id TEXT NOT NULL,
        lesson_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        steps TEXT NOT NULL,
        PRIMARY KEY (course_id, lesson_id)
    );
    """,
)

VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to VERSION, one migration per transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > VERSION:
            raise sqlite3.DatabaseError(
                f"made by a newer tutor (schema {current}, this one knows {VERSION})"
            )
        for version in range(current, VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
