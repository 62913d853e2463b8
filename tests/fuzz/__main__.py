"""Provides `python -m tests.fuzz`: per-family classes of generated programs, and minimised failures.

python -m tests.fuzz [--count N] [--seed S] [--family F ...] [--show K] [--reasons R]
"""

from __future__ import annotations

import argparse
import sys
import time

from .generate import FAMILIES, NOT_YET_SUPPORTED, sample
from .report import evaluate, failures_report, rate, reasons, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--count", type=int, default=1000, help="programs to generate (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    parser.add_argument(
        "--family",
        action="append",
        choices=sorted(FAMILIES),
        metavar="F",
        help="only this family (repeatable); default all",
    )
    parser.add_argument(
        "--show",
        type=int,
        default=1,
        metavar="K",
        help="minimised failures to print per family (default 1)",
    )
    parser.add_argument(
        "--reasons",
        type=int,
        default=10,
        metavar="R",
        help="commonest refusals and crashes to list (default 10)",
    )
    parser.add_argument(
        "--print", dest="dump", action="store_true", help="print every generated program and exit"
    )
    args = parser.parse_args(argv)
    cases = sample(args.count, args.seed, args.family)
    if args.dump:
        for case in cases:
            print(f"# {case.name}\n{case.source}")
        return 0
    started = time.perf_counter()
    tally = evaluate(cases)
    elapsed = time.perf_counter() - started
    print(table(tally))
    supported = tally.supported()
    print(
        f"\n{len(cases)} programs in {elapsed:.1f} s (seed {args.seed}); supported families: "
        f"{100 * rate(supported, 'exact'):.1f}% exact, "
        f"{100 * rate(supported, 'exact', 'noise'):.1f}% exact or noise"
    )
    if args.reasons:
        print("\ncommonest refusals and crashes:")
        print(reasons(tally, args.reasons) or "  none")
    if args.show:
        families = [f for f in sorted(tally.by_family) if f not in NOT_YET_SUPPORTED]
        families += sorted(f for f in tally.by_family if f in NOT_YET_SUPPORTED)
        print(f"\nminimised failures (first {args.show} per family):")
        print(failures_report(tally, args.show, families) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
