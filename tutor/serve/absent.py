"""Provides Absent: how many of the class's students are not signed in now, that is how many
browsers may still come to `tutor serve` wanting a session (tutor.serve.spares keeps no more
spares than that, and a few for reloads).

The class is every student issued a code (tutor.serve.accounts); a student is signed in when a
session of theirs is connected (tutor.serve.presence, on any server of the class when they share
PostgreSQL). Both are read again at each count, from the data dir's SQLite files or the class's
database."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from tutor.progress.database import DatabaseError
from tutor.serve.accounts import Accounts, AccountsError
from tutor.serve.presence import Presence, PresenceError


class Absent:
    """Counts the class's students not signed in; None when the stores cannot be read (the
    next count opens them again)."""

    def __init__(self, data_dir: Path | None, database: str | None = None) -> None:
        self.data_dir = data_dir
        self.database = database
        self._accounts: Accounts | None = None
        self._presence: Presence | None = None

    def __call__(self, now: float | None = None) -> int | None:
        try:
            if self._accounts is None:
                self._accounts = Accounts.open(self.data_dir, database=self.database)
            if self._presence is None:
                self._presence = Presence.open(self.data_dir, database=self.database)
            students = {student.id for student in self._accounts.students()}
            here = self._presence.connected(time.time() if now is None else now)
        except (AccountsError, PresenceError, DatabaseError):
            self.close()
            return None
        return len(students - {seen.account_id for seen in here})

    def close(self) -> None:
        for store in (self._accounts, self._presence):
            if store is not None:
                with contextlib.suppress(AccountsError, PresenceError, DatabaseError):
                    store.close()
        self._accounts = self._presence = None
