"""Provides connect_when_free (SQLite in WAL mode, checked and migrated, waiting out another tutor
holding the lock), run_migrations (a SQLite file's schema_version) and move_aside (an unreadable
progress file kept under another name)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tutor.progress.database import SQLITE, render
from tutor.progress.model import ProgressError
from tutor.progress.schema import migrate


def connect_when_free(
    path: Path,
    patience: float = 15.0,
    *,
    migrate_with: Callable[[sqlite3.Connection], None] = migrate,
) -> sqlite3.Connection:
    """Connect, waiting out another tutor that holds the lock (SQLite's busy handler does not
    cover every step of creating a database, e.g. the switch to WAL); `migrate_with` brings the
    schema up to date (the progress store's by default)."""
    deadline = time.monotonic() + patience
    delay = 0.005
    while True:
        try:
            return _connect(path, migrate_with)
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


def _connect(path: Path, migrate_with: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
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
        migrate_with(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def run_migrations(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]]) -> None:
    """Bring a SQLite file's schema (its version: the one row of `schema_version`) up to
    len(migrations), running each migration's statements (rendered for SQLite: `{id}`) in one
    transaction; a file made by a newer tutor is refused. (PostgreSQL: tutor.progress.database
    runs the same migrations.)"""
    latest = len(migrations)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        version = 0 if row is None else row[0]
        if version > latest:
            raise sqlite3.DatabaseError(
                f"its schema is version {version}, made by a newer tutor (this one knows {latest})"
            )
        for statements in migrations[version:]:
            for statement in statements:
                conn.execute(render(statement, SQLITE))
        if row is None:
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (latest,))
        else:
            conn.execute("UPDATE schema_version SET version = ?", (latest,))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def move_aside(path: Path) -> Path:
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
