"""Provides HomeScreen: the course, each lesson's progress, and where to continue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ListItem, ListView, ProgressBar, Static

from tutor.course.model import Lesson
from tutor.tui.i18n import t


class LessonItem(ListItem):
    """One lesson in the list: number, title, progress bar and last score."""

    def __init__(self, number: int, lesson: Lesson, done: int, total: int, last: float | None):
        super().__init__()
        self.lesson = lesson
        self.number = number
        self.done, self.total, self.last = done, total, last

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Horizontal(classes="lesson-row"):
            yield Label(f"{self.number:>2}. {self.lesson.title.get(lang)}", classes="lesson-title")
            bar = ProgressBar(total=max(self.total, 1), show_eta=False, show_percentage=False)
            bar.progress = self.done
            yield bar
            status = t("done_of", lang, done=self.done, total=self.total)
            if self.last is not None:
                status += " · " + t("last_score", lang, score=f"{self.last:.0%}")
            yield Label(status, classes="lesson-status")


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("c", "continue", "Continue"),
        Binding("l", "language", "한국어/English"),
        Binding("t", "theme", "Theme"),
        Binding("p", "playground", "Playground"),
        Binding("r", "review", "Review"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="course-title")
            yield Static(id="continue")
            yield ListView(id="lessons")
        yield Footer()

    async def on_mount(self) -> None:
        await self.refresh_lessons()

    async def on_screen_resume(self) -> None:
        await self.refresh_lessons()

    async def refresh_lessons(self) -> None:
        """Show the course in the current language with each lesson's progress."""
        app = self.app
        lang = app.lang
        course = app.course
        self.query_one("#course-title", Static).update(course.title.get(lang))
        last = app.store.last_lesson(course.id)
        resume = self.query_one("#continue", Static)
        if last is not None and any(lesson.id == last for lesson in course.lessons):
            title = course.lesson(last).title.get(lang)
            resume.update(f"▶ {t('continue', lang)}: {title}  (c)")
            resume.display = True
        else:
            resume.display = False
        lessons = self.query_one(ListView)
        index = lessons.index
        await lessons.clear()
        await lessons.extend(self._items())
        lessons.index = index if index is not None else 0
        lessons.focus()

    def _items(self) -> list[LessonItem]:
        app = self.app
        items = []
        for number, lesson in enumerate(app.course.lessons, 1):
            ids = [q.id for q in lesson.questions()]
            summary = app.store.lesson_summary(app.course.id, lesson.id, ids)
            items.append(
                LessonItem(number, lesson, summary.done, summary.total, summary.last_score)
            )
        return items

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, LessonItem):
            self.app.open_lesson(event.item.lesson.id)

    def _selected(self) -> Lesson | None:
        item = self.query_one(ListView).highlighted_child
        return item.lesson if isinstance(item, LessonItem) else None

    def action_open(self) -> None:
        lesson = self._selected()
        if lesson is not None:
            self.app.open_lesson(lesson.id)

    def action_continue(self) -> None:
        last = self.app.store.last_lesson(self.app.course.id)
        if last is not None:
            self.app.open_lesson(last)

    async def action_language(self) -> None:
        self.app.set_language("en" if self.app.lang == "ko" else "ko")
        await self.refresh_lessons()

    def action_theme(self) -> None:
        self.app.toggle_theme()

    def action_playground(self) -> None:
        from tutor.tui.screens.playground import PlaygroundScreen

        self.app.push_screen(PlaygroundScreen())

    def action_review(self) -> None:
        lesson = self._selected()
        if lesson is not None:
            from tutor.tui.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(lesson))

    def action_quit(self) -> None:
        self.app.exit(0)
