"""Provides `tutor quiz take` and `tutor quiz dashboard` in the terminal: QuizApp (with its
submit confirmation and the screen shown once submitted), DashboardApp, and the factories
the commands and the tests share."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.text import Text as RichText
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from tutor.quiz.grading import Gradebook
from tutor.quiz.report import Report
from tutor.quiz.taking import QuizTaking
from tutor.text import Text
from tutor.tui.i18n import language_from_env
from tutor.tui.screens.quiz import QuizScreen, say

NOT_SUBMITTED = Text(
    "not submitted; your answers are kept: run the same command to resume ({clock} left)",
    "제출하지 않았습니다. 답안은 저장되어 있으니 같은 명령으로 이어서 푸세요 (남은 시간 {clock})",
)
SUBMITTED = Text("submitted: {path}", "제출: {path}")


class ConfirmSubmit(ModalScreen[bool]):
    """Asks before submitting; dismissed with True to submit."""

    DEFAULT_CSS = """
    ConfirmSubmit {
        align: center middle;
    }
    .panel {
        border: round $warning;
        padding: 0 1;
    }
    #confirm-box {
        width: 60;
        height: auto;
        background: $surface;
    }
    #confirm-buttons {
        height: auto;
        padding: 1 0 0 0;
    }
    #confirm-buttons Button {
        margin: 0 1 0 0;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, lang: str, unanswered: int) -> None:
        super().__init__()
        self.lang = lang
        self.unanswered = unanswered

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="panel"):
            yield Static(say("confirm", self.lang), id="confirm-text")
            if self.unanswered:
                yield Static(say("unanswered", self.lang, count=self.unanswered), id="unanswered")
            with Horizontal(id="confirm-buttons"):
                yield Button(say("yes", self.lang), id="yes", variant="warning")
                yield Button(say("no", self.lang), id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SubmittedScreen(Screen):
    """Where the submission went, and feedback when the quiz's policy allows it now."""

    DEFAULT_CSS = """
    .panel {
        border: round $primary 50%;
        padding: 0 1;
    }
    #submitted-title, #submitted-path, #submitted-feedback {
        padding: 0 0 1 0;
    }
    #submitted-keys {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("enter,q,escape", "close", show=False)]

    def __init__(self, taking: QuizTaking, lang: str, path: Path, time_up: bool) -> None:
        super().__init__()
        self.taking = taking
        self.lang = lang
        self.path = path
        self.time_up = time_up

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="submitted", classes="panel"):
            headline = say("time_up" if self.time_up else "submitted", self.lang)
            yield Static(RichText(headline, style="bold"), id="submitted-title")
            yield Static(say("written", self.lang, path=self.path), id="submitted-path")
            yield Static(self._feedback(), id="submitted-feedback")
            yield Static(say("close", self.lang), id="submitted-keys")

    def _feedback(self) -> RichText:
        verdicts = self.taking.feedback()
        text = RichText()
        if not verdicts:
            return text
        text.append(say("results", self.lang) + "\n", style="bold")
        for question in self.taking.questions:
            verdict = verdicts.get(question.id)
            if verdict is None:
                text.append(f"  ○ {question.id}: —\n", style="dim")
                continue
            mark, style = ("✔", "green") if verdict.correct else ("✘", "red")
            text.append(f"  {mark} {question.id}: ", style=style)
            text.append(verdict.feedback.get(self.lang) + "\n")
        return text

    def action_close(self) -> None:
        self.app.exit(self.path)


class QuizApp(App[Path | None]):
    """One student taking one quiz. `submission` is the file written, `error` the last failure;
    the countdown is driven by `tick()` every `interval` seconds (time from the taking's clock)."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", show=False, priority=True)]

    def __init__(
        self,
        taking: QuizTaking,
        lang: str = "en",
        *,
        interval: float = 1.0,
        save_delay: float = 0.4,
    ) -> None:
        super().__init__()
        self.taking = taking
        self.lang = lang if lang in ("en", "ko") else "en"
        self.interval = interval
        self.save_delay = save_delay
        self.submission: Path | None = None
        self.error: str | None = None

    def on_mount(self) -> None:
        self.title = self.taking.quiz.title.get(self.lang)
        self.quiz_screen = QuizScreen(self.taking, self.lang, self.save_delay)
        self.push_screen(self.quiz_screen)
        self.set_interval(self.interval, self.tick)

    def tick(self) -> None:
        if self.submission is None and self.quiz_screen.is_mounted:
            self.quiz_screen.tick()

    def on_quiz_screen_submitted(self, message: QuizScreen.Submitted) -> None:
        self.submission, self.error = message.path, None
        while self.screen is not self.quiz_screen:
            self.pop_screen()
        self.push_screen(SubmittedScreen(self.taking, self.lang, message.path, message.time_up))

    def on_quiz_screen_submit_requested(self, message: QuizScreen.SubmitRequested) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.quiz_screen.submit(time_up=False)

        self.push_screen(ConfirmSubmit(self.lang, message.unanswered), confirmed)

    def on_quiz_screen_submit_failed(self, message: QuizScreen.SubmitFailed) -> None:
        self.error = message.error

    async def action_quit(self) -> None:
        """Leave, keeping every answer (the session resumes with them and its clock)."""
        if self.submission is None and self.quiz_screen.is_mounted:
            self.quiz_screen.flush()
        self.exit(self.submission)


class DashboardApp(App[None]):
    """The class dashboard of one graded quiz."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, gradebook: Gradebook, report: Report, lang: str = "en") -> None:
        super().__init__()
        self.gradebook = gradebook
        self.report = report
        self.lang = lang if lang in ("en", "ko") else "en"

    def on_mount(self) -> None:
        from tutor.tui.screens.dashboard import DashboardScreen

        self.title = self.report.title.get(self.lang)
        self.push_screen(DashboardScreen(self.gradebook, self.report, self.lang))


def make_quiz_app(taking: QuizTaking, lang: str = "en", **options: float) -> QuizApp:
    """The quiz app for `taking` (open it with `QuizTaking.open(..., clock=...)` to fake time)."""
    return QuizApp(taking, lang, **options)


def make_dashboard_app(gradebook: Gradebook, report: Report, lang: str = "en") -> DashboardApp:
    return DashboardApp(gradebook, report, lang)


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or language_from_env()


def take(args: argparse.Namespace) -> int:
    """`tutor quiz take`: 0 once submitted; 1 with one line when not (the session is kept).
    A quiz, secret or student that cannot be used raises QuizError (tutor.quiz.command: exit 2)."""
    from tutor.quiz.command import prepare_take
    from tutor.tui.widgets.countdown import clock_text

    lang = _lang(args)
    taking = prepare_take(args)
    try:
        app = make_quiz_app(taking, lang)
        app.run()
        left = taking.remaining()
    finally:
        taking.close()
    if app.submission is not None:
        print(SUBMITTED.get(lang).format(path=app.submission))
        return 0
    if app.error:
        print(f"tutor: quiz take: {app.error}", file=sys.stderr)
    else:
        line = NOT_SUBMITTED.get(lang).format(clock=clock_text(left))
        print(f"tutor: quiz take: {line}", file=sys.stderr)
    return 1


def dashboard(args: argparse.Namespace) -> int:
    """`tutor quiz dashboard`: the class report in the terminal; files that are not
    submissions are listed there and on stderr."""
    from tutor.quiz.command import prepare_dashboard

    lang = _lang(args)
    gradebook, report = prepare_dashboard(args)
    make_dashboard_app(gradebook, report, lang).run()
    for line in gradebook.unreadable:
        print(f"tutor: quiz dashboard: {line}", file=sys.stderr)
    return 0
