"""Provides Countdown: the quiz's time left as m:ss, warning in its last minute."""

from __future__ import annotations

import math

from textual.widgets import Static

from tutor.text import Text

WARN_SECONDS = 60
LEFT = Text("{clock} left", "남은 시간 {clock}")
UP = Text("Time is up", "시간 종료")


def clock_text(seconds: float) -> str:
    """Whole seconds left, rounded up, as m:ss (h:mm:ss from an hour)."""
    total = max(0, math.ceil(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Countdown(Static):
    """Shows `seconds` left; has the class `warning` in the last minute and `over` at zero."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        padding: 0 1;
        text-style: bold;
        color: $text-success;
    }
    Countdown.warning {
        color: $text-warning;
        background: $warning 20%;
    }
    Countdown.over {
        color: $text-error;
        background: $error 20%;
    }
    """

    seconds: float = 0.0

    def show(self, seconds: float, lang: str) -> None:
        self.seconds = max(0.0, seconds)
        over = self.seconds <= 0
        self.set_class(not over and self.seconds <= WARN_SECONDS, "warning")
        self.set_class(over, "over")
        self.update(UP.get(lang) if over else LEFT.get(lang).format(clock=clock_text(seconds)))
