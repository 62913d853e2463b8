"""Provides Presence: who is connected to `tutor serve` now, for the instructor's view.

Each signed-in app process keeps one row (its session id, the account, the role, when it signed
in, where it is: `home`, `lesson:<id>`, `quiz:<id>`, …, and when it last said so) in its own
SQLite file (WAL) in the data dir, `presence.sqlite3`. A process writes its row every few
seconds and whenever it moves, and deletes it when it ends; a process killed outright leaves a
row that stops being "connected" once it is older than STALE_AFTER seconds (and is deleted by
the next writer once it is older than FORGET_AFTER).

Times are seconds since the epoch (the `now` passed in). The SQL is kept to what PostgreSQL
also runs."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from tutor.progress.connection import connect_when_free, run_migrations

DB_NAME = "presence.sqlite3"
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
    """The presence rows of every served session, in DATA_DIR/presence.sqlite3."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.path = path

    @classmethod
    def open(cls, data_dir: Path) -> Presence:
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            conn = connect_when_free(path, 10.0, migrate_with=_migrate)
        except sqlite3.Error as error:
            raise PresenceError(f"cannot open {path}: {error}") from None
        except OSError as error:
            raise PresenceError(f"cannot open {path}: {error.strerror or error}") from None
        return cls(conn, path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

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
                rows = self._conn.execute(
                    "SELECT session_id, account_id, role, since, place, seen, address "
                    "FROM presence WHERE seen >= ? ORDER BY account_id, since, session_id",
                    (now - stale_after,),
                ).fetchall()
            except sqlite3.Error as error:
                raise PresenceError(f"{self.path}: {error}") from None
        return [Seen(*row) for row in rows]

    def _write(self, *statements: tuple[str, tuple]) -> None:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in statements:
                        self._conn.execute(sql, params)
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                raise PresenceError(f"{self.path}: {error}") from None


def _migrate(conn: sqlite3.Connection) -> None:
    run_migrations(conn, MIGRATIONS)
