"""Provides CalmInput: Textual's Input whose cursor stops blinking, and stays shown, once the
learner has typed nothing for BLINK_TIMEOUT seconds (GTK's gtk-cursor-blink-timeout, 10 s by
default, does the same); a key, a paste or the focus coming back starts it blinking again.

A screen nobody is typing into then redraws nothing: on a served class, 200 blinking cursors
were 400 redraws a second sent to browsers whose learners were reading."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

BLINK_TIMEOUT = 10.0


class CalmInput(Input):
    def on_mount(self) -> None:
        self._calm_timer = self.set_interval(BLINK_TIMEOUT, self._calm_down, pause=True)
        if self.has_focus:
            self._wake()

    def _wake(self) -> None:
        self.cursor_blink = True
        self._calm_timer.reset()
        self._calm_timer.resume()

    def _calm_down(self) -> None:
        self.cursor_blink = False
        self._calm_timer.pause()

    def on_focus(self, event: events.Focus) -> None:
        self._wake()

    def on_key(self, event: events.Key) -> None:
        self._wake()

    def on_paste(self, event: events.Paste) -> None:
        self._wake()
