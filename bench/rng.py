"""Provides the seeded-randomness benchmark: 1000×1000 draws here against PyTorch 2.13 (CPU).

Run: `python bench/rng.py`. Both sides are timed in the same run, interleaved, best of repeats,
PyTorch on one thread; each row also checks that the two draws are bit-identical.
"""

from __future__ import annotations

import sys
import timeit

import numpy as np

from tutor.autograd import random as rng

SHAPE = (1000, 1000)


def side_by_side(ours, theirs, number: int = 3, repeat: int = 7) -> tuple[float, float]:
    """Seconds per call of each, runs of `number` calls alternating, the minimum of `repeat`."""
    here, there = [], []
    for _ in range(repeat):
        here.append(timeit.timeit(ours, number=number))
        there.append(timeit.timeit(theirs, number=number))
    return min(here) / number, min(there) / number


def cases(torch):
    """(name, ours, PyTorch's) pairs; each function draws once from its seeded generator."""
    mine, theirs = rng.Generator(0), torch.Generator().manual_seed(0)
    f32, f64 = np.float32, np.float64
    return [
        (
            "rand float32",
            lambda: rng.uniform(SHAPE, dtype=f32, generator=mine),
            lambda: torch.rand(SHAPE, generator=theirs),
        ),
        (
            "rand float64",
            lambda: rng.uniform(SHAPE, dtype=f64, generator=mine),
            lambda: torch.rand(SHAPE, dtype=torch.float64, generator=theirs),
        ),
        (
            "randn float32",
            lambda: rng.normal(SHAPE, dtype=f32, generator=mine),
            lambda: torch.randn(SHAPE, generator=theirs),
        ),
        (
            "randn float64",
            lambda: rng.normal(SHAPE, dtype=f64, generator=mine),
            lambda: torch.randn(SHAPE, dtype=torch.float64, generator=theirs),
        ),
    ]


def main() -> int:
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed; nothing to compare against.", file=sys.stderr)
        return 1
    torch.set_num_threads(1)
    print(
        f"numpy {np.__version__}, torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()})"
    )
    print(f"{'1000x1000':16} {'here ms':>9} {'torch ms':>9} {'ratio':>7}  same bits")
    for name, ours, reference in cases(torch):
        here, there = side_by_side(ours, reference)
        same = np.array_equal(ours(), reference().numpy())
        print(f"{name:16} {here * 1e3:9.1f} {there * 1e3:9.2f} {here / there:7.1f}  {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
