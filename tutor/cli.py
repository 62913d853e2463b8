"""Provides the `tutor` command line; each subcommand's package is imported only when it runs."""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> module exposing add_arguments(parser) and run(args) -> int
COMMANDS = {
    "exec": ("tutor.program.command", "run a PyTorch program on the tutor's engine"),
    "derive": ("tutor.symbolic.command", "derive an expression step by step"),
    "check": ("tutor.quiz.check_dir", "validate a course or quiz directory"),
    "try": ("tutor.quiz.try_command", "grade candidate answers exactly as a learner's"),
    "progress": ("tutor.progress.command", "export your attempts"),
    "quiz": ("tutor.quiz.command", "instructor quizzes: check, key, take, grade, dashboard"),
}


def _quiz_take(args: argparse.Namespace) -> int:
    from tutor.tui.quiz_launch import take

    return take(args)


def _quiz_dashboard(args: argparse.Namespace) -> int:
    from tutor.tui.quiz_launch import dashboard

    return dashboard(args)


def _add_tui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "ko"), default=None, help="interface language")
    parser.add_argument("--lessons", metavar="DIR", default=None, help="open another course")
    parser.add_argument("--data-dir", metavar="DIR", default=None, help="where progress is kept")


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
    parser = argparse.ArgumentParser(
        prog="tutor", description="Learn how PyTorch's autograd works, step by step."
    )
    _add_tui_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = _command_in(argv)
    for name, (module, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == named:
            importlib.import_module(module).add_arguments(sub)
            if name == "quiz":
                sub.set_defaults(take_handler=_quiz_take, dashboard_handler=_quiz_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        if args.command is None:
            from tutor.tui.launch import run as run_tui

            return run_tui(args)
        return importlib.import_module(COMMANDS[args.command][0]).run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
