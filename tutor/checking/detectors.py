"""Provides the detectors that recognise a named misconception in a wrong numeric answer.

Each fires only on questions of a role it can explain (tutor.checking.misconceptions): the
course's own alternatives first, then the generic ones — a flipped sign, twice or half the
gradient, a transposed matrix — where they fit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tutor.checking.answers import TypedNumbers
from tutor.checking.misconceptions import fits
from tutor.checking.tolerance import all_accepted, noise


def _as_array(value: object) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def numeric_alternatives(
    alternatives: Mapping[str, object], role: str
) -> list[tuple[str, np.ndarray]]:
    """The alternatives that are numbers, keyed by a misconception that fits the role."""
    found = []
    for mid, value in alternatives.items():
        array = _as_array(value) if fits(mid, role) else None
        if array is not None and array.dtype != object:
            found.append((mid, array))
    return found


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two computed arrays agree up to float32 noise."""
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= np.maximum(noise(a), noise(b))
    return bool(np.all(close | (np.isnan(a) & np.isnan(b)) | (a == b)))


def _generic(expected: np.ndarray, role: str) -> list[tuple[str, np.ndarray]]:
    guesses: list[tuple[str, np.ndarray]] = []
    if role == "gradient" and np.any(expected != 0):
        guesses += [("sign-flipped", -expected), ("doubled", 2 * expected)]
        guesses += [("halved", expected / 2)]
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and fits("transposed", role):
        guesses.append(("transposed", expected.T))
    return guesses


def detect_values(
    typed: TypedNumbers, expected: np.ndarray, alternatives: Mapping[str, object], role: str
) -> str | None:
    """The misconception a wrong answer of the right shape shows, if one fits all its numbers."""
    candidates = numeric_alternatives(alternatives, role) + _generic(expected, role)
    for mid, alt in candidates:
        if alt.shape != expected.shape or same(alt, expected):
            continue
        if all_accepted(typed, alt):
            return mid
    return None


def detect_shape(
    typed: TypedNumbers, expected: np.ndarray, alternatives: Mapping[str, object], role: str
) -> str | None:
    """The misconception an answer of the wrong shape shows, if one fits."""
    shape = typed.values.shape
    for mid, alt in numeric_alternatives(alternatives, role):
        if alt.shape != shape or alt.shape == expected.shape:
            continue
        if mid == "output-shape" or all_accepted(typed, alt):
            return mid
    if (
        expected.ndim == 2
        and shape == expected.shape[::-1]
        and fits("transposed", role)
        and all_accepted(typed, expected.T)
    ):
        return "transposed"
    return None
