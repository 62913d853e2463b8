"""Provides the symbolic benchmark: parse against sympy.parse_expr, and the seed's derivation, warm.

Run: python bench/symbolic.py
Targets (DESIGN.md / issue 4): parse ≤ 1/5 of parse_expr's time on the same inputs;
diff_steps + explanation of the seed's expression under 50 ms warm. The training loss's
derivation (a shared weight, tidied results) is reported without a target.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

from tutor.symbolic.functions import elementwise_sum, symbol
from tutor.symbolic.parse import parse
from tutor.symbolic.render import explain
from tutor.symbolic.render_math import LATEX, TEXT
from tutor.symbolic.steps import alternatives, diff_steps

# Inputs both parsers read the same way (ASCII, explicit function calls).
INPUTS = [
    "(x+2)*(x-2)",
    "x^2 - 4",
    "2*x",
    "3*x^2 + 2*x + 1",
    "sin(x)*x",
    "exp(-x^2)",
    "log(x)/x",
    "sqrt(x^2+1)",
    "tanh(2*x) + cos(x)^2",
    "1/(1+exp(-x))",
    "(x+1)*(x-1)*(x+3)",
    "x^3 - 3*x + 2",
]
TRANSFORMS = standard_transformations + (convert_xor, implicit_multiplication_application)


def per_call(fn: Callable[[], object], rounds: int = 7, number: int = 30) -> float:
    """Median seconds per call over `rounds` timed loops of `number` calls, after a warm-up."""
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def paired(
    a: Callable[[], object], b: Callable[[], object], rounds: int = 15
) -> tuple[float, float, float]:
    """Seconds per call of a and of b, timed in alternating rounds so that a busy machine slows
    both alike, and the median of the per-round ratios a/b."""
    a_times, b_times = [], []
    for _ in range(rounds):
        a_times.append(per_call(a, rounds=1, number=20))
        b_times.append(per_call(b, rounds=1, number=20))
    ratios = [x / y for x, y in zip(a_times, b_times, strict=True)]
    return statistics.median(a_times), statistics.median(b_times), statistics.median(ratios)


def main() -> None:
    ours, theirs, ratio = paired(
        lambda: [parse(text) for text in INPUTS],
        lambda: [parse_expr(text, transformations=TRANSFORMS) for text in INPUTS],
    )
    print(f"parse:      {ours * 1e3:7.3f} ms for {len(INPUTS)} inputs")
    print(f"parse_expr: {theirs * 1e3:7.3f} ms for the same inputs")
    print(
        f"ratio parse/parse_expr = {ratio:.3f}  (target ≤ 0.200: {'met' if ratio <= 0.2 else 'MISSED'})"
    )

    x = symbol("x")
    seed = elementwise_sum((x + 2) * (x - 2))

    def derive_seed() -> None:
        tree = diff_steps(seed, x)
        for notation in (TEXT, LATEX):
            for step in explain(tree, notation):
                step.explanation.get("en"), step.explanation.get("ko")

    def derive_seed_with_paths() -> None:
        derive_seed()
        alternatives(seed, x)

    seed_ms = per_call(derive_seed) * 1e3
    paths_ms = per_call(derive_seed_with_paths) * 1e3
    print(f"seed diff_steps + explanation (text and LaTeX, en and ko), warm: {seed_ms:.2f} ms")
    print(
        f"  ... plus alternatives(): {paths_ms:.2f} ms  (target < 50 ms: {'met' if paths_ms < 50 else 'MISSED'})"
    )

    w = symbol("w")
    loss = parse("mean((w*x - y)^2)")

    def derive_loss() -> None:
        tree = diff_steps(loss, w)
        alternatives(loss, w)
        for step in explain(tree, TEXT):
            step.explanation.get("en")

    print(
        f"training loss mean((w*x - y)^2) by w, with paths, warm: {per_call(derive_loss) * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    main()
