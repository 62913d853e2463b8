"""Provides `tutor quiz take` (practice, not graded) and `tutor quiz dashboard` in the terminal:
QuizApp (with its submit confirmation and the practice's end screen), DashboardApp, and the
factories the commands and the tests share."""

from __future__ import annotations

import argparse
import sys

from rich.text import Text as RichText
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from tutor.quiz.grading import Gradebook
from tutor.quiz.report import Report
from tutor.quiz.taking import PRACTICE, PracticeResult, QuizTaking
from tutor.text import Text
from tutor.tui.i18n import language_from_env
from tutor.tui.screens.quiz import QuizScreen, feedback_lines, say
from tutor.tui.timers import guard_timers

WORDS = {
    "finished": Text("Finished.", "끝났습니다."),
    "time_up": Text("Time is up.", "시간이 끝났습니다."),
    "score": Text(
        "Practice score: {total:g} of {max:g} points (not graded, not sent anywhere)",
        "연습 점수: {max:g}점 중 {total:g}점 (채점하지 않으며 어디에도 보내지 않습니다)",
    ),
    "close": Text(
        "Enter or q to close · run the same command to practise again with new numbers",
        "Enter 또는 q로 닫기 · 같은 명령으로 새 숫자로 다시 연습할 수 있습니다",
    ),
}
NOT_FINISHED = Text(
    "practice not finished; your answers are kept: run the same command to resume ({clock} left)",
    "연습을 끝내지 않았습니다. 답안은 저장되어 있으니 같은 명령으로 이어서 푸세요 (남은 시간 {clock})",
)
FINISHED = Text(
    "practice (not graded): {total:g} of {max:g} points",
    "연습 (채점하지 않음): {max:g}점 중 {total:g}점",
)


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


class PracticeScreen(QuizScreen):
    """The quiz screen, titled as what it is: practice, not graded."""

    def on_mount(self) -> None:
        # Textual runs QuizScreen.on_mount after this one: the title is set once both ran
        self.call_after_refresh(self.show_practice_title)

    def show_practice_title(self) -> None:
        title = f"{self.taking.quiz.title.get(self.lang)} · {PRACTICE.get(self.lang)}"
        self.query_one("#quiz-title", Static).update(title)


