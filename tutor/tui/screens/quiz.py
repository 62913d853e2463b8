"""Provides QuizScreen: a timed quiz — questions, countdown, answers saved as typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.checking import MAX_CHARS
from tutor.quiz.model import QuizError, QuizQuestion
from tutor.quiz.taking import QuizTaking
from tutor.quiz.variant import rendered_question
from tutor.text import Text
from tutor.tui.widgets.countdown import WARN_SECONDS, Countdown
from tutor.tui.widgets.program_view import ProgramView

WORDS = {
    "questions": Text("Questions", "문제"),
    "student": Text("student {student}", "학생 {student}"),
    "position": Text(
        "Question {n} of {total} · {points:g} pt", "{total}문제 중 {n}번 · {points:g}점"
    ),
    "placeholder": Text(
        "Type your answer (saved as you type)", "답을 입력하세요 (입력하는 대로 저장)"
    ),
    "choice_help": Text("Type the number of your choice.", "고른 보기의 번호를 입력하세요."),
    "saved": Text("Saved.", "저장했습니다."),
    "keys": Text(
        "Enter save · ctrl+n next · ctrl+p previous · ctrl+s submit · ctrl+q save and quit",
        "Enter 저장 · ctrl+n 다음 · ctrl+p 이전 · ctrl+s 제출 · ctrl+q 저장 후 종료",
    ),
    "last_minute": Text("Less than a minute left.", "1분도 남지 않았습니다."),
    "confirm": Text(
        "Submit your answers? They cannot be changed afterwards.",
        "답안을 제출할까요? 제출한 뒤에는 고칠 수 없습니다.",
    ),
    "unanswered": Text("{count} unanswered.", "답하지 않은 문제 {count}개."),
    "yes": Text("Submit (y)", "제출 (y)"),
    "no": Text("Keep working (n)", "계속 풀기 (n)"),
    "submitted": Text("Submitted.", "제출했습니다."),
    "time_up": Text("Time is up: your answers were submitted.", "시간 종료: 답안을 제출했습니다."),
    "written": Text("Your submission: {path}", "제출 파일: {path}"),
    "results": Text("Feedback", "피드백"),
    "close": Text("Enter or q to close", "Enter 또는 q로 닫기"),
    "not_saved": Text("Not saved: {error}", "저장하지 못했습니다: {error}"),
}


def say(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def _after_line(program: str, after: str) -> int | None:
    """The 1-based line of the program where the question's statement ends, if found."""
    lines = [line.strip() for line in program.splitlines()]
    wanted = [line.strip() for line in after.strip().splitlines()]
    for start in range(len(lines) - len(wanted) + 1):
        if lines[start : start + len(wanted)] == wanted:
            return start + 1
    return None


