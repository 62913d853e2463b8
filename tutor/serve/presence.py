"""Provides Presence: who is connected to `tutor serve` now, for the instructor's view.

Each signed-in app process keeps one row (its session id, the account, the role, when it signed
in, where it is: `home`, `lesson:<id>`, `quiz:<id>`, …, and when it last said so) in its own
SQLite file (WAL) in the data dir, `presence.sqlite3`. A process writes its row every few
seconds and whenever it moves, and deletes it when it ends; a process killed outright leaves a
row that stops being "connected" once it is older than STALE_AFTER seconds (and is deleted by
the next writer once it is older than FORGET_AFTER).

Times are seconds since the epoch (the `now` passed in). The same SQL runs on PostgreSQL
(`tutor serve --database`: the schema `tutor_presence`), where the instructor's view sees the
sessions of every server of the class."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from tutor.progress.connection import connect_when_free, run_migrations
from tutor.progress.database import Database, DatabaseError, SqliteDatabase, Tx, open_postgresql

DB_NAME = "presence.sqlite3"
SCHEMA = "tutor_presence"  # its PostgreSQL schema
HEARTBEAT = 10.0  # seconds between the rows' refreshes while nothing moves
STALE_AFTER = 30.0  # a row older than this is not connected
FORGET_AFTER = 3600.0  # a row older than this is deleted by the next writer

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE presence (session_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "role TEXT NOT NULL, since DOUBLE PRECISION NOT NULL, place TEXT NOT NULL, "
        "seen DOUBLE PRECISION NOT NULL, address TEXT NOT NULL)",
        "CREATE INDEX presence_by_seen ON presence (seen)",
    ),
)


class PresenceError(Exception):
    """The presence file cannot be opened or changed, in one line."""


@dataclass(frozen=True)
class Seen:
    """One app process as it last reported itself."""

    session_id: str
    account_id: str
    role: str
    since: float
    place: str
    seen: float
    address: str = ""


class Presence:
    """The presence rows of every served session, in DATA_DIR/presence.sqlite3 (or the class's
    PostgreSQL database)."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self._db = db
        self._lock = threading.Lock()
        self.path = path  # the SQLite file (None on PostgreSQL)
        self.where = db.where

    @classmethod
    def open(cls, data_dir: Path | None = None, *, database: str | None = None) -> Presence:
        if database is not None:
            try:
                return cls(open_postgresql(database, SCHEMA, MIGRATIONS), None)
            except DatabaseError as error:
                raise PresenceError(f"cannot open who is connected: {error}") from None
        assert data_dir is not None
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            conn = connect_when_free(path, 10.0, migrate_with=_migrate)
        except sqlite3.Error as error:
            raise PresenceError(f"cannot open {path}: {error}") from None
        except OSError as error:
            raise PresenceError(f"cannot open {path}: {error.strerror or error}") from None
        return cls(SqliteDatabase(conn, path), path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Presence:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def report(
        self,
        session_id: str,
        account_id: str,
        role: str,
        place: str,
        now: float,
        *,
        since: float | None = None,
        address: str = "",
    ) -> None:
        """Write this session's row: where it is now (`since`: when it signed in, kept from the
        first report)."""
        self._write(
            (
                "INSERT INTO presence (session_id, account_id, role, since, place, seen, "
                "address) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET "
                "account_id = excluded.account_id, role = excluded.role, "
                "place = excluded.place, seen = excluded.seen",
                (
                    session_id,
                    account_id,
                    role,
                    now if since is None else since,
                    place,
                    now,
                    address[:200],
                ),
            ),  # fmt: skip
            ("DELETE FROM presence WHERE seen < ?", (now - FORGET_AFTER,)),
        )

    def leave(self, session_id: str) -> None:
        """The session is ending: its row goes."""
        self._write(("DELETE FROM presence WHERE session_id = ?", (session_id,)))

    def connected(self, now: float, stale_after: float = STALE_AFTER) -> list[Seen]:
        """The sessions heard from within `stale_after` seconds, by account then since."""
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT session_id, account_id, role, since, place, seen, address "
                    "FROM presence WHERE seen >= ? ORDER BY account_id, since, session_id",
                    (now - stale_after,),
                ).fetchall()
            except DatabaseError as error:
                raise PresenceError(f"{self.where}: {error}") from None
        return [Seen(*row) for row in rows]

    def _write(self, *statements: tuple[str, tuple]) -> None:
        def write(tx: Tx) -> None:
            for sql, params in statements:
                tx.execute(sql, params)

        with self._lock:
            try:
                self._db.transaction(write)
            except DatabaseError as error:
                raise PresenceError(f"{self.where}: {error}") from None


def _migrate(conn: sqlite3.Connection) -> None:
    run_migrations(conn, MIGRATIONS)
