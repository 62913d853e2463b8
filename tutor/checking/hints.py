"""Provides HintLadder: a question's hints revealed one at a time, counting how many were used."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.text import Text


class HintLadder:
    """Hints in order (the rule → the symbolic local derivative → the numbers plugged in)."""

    def __init__(self, hints: Sequence[Text], used: int = 0):
        self._hints = tuple(hints)
        self._used = min(max(0, used), len(self._hints))

    def next(self) -> Text | None:
        """Reveal one more hint; None once all are shown."""
        if self._used >= len(self._hints):
            return None
        self._used += 1
        return self._hints[self._used - 1]

    @property
    def used(self) -> int:
        """How many hints have been revealed (recorded with the attempt)."""
        return self._used

    @property
    def revealed(self) -> tuple[Text, ...]:
        return self._hints[: self._used]

    @property
    def total(self) -> int:
        return len(self._hints)

    @property
    def remaining(self) -> int:
        return len(self._hints) - self._used

    def __repr__(self) -> str:
        return f"HintLadder(used={self._used}, total={len(self._hints)})"
