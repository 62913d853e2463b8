"""Provides the `tutor` command line; each subcommand's package is imported only when it runs."""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from pathlib import Path

# subcommand -> module exposing add_arguments(parser) and run(args) -> int
COMMANDS = {
    "exec": ("tutor.program.command", "run a PyTorch program on the tutor's engine"),
    "derive": ("tutor.symbolic.command", "derive an expression step by step"),
    "check": ("tutor.quiz.check_dir", "validate a course or quiz directory"),
    "try": ("tutor.quiz.try_command", "grade candidate answers exactly as a learner's"),
    "progress": ("tutor.progress.command", "a summary of your progress, or --export the attempts"),
    "quiz": ("tutor.quiz.command", "instructor quizzes: check, key, take, grade, dashboard"),
}


def _quiz_take(args: argparse.Namespace) -> int:
    from tutor.tui.quiz_launch import take

    return take(args)


def _quiz_dashboard(args: argparse.Namespace) -> int:
    from tutor.tui.quiz_launch import dashboard

    return dashboard(args)


class _Parser(argparse.ArgumentParser):
    """argparse, except that an argument a subcommand does not know is that subcommand's
    error, with its usage (argparse leaves it to the top level, which shows the wrong usage)."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            chosen = self._chosen(namespace)
            chosen.error(f"unrecognized arguments: {' '.join(extras)}{chosen._suggestion(extras)}")
        return namespace, extras

    def _chosen(self, namespace: argparse.Namespace) -> _Parser:
        """The innermost (sub)command parser the arguments chose."""
        parser = self
        while True:
            commands = next(
                (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None
            )
            name = None if commands is None else getattr(namespace, commands.dest, None)
            if commands is None or name not in commands.choices:
                return parser
            parser = commands.choices[name]

    def _suggestion(self, extras: list[str]) -> str:
        known = {o.lstrip("-"): o for action in self._actions for o in action.option_strings}
        for extra in extras:
            word = extra.split("=")[0].lstrip("-")
            close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
            if extra.startswith("-") and close:
                return f" (did you mean {known[close[0]]}?)"
        return ""


class _Version(argparse.Action):
    """`--version`: the installed package's version, read only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from tutor import __version__

        print(f"tutor {__version__}")
        parser.exit()


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
    parser = _Parser(prog="tutor", description="Learn how PyTorch's autograd works, step by step.")
    parser.add_argument("--version", action=_Version)
    _add_tui_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = _command_in(argv)
    for name, (module, help_text) in COMMANDS.items():
        if named is not None and name != named:
            continue  # a command's run needs only its own parser (COMMAND keeps the usage line)
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == named:
            importlib.import_module(module).add_arguments(sub)
            if name == "quiz":
                sub.set_defaults(take_handler=_quiz_take, dashboard_handler=_quiz_dashboard)
            if name == "derive":
                _correct_wrt_help(sub)
    return parser


def _correct_wrt_help(parser: argparse.ArgumentParser) -> None:
    # tutor.symbolic.command says "(default: x)"; x is only the fallback (to move there)
    for action in parser._actions:
        if action.dest == "wrt":
            action.help = "variable (default: the expression's only variable, else x)"


_EXPECTED = {
    "--lessons": "a course directory is expected",
    "check": "a course or quiz directory, or a .quiz.toml file, is expected",
}


def _directory_problem(args: argparse.Namespace) -> str | None:
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


def _run_tui(args: argparse.Namespace) -> int:
    """The course in the terminal. Start-up allocates much and frees almost nothing, so the
    cyclic collector is off until the app has drawn and warmed up (TutorApp.warm_up_sympy)."""
    import gc

    gc.disable()
    try:
        from tutor.tui.launch import run as run_tui

        return run_tui(args)
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
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
