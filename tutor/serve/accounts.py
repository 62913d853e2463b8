"""Provides Accounts: the class's access codes and the limits on failed logins, in one SQLite file
(WAL) in the data dir, shared by every served app process.

An access code is 12 characters from an alphabet without 0, O, 1, I and lower case, shown as
three groups of four (`K7QD-M2XH-9WRT`), read back ignoring case, spaces and dashes. It is
stored only as a salted scrypt hash, `scrypt$N$r$p$salt$hash` (base64), a fresh salt per code,
so the parameters can be raised later without invalidating codes already issued.

Failed logins are limited twice over; successful logins are never counted nor limited, so a
whole class behind one address (a lab's NAT) logging in at the same minute is never slowed:

- per student id, as typed, known or not (the answer never tells which ids exist): after
  FREE_FAILURES failures in a row the id waits FIRST_WAIT seconds, after each further failure
  twice as long as the last time, at most MAX_WAIT. A success, or a new code, ends the count;
  so do FORGET_AFTER seconds without a failure.
- per address: ADDRESS_FAILURES failures within ADDRESS_WINDOW seconds make the address wait
  until the oldest of them is older than the window.

Student ids are compared as tutor.ids.normalize_id makes them: stripped, Unicode NFKC,
and case-sensitive otherwise. An instructor logs in with their name in place of a student id; a
name is never both. While an id or an address waits, a login is refused without checking its code. Every time is
the `now` passed in (seconds since the epoch; the wall clock by default), so tests need no
sleeping. Concurrent logins of other processes may each get their code checked before the
failures of the others are counted: the limits are exact to within the logins in flight.

The same SQL runs on PostgreSQL (`tutor serve --database`, tutor.progress.database: the schema
`tutor_accounts`, its version the one row of its `schema_version`), where every server of a
class shares the accounts and the counts of failed logins."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tutor.ids import MAX_ID_LENGTH, id_problem, normalize_id
from tutor.progress.connection import connect_when_free, run_migrations
from tutor.progress.database import (
    Database,
    DatabaseError,
    Result,
    SqliteDatabase,
    Tx,
    open_postgresql,
)
from tutor.serve.roster import Roster, Student
from tutor.text import Text

DB_NAME = "accounts.sqlite3"
SCHEMA = "tutor_accounts"  # its PostgreSQL schema

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters and digits, none alike: 60 bits a code
GROUPS, GROUP_LENGTH = 3, 4
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
_MAX_SCRYPT_MEMORY = 2**27

FREE_FAILURES = 5
FIRST_WAIT = 30.0
MAX_WAIT = 900.0
FORGET_AFTER = 3600.0
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = 60.0

WRONG = Text(
    "Unknown student ID or wrong access code.",
    "학번이나 접속 코드가 맞지 않습니다.",
)
TOO_MANY = Text(
    "Too many failed attempts: try again in {seconds} s.",
    "실패한 시도가 너무 많습니다. {seconds}초 뒤에 다시 시도하세요.",
)
MISSING = Text(
    "Type your student ID and your access code.",
    "학번과 접속 코드를 입력하세요.",
)

# version n is MIGRATIONS[n - 1]; each a tuple of statements
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE account (
            account_id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            roster_columns TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            issued_at DOUBLE PRECISION NOT NULL,
            last_login_at DOUBLE PRECISION
        )""",
        """CREATE TABLE id_failure (
            account_id TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at DOUBLE PRECISION NOT NULL,
            locked_until DOUBLE PRECISION NOT NULL
        )""",
        """CREATE TABLE address_failure (
            address TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX address_failure_by_address ON address_failure (address, at)",
    ),
)
VERSION = len(MIGRATIONS)


class AccountsError(Exception):
    """The accounts cannot be opened or changed, in one line."""


@dataclass(frozen=True)
class Login:
    ok: bool
    role: str | None = None  # "student" | "instructor"
    student_id: str | None = None  # set for a student only
    reason: Text | None = None  # why not, one line in each language
    retry_after: float = 0.0  # seconds to wait before the next try is checked
    account: str | None = None  # the student id or the instructor's name


def new_code() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(letters[i : i + GROUP_LENGTH] for i in range(0, len(letters), GROUP_LENGTH))


def canonical_code(typed: str) -> str:
    """A code as hashed: NFKC, upper case, without spaces and dashes."""
    return re.sub(r"[\s\-‐‑–—_.]+", "", unicodedata.normalize("NFKC", typed).upper())


def hash_code(code: str, n: int = SCRYPT_N) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(code, salt, n, SCRYPT_R, SCRYPT_P, SCRYPT_BYTES)
    parts = ("scrypt", str(n), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest))
    return "$".join(parts)


def _scrypt(code: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(
        code.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=size, maxmem=_MAX_SCRYPT_MEMORY
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def lock_wait(failures: int) -> float:
    """Seconds an id waits after its `failures`-th failure in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 30), MAX_WAIT)


