"""Provides `tutor serve`: the tutor in browsers, one app process per connection, each session
starting on the class login (textual-serve; docs/serve.md). The class's accounts, progress,
quiz records and who is connected are kept in the data dir (SQLite), or with `--database
postgresql://…` in PostgreSQL, which several servers of one class share; the data dir still
keeps the quiz secret and the instructor's exports."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from tutor.progress.database import add_database_argument, database_of
from tutor.serve.spares import RECONNECTS, SPARES


def check_database(url: str) -> str | None:
    """Open (and create or migrate) every store of the class in the database at `url` once,
    without waiting: why it cannot be used, in one line without the password, or None."""
    from tutor.progress import ProgressError, Store
    from tutor.progress.database import DatabaseError, check_url
    from tutor.quiz.attempts import AttemptStore
    from tutor.quiz.model import QuizError
    from tutor.serve.accounts import Accounts, AccountsError
    from tutor.serve.presence import Presence, PresenceError

    try:
        check_url(url)
        with Accounts.open(database=url) as accounts:  # the connection the others share
            Store.open(database=url).close()
            Presence.open(database=url).close()
            AttemptStore.open(Path("."), database=url).close()
            accounts.students()
    except (DatabaseError, AccountsError, ProgressError, PresenceError, QuizError) as error:
        return str(error)
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    # SUPPRESS: `tutor --data-dir DIR serve` keeps the value given before the subcommand
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="accounts and progress (with --database: the quiz secret and exports)",
    )
    add_database_argument(parser)
    parser.add_argument(
        "--lessons", metavar="DIR", default=argparse.SUPPRESS, help="serve another course"
    )
    parser.add_argument(
        "--quiz", nargs="+", action="extend", default=[], metavar="FILE.quiz.toml",
        help="quizzes offered to the class",
    )  # fmt: skip
    parser.add_argument(
        "--lang", choices=("en", "ko"), default=argparse.SUPPRESS,
        help="the login screen's first language (en)",
    )  # fmt: skip
    parser.add_argument(
        "--public-url", metavar="URL", default=None,
        help="the address browsers use, e.g. https://tutor.example.edu (behind a proxy)",
    )  # fmt: skip
    parser.add_argument(
        "--max-sessions", type=int, default=250, metavar="N", help="sessions open at once (250)"
    )
    parser.add_argument(
        "--burst", type=float, default=60, metavar="N",
        help="new sessions one address may open at once (60)",
    )  # fmt: skip
    parser.add_argument(
        "--rate", type=float, default=2.0, metavar="PER_SECOND",
        help="then new sessions a second per address (2)",
    )  # fmt: skip
    parser.add_argument(
        "--trusted-proxy", action="append", default=[], metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed",
    )  # fmt: skip
    parser.add_argument(
        "--spares", type=int, default=SPARES, metavar="N",
        help=f"sessions started ahead of the browsers that will use them, at most: no more "
        f"than the students not signed in, and {RECONNECTS} ({SPARES})",
    )  # fmt: skip
    parser.add_argument(
        "--reap-after", type=float, default=3.0, metavar="SECONDS",
        help="an app process still running this long after its browser left is killed (3)",
    )  # fmt: skip


def session_argv(args: argparse.Namespace, data_dir: Path) -> list[str]:
    """The command of one app process (tutor.serve.session), run without a shell."""
    argv = [sys.executable, "-m", "tutor.serve.session", "--data-dir", str(data_dir)]
    if getattr(args, "lessons", None):
        argv += ["--lessons", str(Path(args.lessons).resolve())]
    argv += ["--lang", getattr(args, "lang", None) or "en"]
    for quiz in args.quiz:
        argv += ["--quiz", str(Path(quiz).resolve())]
    return argv


def _problem(args: argparse.Namespace) -> str | None:
    if not 0 < args.port < 65536:
        return f"--port: {args.port}: not a port number (1 to 65535)"
    if args.max_sessions < 1:
        return "--max-sessions: at least 1"
    if not 0 <= args.spares <= 100:
        return f"--spares: {args.spares}: from 0 to 100"
    if args.burst < 1 or args.rate < 0:
        return "--burst: at least 1; --rate: not negative"
    for address in args.trusted_proxy:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return f"--trusted-proxy: {address}: not an IP address"
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return f"--public-url: {args.public_url}: must start with http:// or https://"
    for quiz in args.quiz:
        if not Path(quiz).is_file():
            return f"--quiz: {quiz}: no such file"
    return None


def quiz_sweep(quiz_files: list[str], data_dir: Path, database: str | None = None):
    """For a server offering quizzes: each quiz checked once here (a broken one is said at
    start, not in every browser), its version kept and its secret made on the server; the
    round that submits attempts whose time is up (None without quizzes). ValueError, one line.
    With `database`, the records are there (every server of the class sweeps them: each
    attempt is submitted once)."""
    if not quiz_files:
        return None
    import time

    from tutor.quiz.attempts import AttemptStore
    from tutor.quiz.load import load_quiz
    from tutor.quiz.model import QuizError
    from tutor.quiz.secret import server_secret

    try:
        store = AttemptStore.open(data_dir, database=database)
        ids: dict[str, str] = {}
        for path in quiz_files:
            quiz = load_quiz(path)
            if quiz.id in ids:
                raise QuizError(f"{path}: quiz id {quiz.id!r} is also the id of {ids[quiz.id]}")
            ids[quiz.id] = path
            server_secret(quiz, data_dir)
            store.remember(quiz, time.time())
    except QuizError as err:
        raise ValueError(f"--quiz: {err}") from None
    return lambda: store.close_expired(time.time())


def run(args: argparse.Namespace) -> int:
    from tutor.progress import resolve_data_dir

    problem = _problem(args)
    if problem is not None:
        print(f"tutor serve: {problem}", file=sys.stderr)
        return 2
    data_dir = resolve_data_dir(getattr(args, "data_dir", None)).resolve()
    lessons = getattr(args, "lessons", None)
    if lessons is not None:
        from tutor.tui.served import SetupError, load

        try:
            load(lessons)  # a broken course is said here once, not in every browser
        except SetupError as err:
            print(f"tutor serve: {err}", file=sys.stderr)
            return 2
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"tutor serve: cannot create {data_dir}: {err.strerror}", file=sys.stderr)
        return 2
    database = database_of(args)
    if database is not None:
        from tutor.progress.database import URL_ENV, add_listener

        problem = check_database(database)
        if problem is not None:
            print(f"tutor serve: --database: {problem}", file=sys.stderr)
            return 2
        os.environ[URL_ENV] = database  # the app processes read it there, not in their argv
        add_listener(_say_database)
    try:
        sweep = quiz_sweep(args.quiz, data_dir, database)
    except ValueError as err:
        print(f"tutor serve: {err}", file=sys.stderr)
        return 2
    from tutor.serve.absent import Absent
    from tutor.serve.server import Limits, TutorServer

    server = TutorServer(
        session_argv(args, data_dir),
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        limits=Limits(
            max_sessions=args.max_sessions,
            burst=args.burst,
            rate=args.rate,
            reap_after=args.reap_after,
        ),
        trusted_proxies=args.trusted_proxy,
        sweep=sweep,
        spares=args.spares,
        absent=Absent(data_dir, database),
    )
    try:
        server.serve()
    except OSError as err:
        print(f"tutor serve: cannot listen on {args.host}:{args.port}: {err.strerror or err}",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


def _say_database(event: str, where: str, seconds: float) -> None:
    """The server's log line when its connection to the database is lost, and when it is back."""
    if event == "waiting":
        print(f"tutor serve: the database {where} is not answering; waiting", file=sys.stderr)
    elif event == "back":
        print(f"tutor serve: the database {where} is back after {seconds:.0f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """`python -m tutor.serve.command …`: the same as `tutor serve …`."""
    parser = argparse.ArgumentParser(prog="tutor serve")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
