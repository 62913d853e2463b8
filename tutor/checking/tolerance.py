"""Provides the comparison of typed numbers with expected ones, the slack coming from the
expected value, never from the typed text.

A typed number is right when it is within the expected value's slack: float32 noise (relative
RTOL plus a small absolute floor ATOL) or one unit in the last digit PyTorch prints for it
(1e-4 for a tensor printed with 4 decimals, 1e-4 of the leading digit in scientific notation,
nothing for whole numbers), whichever is larger — so copying a printout, or multiplying printed
numbers by hand, is right, and typing more digits never hurts. It is also right when it *is* the
expected value rounded to the digits typed, given to at least ROUNDED_DIGITS significant digits
or to PRINTED_DECIMALS decimals (`0.817`, `11.31`, `8.168e-1` for 0.81682…). Zero is zero
however it is written: a typed zero gets neither the printed unit nor rounding.
"""

from __future__ import annotations

import numpy as np

from tutor.checking.answers import TypedNumbers

# float32 carries about 7 significant digits; exp/log/sums may differ in the last bits from
# exact arithmetic; a mathematically zero result may come out as noise (1 − 3·(1/3) = −6e-8),
# so a typed zero is right for anything within ATOL.
RTOL = 1e-5
ATOL = 1e-7
ROUNDED_DIGITS = 3
PRINTED_DECIMALS = 4


def noise(expected: np.ndarray) -> np.ndarray:
    """The float32 slack around each expected value (for computed values compared together,
    and for a typed zero: a mathematically zero result may come out as noise)."""
    return RTOL * np.abs(np.asarray(expected, dtype=np.float64)) + ATOL


def slack(expected: np.ndarray) -> np.ndarray:
    """How far a typed nonzero number may be from each expected value: float32's relative
    noise or one printed unit, whichever is larger."""
    expected = np.asarray(expected, dtype=np.float64)
    magnitude = np.abs(expected)
    with np.errstate(over="ignore", invalid="ignore"):
        single = np.minimum(magnitude, np.finfo(np.float32).max).astype(np.float32)
        float32_step = 0.5 * np.spacing(single).astype(np.float64)  # what a subnormal can hold
    return np.maximum(np.maximum(RTOL * magnitude, float32_step), printed_unit(expected))


def printed_unit(expected: np.ndarray) -> np.ndarray:
    """One unit in the last digit PyTorch prints for each element, as its tensor formatter
    chooses fixed or scientific notation for the whole tensor."""
    values = np.asarray(expected, dtype=np.float64)
    magnitude = np.abs(values)
    nonzero = magnitude[np.isfinite(magnitude) & (magnitude != 0)]
    if nonzero.size == 0:
        return np.zeros(values.shape)
    whole = bool(np.all(np.ceil(nonzero) == nonzero))
    largest, smallest = float(nonzero.max()), float(nonzero.min())
    scientific = largest / smallest > 1000.0 or largest > 1.0e8 or (not whole and smallest < 1e-4)
    if scientific:
        shown = np.isfinite(magnitude) & (magnitude != 0)
        with np.errstate(divide="ignore"):
            exponent = np.floor(np.log10(np.where(shown, magnitude, 1.0)))
        return np.where(shown, 10.0 ** (exponent - PRINTED_DECIMALS), 0.0)
    return np.full(values.shape, 0.0 if whole else 10.0**-PRINTED_DECIMALS)


def rounding_forgiven(typed: TypedNumbers) -> np.ndarray:
    """Per number: whether it was given precisely enough for rounding to count as right."""
    precise = (typed.digits >= ROUNDED_DIGITS) | (typed.decimals >= PRINTED_DECIMALS)
    return precise & (typed.values != 0) & np.isfinite(typed.values)


def accepted(typed: TypedNumbers, expected: np.ndarray) -> np.ndarray:
    """Elementwise: is each typed number the expected one (shapes must already agree)."""
    values = typed.values
    expected = np.asarray(expected, dtype=np.float64)
    allowed = np.where(values == 0, noise(expected), slack(expected))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(values - expected)
        exact = diff <= allowed
        rounded = rounding_forgiven(typed) & (diff <= typed.half_step * (1 + 1e-9) + allowed)
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
        near = diff <= typed.half_step * (1 + 1e-9) + slack(expected)
        return near & ~rounding_forgiven(typed) & (typed.values != 0) & np.isfinite(expected)
