"""Provides DashboardScreen: the class report of a graded quiz — percent correct per question,
the score histogram, the most common misconceptions and the flagged students."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from tutor.checking import MISCONCEPTIONS
from tutor.quiz.grading import Gradebook, flag_text
from tutor.quiz.report import BINS, Report
from tutor.text import Text

WORDS = {
    "students": Text(
        "{graded} of {students} students graded · mean {mean:.1f}%",
        "학생 {students}명 중 {graded}명 채점 · 평균 {mean:.1f}%",
    ),
    "questions": Text("Percent correct by question", "문제별 정답률"),
    "question": Text("Question", "문제"),
    "prompt": Text("Prompt", "질문"),
    "percent": Text("Correct", "정답률"),
    "count": Text("Right/graded", "정답/채점"),
    "histogram": Text("Score histogram", "점수 분포"),
    "score": Text("score %", "점수 %"),
    "students_axis": Text("students", "학생 수"),
    "misconceptions": Text("Most common misconceptions", "가장 흔한 오개념"),
    "none": Text("(none)", "(없음)"),
    "flagged": Text("Flagged students", "표시된 학생"),
    "student": Text("Student", "학생"),
    "flags": Text("Flags", "표시"),
    "submitted_at": Text("Submitted", "제출 시각"),
    "unreadable": Text("Notes from grading", "채점 메모"),
    "keys": Text("q quit", "q 종료"),
}


def say(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def bin_labels() -> list[str]:
    """Each histogram bin by its lowest score: `0`, `10`, …, `90` (the last includes 100)."""
    return [str(i * 100 // BINS) for i in range(BINS)]


def percent_bar(percent: float, width: int = 10) -> str:
    """The percent as a bar of `width` cells (▌ for a half cell)."""
    halves = round(2 * width * max(0.0, min(100.0, percent)) / 100)
    return "█" * (halves // 2) + "▌" * (halves % 2)


def misconception_lines(report: Report, lang: str) -> RichText:
    """Each common misconception: how many answers showed it and its title in `lang`."""
    text = RichText()
    if not report.misconceptions:
        return RichText(say("none", lang), style="dim")
    for number, (mid, count) in enumerate(report.misconceptions):
        known = MISCONCEPTIONS.get(mid)
        if number:
            text.append("\n")
        text.append(f"{count:>4}  ", style="bold")
        text.append(known.title.get(lang) if known else mid)
        text.append(f"  ({mid})", style="dim")
    return text


class ScoreHistogram(PlotextPlot):
    """A bar chart of the report's histogram; `counts` keeps what was drawn."""

    counts: tuple[int, ...] = ()

    def draw(self, counts: tuple[int, ...], *, title: str, xlabel: str, ylabel: str) -> None:
        self.counts = tuple(counts)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        plt.xlabel(xlabel)
        plt.ylabel(ylabel)
        plt.bar(bin_labels(), list(self.counts), color="cyan", width=0.6)
        most = max(self.counts, default=0)
        step = max(1, -(-most // 8))
        plt.yticks(list(range(0, most + 1, step)))
        plt.ylim(0, max(1, most))
        self.refresh()


class DashboardScreen(Screen):
    DEFAULT_CSS = """
    DashboardScreen .panel {
        border: round $primary 50%;
        border-title-color: $text-accent;
        padding: 0 1;
    }
    #dash-title {
        text-style: bold;
        padding: 0 1;
        background: $panel;
    }
    #dash-summary {
        padding: 0 1;
    }
    #dash-top, #dash-bottom {
        height: 1fr;
    }
    #dash-questions {
        width: 1fr;
        height: 1fr;
    }
    #dash-histogram {
        width: 1fr;
    }
    #dash-misconceptions {
        width: 1fr;
        height: 1fr;
    }
    #dash-flag-box {
        width: 1fr;
    }
    #dash-unreadable {
        height: auto;
        color: $text-error;
    }
    #dash-keys {
        height: 1;
        color: $text-muted;
        background: $panel;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("q,escape", "app.quit", show=False)]

    def __init__(self, gradebook: Gradebook, report: Report, lang: str) -> None:
        super().__init__()
        self.gradebook = gradebook
        self.report = report
        self.lang = lang

    def compose(self) -> ComposeResult:
        report, lang = self.report, self.lang
        yield Static(f"{report.title.get(lang)} ({report.quiz_id})", id="dash-title")
        yield Static(
            say(
                "students",
                lang,
                graded=report.graded,
                students=report.students,
                mean=report.mean_percent,
            ),
            id="dash-summary",
        )
        with Horizontal(id="dash-top"):
            yield DataTable(id="dash-questions", classes="panel", cursor_type="row")
            yield ScoreHistogram(id="dash-histogram", classes="panel")
        with Horizontal(id="dash-bottom"):
            yield Static(
                misconception_lines(report, lang), id="dash-misconceptions", classes="panel"
            )
            with Vertical(id="dash-flag-box", classes="panel"):
                yield DataTable(id="dash-flagged", cursor_type="row")
                yield Static(id="dash-unreadable")
        yield Static(say("keys", lang), id="dash-keys")

    def on_mount(self) -> None:
        lang = self.lang
        questions = self.query_one("#dash-questions", DataTable)
        questions.border_title = say("questions", lang)
        questions.add_columns(
            say("question", lang),
            say("percent", lang),
            say("count", lang),
            "",
            say("prompt", lang),
        )
        for stats in self.report.questions:
            questions.add_row(
                stats.question_id,
                f"{stats.percent_correct:.1f}%",
                f"{stats.correct}/{stats.graded}",
                RichText(percent_bar(stats.percent_correct), style="green"),
                stats.prompt.get(lang),
                key=stats.question_id,
            )
        self.query_one("#dash-histogram", ScoreHistogram).draw(
            self.report.histogram,
            title=say("histogram", lang),
            xlabel=say("score", lang),
            ylabel=say("students_axis", lang),
        )
        self.query_one("#dash-misconceptions", Static).border_title = say("misconceptions", lang)
        self.query_one("#dash-flag-box").border_title = say("flagged", lang)
        flagged = self.query_one("#dash-flagged", DataTable)
        flagged.add_columns(say("student", lang), say("flags", lang), say("submitted_at", lang))
        for row in self.gradebook.rows:
            if row.flags:
                flagged.add_row(
                    row.student_id,
                    ", ".join(flag_text(flag, lang) for flag in row.flags),
                    row.submitted_at or "—",
                    key=row.student_id,
                )
        if self.gradebook.unreadable:
            lines = [say("unreadable", lang), *self.gradebook.unreadable]
            self.query_one("#dash-unreadable", Static).update("\n".join(lines))
