"""Provides `tutor exec FILE [--trace]`: run a PyTorch program on the tutor's engine."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a PyTorch program (- reads standard input)")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="print each statement with the variables it created and the graph nodes it added",
    )


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(10_000_000)
    with open(path, "rb") as handle:
        return handle.read(10_000_000)


def run(args: argparse.Namespace) -> int:
    filename = "<stdin>" if args.file == "-" else args.file
    try:
        source = _read(args.file)
    except OSError as exc:
        print(f"tutor: {filename}: cannot read the program: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.trace:
        from tutor.program.trace import trace_program

        outcome = trace_program(source, filename)
    else:
        from tutor.program.runner import run_program

        outcome = run_program(source, filename)
    if outcome.refusal is not None:
        print(outcome.refusal, file=sys.stderr)
        return 2
    sys.stdout.write(outcome.stdout)
    sys.stdout.flush()
    for note in outcome.warnings:
        print(note, file=sys.stderr)
    if outcome.error is not None:
        sys.stderr.write(outcome.traceback)
        print(outcome.error, file=sys.stderr)
    return outcome.status
