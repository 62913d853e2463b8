"""Provides `tutor check [DIR]`: validate a course and report each problem as path:line: message."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.course.check import check_course
from tutor.course.paths import default_course_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="the course directory (default: the shipped course)",
    )


def run(args: argparse.Namespace) -> int:
    directory = Path(args.directory) if args.directory else default_course_dir()
    if not directory.exists():
        print(f"tutor: check: {directory}: no such directory", file=sys.stderr)
        return 2
    if not directory.is_dir():
        print(f"tutor: check: {directory}: not a directory", file=sys.stderr)
        return 2
    found, proven = check_course(directory)
    for each in found:
        print(each)
    if found:
        noun = "problem" if len(found) == 1 else "problems"
        print(f"tutor: check: {len(found)} {noun} in {directory}", file=sys.stderr)
        return 1
    print(f"ok: {directory}: {proven} questions answerable and graded correct")
    return 0
