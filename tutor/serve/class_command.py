"""Provides `tutor class codes ROSTER.csv --out CODES.csv [--data-dir DIR | --database URL]`, a
fresh access code for each student of a roster, written `student_id,code` (the accounts keep
only a salted hash), and `tutor class instructor [--name NAME] [--out FILE]`, an instructor's
code. With --database (or TUTOR_DATABASE_URL) the accounts are the PostgreSQL ones of `tutor
serve --database`."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

_DATA_DIR_HELP = "where the accounts are kept (default: TUTOR_DATA_DIR, else the user data dir)"


class OutError(Exception):
    """The output file cannot be written, in one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    codes = actions.add_parser(
        "codes",
        help="issue one access code per student of a roster",
        description="Issue a fresh access code for each student of a roster (a CSV with a "
        "student_id column, or a Canvas or Moodle export) and write them as student_id,code. "
        "A student's earlier code stops working.",
    )
    codes.add_argument("roster", metavar="ROSTER.csv", help="the class roster")
    codes.add_argument(
        "--out",
        metavar="CODES.csv",
        required=True,
        help="where to write the codes (readable by you only; they are kept nowhere else)",
    )
    _add_data_dir(codes)
    instructor = actions.add_parser(
        "instructor",
        help="issue an instructor's access code",
        description="Issue a fresh access code that opens the instructor's screens; the name "
        "is typed as the student ID. An earlier code of the same name stops working.",
    )
    instructor.add_argument(
        "--name", default="instructor", help="the name to log in with (default: instructor)"
    )
    instructor.add_argument(
        "--out", metavar="FILE", default=None, help="write name,code here instead of printing"
    )
    _add_data_dir(instructor)


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    from tutor.progress.database import add_database_argument

    # SUPPRESS: `tutor --data-dir DIR class …` keeps the top-level value
    parser.add_argument(
        "--data-dir", dest="data_dir", metavar="DIR", default=argparse.SUPPRESS, help=_DATA_DIR_HELP
    )
    add_database_argument(parser)


def run(args: argparse.Namespace) -> int:
    from tutor.serve.accounts import AccountsError
    from tutor.serve.roster import RosterError

    action = args.class_command
    try:
        if action == "codes":
            return _codes(args)
        return _instructor(args)
    except (RosterError, AccountsError, OutError) as err:
        print(f"tutor: class {action}: {err}", file=sys.stderr)
        return 2


def _accounts(args: argparse.Namespace):
    from tutor.progress.database import database_of
    from tutor.progress.paths import resolve_data_dir
    from tutor.serve.accounts import Accounts

    database = database_of(args)
    if database is not None:
        return Accounts.open(database=database)
    return Accounts.open(resolve_data_dir(getattr(args, "data_dir", None)))


def _codes(args: argparse.Namespace) -> int:
    from tutor.serve.roster import read_roster

    roster = read_roster(args.roster)
    out = Path(args.out)
    if out.resolve() == Path(args.roster).resolve():
        raise OutError(f"--out {out} is the roster itself")
    with secret_file(out) as handle, _accounts(args) as accounts:
        codes = accounts.issue_codes(roster)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["student_id", "code"])
        writer.writerows(codes)
    print(f"wrote {len(codes)} access codes to {out} (secret: they are kept nowhere else)")
    return 0


def _instructor(args: argparse.Namespace) -> int:
    from tutor.serve.roster import normalize_id

    name = normalize_id(args.name)
    if args.out is None:
        with _accounts(args) as accounts:
            code = accounts.issue_instructor_code(name)
        print(f"Student ID: {name}\nAccess code: {code}")
        return 0
    out = Path(args.out)
    with secret_file(out) as handle, _accounts(args) as accounts:
        code = accounts.issue_instructor_code(name)
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["student_id", "code"])
        writer.writerow([name, code])
    print(f"wrote the access code of {name!r} to {out}")
    return 0


@contextmanager
def secret_file(path: Path) -> Iterator[TextIO]:
    """A file readable by its owner only, that appears at `path` complete or not at all: written
    beside it under another name and renamed when the block ends without an error."""
    if path.is_dir():
        raise OutError(f"cannot write {path}: it is a directory")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as err:
        raise OutError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as err:
        with suppress(OSError):
            os.unlink(temp)
        raise OutError(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
