"""Provides DueScreen: a review session, the questions due now one after another, each in its
program drawn with fresh numbers; one answer each (the schedule takes it from there)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.course import CourseError
from tutor.progress import ProgressError
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.due_session import DueCard, DueSession
from tutor.tui.i18n import t
from tutor.tui.widgets.panels import program_panels, question_panel
from tutor.tui.widgets.program_view import ProgramView, in_language
from tutor.tui.widgets.question import AnswerInput, QuestionPanel
from tutor.tui.widgets.variables import VariablesView

WORDS = {
    "title": Text("Review {n} of {total}: {lesson}", "복습 {n}/{total}: {lesson}"),
    "drawing": Text("Drawing fresh numbers…", "새 숫자를 뽑는 중…"),
    "fresh": Text(
        "The numbers are new: work it out again rather than remember it.",
        "숫자가 새로 바뀌었습니다. 기억보다 다시 풀어 보세요.",
    ),
    "right_answer": Text("The answer: {answer}", "정답: {answer}"),
    "next": Text("Enter: the next question", "Enter: 다음 문제"),
    "done": Text(
        "Review done: {right} of {total} right. Each comes back when it is about to be "
        "forgotten. q: home",
        "복습 끝: {total}개 중 {right}개 정답. 잊을 즈음 다시 나옵니다. q: 처음으로",
    ),
    "none": Text(
        "Nothing is due for review now. q: home", "지금 복습할 문제가 없습니다. q: 처음으로"
    ),
    "failed": Text(
        "This question cannot be drawn now: {why}", "이 문제를 지금 만들 수 없습니다: {why}"
    ),
}


def word(key: str, lang: str, **values: object) -> str:
    return WORDS[key].format(**values).get(lang) if values else WORDS[key].get(lang)


class DueScreen(Screen):
    DEFAULT_CSS = """
    DueScreen #due-columns { height: 1fr; }
    DueScreen #due-left { width: 1fr; }
    DueScreen #due-right { width: 1fr; }
    DueScreen #due-program-box { height: 1fr; }
    DueScreen #due-variables-box { height: 1fr; }
    DueScreen #due-info { padding: 0 1; color: $text-muted; }
    DueScreen #due-question-box { height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+r", "hint", "Hint"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, session: DueSession | None = None) -> None:
        super().__init__()
        self.session = session
        self.index = 0
        self.card: DueCard | None = None

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Horizontal(id="due-columns"):
            with Vertical(id="due-left"):
                yield from program_panels("", lang, prefix="due-")
            with Vertical(id="due-right"):
                yield Static(id="due-info", markup=False)
                yield from question_panel(lang, prefix="due-")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.query_one(AnswerInput).display = False
        if self.session is None:
            self.session = DueSession(
                self.app.course, self.app.store, getattr(self.app, "variant_rng", None)
            )
        self.draw_next()

    # the cards, one after another

    def draw_next(self) -> None:
        session = self.session
        lang = self.app.lang
        panel = self.query_one(QuestionPanel)
        if self.index >= len(session):
            self.card = None
            panel.ask(None, lang, then=self._finished())
            return
        self.query_one("#due-info", Static).update(word("drawing", lang))
        self.draw(self.index)

    def _finished(self) -> str:
        session = self.session
        if not session.answered:
            return word("none", self.app.lang)
        return word("done", self.app.lang, right=session.right, total=session.answered)

    @work(thread=True, exclusive=True, group="due")
    def draw(self, index: int) -> None:
        try:
            card = self.session.card(index)
        except (CourseError, KeyError) as error:
            self.app.call_from_thread(self.skip, str(error).splitlines()[0] if str(error) else "?")
            return
        self.app.call_from_thread(self.show, card)

    def skip(self, why: str) -> None:
        self.notify(word("failed", self.app.lang, why=why), severity="warning", timeout=6)
        self.index += 1
        self.draw_next()

    def show(self, card: DueCard) -> None:
        self.card = card
        lang = self.app.lang
        snapshot = card.step.snapshot
        self.query_one("#due-info", Static).update(
            word(
                "title",
                lang,
                n=self.index + 1,
                total=len(self.session),
                lesson=card.lesson_title.get(lang),
            )
            + "\n"
            + word("fresh", lang)
        )
        program = self.query_one(ProgramView)
        program.source = in_language(card.drawn.lesson.program.rstrip("\n"), lang)
        program.show(snapshot.line, snapshot.end_line)
        self.show_state()
        self.query_one(QuestionPanel).ask(card.question, lang)

    def show_state(self) -> None:
        card = self.card
        if card is None:
            return
        self.query_one(VariablesView).show(
            card.step.snapshot, t("no_variables", self.app.lang), card.veil()
        )

    # the learner's keys

    def on_question_panel_answered(self, event: QuestionPanel.Answered) -> None:
        card = self.card
        lang = self.app.lang
        panel = self.query_one(QuestionPanel)
        if card is None:
            return
        if card.verdict is not None:  # answered: Enter goes on
            self.index += 1
            self.draw_next()
            return
        if not event.text.strip():
            panel.say(t("empty_answer", lang, form=""))
            return
        try:
            verdict = self.session.submit(card, event.text)
        except ProgressError as error:  # the answer stays typed: Enter again sends it again
            panel.say(t("not_saved", lang, reason=error))
            return
        panel.show_verdict(verdict, lang)
        if card.verdict is None:  # unreadable: not an answer yet
            return
        if not verdict.correct:
            panel.say(
                f"✘ {verdict.feedback.get(lang)}\n{word('right_answer', lang, answer=card.answer)}",
                style="bold red",
            )
        self.show_state()
        self.query_one("#due-info", Static).update(word("next", lang))

    def action_hint(self) -> None:
        card = self.card
        if card is None or card.verdict is not None:
            return
        lang = self.app.lang
        hint = card.ladder.next()
        panel = self.query_one(QuestionPanel)
        panel.show_hints(card.ladder.revealed, lang, total=len(card.question.hints))
        if hint is None:
            panel.say(t("no_more_hints", lang))

    def action_home(self) -> None:
        self.app.pop_screen()

    def key_q(self) -> None:
        if self.card is None:
            self.app.pop_screen()
