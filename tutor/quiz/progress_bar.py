"""Provides progress_bar: a one-line progress bar on stderr for large grading batches."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

MIN_BATCH = 50


def progress_bar(total: int, stream: TextIO | None = None) -> Callable[[int, int], None] | None:
    """A callback drawing `grading n/total [####    ]` when the stream is a terminal and the
    batch is larger than MIN_BATCH; None otherwise (nothing is drawn)."""
    stream = sys.stderr if stream is None else stream
    if total <= MIN_BATCH or not getattr(stream, "isatty", lambda: False)():
        return None
    width = 30

    def draw(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\rgrading {done}/{total} [{'#' * filled}{' ' * (width - filled)}]")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw
