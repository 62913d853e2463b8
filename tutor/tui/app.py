"""Provides TutorApp: the course home, lessons, the playground and review, as Textual screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tutor.course.model import Course
from tutor.progress import Store
from tutor.tui.i18n import t


class TutorApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "tutor"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, *, course: Course, store: Store, lang: str = "en") -> None:
        super().__init__()
        self.course = course
        self.store = store
        self.lang = lang if lang in ("en", "ko") else "en"
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
        self.call_after_refresh(self.set_timer, 0.3, self.warm_up_sympy)

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up_sympy(self) -> None:
        """Import sympy and the derivation rules off the event loop, after the first frame."""
        import tutor.symbolic.steps  # noqa: F401

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
