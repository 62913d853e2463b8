"""Provides format_answer: a computed answer written the way a learner would type it."""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.course.values import format_array, format_number


def format_answer(expected: Any) -> str:
    """The Expected's value as typed text: `[[2, 4], [6, 8]]`, `14`, `2*x`, `2` (the 2nd
    choice), `AddBackward0`, `RuntimeError: Can't call numpy() …` or an outcome's value."""
    kind, value = expected.kind, expected.value
    if kind == "choice":
        return str(int(value) + 1)
    if kind == "outcome":
        if value.error is not None:
            return f"{value.error}: {value.message}" if value.message else value.error
        return _plain(value.value)
    if kind == "expression":
        return str(value)
    return _plain(value)


def _plain(value: object) -> str:
    if isinstance(value, np.ndarray):
        return format_array(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float | np.number):
        return format_number(float(value))
    return str(value)
