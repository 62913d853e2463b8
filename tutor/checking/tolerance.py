"""Provides float32-aware comparison of typed numbers with expected ones (never `==`)."""

from __future__ import annotations

import numpy as np

# float32 carries about 7 significant digits and exp/log/sums may differ in the last bits.
RTOL = 1e-5
ATOL = 1e-6
# A typed number with at least this many decimals may be off by half its last digit:
# PyTorch prints 4 decimals, so copying its printout must count as right.
PRINTED_DECIMALS = 4


def within(
    typed: np.ndarray, allowance: np.ndarray | float, expected: np.ndarray | float
) -> np.ndarray:
    """Elementwise: is each typed number the expected one, up to float32 noise or its rounding."""
    typed = np.asarray(typed, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(typed - expected)
        limit = np.maximum(ATOL + RTOL * np.abs(expected), np.asarray(allowance) * (1 + 1e-9))
        ok = (diff <= limit) & np.isfinite(typed) & np.isfinite(expected)
    ok |= np.isnan(typed) & np.isnan(expected)
    ok |= np.isinf(typed) & (typed == expected)
    return ok


def all_within(
    typed: np.ndarray, allowance: np.ndarray | float, expected: np.ndarray | float
) -> bool:
    """Whether every typed number is its expected one (shapes must already agree)."""
    return bool(np.all(within(typed, allowance, expected)))


def rounded_too_far(typed: float, precision: float, expected: float) -> bool:
    """A typed number that is the expected one rounded to fewer digits than PyTorch prints."""
    if not (np.isfinite(typed) and np.isfinite(expected)) or typed == 0:
        return False
    diff = abs(typed - expected)
    return diff <= precision * (1 + 1e-9) and diff <= 0.05 * abs(expected)