class Accounts:
    """Students' and instructors' access codes (hashed) and recent failed logins."""

    def __init__(self, db: Database, path: Path | None, scrypt_n: int) -> None:
        self._db = db
        self._lock = threading.RLock()
        self.path = path  # the SQLite file (None on PostgreSQL)
        self.where = db.where
        self.scrypt_n = scrypt_n
        # what an unknown id's code is checked against, so that it takes as long as a known one
        # (a hash of no code: its digest is random)
        decoy = ("scrypt", str(scrypt_n), str(SCRYPT_R), str(SCRYPT_P))
        randoms = (secrets.token_bytes(SALT_BYTES), secrets.token_bytes(SCRYPT_BYTES))
        self._decoy = "$".join((*decoy, *map(_b64, randoms)))

    @classmethod
    def open(
        cls, data_dir: Path | None = None, *, database: str | None = None, scrypt_n: int = SCRYPT_N
    ) -> Accounts:
        """The accounts in `data_dir`, created if need be; with `database` (a postgresql://
        URL) there instead. `scrypt_n`: the work of new hashes (tests make it small; hashes keep
        their own)."""
        if database is not None:
            try:
                db = open_postgresql(database, SCHEMA, MIGRATIONS)
            except DatabaseError as err:
                raise AccountsError(f"cannot open the accounts: {err}") from None
            return cls(db, None, scrypt_n)
        assert data_dir is not None
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise AccountsError(
                f"cannot create the data directory {data_dir}: {err.strerror or err}"
            ) from None
        path = data_dir / DB_NAME
        try:
            conn = connect_when_free(path, 10.0, migrate_with=_migrate)
        except sqlite3.Error as err:
            raise AccountsError(f"cannot open {path}: {err}") from None
        except OSError as err:
            raise AccountsError(f"cannot open {path}: {err.strerror or err}") from None
        return cls(SqliteDatabase(conn, path), path, scrypt_n)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Accounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def issue_codes(self, roster: Roster) -> list[tuple[str, str]]:
        """A fresh code for each student of the roster, in its order: (student id, code). A
        student's earlier code stops working, and their failed logins are forgotten; students
        issued before and not on this roster keep theirs."""
        ids = [normalize_id(s.id) for s in roster.students]
        for student_id in ids:
            if id_problem(student_id) is not None:
                raise AccountsError(f"student_id {student_id[:40]!r}: {id_problem(student_id)}")
        if len(set(ids)) != len(ids):
            raise AccountsError("the roster names a student twice")
        self._refuse_instructors(ids)
        codes = [new_code() for _ in ids]
        hashes = [hash_code(canonical_code(code), self.scrypt_n) for code in codes]
        now = time.time()

        def issue(tx: Tx) -> None:
            self._refuse_instructors(ids, tx)
            ordinal = tx.one("SELECT COALESCE(MAX(ordinal), 0) FROM account")[0]
            for student_id, student, code_hash in zip(ids, roster.students, hashes, strict=True):
                ordinal += 1
                self._upsert(tx, student_id, "student", code_hash, student.columns, ordinal, now)

        self._write(issue)
        return list(zip(ids, codes, strict=True))

    def issue_instructor_code(self, name: str = "instructor") -> str:
        """A fresh code for the instructor `name` (typed as the student id at login)."""
        name = normalize_id(name)
        if id_problem(name) is not None:
            raise AccountsError(f"instructor name {name[:40]!r}: {id_problem(name)}")
        code = new_code()
        code_hash = hash_code(canonical_code(code), self.scrypt_n)
        now = time.time()

        def issue(tx: Tx) -> None:
            role = tx.one("SELECT role FROM account WHERE account_id = ?", (name,))
            if role is not None and role[0] != "instructor":
                raise AccountsError(f"{name!r} is a student's id: choose another instructor name")
            ordinal = tx.one("SELECT COALESCE(MAX(ordinal), 0) FROM account")[0] + 1
            self._upsert(tx, name, "instructor", code_hash, {}, ordinal, now)

        self._write(issue)
        return code

    def login(self, student_id: str, code: str, address: str, now: float | None = None) -> Login:
        """Check a typed id and code from `address` (the client's IP) at `now`."""
        now = time.time() if now is None else now
        account_id, typed = normalize_id(student_id[:1000]), canonical_code(code[:200])
        if not account_id or not typed:
            return Login(False, reason=MISSING)
        address = address.strip()[:200]
        known_length = len(account_id) <= MAX_ID_LENGTH
        with self._lock:
            wait = self._address_wait(address, now)
            if known_length:
                locked = self._one(
                    "SELECT locked_until FROM id_failure WHERE account_id = ?", (account_id,)
                )
                if locked is not None:
                    wait = max(wait, locked[0] - now)
            if wait > 0:
                return _waiting(wait)
            row = None
            if known_length:
                row = self._one(
                    "SELECT role, code_hash FROM account WHERE account_id = ?", (account_id,)
                )
            if _verify(typed, self._decoy if row is None else row[1]) and row is not None:

                def admit(tx: Tx) -> None:
                    tx.execute("DELETE FROM id_failure WHERE account_id = ?", (account_id,))
                    tx.execute(
                        "UPDATE account SET last_login_at = ? WHERE account_id = ?",
                        (now, account_id),
                    )

                self._write(admit)
                role = row[0]
                student = account_id if role == "student" else None
                return Login(True, role, student, None, 0.0, account_id)
            wait = self._record_failure(account_id if known_length else None, address, now)
        return _waiting(wait) if wait > 0 else Login(False, reason=WRONG)

    def students(self) -> list[Student]:
        """Every student issued a code, in the order of issue, with their roster columns."""
        with self._lock:
            rows = self._execute(
                "SELECT account_id, roster_columns FROM account WHERE role = 'student' "
                "ORDER BY ordinal, account_id"
            ).fetchall()
        return [Student(account_id, json.loads(columns)) for account_id, columns in rows]

    def instructors(self) -> list[str]:
        """Every instructor's name, in the order of issue."""
        with self._lock:
            rows = self._execute(
                "SELECT account_id FROM account WHERE role = 'instructor' "
                "ORDER BY ordinal, account_id"
            ).fetchall()
        return [row[0] for row in rows]

    def _refuse_instructors(self, ids: list[str], tx: Tx | None = None) -> None:
        sql = "SELECT account_id FROM account WHERE role = 'instructor'"
        rows = self._execute(sql) if tx is None else tx.execute(sql)
        instructors = {row[0] for row in rows.fetchall()}
        clash = next((i for i in ids if i in instructors), None)
        if clash is not None:
            raise AccountsError(f"student_id {clash!r} is an instructor's name")

    def _upsert(
        self,
        tx: Tx,
        account_id: str,
        role: str,
        code_hash: str,
        columns: dict[str, str],
        ordinal: int,
        now: float,
    ) -> None:
        tx.execute(
            "INSERT INTO account (account_id, role, code_hash, roster_columns, ordinal, "
            "issued_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (account_id) DO UPDATE SET code_hash = excluded.code_hash, "
            "roster_columns = excluded.roster_columns, issued_at = excluded.issued_at",
            (account_id, role, code_hash, json.dumps(columns, ensure_ascii=False), ordinal, now),
        )
        tx.execute("DELETE FROM id_failure WHERE account_id = ?", (account_id,))

    def _address_wait(self, address: str, now: float) -> float:
        rows = self._execute(
            "SELECT at FROM address_failure WHERE address = ? AND at > ? ORDER BY at",
            (address, now - ADDRESS_WINDOW),
        ).fetchall()
        if len(rows) < ADDRESS_FAILURES:
            return 0.0
        return rows[len(rows) - ADDRESS_FAILURES][0] + ADDRESS_WINDOW - now

    def _record_failure(self, account_id: str | None, address: str, now: float) -> float:
        """Count a failure against the address and the id; the id's wait it starts."""

        def count(tx: Tx) -> float:
            tx.execute("DELETE FROM address_failure WHERE at <= ?", (now - ADDRESS_WINDOW,))
            tx.execute("INSERT INTO address_failure (address, at) VALUES (?, ?)", (address, now))
            tx.execute(
                "DELETE FROM id_failure WHERE last_at <= ? AND locked_until <= ?",
                (now - FORGET_AFTER, now),
            )
            if account_id is None:
                return 0.0
            row = tx.one(
                "SELECT failures, last_at FROM id_failure WHERE account_id = ?", (account_id,)
            )
            failures = 1 if row is None or row[1] <= now - FORGET_AFTER else row[0] + 1
            wait = lock_wait(failures)
            tx.execute(
                "INSERT INTO id_failure (account_id, failures, last_at, locked_until) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
                "failures = excluded.failures, last_at = excluded.last_at, "
                "locked_until = excluded.locked_until",
                (account_id, failures, now, now + wait),
            )
            return wait

        return self._write(count)

    def _write(self, body):
        """`body(tx)` in one transaction that takes the write lock at once (every process's
        writes to the accounts take turns); its result."""
        with self._lock:
            try:
                return self._db.transaction(body)
            except DatabaseError as err:
                raise AccountsError(f"{self.where}: {err}") from None

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        return self._execute(sql, params).fetchone()

    def _execute(self, sql: str, params: tuple = ()) -> Result:
        try:
            return self._db.execute(sql, params)
        except DatabaseError as err:
            raise AccountsError(f"{self.where}: {err}") from None


def _waiting(wait: float) -> Login:
    return Login(False, reason=TOO_MANY.format(seconds=math.ceil(wait)), retry_after=wait)


def _verify(code: str, stored: str) -> bool:
    """Whether `code` is the one hashed in `stored` (in constant time for its length)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
        params = int(n), int(r), int(p)
        if scheme != "scrypt":
            return False
    except ValueError:
        return False
    try:
        actual = _scrypt(code, salt_bytes, *params, len(expected))
    except (ValueError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def _migrate(conn: sqlite3.Connection) -> None:
    run_migrations(conn, MIGRATIONS)
