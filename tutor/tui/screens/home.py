"""Provides HomeScreen: the course, each lesson's progress, and where to continue."""

from __future__ import annotations

import contextlib
import math
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.course.model import Lesson
from tutor.progress import LessonProgress, as_percent, next_unfinished, outline_of
from tutor.progress.scores import progress_bar
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.due_list import due_count_in, due_in
from tutor.tui.i18n import t

BAR_WIDTH = 10
COUNT_WIDTH = 5  # "13/13"
GAP = 2
HEADINGS = (Text("Lesson", "레슨"), Text("Steps done", "완료한 단계"), Text("First try", "첫 시도"))
COURSE_DONE = Text("✔ Every lesson is complete.", "✔ 모든 레슨을 마쳤습니다.")
DUE = Text(
    "↻ {count} to review today: press r (each with fresh numbers)",
    "↻ 오늘 복습할 문제 {count}개: r을 누르세요 (숫자는 매번 새로)",
)
NEXT_DUE = Text(
    "↻ Nothing to review today; the next review in {days} d.",
    "↻ 오늘은 복습할 문제가 없습니다. 다음 복습은 {days}일 뒤.",
)
NOTHING_DUE = Text("Nothing is due for review now.", "지금 복습할 문제가 없습니다.")
# the served keys' labels (tutor serve: a student's quizzes, the instructor's view)
SERVED_LABELS = {"quizzes": Text("Quizzes", "퀴즈"), "instructor": Text("Instructor", "강사 화면")}


def score_text(score: float | None) -> str:
    """A lesson score as every screen shows it ("" before any answer)."""
    return "" if score is None else as_percent(score)


