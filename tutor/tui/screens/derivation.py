"""Provides DerivationScreen: the lesson's derivative derived rule by rule, in the app's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from tutor.course.model import Lesson
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.lesson_math import NO_DERIVATIVE, Derivation, MathError, chosen_sources, derive

if TYPE_CHECKING:
    from tutor.tui.session import LessonSession

TITLE = Text("Derivation", "미분 과정")
THIS_STEP = Text("This step: {label}", "이 단계: {label}")
THE_LESSON = Text("The lesson: {label}", "이 레슨: {label}")
CLOSE = Text("escape / q / d: close", "escape / q / d: 닫기")
HELD = Text(
    "{label}: its derivation is shown once you have answered the question that asks it.",
    "{label}: 이 미분을 묻는 문제에 답하면 유도 과정을 보여 줍니다.",
)


class DerivationScreen(ModalScreen[None]):
    """A modal over the lesson: sympy's steps for its derivative, derived in a thread."""

    DEFAULT_CSS = """
    DerivationScreen {
        align: center middle;
    }
    DerivationScreen #derivation-box {
        width: 90%;
        max-width: 110;
        height: 80%;
        border: round $accent;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    DerivationScreen #derivation-loading {
        height: 3;
    }
    DerivationScreen .derivation-heading {
        text-style: bold;
        color: $text-accent;
        margin: 1 0 0 0;
    }
    DerivationScreen #derivation-message {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("d", "close", "Close", show=False),
    ]

    def __init__(self, lesson: Lesson, session: LessonSession | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self.step_index = session.step_index if session is not None else None
        self.veil = session.veil() if session is not None else None
        # the derivatives open questions ask for are not derived before they are answered
        self.held = (
            {q.id for q, _ in session.unsettled() if q.kind == "expression"}
            if session is not None
            else set()
        )
        self.derivations: tuple[Derivation, ...] | None = None
        self.message: Text | None = None

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(id="derivation-box") as box:
            title = self.lesson.title.get(lang)
            if self.veil is not None:
                title = self.veil.text(title)
            box.border_title = f"{TITLE.get(lang)} — {title}"
            box.border_subtitle = CLOSE.get(lang)
            yield LoadingIndicator(id="derivation-loading")
            yield Static(id="derivation-message")

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        sources = chosen_sources(self.lesson, self.step_index)
        if not sources:
            self.show_message(NO_DERIVATIVE)
            return
        self.derive_all()

    @work(thread=True, exclusive=True, group="derivation")
    def derive_all(self) -> None:
        sources = chosen_sources(self.lesson, self.step_index)
        try:
            derivations = tuple(derive(self.lesson, source) for source in sources)
        except MathError as error:
            self.app.call_from_thread(self.show_message, error.text)
            return
        except Exception as error:  # never a traceback: one line in the modal
            line = f"{type(error).__name__}: {error}".splitlines()[0]
            self.app.call_from_thread(self.show_message, Text(line, line))
            return
        self.app.call_from_thread(self.show_derivations, derivations)

    def show_message(self, message: Text) -> None:
        self.message = message
        self.query_one("#derivation-loading").remove()
        self.query_one("#derivation-message", Static).update(message.get(self.app.lang))

    def show_derivations(self, derivations: tuple[Derivation, ...]) -> None:
        self.derivations = derivations
        self.query_one("#derivation-loading").remove()
        self.query_one("#derivation-message").display = False
        lang = self.app.lang
        box = self.query_one("#derivation-box", VerticalScroll)
        widgets: list[Static] = []
        for number, derivation in enumerate(derivations):
            if len(derivations) > 1:
                heading = THIS_STEP if number == 0 else THE_LESSON
                widgets.append(
                    Static(
                        heading.format(label=derivation.source.label).get(lang),
                        classes="derivation-heading",
                        markup=False,
                    )
                )
            widgets.append(Static(self._text(derivation), classes="derivation-text", markup=False))
        box.mount_all(widgets)

    def _text(self, derivation: Derivation) -> str:
        if derivation.source.question_id in self.held:
            return HELD.format(label=derivation.source.label).get(self.app.lang)
        return derivation.render(self.app.lang)

    def shown_text(self) -> str:
        """What the modal says, as plain text (the message or every derivation)."""
        if self.derivations is None:
            return self.message.get(self.app.lang) if self.message else ""
        return "\n\n".join(self._text(d) for d in self.derivations)

    def action_close(self) -> None:
        self.dismiss(None)
