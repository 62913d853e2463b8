"""Provides the `tutor` command line; each subcommand's package is imported only when it runs,
and the parser (tutor.cli_parser) only when the plain start (opening the course) does not do."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

# subcommand -> module exposing add_arguments(parser) and run(args) -> int
COMMANDS = {
    "exec": ("tutor.program.command", "run a PyTorch program on the tutor's engine"),
    "derive": ("tutor.symbolic.command", "derive an expression step by step"),
    "check": ("tutor.quiz.check_dir", "validate a course or quiz directory"),
    "try": ("tutor.quiz.try_command", "grade candidate answers exactly as a learner's"),
    "progress": ("tutor.progress.command", "a summary of your progress, or --export the attempts"),
    "quiz": ("tutor.quiz.command", "instructor quizzes: check, key, take, grade, dashboard"),
    "class": ("tutor.serve.class_command", "class accounts: access codes from a roster"),
    "serve": (
        "tutor.serve.command",
        "serve the course to browsers: a login, then one app per connection",
    ),
}

_LANGUAGES = ("en", "ko")
_VALUED_OPTIONS = ("--lang", "--lessons", "--data-dir")


def _command_in(argv: list[str]) -> str | None:
    """The subcommand named in argv, skipping the top-level options and their values."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of the whole command line (tutor.cli_parser)."""
    from tutor.cli_parser import build_parser as build

    return build(argv)


_EXPECTED = {
    "--lessons": "a course directory is expected",
    "check": "a course or quiz directory, or a .quiz.toml file, is expected",
}


def _directory_problem(args: argparse.Namespace | SimpleNamespace) -> str | None:
    """A course or quiz directory named on the command line that is not one, in one line."""
    named = [("--lessons", args.lessons)]
    if args.command == "check":
        named.append(("check", args.directory))
    for where, given in named:
        if given is None:
            continue
        path = Path(given)
        quiz_file = where == "check" and path.name.endswith(".quiz.toml")
        if not path.exists():
            return f"tutor: {where}: {given}: no such {'file' if quiz_file else 'directory'}"
        if not path.is_dir() and not quiz_file:
            return f"tutor: {where}: {given}: not a directory ({_EXPECTED[where]})"
    return None


def _run_tui(args: argparse.Namespace | SimpleNamespace) -> int:
    """The course in the terminal. Start-up allocates much and frees almost nothing, so the
    cyclic collector is off until the app has drawn and warmed up; the app then schedules it
    (tutor.tui.app). Afterwards the collector is as it was."""
    from tutor.tui.launch import run as run_tui

    with collector_scheduled_by_the_app():
        return run_tui(args)


@contextmanager
def collector_scheduled_by_the_app() -> Iterator[None]:
    """Within: the cyclic collector is off until a TutorApp started here schedules it."""
    import gc

    threshold = gc.get_threshold()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable()


def plain_start(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of `tutor` opening the course, given nothing but --lang, --lessons and
    --data-dir, each in full with a value: read as the parser would read them, without
    importing or building it (milliseconds before the first frame). None: the parser's."""
    values: dict[str, str | None] = {"lang": None, "lessons": None, "data_dir": None}
    rest = list(argv)
    while rest:
        option, equals, value = rest.pop(0).partition("=")
        if option not in _VALUED_OPTIONS:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-") or (option == "--lang" and value not in _LANGUAGES):
            return None
        values[option[2:].replace("-", "_")] = value
    return SimpleNamespace(version=None, **values, command=None)


def plain_exec(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of `tutor exec [--trace] FILE` given exactly so: read as the parser would
    read them, without importing or building it (`tutor exec` is timed from process start).
    None: the parser's."""
    if not argv or argv[0] != "exec":
        return None
    rest = argv[1:]
    trace = bool(rest) and rest[0] == "--trace"
    if trace:
        rest = rest[1:]
    if len(rest) != 1 or (rest[0].startswith("-") and rest[0] != "-"):
        return None
    return SimpleNamespace(
        version=None,
        lang=None,
        lessons=None,
        data_dir=None,
        command="exec",
        file=rest[0],
        trace=trace,
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = plain_start(argv) or plain_exec(argv) or build_parser(argv).parse_args(argv)
    problem = _directory_problem(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return _run_tui(args)
        return importlib.import_module(COMMANDS[args.command][0]).run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
