"""Provides ReviewScreen: a lesson's attempts, and which misconceptions came up and why."""

from __future__ import annotations

from collections import Counter

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tutor.checking import MISCONCEPTIONS
from tutor.course.model import Lesson
from tutor.progress import Attempt
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.i18n import t

MAX_CELL = 40
COLUMNS = (
    Text("Time", "시각"),
    Text("Question", "문제"),
    Text("Answer", "답"),
    Text("✔/✘", "✔/✘"),
    Text("Score", "점수"),
    Text("Misconception", "오개념"),
    Text("Hints", "힌트"),
)
NO_ATTEMPTS = Text(
    "No attempts yet: answer this lesson's questions and they appear here.",
    "아직 시도가 없습니다. 이 레슨의 문제에 답하면 여기에 나타납니다.",
)
NO_MISCONCEPTIONS = Text(
    "No known misconception came up in this lesson.",
    "이 레슨에서 알려진 오개념은 나오지 않았습니다.",
)
TIMES = Text("×{count}", "{count}회")


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


class ReviewScreen(Screen):
    """One lesson reviewed: every attempt in order, then the misconceptions counted."""

    DEFAULT_CSS = """
    ReviewScreen #review {
        height: 1fr;
        padding: 0 1;
    }
    ReviewScreen #review-title {
        text-style: bold;
        color: $text-accent;
        padding: 1 0 0 0;
    }
    ReviewScreen #attempts-box {
        height: 1fr;
        min-height: 6;
    }
    ReviewScreen #attempts {
        height: auto;
        max-height: 100%;
    }
    ReviewScreen #misconceptions-box {
        height: auto;
        max-height: 45%;
    }
    """

    BINDINGS = [Binding("escape,q", "back", "Back")]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.attempts: list[Attempt] = []
        self.counts: Counter = Counter()

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Vertical(id="review"):
            yield Static(id="review-title", markup=False)
            with Vertical(id="attempts-box", classes="panel") as box:
                box.border_title = t("attempts", lang)
                yield DataTable(id="attempts", zebra_stripes=True, cursor_type="row")
                yield Static(id="no-attempts")
            with VerticalScroll(id="misconceptions-box", classes="panel") as box:
                box.border_title = t("misconceptions", lang)
                yield Static(id="misconception-counts")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.title = t("review", self.app.lang)
        self.refresh_review()

    def on_screen_resume(self) -> None:
        self.refresh_review()

    def refresh_review(self) -> None:
        app = self.app
        lang = app.lang
        self.query_one("#review-title", Static).update(
            f"{t('review', lang)}: {self.lesson.title.get(lang)}"
        )
        self.attempts = app.store.attempts(lesson_id=self.lesson.id, course_id=app.course.id)
        self.counts = app.store.misconception_counts(app.course.id, self.lesson.id)
        self._fill_table(lang)
        self.query_one("#misconception-counts", Static).update(self._counts_text(lang))

    def _fill_table(self, lang: str) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(column.get(lang) for column in COLUMNS))
        prompts = {q.id: q.prompt.get(lang) for q in self.lesson.questions()}
        for attempt in self.attempts:
            misconception = MISCONCEPTIONS.get(attempt.misconception or "")
            title = misconception.title.get(lang) if misconception else attempt.misconception
            table.add_row(
                attempt.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                _cell(prompts.get(attempt.question_id, attempt.question_id)),
                _cell(attempt.answer),
                RichText("✔", style="bold green")
                if attempt.correct
                else RichText("✘", style="bold red"),
                f"{attempt.score:.0%}",
                title or "",
                str(attempt.hints_used),
            )
        table.display = bool(self.attempts)
        empty = self.query_one("#no-attempts", Static)
        empty.display = not self.attempts
        empty.update(NO_ATTEMPTS.get(lang))

    def _counts_text(self, lang: str) -> RichText:
        if not self.counts:
            return RichText(NO_MISCONCEPTIONS.get(lang), style="dim")
        out = RichText()
        for number, (key, count) in enumerate(self.counts.most_common()):
            if number:
                out.append("\n\n")
            misconception = MISCONCEPTIONS.get(key)
            out.append(misconception.title.get(lang) if misconception else key, style="bold")
            out.append(f"  {TIMES.format(count=count).get(lang)}", style="yellow")
            if misconception is not None:
                out.append("\n" + misconception.explanation.get(lang))
        return out

    def action_back(self) -> None:
        self.app.pop_screen()
