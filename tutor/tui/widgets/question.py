"""Provides QuestionPanel: the prompt, the answer input, feedback and revealed hints."""

from __future__ import annotations

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


class QuestionPanel(Vertical):
    @dataclass
    class Answered(Message):
        """The learner pressed Enter on an answer."""

        text: str

    def compose(self) -> ComposeResult:
        yield Static(id="prompt")
        yield Input(id="answer")
        yield Static(id="feedback")
        yield Static(id="hints")

    def ask(self, question: Question | None, lang: str, *, hints: tuple[Text, ...] = ()) -> None:
        prompt = self.query_one("#prompt", Static)
        answer = self.query_one("#answer", Input)
        answer.placeholder = t("answer_placeholder", lang)
        if question is None:
            prompt.update("")
            answer.display = False
        else:
            text = RichText(question.prompt.get(lang), style="bold")
            for number, choice in enumerate(question.choices, 1):
                text.append(f"\n  {number}. {choice.text.get(lang)}", style="")
            prompt.update(text)
            answer.display = True
            answer.value = ""
            answer.focus()
        self.show_hints(hints, lang)

    def show_verdict(
        self, verdict: Verdict, lang: str, *, reveal: str | None = None, then: str | None = None
    ) -> None:
        feedback = self.query_one("#feedback", Static)
        if verdict.outcome == "unreadable":
            text = RichText("? " + verdict.feedback.get(lang), style="bold yellow")
            text.append(f"  {t('not_counted', lang)}", style="dim")
        elif verdict.correct:
            text = RichText("✔ " + verdict.feedback.get(lang), style="bold green")
        else:
            text = RichText("✘ " + verdict.feedback.get(lang), style="bold red")
            if verdict.score > 0:
                text.append(f"  ({verdict.score:.0%})", style="yellow")
        if reveal is not None:
            label = t("the_answer", lang)
            text.append(f"\n{label}: {reveal}", style="yellow")
        if then:
            text.append(f"\n{then}", style="bold green")
        feedback.update(text)

    def clear_feedback(self) -> None:
        self.query_one("#feedback", Static).update("")

    def say(self, message: str, style: str = "yellow") -> None:
        self.query_one("#feedback", Static).update(RichText(message, style=style))

    def show_hints(self, hints: tuple[Text, ...], lang: str) -> None:
        text = RichText()
        for number, hint in enumerate(hints, 1):
            if number > 1:
                text.append("\n")
            text.append(f"💡 {number}. ", style="yellow")
            text.append(hint.get(lang))
        self.query_one("#hints", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Answered(event.value))
