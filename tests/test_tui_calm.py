"""A screen nobody types into redraws nothing: the cursor stops blinking after the learner's
last key (tutor.tui.widgets.calm_input), loading indicators go once their work is done."""

from __future__ import annotations

import asyncio

import pytest
from test_tui_lesson import open_lesson
from textual.app import App

import tutor.tui.widgets.calm_input as calm_input
from tutor.tui.factory import make_app
from tutor.tui.widgets.calm_input import CalmInput
from tutor.tui.widgets.question import AnswerInput

TIMEOUT = 0.3


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch):
    monkeypatch.setattr(calm_input, "BLINK_TIMEOUT", TIMEOUT)


def running_timers(screen) -> list:
    """The timers of the screen and its widgets that are counting (neither paused nor stopped)."""
    return [
        timer
        for node in [screen, *screen.walk_children()]
        for timer in list(node._timers)
        if timer._task is not None and timer._active.is_set()
    ]


class OneBox(App):
    def compose(self):
        yield CalmInput(id="box")


async def test_the_cursor_blinks_while_typing_and_stays_shown_when_the_learner_stops():
    app = OneBox()
    async with app.run_test() as pilot:
        box = app.query_one(CalmInput)
        box.focus()
        await pilot.pause()
        assert box.cursor_blink
        await asyncio.sleep(TIMEOUT * 2.5)
        await pilot.pause()
        assert not box.cursor_blink and box._cursor_visible
        assert running_timers(app.screen) == []
        await pilot.press("a")
        assert box.cursor_blink and box.value == "a"
        await asyncio.sleep(TIMEOUT * 0.5)
        await pilot.press("b")
        await asyncio.sleep(TIMEOUT * 0.7)
        assert box.cursor_blink  # a key restarts the count
        await asyncio.sleep(TIMEOUT * 2.5)
        await pilot.pause()
        assert not box.cursor_blink


async def test_focus_coming_back_starts_the_blinking_again():
    app = OneBox()
    async with app.run_test() as pilot:
        box = app.query_one(CalmInput)
        box.focus()
        await asyncio.sleep(TIMEOUT * 2.5)
        await pilot.pause()
        assert not box.cursor_blink
        box.blur()
        await pilot.pause()
        box.focus()
        await pilot.pause()
        assert box.cursor_blink


async def test_an_idle_lesson_runs_no_timer(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, app.course.lessons[0].id)
        for _ in range(20):
            if screen.session.question is not None:
                break
            await pilot.press("n")
        answer = screen.query_one(AnswerInput)
        assert answer.display and answer.has_focus
        assert not screen.query("#loading")
        await pilot.press("x")
        assert running_timers(screen)  # typing: the cursor blinks
        await asyncio.sleep(TIMEOUT * 2.5)
        await pilot.pause()
        assert running_timers(screen) == []
