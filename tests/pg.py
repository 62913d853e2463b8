"""Provides PostgresServer: a real PostgreSQL for the tests, from Debian's packages
(/usr/lib/postgresql/N/bin), in a temporary directory of its own, run by an unprivileged user
(initdb refuses root: as root the server runs as `nobody`), listening on a free loopback port with
password authentication (the URLs carry a password, as a class's would); `new_database()` gives
each test a database of its own. Used by tests/conftest.py (the `postgres` fixtures)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PATIENCE = 60  # seconds pg_ctl waits for the server to start or stop: waiting, never asserted


def find_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (TUTOR_PG_BIN, else Debian's layout)."""
    given = os.environ.get("TUTOR_PG_BIN")
    candidates = [given] if given else glob.glob("/usr/lib/postgresql/*/bin")

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    for path in sorted(candidates, key=version, reverse=True):
        if (Path(path) / "initdb").is_file() and (Path(path) / "pg_ctl").is_file():
            return Path(path)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user() -> pwd.struct_passwd | None:
    """Whom the server runs as: None (this user) unless this is root, then `nobody` (made as a
    system user when the machine has none)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "nobody"],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam("nobody")


class PostgresServer:
    """initdb, then pg_ctl start; `stop()`, `start()`, `restart()` as a test needs them; `close()`
    stops it and removes its directory."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        found = bin_dir or find_bin()
        if found is None:
            raise RuntimeError("PostgreSQL's initdb and pg_ctl are not installed")
        self.bin = found
        self.user = _server_user()
        self.password = secrets.token_urlsafe(18)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tutor-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self._count = 0
        try:
            os.chmod(self.dir, 0o700)
            pwfile = self.dir / "pw"
            pwfile.write_text(self.password + "\n")
            if self.user is not None:
                for path in (self.dir, pwfile):
                    os.chown(path, self.user.pw_uid, self.user.pw_gid)
            self._run(
                "initdb", "-D", str(self.data), "-U", "tutor", f"--pwfile={pwfile}",
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--no-locale", "--no-sync",
            )  # fmt: skip
            pwfile.unlink()
            self.start()
        except BaseException:
            self.close()
            raise

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        result = subprocess.run(
            [str(self.bin / tool), *args],
            cwd=self.dir,
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
            stdin=subprocess.DEVNULL,
            **kwargs,
        )
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.is_file() else ""
            raise RuntimeError(f"{tool} {' '.join(args)}: {result.stderr.strip()}\n{log}")
        return result

    def _options(self) -> str:
        return (
            f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c fsync=off -c full_page_writes=off "
            "-c max_connections=100"
        )

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._options(), "-l", str(self.log), "-w",
            "-t", str(PATIENCE), "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(PATIENCE), "stop")

    def restart(self, mode: str = "fast") -> None:
        """pg_ctl restart: every connection is cut, the server comes back on the same port."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._options(), "-l", str(self.log), "-m",
            mode, "-w", "-t", str(PATIENCE), "restart",
        )  # fmt: skip

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        password = self.password if password is None else password
        return f"postgresql://tutor:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"test_{os.getpid()}_{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def sql(self, url: str, statement: str, params: tuple = (), schema: str = "") -> list[tuple]:
        """Run one statement on its own connection (autocommit; in `schema` when given); its
        rows."""
        import psycopg

        options = {"options": f"-c search_path={schema}"} if schema else {}
        with psycopg.connect(url, autocommit=True, **options) as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        if self.data.is_dir() and (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