class PracticeEndScreen(Screen):
    """The end of a practice attempt: its score for the learner alone, and the feedback."""

    DEFAULT_CSS = """
    .panel {
        border: round $primary 50%;
        padding: 0 1;
    }
    #practice-title, #practice-score, #practice-feedback {
        padding: 0 0 1 0;
    }
    #practice-keys {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("enter,q,escape", "close", show=False)]

    def __init__(
        self, taking: QuizTaking, lang: str, result: PracticeResult, time_up: bool
    ) -> None:
        super().__init__()
        self.taking = taking
        self.lang = lang
        self.result = result
        self.time_up = time_up

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="practice-end", classes="panel"):
            headline = WORDS["time_up" if self.time_up else "finished"].get(self.lang)
            title = RichText(f"{PRACTICE.get(self.lang)} · ", style="bold")
            title.append(headline)
            yield Static(title, id="practice-title")
            score = (
                WORDS["score"]
                .get(self.lang)
                .format(total=self.result.total, max=self.result.max_points)
            )
            yield Static(score, id="practice-score")
            yield Static(self._feedback(), id="practice-feedback")
            yield Static(WORDS["close"].get(self.lang), id="practice-keys")

    def _feedback(self) -> RichText:
        return feedback_lines(self.taking, self.lang, when_none_answered=True)

    def action_close(self) -> None:
        self.app.exit(self.result)


class QuizApp(App[PracticeResult | None]):
    """One learner practising one quiz. `result` is the practice's end (its score), `error` the
    last failure; the countdown is driven by `tick()` every `interval` seconds (time from the
    taking's clock)."""

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
        guard_timers()
        super().__init__()
        self.taking = taking
        self.lang = lang if lang in ("en", "ko") else "en"
        self.interval = interval
        self.save_delay = save_delay
        self.result: PracticeResult | None = None
        self.error: str | None = None

    def on_mount(self) -> None:
        self.title = f"{self.taking.quiz.title.get(self.lang)} · {PRACTICE.get(self.lang)}"
        self.quiz_screen = PracticeScreen(self.taking, self.lang, self.save_delay)
        self.push_screen(self.quiz_screen)
        self.set_interval(self.interval, self.tick)

    def tick(self) -> None:
        if self.result is None and self.quiz_screen.is_mounted:
            self.quiz_screen.tick()

    def on_quiz_screen_submitted(self, message: QuizScreen.Submitted) -> None:
        result = getattr(message, "result", None)
        if not isinstance(result, PracticeResult):
            result = self.taking.result("time-up" if message.time_up else "student")
        self.result, self.error = result, None
        while self.screen is not self.quiz_screen:
            self.pop_screen()
        self.push_screen(PracticeEndScreen(self.taking, self.lang, result, message.time_up))

    def on_quiz_screen_submit_requested(self, message: QuizScreen.SubmitRequested) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.quiz_screen.submit(time_up=False)

        self.push_screen(ConfirmSubmit(self.lang, message.unanswered), confirmed)

    def on_quiz_screen_submit_failed(self, message: QuizScreen.SubmitFailed) -> None:
        self.error = message.error

    async def action_quit(self) -> None:
        """Leave, keeping every answer (the practice resumes with them and its clock)."""
        if self.result is None and self.quiz_screen.is_mounted:
            self.quiz_screen.flush()
        self.exit(self.result)


class DashboardApp(App[None]):
    """The class dashboard of one graded quiz."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, gradebook: Gradebook, report: Report, lang: str = "en") -> None:
        guard_timers()
        super().__init__()
        self.gradebook = gradebook
        self.report = report
        self.lang = lang if lang in ("en", "ko") else "en"

    def on_mount(self) -> None:
        from tutor.tui.screens.dashboard import DashboardScreen

        self.title = self.report.title.get(self.lang)
        self.push_screen(DashboardScreen(self.gradebook, self.report, self.lang))


def make_quiz_app(taking: QuizTaking, lang: str = "en", **options: float) -> QuizApp:
    """The practice app for `taking` (open it with `QuizTaking.open(..., clock=...)` to fake
    time)."""
    return QuizApp(taking, lang, **options)


def make_dashboard_app(gradebook: Gradebook, report: Report, lang: str = "en") -> DashboardApp:
    return DashboardApp(gradebook, report, lang)


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or language_from_env()


def take(args: argparse.Namespace) -> int:
    """`tutor quiz take`: practice. 0 once finished (the practice score printed, said to be
    ungraded); 1 with one line when not (the session is kept). A quiz or student that cannot be
    used raises QuizError (tutor.quiz.command: exit 2)."""
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
    if app.result is not None:
        print(FINISHED.get(lang).format(total=app.result.total, max=app.result.max_points))
        return 0
    if app.error:
        print(f"tutor: quiz take: {app.error}", file=sys.stderr)
    else:
        line = NOT_FINISHED.get(lang).format(clock=clock_text(left))
        print(f"tutor: quiz take: {line}", file=sys.stderr)
    return 1


def dashboard(args: argparse.Namespace) -> int:
    """`tutor quiz dashboard QUIZ --data-dir DIR`: the class report of the server's records in
    the terminal; attempts that could not be graded are listed there and on stderr."""
    from tutor.quiz.command import prepare_dashboard

    lang = _lang(args)
    gradebook, report = prepare_dashboard(args)
    make_dashboard_app(gradebook, report, lang).run()
    for line in gradebook.unreadable:
        print(f"tutor: quiz dashboard: {line}", file=sys.stderr)
    return 0
