"""Provides QuizScreen: a timed quiz — questions, countdown, answers saved as typed.

It drives a local QuizTaking (`tutor quiz take`: practice on the learner's machine) or a
ServerTaking (`tutor serve`: every fact kept by the server). With the server's, Enter asks for
the answer to be checked (a try, with after-each feedback), a question that can no longer change
is locked with the reason, and the screen notices when another window took the attempt over."""

from __future__ import annotations

import inspect
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
from tutor.quiz.attempts import Closed, TakenOver
from tutor.quiz.model import QuizError, QuizQuestion
from tutor.quiz.taking import QuizTaking
from tutor.quiz.variant import rendered_question
from tutor.text import Text
from tutor.tui.widgets.calm_input import CalmInput
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
    "tries_left": Text("{n} of {total} tries left", "남은 기회 {n}/{total}"),
    "locked_tries": Text(
        "No tries left: this answer stays as it was checked.",
        "기회를 모두 썼습니다. 확인한 답이 그대로 남습니다.",
    ),
    "locked_right": Text(
        "Checked right: this answer stays.", "정답으로 확인되었습니다. 이 답이 그대로 남습니다."
    ),
    "locked_submitted": Text(
        "Submitted: answers can no longer change.", "제출했습니다. 답을 더 고칠 수 없습니다."
    ),
    "taken_over": Text(
        "This quiz was opened in another window; continue there.",
        "이 퀴즈가 다른 창에서 열렸습니다. 그 창에서 계속하세요.",
    ),
}


