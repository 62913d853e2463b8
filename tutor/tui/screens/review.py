"""Provides ReviewScreen: a lesson's attempts, and which misconceptions came up and why."""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tutor.checking import MISCONCEPTIONS
from tutor.course.model import Lesson
from tutor.progress import Attempt, LessonProgress, as_percent, outline_of
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.i18n import t

COLUMNS = (
    Text("Time", "시각"),
    Text("Question", "문제"),
    Text("Answer", "답"),
    Text("Result", "결과"),
    Text("Misconception", "오개념"),
    Text("Hints", "힌트"),
)
FLEXIBLE = (False, True, True, False, True, False)  # the columns that give up cells to fit
# the time column gives up the year, then (when every attempt was on one day) the date
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%m-%d %H:%M", "%H:%M")
CELL_PADDING = 1
DETAIL_HEIGHT = 5  # the highlighted attempt in full: a blank line, question, answer, misconception
SCROLLBAR = 2
NO_ATTEMPTS = Text(
    "No attempts yet: answer this lesson's questions and they appear here.",
    "아직 시도가 없습니다. 이 레슨의 문제에 답하면 여기에 나타납니다.",
)
NO_MISCONCEPTIONS = Text(
    "No known misconception came up in this lesson.",
    "이 레슨에서 알려진 오개념은 나오지 않았습니다.",
)
TIMES = Text("×{count}", "{count}회")
SUMMARY = Text(
    "First-try score {score} · questions done {settled}/{questions} · steps done {done}/{steps}",
    "첫 시도 점수 {score} · 완료한 문제 {settled}/{questions} · 완료한 단계 {done}/{steps}",
)
NO_SCORE = Text("no answers yet", "아직 답 없음")
SCORE_IS = Text(
    "(each question's first answer; 0 once its answer was shown)",
    "(문제마다 첫 답의 점수, 정답을 본 문제는 0)",
)
DETAIL = Text(
    "Question: {question}\nAnswer: {answer}  ({time})", "문제: {question}\n답: {answer}  ({time})"
)
# after the time: the numbers of the lesson's [params] the question was asked with
DETAIL_NUMBERS = Text("with {numbers}", "숫자 {numbers}")
DETAIL_MISCONCEPTION = Text("\nMisconception: {title}", "\n오개념: {title}")


