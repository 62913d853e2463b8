"""Provides the detectors that recognise a named misconception in a wrong numeric answer."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tutor.checking.misconceptions import MISCONCEPTIONS
from tutor.checking.tolerance import ATOL, all_within


def _as_array(value: object) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def numeric_alternatives(alternatives: Mapping[str, object]) -> list[tuple[str, np.ndarray]]:
    """The course's alternatives that are numbers, keyed by a known misconception id."""
    found = []
    for mid, value in alternatives.items():
        array = _as_array(value) if mid in MISCONCEPTIONS else None
        if array is not None:
            found.append((mid, array))
    return found


def detect_values(
    values: np.ndarray,
    allowance: np.ndarray,
    expected: np.ndarray,
    alternatives: Mapping[str, object],
) -> str | None:
    """The misconception a wrong answer of the right shape shows, if one fits all its numbers."""
    for mid, alt in numeric_alternatives(alternatives):
        if mid == "output-shape" or alt.shape != expected.shape:
            continue
        if not all_within(alt, 0.0, expected) and all_within(values, allowance, alt):
            return mid
    if np.any(np.abs(expected) > ATOL):
        for mid, guess in (
            ("sign-flipped", -expected),
            ("doubled", 2 * expected),
            ("halved", expected / 2),
        ):
            if all_within(values, allowance, guess):
                return mid
    if (
        expected.ndim == 2
        and expected.shape[0] == expected.shape[1]
        and not all_within(expected.T, 0.0, expected)
        and all_within(values, allowance, expected.T)
    ):
        return "transposed"
    return None


def detect_shape(
    values: np.ndarray,
    allowance: np.ndarray,
    expected: np.ndarray,
    alternatives: Mapping[str, object],
) -> str | None:
    """The misconception an answer of the wrong shape shows, if one fits."""
    for mid, alt in numeric_alternatives(alternatives):
        if alt.shape != values.shape or alt.shape == expected.shape:
            continue
        if mid == "output-shape" or all_within(values, allowance, alt):
            return mid
    if (
        expected.ndim == 2
        and values.shape == expected.shape[::-1]
        and all_within(values, allowance, expected.T)
    ):
        return "transposed"
    return None