class QuizScreen(Screen):
    """One question at a time; every change is saved by `QuizTaking.answer` (debounced while
    typing, at once on Enter and on leaving a question)."""

    @dataclass
    class Submitted(Message):
        """The submission was written to `path` (by the student, or because time ran out)."""

        path: Path
        time_up: bool

    @dataclass
    class SubmitRequested(Message):
        """The student asked to submit (to be confirmed); `unanswered` questions are empty."""

        unanswered: int

    @dataclass
    class SubmitFailed(Message):
        """The submission could not be written; `error` is one line."""

        error: str

    DEFAULT_CSS = """
    .panel {
        border: round $primary 50%;
        border-title-color: $text-accent;
        padding: 0 1;
    }
    #quiz-top {
        height: 1;
        background: $panel;
    }
    #quiz-title {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    #question-list {
        width: 30;
        height: 1fr;
    }
    #question-area {
        width: 1fr;
        height: 1fr;
    }
    #program {
        height: auto;
    }
    #position {
        color: $text-muted;
        padding: 1 1 0 1;
    }
    #prompt {
        padding: 0 1 1 1;
    }
    #status {
        padding: 0 1;
        height: auto;
    }
    #keys {
        height: 1;
        color: $text-muted;
        background: $panel;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+n,pagedown", "move(1)", show=False, priority=True),
        Binding("ctrl+p,pageup", "move(-1)", show=False, priority=True),
        Binding("ctrl+s", "confirm_submit", show=False, priority=True),
    ]

    def __init__(self, taking: QuizTaking, lang: str, save_delay: float = 0.4) -> None:
        super().__init__()
        self.taking = taking
        self.lang = lang
        self.save_delay = save_delay
        self.index = 0
        self.saved: dict[str, str] = taking.answers()
        self.warned = False
        self.auto_submitted = False
        self._save_timer: Timer | None = None

    @property
    def question(self) -> QuizQuestion:
        return self.taking.questions[self.index]

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-top"):
            yield Static(id="quiz-title")
            yield Countdown(id="countdown")
        with Horizontal(id="quiz-body"):
            yield OptionList(*self._options(), id="question-list", classes="panel")
            with VerticalScroll(id="question-area"):
                yield ProgramView("", id="program", classes="panel")
                yield Static(id="position")
                yield Static(id="prompt")
                yield Input(
                    id="answer", placeholder=say("placeholder", self.lang), max_length=MAX_CHARS
                )
                yield Static(id="status")
        yield Static(say("keys", self.lang), id="keys")

    def _options(self) -> list[Option]:
        return [Option(self._label(n, q), id=q.id) for n, q in enumerate(self.taking.questions)]

    def _label(self, index: int, question: QuizQuestion) -> str:
        mark = "●" if self.saved.get(question.id, "").strip() else "○"
        return f"{index + 1}. {mark} {question.id}"

    def on_mount(self) -> None:
        quiz = self.taking.quiz
        student = say("student", self.lang, student=self.taking.record.student_id)
        self.query_one("#quiz-title", Static).update(f"{quiz.title.get(self.lang)} · {student}")
        self.query_one("#question-list", OptionList).border_title = say("questions", self.lang)
        self.show(0)
        self.tick()

    def show(self, index: int) -> None:
        """Leave the current question (saving it) and show question `index`."""
        if self.is_mounted and index != self.index:
            self.flush()
        self.index = index
        question = self.question
        shown = rendered_question(question, self.taking.variant.values)
        program = self.taking.program(question)
        view = self.query_one("#program", ProgramView)
        view.source = program.rstrip("\n")
        line = _after_line(program, shown.after)
        view.show(line, line)
        total = len(self.taking.questions)
        self.query_one("#position", Static).update(
            say("position", self.lang, n=index + 1, total=total, points=question.points)
        )
        prompt = RichText(self.taking.prompt(question).get(self.lang), style="bold")
        for number, choice in enumerate(question.question.choices, 1):
            prompt.append(f"\n  {number}. {choice.text.get(self.lang)}", style="")
        if question.question.choices:
            prompt.append("\n" + say("choice_help", self.lang), style="dim")
        self.query_one("#prompt", Static).update(prompt)
        answer = self.query_one("#answer", Input)
        answer.value = self.saved.get(question.id, "")
        answer.cursor_position = len(answer.value)  # typing goes on after the saved answer
        answer.disabled = self.taking.submitted
        answer.focus()
        self.query_one("#status", Static).update("")
        self.query_one("#question-list", OptionList).highlighted = index

    def action_move(self, step: int) -> None:
        self.show((self.index + step) % len(self.taking.questions))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show(event.option_index)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.save_delay, self.flush)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        verdict = self.flush(always=True)
        status = self.query_one("#status", Static)
        if verdict is None:
            if self.saved.get(self.question.id) == event.value:
                status.update(RichText("✔ " + say("saved", self.lang), style="green"))
            return
        if verdict.outcome == "unreadable":
            status.update(RichText("? " + verdict.feedback.get(self.lang), style="bold yellow"))
        elif verdict.correct:
            status.update(RichText("✔ " + verdict.feedback.get(self.lang), style="bold green"))
        else:
            status.update(RichText("✘ " + verdict.feedback.get(self.lang), style="bold red"))

    def flush(self, always: bool = False) -> object | None:
        """Save the current answer if it changed (or `always`); the Verdict when one is given."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.taking.submitted or not self.is_mounted:
            return None
        question = self.question
        text = self.query_one("#answer", Input).value
        if not always and text == self.saved.get(question.id, ""):
            return None
        try:
            verdict = self.taking.answer(question.id, text)
        except QuizError as error:
            message = say("not_saved", self.lang, error=error)
            self.query_one("#status", Static).update(RichText(message, style="bold red"))
            self.notify(message, severity="error")
            return None
        self.saved[question.id] = text
        self.query_one("#question-list", OptionList).replace_option_prompt(
            question.id, self._label(self.index, question)
        )
        return verdict

    def tick(self) -> None:
        """Update the countdown; warn in the last minute; submit when time is up."""
        if self.taking.submitted:
            return
        left = self.taking.remaining()
        self.query_one("#countdown", Countdown).show(left, self.lang)
        if 0 < left <= WARN_SECONDS and not self.warned:
            self.warned = True
            self.notify(say("last_minute", self.lang), severity="warning")
        if left <= 0 and not self.auto_submitted:
            self.auto_submitted = True
            self.submit(time_up=True)

    def action_confirm_submit(self) -> None:
        self.flush()
        unanswered = sum(1 for q in self.taking.questions if not self.saved.get(q.id, "").strip())
        self.post_message(self.SubmitRequested(unanswered))

    def submit(self, *, time_up: bool) -> None:
        """Write the signed submission and show where it went."""
        self.flush()
        try:
            path = self.taking.submit()
        except QuizError as error:
            self.notify(str(error), severity="error", timeout=30)
            self.post_message(self.SubmitFailed(str(error)))
            return
        self.query_one("#answer", Input).disabled = True
        self.post_message(self.Submitted(path, time_up))
