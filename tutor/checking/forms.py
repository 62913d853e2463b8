"""Provides example_for: the form a numeric answer takes, shown with made-up numbers shaped like
the expected answer (never its values), for a learner whose answer could not be read."""

from __future__ import annotations

import numpy as np

from tutor.text import Text

_SHOWN = 4  # numbers per row before the example elides the rest


def _numbers(count: int, start: float) -> list[str]:
    return [f"{start * (i + 1):g}" for i in range(count)]


def _row(count: int, start: float) -> str:
    shown = _numbers(min(count, _SHOWN), start)
    return "[" + ", ".join(shown + (["…"] if count > _SHOWN else [])) + "]"


def _example(shape: tuple[int, ...], start: float) -> str:
    if not shape:
        return f"{start:g}"
    if len(shape) == 1:
        return _row(shape[0], start)
    rows = [_example(shape[1:], start * (k + 1)) for k in range(min(shape[0], 2))]
    return "[" + ", ".join(rows + (["…"] if shape[0] > 2 else [])) + "]"


def example_for(expected: np.ndarray) -> Text:
    """`Type the numbers, like [[0.5, 1], [1, 2]] (a 2×2 tensor).`, in both languages."""
    shape = tuple(expected.shape)
    start = 0.5
    while expected.size <= _SHOWN**2 and np.array_equal(
        np.asarray(_values(shape, start)), expected
    ):
        start += 1.25
    example = _example(shape, start)
    dims = "×".join(str(n) for n in shape)
    if not shape:
        return Text(f"Type one number, like {example}.", f"숫자 하나를 입력하세요. 예: {example}")
    return Text(
        f"Type the numbers, like {example} (a {dims} tensor).",
        f"숫자로 입력하세요. 예: {example} ({dims} 텐서)",
    )


def _values(shape: tuple[int, ...], start: float) -> np.ndarray:
    """The numbers an unelided example would hold (to be sure it is not the answer itself)."""
    if not shape:
        return np.array(start)
    if len(shape) == 1:
        return start * np.arange(1, shape[0] + 1)
    return np.stack([_values(shape[1:], start * (k + 1)) for k in range(shape[0])])
