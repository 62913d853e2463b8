"""Provides QuestionPanel: the step's settled questions, the open one's prompt and answer box,
the verdict of its last attempt, and its revealed hints.

The verdict belongs to the open question: asking another clears it, and a settled question
is listed above with its answer instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tutor.checking import Verdict
from tutor.course import Question
from tutor.text import Text
from tutor.tui.i18n import t
from tutor.tui.widgets.calm_input import CalmInput


@dataclass(frozen=True)
class Settled:
    """A question of this step that is done: what it asked, its answer, how it ended."""

    prompt: str
    answer: str
    solved: bool
    note: str = ""


class AnswerInput(CalmInput):
    """The answer box. On an empty box ← and → are not cursor keys: they fall through to the
    screen's bindings (a step back, a step on). Focusing it never selects what is typed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(select_on_focus=False, **kwargs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cursor_left", "cursor_right") and not self.value and not parameters:
            return False
        return super().check_action(action, parameters)


class QuestionPanel(Vertical):
    @dataclass
    class Answered(Message):
        """The learner pressed Enter on an answer (`text` is empty for an empty box)."""

        text: str

    def compose(self) -> ComposeResult:
        yield Static(id="settled")
        yield Static(id="prompt")
        yield AnswerInput(id="answer")
        yield Static(id="feedback")
        yield Static(id="hints")

    def ask(
        self,
        question: Question | None,
        lang: str,
        *,
        settled: Sequence[Settled] = (),
        hints: tuple[Text, ...] = (),
        then: str | None = None,
    ) -> None:
        """Show `question` (None: the step is done, `then` says what comes next) below the
        step's settled questions; the previous verdict is cleared."""
        self.show_settled(settled, lang)
        prompt = self.query_one("#prompt", Static)
        answer = self.query_one("#answer", AnswerInput)
        answer.placeholder = t("answer_placeholder", lang)
        if question is None:
            prompt.update(RichText(then or "", style="bold green"))
            answer.display = False
        else:
            self.show_prompt(question, lang)
            answer.display = True
            answer.value = ""
            answer.focus()
        self.clear_feedback()
        self.show_hints(hints, lang)

    def show_prompt(self, question: Question, lang: str) -> None:
        """The open question's prompt and choices (again, when its numbers change)."""
        text = RichText(question.prompt.get(lang), style="bold")
        for number, choice in enumerate(question.choices, 1):
            text.append(f"\n  {number}. {choice.text.get(lang)}", style="")
        self.query_one("#prompt", Static).update(text)

    def show_settled(self, settled: Sequence[Settled], lang: str) -> None:
        text = RichText()
        for number, done in enumerate(settled):
            if number:
                text.append("\n")
            text.append("✔ " if done.solved else "✘ ", style="green" if done.solved else "red")
            text.append(done.prompt, style="dim")
            text.append("  → ", style="dim")
            text.append(done.answer, style="bold green" if done.solved else "bold yellow")
            if done.note:
                text.append(f"  {done.note}", style="dim")
        widget = self.query_one("#settled", Static)
        widget.update(text)
        widget.display = bool(settled)

    def show_verdict(self, verdict: Verdict, lang: str, *, form: str = "", note: str = "") -> None:
        """The verdict of an attempt at the open question; an unreadable answer is told the
        form wanted (`form`, unless the verdict already says it); `note`, a line below it."""
        if verdict.outcome == "unreadable":
            said = verdict.feedback.get(lang)
            text = RichText("? " + said, style="bold yellow")
            if form and form not in said:
                text.append(" " + form, style="yellow")
            text.append(f"  {t('not_counted', lang)}", style="dim")
        elif verdict.correct:
            text = RichText("✔ " + verdict.feedback.get(lang), style="bold green")
        else:
            text = RichText("✘ " + verdict.feedback.get(lang), style="bold red")
            if verdict.score > 0:
                text.append(f"  ({verdict.score:.0%})", style="yellow")
        if note:
            text.append("\n" + note, style="bold yellow")
        self._feedback(text)

    def _feedback(self, text: RichText | None) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.update(text or "")
        feedback.display = text is not None

    def clear_feedback(self) -> None:
        self._feedback(None)

    def say(self, message: str, style: str = "yellow") -> None:
        self._feedback(RichText(message, style=style))

    def show_hints(self, hints: tuple[Text, ...], lang: str, total: int | None = None) -> None:
        text = RichText()
        count = total if total is not None else len(hints)
        for number, hint in enumerate(hints, 1):
            if number > 1:
                text.append("\n")
            text.append("💡 " + t("hint_number", lang, n=number, total=count) + " ", style="yellow")
            text.append(hint.get(lang))
        widget = self.query_one("#hints", Static)
        widget.update(text)
        widget.display = bool(hints)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Answered(event.value))
