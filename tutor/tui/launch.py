"""Provides run(args): the `tutor` command without a subcommand opens the course in the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    from tutor.tui.factory import SetupError, make_app

    try:
        app = make_app(lessons_dir=args.lessons, data_dir=args.data_dir, lang=args.lang)
    except SetupError as err:
        print(f"tutor: {err}", file=sys.stderr)
        return 1
    app.run()
    return app.return_code or 0