def numbers_text(numbers: tuple[tuple[str, object], ...]) -> str:
    """`a = 3, b = -1.5, shape = [2, 3]`: the numbers an attempt was asked with."""
    return ", ".join(
        f"{name} = {list(value) if isinstance(value, tuple) else value}" for name, value in numbers
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def fit(text: str, width: int) -> str:
    """`text` on one line, cut to `width` cells with an ellipsis only when it is longer."""
    text = one_line(text)
    if cell_len(text) <= width:
        return text
    cut = RichText(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain


def fit_widths(
    natural: list[int], minimum: list[int], flexible: list[bool], room: int
) -> list[int]:
    """Column widths: every column its natural width if they fit in `room`; else the flexible
    ones share what the others leave: the narrow ones whole, the wide ones cut to one level (a
    cell more for the first ones while cells are left), none below its minimum."""
    if sum(natural) <= room:
        return list(natural)
    widths = list(natural)
    pool = [i for i, f in enumerate(flexible) if f]
    left = room - sum(n for n, f in zip(natural, flexible, strict=True) if not f)
    while pool:
        level = _level([natural[i] for i in pool], left)
        short = [i for i in pool if minimum[i] > min(natural[i], level)]
        if not short:
            for i in pool:
                widths[i] = min(natural[i], level)
            spare = left - sum(widths[i] for i in pool)
            for i in [i for i in pool if natural[i] > level][:spare]:
                widths[i] += 1
            break
        for i in short:
            widths[i] = minimum[i]
            left -= minimum[i]
            pool.remove(i)
    return widths


def _level(wants: list[int], room: int) -> int:
    """The widest cap c with sum(min(want, c)) <= room."""
    left = room
    for index, want in enumerate(sorted(wants)):
        share = left // (len(wants) - index)
        if want > share:
            return share
        left -= want
    return max(wants, default=0)


def result_cell(attempt: Attempt) -> RichText:
    mark, style = ("✔", "bold green") if attempt.correct else ("✘", "bold red")
    return RichText.assemble((mark, style), f" {as_percent(attempt.score)}")


class ReviewScreen(Screen):
    """One lesson reviewed: its score, every attempt in order, then the misconceptions counted."""

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
    ReviewScreen #review-score {
        color: $text-muted;
    }
    ReviewScreen #attempts-box {
        height: 1fr;
        min-height: 6;
    }
    ReviewScreen #attempts {
        height: auto;
    }
    ReviewScreen #attempt-detail {
        height: auto;
        max-height: 5;
        color: $text-muted;
        padding: 1 0 0 0;
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
        self._laid_out_at = 0

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Vertical(id="review"):
            yield Static(id="review-title", markup=False)
            yield Static(id="review-score", markup=False)
            with Vertical(id="attempts-box", classes="panel") as box:
                box.border_title = t("attempts", lang)
                yield DataTable(id="attempts", zebra_stripes=True, cursor_type="row")
                yield Static(id="attempt-detail", markup=False)
                yield Static(id="no-attempts")
            with VerticalScroll(id="misconceptions-box", classes="panel") as box:
                box.border_title = t("misconceptions", lang)
                yield Static(id="misconception-counts")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.title = t("review", self.app.lang)
        self.refresh_review()
        self.call_after_refresh(self._refit)  # now that the table's size is known

    def on_screen_resume(self) -> None:
        self.refresh_review()

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def refresh_review(self) -> None:
        app = self.app
        lang = app.lang
        self.query_one("#review-title", Static).update(
            f"{t('review', lang)}: {self.lesson.title.get(lang)}"
        )
        progress = app.store.lesson_progress(app.course.id, self.lesson.id, outline_of(self.lesson))
        self.query_one("#review-score", Static).update(self._score_text(progress, lang))
        self.attempts = app.store.attempts(lesson_id=self.lesson.id, course_id=app.course.id)
        self.counts = app.store.misconception_counts(app.course.id, self.lesson.id)
        self._fill_table(lang)
        self.query_one("#misconception-counts", Static).update(self._counts_text(lang))

    def _score_text(self, progress: LessonProgress, lang: str) -> str:
        score = NO_SCORE.get(lang) if progress.score is None else as_percent(progress.score)
        text = SUMMARY.format(
            score=score,
            settled=progress.questions_settled,
            questions=progress.questions,
            done=progress.steps_done,
            steps=progress.steps,
        ).get(lang)
        return text if progress.score is None else f"{text}  {SCORE_IS.get(lang)}"

    def _room(self) -> int:
        """Cells the table's columns may use: its width less the cells' padding and, when the
        rows will not all show, the scrollbar."""
        table = self.query_one(DataTable)
        width = table.size.width or self.app.size.width - 6
        box = self.query_one("#attempts-box")
        rows_shown = (box.size.height or self.app.size.height) - 1
        scrollbar = SCROLLBAR if len(self.attempts) > rows_shown else 0
        return width - scrollbar - 2 * CELL_PADDING * len(COLUMNS)

    def _cells(self, lang: str, time_format: str) -> list[tuple[str, str, str, RichText, str, str]]:
        prompts = {q.id: q.prompt.get(lang) for q in self.lesson.questions()}
        rows = []
        for attempt in self.attempts:
            misconception = MISCONCEPTIONS.get(attempt.misconception or "")
            title = misconception.title.get(lang) if misconception else attempt.misconception
            rows.append(
                (
                    attempt.at.astimezone().strftime(time_format),
                    one_line(prompts.get(attempt.question_id, attempt.question_id)),
                    one_line(attempt.answer),
                    result_cell(attempt),
                    title or "",
                    str(attempt.hints_used),
                )
            )
        return rows

    def _fill_table(self, lang: str) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        headers = [column.get(lang) for column in COLUMNS]
        room = self._room()
        self._laid_out_at = room
        days = {attempt.at.astimezone().date() for attempt in self.attempts}
        for time_format in TIME_FORMATS[: 3 if len(days) <= 1 else 2]:
            rows = self._cells(lang, time_format)
            natural = [
                max([cell_len(h), *(cell_len(str(row[i])) for row in rows)])
                for i, h in enumerate(headers)
            ]
            if sum(natural) <= room:
                break
        minimum = [min(cell_len(h), n) for h, n in zip(headers, natural, strict=True)]
        widths = fit_widths(natural, minimum, list(FLEXIBLE), room)
        for header, width in zip(headers, widths, strict=True):
            table.add_column(fit(header, width), width=width)
        for row in rows:
            table.add_row(
                *(
                    cell if isinstance(cell, RichText) else fit(cell, width)
                    for cell, width in zip(row, widths, strict=True)
                )
            )
        table.display = bool(self.attempts)
        empty = self.query_one("#no-attempts", Static)
        empty.display = not self.attempts
        empty.update(NO_ATTEMPTS.get(lang))
        self._show_detail(table.cursor_row)

    def _refit(self) -> None:
        box = self.query_one("#attempts-box")
        if box.size.height:  # the rows scroll in what the detail under them leaves
            self.query_one(DataTable).styles.max_height = max(2, box.size.height - DETAIL_HEIGHT)
        if self.attempts and self._room() != self._laid_out_at:
            row = self.query_one(DataTable).cursor_row
            self._fill_table(self.app.lang)
            self.query_one(DataTable).move_cursor(row=row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        """The highlighted attempt's question and answer in full, under the table."""
        detail = self.query_one("#attempt-detail", Static)
        detail.display = bool(self.attempts)
        if not self.attempts:
            return
        lang = self.app.lang
        attempt = self.attempts[max(0, min(row, len(self.attempts) - 1))]
        prompts = {q.id: q.prompt.get(lang) for q in self.lesson.questions()}
        question = one_line(prompts.get(attempt.question_id, attempt.question_id))
        time = attempt.at.astimezone().strftime(TIME_FORMATS[0])
        if attempt.numbers:
            numbers = numbers_text(attempt.numbers)
            time = f"{time}, {DETAIL_NUMBERS.format(numbers=numbers).get(lang)}"
        text = DETAIL.format(question=question, answer=one_line(attempt.answer), time=time)
        misconception = MISCONCEPTIONS.get(attempt.misconception or "")
        if misconception is not None:
            text = Text(
                text.en + DETAIL_MISCONCEPTION.format(title=misconception.title.en).en,
                text.ko + DETAIL_MISCONCEPTION.format(title=misconception.title.ko).ko,
            )
        detail.update(text.get(lang))

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
