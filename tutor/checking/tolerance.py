"""Provides the comparison of typed numbers with expected ones: exact up to float32, or rounded.

A typed number is right when it is the expected value up to float32 noise (relative RTOL plus an
absolute floor ATOL, from the expected value, never from the typed text), or when it *is* the
expected value rounded to the digits typed, given to at least ROUNDED_DIGITS significant
digits or to the PRINTED_DECIMALS decimals PyTorch prints (`0.817`, `11.31`, `8.168e-1` are
right for 0.81682…). Zero is zero however it is written: `0.0000e9` has no significant digit.
"""

from __future__ import annotations

import numpy as np

from tutor.checking.answers import TypedNumbers

# float32 carries about 7 significant digits; exp/log/sums may differ in the last bits from
# exact arithmetic (what a learner computes by hand) and a mathematically zero result may come
# out as float noise (1 − 3·(1/3) = −6e-8): a relative slack and a small absolute floor.
RTOL = 1e-5
ATOL = 1e-7
ROUNDED_DIGITS = 3
PRINTED_DECIMALS = 4
_PRINTED_HALF_STEP = 0.5 * 10.0**-PRINTED_DECIMALS


def noise(expected: np.ndarray) -> np.ndarray:
    """The float32 slack around each expected value."""
    return RTOL * np.abs(np.asarray(expected, dtype=np.float64)) + ATOL


def rounding_forgiven(typed: TypedNumbers) -> np.ndarray:
    """Per number: whether it was given precisely enough for rounding to count as right."""
    precise = (typed.digits >= ROUNDED_DIGITS) | (typed.half_step <= _PRINTED_HALF_STEP * 1.000001)
    return precise & (typed.values != 0) & np.isfinite(typed.values)


def accepted(typed: TypedNumbers, expected: np.ndarray) -> np.ndarray:
    """Elementwise: is each typed number the expected one (shapes must already agree)."""
    values = typed.values
    expected = np.asarray(expected, dtype=np.float64)
    slack = noise(expected)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(values - expected)
        exact = diff <= slack
        rounded = rounding_forgiven(typed) & (diff <= typed.half_step * (1 + 1e-9) + slack)
        ok = (exact | rounded) & np.isfinite(values) & np.isfinite(expected)
    ok |= np.isnan(values) & np.isnan(expected)
    ok |= np.isinf(values) & (values == expected)
    return ok


def all_accepted(typed: TypedNumbers, expected: np.ndarray) -> bool:
    """Whether every typed number is its expected one (shapes must already agree)."""
    return bool(np.all(accepted(typed, expected)))


def rounded_too_far(typed: TypedNumbers, expected: np.ndarray) -> np.ndarray:
    """Elementwise: the expected value rounded to the digits typed, but too few of them."""
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(typed.values - expected)
        near = diff <= typed.half_step * (1 + 1e-9) + noise(expected)
        return near & ~rounding_forgiven(typed) & (typed.values != 0) & np.isfinite(expected)
