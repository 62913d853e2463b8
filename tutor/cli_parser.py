"""Provides build_parser: the argparse parser of the whole `tutor` command line (tutor.cli
imports it only for what the plain start does not read)."""

from __future__ import annotations

import argparse
import importlib

from tutor.cli import _LANGUAGES, COMMANDS, _command_in


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
        import difflib

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
    parser.add_argument("--lang", choices=_LANGUAGES, default=None, help="interface language")
    parser.add_argument("--lessons", metavar="DIR", default=None, help="open another course")
    parser.add_argument("--data-dir", metavar="DIR", default=None, help="where progress is kept")


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
