"""Provides TutorApp: the course home, lessons, the playground and review, as Textual screens."""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tutor.course.model import Course
from tutor.progress import Store
from tutor.tui.i18n import t
from tutor.tui.timers import guard_timers

# the cyclic collector's full scans wait for a learner this long without a key or a click
IDLE_SECONDS = 0.5
# and for as many young-generation scans as CPython's own threshold would
YOUNG_SCANS_PER_FULL = 10
# but not for ever: a learner who never stops typing still has the old garbage collected
YOUNG_SCANS_AT_MOST = 20 * YOUNG_SCANS_PER_FULL
# a full scan at a moment of its own choosing: never
NEVER = 1 << 30


class TutorApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "tutor"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self, *, course: Course, store: Store, lang: str = "en", rng: random.Random | None = None
    ) -> None:
        guard_timers()
        super().__init__()
        self.course = course
        self.store = store
        self.lang = lang if lang in ("en", "ko") else "en"
        # draws a lesson's new numbers for a retry (seeded by tests, to be deterministic)
        self.variant_rng = rng if rng is not None else random.Random()
        # `tutor` starts with the cyclic collector off (tutor.cli); the app then schedules it
        # (_collect_from_now_on). Started any other way (tests), the collector is left alone.
        self.schedules_collector = not gc.isenabled()
        self._input_at = 0.0
        saved_theme = store.get_setting("theme")
        if saved_theme in self.available_themes:
            self.theme = saved_theme

    def get_default_screen(self) -> Screen:
        from tutor.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.title = self.course.title.get(self.lang)
        if self.store.notice_text is not None:
            self.notify(self.store.notice_text.get(self.lang), severity="warning", timeout=10)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.set_timer(0.3, self.warm_up_sympy)
        if self.schedules_collector:
            self.set_interval(IDLE_SECONDS, self._collect_when_idle, name="collector")

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up_sympy(self) -> None:
        """Import sympy and the derivation rules off the event loop, after the first frame, and
        grade one expression, so that a learner's first answer does not wait for what sympy
        and numpy load on first use. Then start-up is over (_collect_from_now_on)."""
        try:
            import tutor.symbolic.steps  # noqa: F401
            from tutor.checking.expressions import grade_expression
            from tutor.symbolic.parse import parse

            grade_expression(parse("2*x"), ("x",), "2*x + 1", {})
        finally:
            if self.schedules_collector:
                _collect_from_now_on()

    def _collect_when_idle(self) -> None:
        """A full scan, once it is due, when no key or click has come for IDLE_SECONDS (or
        when it is long overdue)."""
        if not gc.isenabled():
            return  # start-up is not over
        young_scans = gc.get_count()[2]
        idle = time.monotonic() - self._input_at >= IDLE_SECONDS
        if young_scans >= YOUNG_SCANS_AT_MOST or (idle and young_scans >= YOUNG_SCANS_PER_FULL):
            gc.collect()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._input_at = time.monotonic()
        await super().on_event(event)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.title = self.course.title.get(lang)
        self.store.set_setting("lang", lang)

    def toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"
        self.store.set_setting("theme", self.theme)

    def open_lesson(self, lesson_id: str) -> None:
        from tutor.tui.screens.lesson import LessonScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LessonScreen(self.course.lesson(lesson_id)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for number, lesson in enumerate(self.course.lessons, 1):
            yield SystemCommand(
                f"{number}. {lesson.title.get(self.lang)}",
                t("open", self.lang),
                lambda lesson_id=lesson.id: self.open_lesson(lesson_id),
            )

    def on_unmount(self) -> None:
        self.store.close()


def _collect_from_now_on() -> None:
    """Turn the cyclic collector on for good, without its pauses landing on a verdict.

    What start-up made (modules, sympy, the course, the home screen) lives as long as the app:
    after one collection it is frozen out of every later scan. The young generations are then
    collected as usual (a few ms), but a full scan of everything older, which can take 100 ms,
    waits for a moment when the learner is reading, not typing (TutorApp._collect_when_idle)."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    gc.enable()
