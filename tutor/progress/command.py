"""Provides `tutor progress --export FILE.csv`: the learner's attempts as CSV."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export", metavar="FILE.csv", required=True, help="write attempts here")
    parser.add_argument(
        "--data-dir", dest="progress_data_dir", metavar="DIR", default=None, help="data directory"
    )


def run(args: argparse.Namespace) -> int:
    from tutor.progress import ProgressError, Store, resolve_data_dir

    data_dir = resolve_data_dir(getattr(args, "progress_data_dir", None) or args.data_dir)
    try:
        with Store.open(data_dir) as store:
            if store.notice:
                print(f"tutor: {store.notice}", file=sys.stderr)
            count = store.export_csv(args.export)
    except ProgressError as err:
        print(f"tutor: {err}", file=sys.stderr)
        return 2
    print(f"wrote {count} attempts to {args.export}")
    return 0
