"""Provides `python -m tutor.serve.session`: one browser's app process, started by `tutor serve`.

Its standard output is the textual-serve protocol channel and nothing else writes there; it
runs under resource limits, dies with the server, and signs learners in with the class
accounts, each into a progress store of their own (`DATA_DIR/learners/<id>/`, or, when the
server stores the class in PostgreSQL, the learner's rows there).

The database's URL comes in the environment (TUTOR_DATABASE_URL, set by `tutor serve
--database`), never on the command line, where every user of the machine could read its
password."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import resource
import signal
import sys
from pathlib import Path

from tutor.text import Text

# set by the server for each process: the browser's address (rate limits count failures by it)
ADDRESS_ENV = "TUTOR_CLIENT_ADDRESS"
# set by the server: its pid, so that a session whose server is gone ends at once
SERVER_PID_ENV = "TUTOR_SERVER_PID"
# set by the server for a spare: a session started before its browser came (tutor.serve.spares),
# told the browser's address when it is given one
SPARE_ENV = "TUTOR_SPARE"
# /proc/PID/comm of a forked session, and of a spare until a browser is given it
SESSION_NAME = b"tutor-session"
SPARE_NAME = b"tutor-spare"
PR_SET_NAME = 15

GIB = 1 << 30
ADDRESS_SPACE = 3 * GIB // 2
OPEN_FILES = 256
CPU_SECONDS = 900
FILE_SIZE = 256 << 20

STORE_FAILED = Text(
    "Your progress could not be opened on the server; please tell your instructor.",
    "서버에서 진행 기록을 열지 못했습니다. 강사에게 알려 주세요.",
)
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def learner_dirname(student_id: str) -> str:
    """A directory name for a student ID: the ID itself when it is plain (letters, digits,
    `._-`, up to 64), else its plain characters and a digest of it, so no two IDs share one."""
    if _SAFE_ID.fullmatch(student_id) and student_id not in (".", ".."):
        return student_id
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", student_id).strip("._-")[:40] or "id"
    digest = hashlib.sha256(student_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{readable}-{digest}"


def learner_dir(data_dir: Path, student_id: str) -> Path:
    return Path(data_dir) / "learners" / learner_dirname(student_id)


class AccountsGate:
    """The served app's gate: the class accounts decide; an admitted learner's store is opened
    (a student's in `learners/`, an instructor's in `instructors/`; with `database`, a
    postgresql:// URL, the accounts and the learner's rows are there)."""

    def __init__(self, data_dir: Path, address: str, database: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.address = address
        self.database = database
        self._accounts = None  # opened at the first sign-in, kept for the next tries

    def __call__(self, student_id: str, code: str):
        from tutor.progress import ProgressError, Store
        from tutor.serve.accounts import Accounts
        from tutor.tui.served import Admission

        if self._accounts is None:
            self._accounts = Accounts.open(self.data_dir, database=self.database)
        login = self._accounts.login(student_id, code, self.address)
        if not login.ok:
            return Admission(store=None, reason=login.reason)
        who = login.account or login.student_id or student_id
        where = learner_dir(self.data_dir, who)
        if login.role == "instructor":
            where = self.data_dir / "instructors" / learner_dirname(who)
        try:
            store = Store.open(where, database=self.database, learner=who)
        except ProgressError as error:
            print(f"tutor serve: {who}: {error}", file=sys.__stderr__)
            return Admission(store=None, reason=STORE_FAILED)
        return Admission(store=store, role=login.role, student_id=who)


def limit_resources(
    address_space: int = ADDRESS_SPACE, cpu_seconds: int = CPU_SECONDS, open_files: int = OPEN_FILES
) -> None:
    """Bound what this process may take: memory (address space), CPU time in all (the process
    ends past it: the learner restarts the page and their progress is kept), open files, the
    size of a file written, and no core files. 0 leaves a bound as it is."""
    wanted = [
        (resource.RLIMIT_AS, address_space),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_NOFILE, open_files),
        (resource.RLIMIT_FSIZE, FILE_SIZE),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in wanted:
        if not value and which != resource.RLIMIT_CORE:
            continue
        soft, hard = resource.getrlimit(which)
        bounded = value if hard == resource.RLIM_INFINITY else min(value, hard)
        # CPU: the hard bound a few seconds later, so SIGXCPU comes first and ends the process
        top = (
            bounded + 5
            if which == resource.RLIMIT_CPU and hard == resource.RLIM_INFINITY
            else bounded
        )
        resource.setrlimit(which, (bounded, top))


def prctl(option: int, value: int | bytes) -> bool:
    """Linux's prctl(option, value); False where it failed or there is none."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_server() -> None:
    """End this process when the server that started it ends (Linux: the parent-death signal;
    elsewhere the closed pipes end it on the next read)."""
    pr_set_pdeathsig = 1
    if not prctl(pr_set_pdeathsig, signal.SIGKILL):
        return
    server = os.environ.get(SERVER_PID_ENV)
    if server and server.isdigit() and os.getppid() != int(server):
        os._exit(1)  # the server was gone before the signal was asked for


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tutor.serve.session")
    parser.add_argument("--data-dir", required=True, metavar="DIR")
    parser.add_argument("--lessons", metavar="DIR", default=None)
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    parser.add_argument("--quiz", action="append", default=[], metavar="FILE")
    parser.add_argument("--address-space", type=int, default=ADDRESS_SPACE, metavar="BYTES")
    parser.add_argument("--cpu-seconds", type=int, default=CPU_SECONDS, metavar="SECONDS")
    parser.add_argument("--open-files", type=int, default=OPEN_FILES, metavar="N")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # file descriptor 1 is the protocol channel, written by Textual's web driver alone
    # (through sys.__stdout__): anything printed goes to the server's log instead
    sys.stdout = sys.stderr
    args = parse(argv)
    die_with_server()
    limit_resources(args.address_space, args.cpu_seconds, args.open_files)
    from tutor.progress.database import URL_ENV
    from tutor.tui.served import run

    address = os.environ.get(ADDRESS_ENV, "")
    database = os.environ.get(URL_ENV) or None
    gate = AccountsGate(Path(args.data_dir), address, database)

    def given(address: str) -> None:
        """A spare given to a browser: its address counts from now on. (Called by the web
        driver's thread: the process is renamed through /proc, prctl would name the thread.)"""
        gate.address = address
        with contextlib.suppress(OSError):
            Path("/proc/self/comm").write_bytes(SESSION_NAME)

    return run(
        gate=gate,
        lessons_dir=args.lessons,
        lang=args.lang,
        quiz_files=[Path(q) for q in args.quiz],
        data_dir=Path(args.data_dir),
        address=address,
        database=database,
        on_client=given if os.environ.get(SPARE_ENV) == "1" else None,
    )


if __name__ == "__main__":
    sys.exit(main())