class Columns(NamedTuple):
    """Where a lesson row's parts go at one width: the title takes what the rest leaves, and the
    bar gives up to half its cells before a title is cut."""

    title: int
    bar: int
    steps: int
    score: int

    @classmethod
    def fit(cls, width: int, lang: str, longest: int) -> Columns:
        _, steps_heading, score_heading = (cell_len(h.get(lang)) for h in HEADINGS)
        score = max(score_heading, len("100%"))
        room = width - score - 2 * GAP - 1 - COUNT_WIDTH - longest
        bar = max(BAR_WIDTH // 2, min(BAR_WIDTH, room))
        steps = max(steps_heading, bar + 1 + COUNT_WIDTH)
        return cls(max(8, min(longest, width - steps - score - 2 * GAP)), bar, steps, score)


def _fit(text: str, width: int) -> RichText:
    """`text` cut to `width` cells with an ellipsis if it is longer, else padded to it."""
    out = RichText(text, no_wrap=True, overflow="ellipsis")
    out.truncate(width, overflow="ellipsis", pad=True)
    return out


def lesson_line(number: int, title: str, progress: LessonProgress, columns: Columns) -> RichText:
    """One row of the lesson list: number and title, steps done as a bar and a count, score."""
    line = _fit(f"{number:>2}. {title}", columns.title)
    line.append(" " * GAP)
    count = f"{progress.steps_done}/{progress.steps}"
    bar = progress_bar(progress.steps_done, progress.steps, columns.bar)
    line.append(bar, style="green")
    line.append(" " * (columns.steps - len(bar) - len(count)) + count, style="dim")
    line.append(" " * GAP)
    line.append(score_text(progress.score).rjust(columns.score), style="bold")
    return line


def heading_line(lang: str, columns: Columns) -> RichText:
    lesson, steps, score = (h.get(lang) for h in HEADINGS)
    line = _fit(lesson, columns.title + GAP)
    line.append_text(_fit(steps, columns.steps + GAP))
    line.append(" " * (columns.score - cell_len(score)) + score)
    return line


class LessonList(OptionList):
    """The lessons, one row each, laid out again whenever the list's width changes."""

    class LaidOut(Message):
        """The rows were laid out at these columns (the heading above must follow)."""

        def __init__(self, columns: Columns) -> None:
            super().__init__()
            self.columns = columns

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[Lesson, LessonProgress]] = []
        self.lang = "en"
        self._width = 0

    def show(self, rows: list[tuple[Lesson, LessonProgress]], lang: str) -> None:
        self.rows, self.lang = rows, lang
        self.lay_out(force=True)

    def on_resize(self) -> None:
        self.lay_out()

    def watch_show_vertical_scrollbar(self) -> None:
        self.call_after_refresh(self.lay_out)

    def lay_out(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width or self.app.size.width - 6
        if width == self._width and not force:
            return
        self._width = width
        longest = max(
            (
                cell_len(f"{n:>2}. {lesson.title.get(self.lang)}")
                for n, (lesson, _) in enumerate(self.rows, 1)
            ),
            default=0,
        )
        columns = Columns.fit(width, self.lang, longest)
        index = self.highlighted
        self.clear_options()
        self.add_options(
            Option(lesson_line(n, lesson.title.get(self.lang), progress, columns), id=lesson.id)
            for n, (lesson, progress) in enumerate(self.rows, 1)
        )
        self.highlighted = index if index is not None else 0
        self.post_message(self.LaidOut(columns))


class HomeScreen(Screen):
    DEFAULT_CSS = """
    HomeScreen #lesson-headings {
        padding: 0 2;
        color: $text-muted;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("c", "continue", "Continue"),
        Binding("l", "language", "한국어/English"),
        Binding("t", "theme", "Theme"),
        Binding("p", "playground", "Playground"),
        Binding("r", "review", "Review"),
        Binding("m", "mastery", "Mastery"),
        Binding("h", "history", "History"),
        Binding("z", "quizzes", "Quizzes"),
        Binding("i", "instructor", "Instructor"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="course-title", markup=False)
            yield Static(id="continue", markup=False)
            yield Static(id="due", markup=False)
            yield Static(id="lesson-headings")
            yield LessonList(id="lessons")
            if getattr(self.app, "quiz_desk", None):  # served, to a student, with quizzes
                from tutor.tui.screens.served_quiz import QuizSection

                yield QuizSection(id="quizzes")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The served keys only where they lead somewhere: quizzes for a student the server
        gives quizzes to, the instructor's view for an instructor."""
        if action == "quizzes":
            return bool(getattr(self.app, "quiz_desk", None))
        if action == "instructor":
            return bool(getattr(self.app, "is_instructor", False))
        return True

    def on_mount(self) -> None:
        self.call_after_refresh(self.save_outline)  # not needed to draw the first frame

    def save_outline(self) -> None:
        """The course's outline and concepts, kept with the progress for `tutor progress`."""
        from tutor.progress import ProgressError
        from tutor.progress.mastery import concepts_json, settings_key
        from tutor.tui.screens.mastery import concept_questions

        course = self.app.course
        store = self.app.store
        store.save_outline(
            course.id, [(lesson.id, outline_of(lesson)) for lesson in course.lessons]
        )
        if course.concepts:
            with contextlib.suppress(ProgressError):  # kept again the next time home opens
                store.set_setting(settings_key(course.id), concepts_json(concept_questions(course)))

    def on_screen_resume(self) -> None:
        self.localize()
        self.refresh_lessons()
        self.refresh_quizzes()

    def localize(self) -> None:
        localize_bindings(self, self.app.lang, SERVED_LABELS)

    def refresh_quizzes(self) -> None:
        """Served: read each quiz's standing again (in a worker)."""
        for section in self.query("QuizSection"):
            section.show_language()
            section.reload()

    def progress(self) -> dict[str, LessonProgress]:
        """Each lesson's progress, as the list shows it."""
        course = self.app.course
        lessons = [(lesson.id, outline_of(lesson)) for lesson in course.lessons]
        return {p.lesson_id: p for p in self.app.store.course_progress(course.id, lessons)}

    def continue_with(self, progress: dict[str, LessonProgress] | None = None) -> str | None:
        """The lesson Continue opens: the last one worked on, or the next unfinished one."""
        course = self.app.course
        progress = self.progress() if progress is None else progress
        order = [lesson.id for lesson in course.lessons]
        return next_unfinished(order, progress, self.app.store.last_lesson(course.id))

    def refresh_lessons(self) -> None:
        """Show the course in the current language with each lesson's progress."""
        app = self.app
        lang = app.lang
        course = app.course
        self.query_one("#course-title", Static).update(course.title.get(lang))
        progress = self.progress()
        resume = self.query_one("#continue", Static)
        target = self.continue_with(progress)
        resume.display = True
        if target is not None:
            number = [lesson.id for lesson in course.lessons].index(target) + 1
            title = course.lesson(target).title.get(lang)
            resume.update(f"▶ {t('continue', lang)}: {number}. {title}  (c)")
        elif progress and all(p.complete for p in progress.values()):
            resume.update(COURSE_DONE.get(lang))
        else:
            resume.display = False
        self.refresh_due()
        lessons = self.query_one(LessonList)
        lessons.show([(lesson, progress[lesson.id]) for lesson in course.lessons], lang)
        lessons.focus()

    def refresh_due(self) -> None:
        """How many questions are due for review now (r starts them), or when the next is."""
        app = self.app
        store = app.store
        due = self.query_one("#due", Static)
        count = due_count_in(app.course, store)
        if count:
            due.update(DUE.format(count=count).get(app.lang))
            due.display = True
            return
        upcoming = store.next_due(app.course.id)
        if upcoming is not None:
            days = max(1, math.ceil((upcoming - store.clock()).total_seconds() / 86400))
            due.update(NEXT_DUE.format(days=days).get(app.lang))
        due.display = upcoming is not None

    def on_lesson_list_laid_out(self, event: LessonList.LaidOut) -> None:
        self.query_one("#lesson-headings", Static).update(
            heading_line(self.app.lang, event.columns)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option_list, LessonList) and event.option.id is not None:
            self.app.open_lesson(event.option.id)

    def _selected(self) -> Lesson | None:
        lessons = self.query_one(LessonList)
        if lessons.highlighted is None:
            return None
        return self.app.course.lesson(lessons.get_option_at_index(lessons.highlighted).id)

    def action_open(self) -> None:
        lesson = self._selected()
        if lesson is not None:
            self.app.open_lesson(lesson.id)

    def action_continue(self) -> None:
        target = self.continue_with()
        if target is not None:
            self.app.open_lesson(target)

    def action_language(self) -> None:
        self.app.set_language("en" if self.app.lang == "ko" else "ko")
        self.localize()
        self.refresh_lessons()
        for section in self.query("QuizSection"):
            section.show_language()

    def action_quizzes(self) -> None:
        # focused at once (not after a refresh): an Enter typed right after z opens the quiz
        for listing in self.query("QuizSection #quiz-list"):
            self.set_focus(listing)

    def action_instructor(self) -> None:
        if getattr(self.app, "is_instructor", False):
            self.app.open_instructor()

    def action_theme(self) -> None:
        self.app.toggle_theme()

    def action_playground(self) -> None:
        from tutor.tui.screens.playground import PlaygroundScreen

        self.app.push_screen(PlaygroundScreen())

    def action_review(self) -> None:
        """A review session: the questions due now, each with fresh numbers."""
        app = self.app
        if not due_in(app.course, app.store):
            self.notify(NOTHING_DUE.get(app.lang), timeout=4)
            return
        from tutor.tui.screens.due import DueScreen

        app.push_screen(DueScreen())

    def action_mastery(self) -> None:
        from tutor.tui.screens.mastery import MasteryScreen

        self.app.push_screen(MasteryScreen())

    def action_history(self) -> None:
        lesson = self._selected()
        if lesson is not None:
            from tutor.tui.screens.review import ReviewScreen

            self.app.push_screen(ReviewScreen(lesson))

    def action_quit(self) -> None:
        self.app.exit(0)
