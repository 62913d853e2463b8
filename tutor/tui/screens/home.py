"""Provides HomeScreen: the course, each lesson's progress, and where to continue."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.model import Lesson
from tutor.progress import LessonSummary
from tutor.tui.bindings import localize_bindings
from tutor.tui.i18n import t

BAR_WIDTH = 10


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A bar of `width` cells, filled in proportion to done/total."""
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def lesson_line(number: int, title: str, summary: LessonSummary, lang: str, width: int) -> RichText:
    """One row of the lesson list: number and title, a progress bar, done/total, last score."""
    head = f"{number:>2}. {title}"
    line = RichText(head + " " * (width + 6 - cell_len(head)))
    line.append(progress_bar(summary.done, summary.total), style="green")
    line.append(" " + t("done_of", lang, done=summary.done, total=summary.total), style="dim")
    if summary.last_score is not None:
        line.append(" · " + t("last_score", lang, score=f"{summary.last_score:.0%}"), style="dim")
    return line


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
            yield OptionList(id="lessons")
        yield Footer()

    def on_screen_resume(self) -> None:
        localize_bindings(self, self.app.lang)
        self.refresh_lessons()

    def refresh_lessons(self) -> None:
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
        lessons = self.query_one(OptionList)
        index = lessons.highlighted
        lessons.clear_options()
        lessons.add_options(self._options())
        lessons.highlighted = index if index is not None else 0
        lessons.focus()

    def _options(self) -> list[Option]:
        app = self.app
        lang = app.lang
        width = max(cell_len(lesson.title.get(lang)) for lesson in app.course.lessons)
        summaries = self.summaries()
        return [
            Option(
                lesson_line(number, lesson.title.get(lang), summaries[lesson.id], lang, width),
                id=lesson.id,
            )
            for number, lesson in enumerate(app.course.lessons, 1)
        ]

    def summaries(self) -> dict[str, LessonSummary]:
        """Each lesson's progress, as the list shows it."""
        app = self.app
        return {
            lesson.id: app.store.lesson_summary(
                app.course.id, lesson.id, [q.id for q in lesson.questions()]
            )
            for lesson in app.course.lessons
        }

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.app.open_lesson(event.option.id)

    def _selected(self) -> Lesson | None:
        lessons = self.query_one(OptionList)
        if lessons.highlighted is None:
            return None
        return self.app.course.lesson(lessons.get_option_at_index(lessons.highlighted).id)

    def action_open(self) -> None:
        lesson = self._selected()
        if lesson is not None:
            self.app.open_lesson(lesson.id)

    def action_continue(self) -> None:
        last = self.app.store.last_lesson(self.app.course.id)
        if last is not None:
            self.app.open_lesson(last)

    def action_language(self) -> None:
        self.app.set_language("en" if self.app.lang == "ko" else "ko")
        localize_bindings(self, self.app.lang)
        self.refresh_lessons()

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
