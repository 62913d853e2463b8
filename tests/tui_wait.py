"""Waiting, in a Textual test, for what the lesson screen does a moment after a verdict."""

from __future__ import annotations

PATIENCE = 400  # pauses of 0.02 s: 8 s


async def retry_numbers(pilot) -> None:
    """Once a wrong answer's verdict is on screen, wait for its retry's new numbers (drawn in
    a worker 0.15 s after it); nothing to wait for on another screen, or after another verdict."""
    session = getattr(pilot.app.screen, "session", None)
    needs_draw = getattr(session, "needs_draw", None)
    if needs_draw is None:
        return
    for _ in range(PATIENCE):
        if not session.needs_draw:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the retry's new numbers never came")