def say(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def feedback_lines(taking, lang: str, *, when_none_answered: bool = False) -> RichText:
    """Each question's verdict once the quiz's policy shows them (✔/✘ and the feedback, ○ for
    a question left unanswered); empty when there is none to show (unless
    `when_none_answered`: then every question is listed as unanswered)."""
    verdicts = taking.feedback()
    text = RichText()
    if not verdicts and not (when_none_answered and taking.questions):
        return text
    text.append(say("results", lang) + "\n", style="bold")
    for question in taking.questions:
        verdict = verdicts.get(question.id)
        if verdict is None:
            text.append(f"  ○ {question.id}: —\n", style="dim")
            continue
        mark, style = ("✔", "green") if verdict.correct else ("✘", "red")
        text.append(f"  {mark} {question.id}: ", style=style)
        text.append(verdict.feedback.get(lang) + "\n")
    return text


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
        """Submitted, by the student or because time ran out: `path` is the file a taking's
        `submit()` wrote, else `result` is what it returned (the server's Receipt)."""

        path: Path | None
        time_up: bool
        result: object | None = None

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
        self.submitting = False
        self.left = False  # the quiz was left (taken over): nothing more is saved from here
        # question id → (text, Verdict) of the last answer checked with Enter
        self.checked: dict[str, tuple[str, object]] = {}
        self._checks = takes_checked(taking)
        self._save_timer: Timer | None = None
        self._failure: str | None = None

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
                yield CalmInput(
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
        answer.disabled = self.taking.submitted or self.locked(question.id)
        answer.focus()
        self.query_one("#status", Static).update(self.standing(question.id))
        self.query_one("#question-list", OptionList).highlighted = index

    def locked(self, question_id: str) -> bool:
        """Whether the question's answer can no longer change (the server says so)."""
        locked = getattr(self.taking, "locked", None)
        return bool(locked(question_id)) if locked is not None else False

    def standing(self, question_id: str) -> RichText:
        """Why the question is locked, else the tries left (after-each on the server), else
        nothing."""
        if self.taking.submitted:
            return RichText(say("locked_submitted", self.lang), style="dim")
        if self.locked(question_id):
            tries = getattr(self.taking, "tries_left", lambda _: None)(question_id)
            key = "locked_tries" if tries == 0 else "locked_right"
            return RichText(say(key, self.lang), style="bold")
        tries_left = getattr(self.taking, "tries_left", None)
        tries = tries_left(question_id) if tries_left is not None else None
        if tries is None:
            return RichText()
        total = self.taking.quiz.tries
        return RichText(say("tries_left", self.lang, n=tries, total=total), style="dim")

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
        question = self.question
        again = self.checked.get(question.id)
        if (
            again is not None
            and again[0] == event.value
            and self.saved.get(question.id) == (event.value)
        ):
            verdict = again[1]  # the same answer checked again: told again, no try charged
        else:
            verdict = self.flush(always=True, checked=True)
        if self.left or self.taking.submitted or not self.is_mounted:
            return
        status = self.query_one("#status", Static)
        standing = self.standing(question.id)
        if verdict is None:
            if self.saved.get(question.id) == event.value:
                line = RichText("✔ " + say("saved", self.lang), style="green")
                status.update(line + "\n" + standing if standing.plain else line)
            return
        if self._checks and verdict.outcome != "unreadable":
            self.checked[question.id] = (event.value, verdict)
        if verdict.outcome == "unreadable":
            line = RichText("? " + verdict.feedback.get(self.lang), style="bold yellow")
        elif verdict.correct:
            line = RichText("✔ " + verdict.feedback.get(self.lang), style="bold green")
        else:
            line = RichText("✘ " + verdict.feedback.get(self.lang), style="bold red")
        status.update(line + "\n" + standing if standing.plain else line)
        if self.locked(question.id):
            self.query_one("#answer", Input).disabled = True

    def flush(self, always: bool = False, checked: bool = False) -> object | None:
        """Save the current answer if it changed (or `always`); the Verdict when one is given.
        `checked`: the learner pressed Enter (with the server's after-each feedback, a try)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.taking.submitted or self.left or not self.is_mounted:
            return None
        question = self.question
        text = self.query_one("#answer", Input).value
        if not always and text == self.saved.get(question.id, ""):
            return None
        if self.locked(question.id):
            return None
        try:
            if self._checks:
                verdict = self.taking.answer(question.id, text, checked=checked)
            else:
                verdict = self.taking.answer(question.id, text)
        except TakenOver:
            self.taken_over()
            return None
        except Closed as error:
            self.closed(error)
            return None
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

    def closed(self, error: QuizError) -> None:
        """The server refused an answer because the attempt closed (submitted, or its time is
        up: it is submitted now), or the question just locked: show which."""
        refresh = getattr(self.taking, "refresh", None)
        if refresh is not None:
            refresh()
        if self.submitting:
            return  # submitting anyway: what could not be saved is past the attempt's end
        if self.taking.submitted or self.taking.remaining() <= 0:
            self.submit(time_up=True)
            return
        self.query_one("#answer", Input).disabled = True
        self.query_one("#status", Static).update(self.standing(self.question.id))

    def holds(self) -> bool:
        """Whether this window still holds the attempt (a local quiz always does)."""
        holds = getattr(self.taking, "holds", None)
        return True if holds is None else bool(holds())

    def taken_over(self) -> None:
        """Another window holds the attempt now: stop saving here and say so (the served app
        takes the learner home)."""
        if self.left:
            return
        self.left = True
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        message = say("taken_over", self.lang)
        self.query_one("#answer", Input).disabled = True
        self.query_one("#status", Static).update(RichText(message, style="bold yellow"))
        self.notify(message, severity="warning", timeout=10)

    def tick(self) -> None:
        """Update the countdown; warn in the last minute; submit when time is up; leave when
        another window took the attempt over."""
        if self.taking.submitted or self.left:
            return
        if not self.holds():
            self.taken_over()
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
        """Submit (a signed file locally, a row on the server) and say so with a message; a
        failure is said once, and time-up tries again on the next tick."""
        if self.submitting or self.left:
            return
        self.submitting = True
        try:
            self.flush()
            if not self.holds():
                self.submitting = False
                self.taken_over()
                return
            result = self.taking.submit()
        except TakenOver:
            self.submitting = False
            self.taken_over()
            return
        except QuizError as error:
            self.submitting = False
            self.auto_submitted = False  # time-up: tried again on the next tick
            if str(error) != self._failure:
                self._failure = str(error)
                self.notify(str(error), severity="error", timeout=30)
                self.post_message(self.SubmitFailed(str(error)))
            return
        self.query_one("#answer", Input).disabled = True
        if isinstance(result, Path):
            self.post_message(self.Submitted(result, time_up))
        else:
            time_up = time_up or getattr(result, "how", None) == "time-up"
            self.post_message(self.Submitted(None, time_up, result))


def takes_checked(taking: object) -> bool:
    """Whether the taking's `answer` takes `checked` (Enter as a try); a local QuizTaking that
    does not is called without it."""
    try:
        return "checked" in inspect.signature(taking.answer).parameters
    except (TypeError, ValueError):
        return False
