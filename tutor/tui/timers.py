"""Provides guard_timers: a Textual timer asked to fire in the past fires at once instead of
stopping the app for good.

Textual (8.2) runs a one-shot timer whose delay is negative in a loop that never awaits: each
turn recomputes how many ticks were missed from the negative interval, and the event loop
never runs again (no key, no frame, for ever). A toast asks for exactly that when it is mounted
a moment after its notification expired: `Toast` sets its timer to the notification's
`time_left`. A served class hit it about once in a thousand sessions (the sign-in notice
expiring as the lesson screen was pushed under load). A delay of zero is no better: the same
loop divides by it, and the callback never runs.
"""

from __future__ import annotations

from functools import wraps

from textual.message_pump import MessagePump

EARLIEST = 0.01  # seconds: "now", for a timer whose moment has passed


def guard_timers() -> None:
    """Make every `set_timer` whose delay is not positive wait EARLIEST seconds (once)."""
    set_timer = MessagePump.set_timer
    if getattr(set_timer, "guarded", False):
        return

    @wraps(set_timer)
    def guarded(self, delay, *args, **kwargs):
        return set_timer(self, delay if delay > EARLIEST else EARLIEST, *args, **kwargs)

    guarded.guarded = True  # type: ignore[attr-defined]
    MessagePump.set_timer = guarded  # type: ignore[method-assign]
