"""Provides LessonScreen: the program, the step's text, the question, the variables and the graph.

Two rules keep the lesson honest and the keys unsurprising:
- while a question is open, whatever it asks is shown as `?` (tutor.tui.widgets.veil) until it
  is answered or revealed;
- while a question is open, every printable key goes to the answer box, wherever the focus
  is; the screen's own keys are then ctrl keys (and ← → on an empty box). Letters are keys
  only once every question of the step is settled. Escape always returns to the answer box.
"""

from __future__ import annotations

import re

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Markdown

from tutor.course import CourseError, Lesson, LessonTrace
from tutor.course.variants import Drawn, LessonVariants
from tutor.progress import ProgressError
from tutor.text import Text
from tutor.tui.bindings import localize_bindings, show_bindings
from tutor.tui.i18n import t
from tutor.tui.session import REVEAL_AFTER, LessonSession
from tutor.tui.widgets.graph import GraphView, arrivals
from tutor.tui.widgets.panels import program_panels, question_panel
from tutor.tui.widgets.program_view import ProgramView, in_language
from tutor.tui.widgets.question import AnswerInput, QuestionPanel, Settled
from tutor.tui.widgets.variables import VariablesView

# keys shown in the footer while a question is open, and once the step is settled
ANSWERING = ("ctrl+r", "left", "ctrl+o", "ctrl+f", "ctrl+g", "ctrl+l", "escape")
BROWSING = ("n", "b", "d", "p", "g", "q")
# seconds from a wrong answer's verdict to the start of its retry's draw (its program on screen
# when drawn, ~0.01–0.3 s later): a draw holding the GIL would hold back the verdict's frame
# (p95 ≤ 50 ms), and a callback "after refresh" can run before that frame
NEW_NUMBERS_AFTER = 0.15
# said below the verdict of a wrong answer when the retry gets new numbers
NEW_NUMBERS = Text("New numbers for your next try.", "다음 시도는 새 숫자로 풀어 보세요.")


def onward(session: LessonSession, lang: str) -> str:
    """What to do once a step's questions are settled: go on, or the lesson is done."""
    return t("lesson_done", lang) if session.finished else t("next_step", lang)


class LessonScreen(Screen):
    # two columns; the panels' borders are the app's (.panel in app.tcss)
    DEFAULT_CSS = """
    #lesson {
        height: 1fr;
    }
    #step-text MarkdownTableContent > .cell,
    #step-text MarkdownTableContent > .header {
        padding: 0;
    }
    #left {
        width: 1fr;
    }
    #right {
        width: 1fr;
    }
    #program-box {
        height: auto;
        max-height: 45%;
    }
    #variables-box {
        height: 1fr;
        min-height: 4;
    }
    #graph-box {
        height: 1fr;
        min-height: 4;
    }
    #step-box {
        height: 1fr;
        min-height: 5;
    }
    #step-text {
        margin: 0;
        padding: 0;
        background: transparent;
    }
    #step-text MarkdownBlock {
        margin: 0 0 1 0;
    }
    #loading {
        height: 3;
    }
    #question-box {
        height: auto;
        max-height: 70%;
        overflow-y: auto;
    }
    #question Input {
        margin: 0;
    }
    #settled {
        height: auto;
    }
    #feedback {
        height: auto;
    }
    #hints {
        height: auto;
        color: $text-muted;
    }
    QuestionPanel {
        height: auto;
    }
    """
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        # once the step is settled (no answer box): letters
        Binding("n", "browse('next')", "Next"),
        Binding("b", "browse('back')", "Back"),
        Binding("d", "browse('derivation')", "Derivation"),
        Binding("p", "browse('plot')", "Plot"),
        Binding("g", "browse('graph')", "Graph"),
        Binding("q", "browse('home')", "Home"),
        Binding("enter", "browse('next')", "Next", show=False),
        # always: keys nobody types into an answer (← → only on an empty answer box)
        Binding("right", "next", "Next", show=False),
        Binding("left", "back", "Back", show=False),
        Binding("ctrl+r", "hint", "Hint"),
        Binding("ctrl+o", "derivation", "Derivation", show=False),
        Binding("ctrl+f", "plot", "Plot", show=False),
        Binding("ctrl+g", "graph", "Graph", show=False),
        Binding("ctrl+l", "home", "Home", show=False),
        Binding("escape", "answer", "Answer box"),
        Binding("pageup", "scroll_text(-1)", show=False),
        Binding("pagedown", "scroll_text(1)", show=False),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.session: LessonSession | None = None
        self.shown_text = ""
        self._drawing = False  # a worker is drawing the next retry's numbers

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Horizontal(id="lesson"):
            with Vertical(id="left"):
                yield from program_panels(self.lesson.program, lang)
                with VerticalScroll(id="graph-box", classes="panel") as box:
                    box.border_title = t("graph", lang)
                    yield GraphView(id="graph")
            with Vertical(id="right"):
                with VerticalScroll(id="step-box", classes="panel") as box:
                    box.border_title = self.lesson.title.get(lang)
                    yield Markdown(id="step-text")
                    yield LoadingIndicator(id="loading")
                yield from question_panel(lang)
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.query_one(ProgramView).show(None, None)
        self.query_one(AnswerInput).display = False
        self.build()

    @work(thread=True, exclusive=True, group="trace")
    def build(self) -> None:
        from tutor.course.variants import LessonVariants

        variants = LessonVariants(self.lesson, rng=self.app.variant_rng, keep=0)
        try:
            drawn = variants.canonical()
        except CourseError as err:
            self.app.call_from_thread(self.failed, str(err).splitlines()[0])
            return
        self.app.call_from_thread(self.ready, drawn.trace, variants)

    def failed(self, message: str) -> None:
        self.query_one("#loading").remove()
        self.query_one(QuestionPanel).say(message, style="bold red")

    def ready(self, trace: LessonTrace, variants: LessonVariants | None = None) -> None:
        self.query_one("#loading").remove()
        app = self.app
        self.session = LessonSession(trace, app.store, app.course.id, variants=variants)
        self.show_step()

    # new numbers for a retry: drawn in a worker once the wrong answer's verdict is on screen

    def _draw_for_retry(self) -> None:
        session = self.session
        if session is not None and session.needs_draw and not self._drawing:
            self._drawing = True
            self.draw_numbers()

    @work(thread=True, group="variant")
    def draw_numbers(self) -> None:
        from tutor.course.variants import NoVariant

        try:
            drawn = self.session.draw()
        except (NoVariant, CourseError):
            drawn = None  # no other numbers: a retry keeps these
        self.app.call_from_thread(self._drawn, drawn)

    def _drawn(self, drawn: Drawn | None) -> None:
        self._drawing = False
        session = self.session
        if session is None or not self.is_attached:
            return
        if drawn is None:  # no other numbers: the retry keeps these, as its verdict now says
            if session.needs_draw:
                self._verdict_again(note="")
            return
        if session.offer(drawn):
            self._show_new_numbers()
            self._verdict_again(note=NEW_NUMBERS.get(self.app.lang))
        self._draw_for_retry()

    def _verdict_again(self, note: str) -> None:
        question = self.session.question
        verdict = self.session.state(question).last if question is not None else None
        if verdict is not None:
            self.query_one(QuestionPanel).show_verdict(verdict, self.app.lang, note=note)

    def _show_new_numbers(self) -> None:
        """The program, panes and prompt of the variant the session now shows."""
        session = self.session
        lang = self.app.lang
        self.lesson = session.lesson
        view = self.query_one(ProgramView)
        view.source = in_language(session.lesson.program.rstrip("\n"), lang)
        snapshot = session.step.snapshot
        view.show(snapshot.line, snapshot.end_line)
        self.show_state()
        if session.question is not None:
            self.query_one(QuestionPanel).show_prompt(session.question, lang)

    # what is on screen

    @property
    def answering(self) -> bool:
        return self.session is not None and self.session.question is not None

    def show_step(self) -> None:
        """Show the session's step from the top: its text, the program's place, the state."""
        session = self.session
        if session is None:
            return
        lang = self.app.lang
        snapshot = session.step.snapshot
        self.query_one("#step-box").border_subtitle = t(
            "step_of", lang, n=session.step_index + 1, total=session.step_count
        )
        self.query_one(ProgramView).show(snapshot.line, snapshot.end_line)
        self.query_one("#step-box", VerticalScroll).scroll_home(animate=False)
        self.show_state()
        self.ask()

    def show_state(self) -> None:
        """The step's text and the panes, with whatever open questions ask held back."""
        session = self.session
        if session is None:
            return
        lang = self.app.lang
        step = session.step
        snapshot = step.snapshot
        veil = session.veil()
        self.query_one("#step-box").border_title = veil.text(self.lesson.title.get(lang))
        text = veil.text(step.step.text.get(lang))
        if text != self.shown_text:
            self.shown_text = text
            self.query_one("#step-text", Markdown).update(text)
        self.query_one(VariablesView).show(snapshot, t("no_variables", lang), veil)
        self.query_one(GraphView).show(
            snapshot,
            arrived=arrivals(session.trace.snapshots, step.snapshot_index, veil),
            empty=t("no_graph", lang),
            veil=veil,
            lang=lang,
        )
        flow = snapshot.backward
        self.query_one("#graph-box").border_subtitle = (
            t("backward_node", lang, node=veil.name(flow.node_name)) if flow else ""
        )

    def _show_state_if_here(self) -> None:
        if self.is_attached:
            self.show_state()

    def ask(self) -> None:
        """The question panel for the step's open question (or what comes next)."""
        session = self.session
        lang = self.app.lang
        question = session.question
        settled = [self._settled(q) for q in session.settled_here()]
        panel = self.query_one(QuestionPanel)
        if question is None:
            panel.ask(None, lang, settled=settled, then=onward(session, lang))
            self.set_focus(None)
        else:
            hints = session.state(question).ladder.revealed
            panel.ask(question, lang, settled=settled, hints=hints)
        self._tries()
        self._keys()

    def _settled(self, question) -> Settled:
        session = self.session
        state = session.state(question)
        lang = self.app.lang
        verdict = state.last
        note = ""
        if verdict is not None and not verdict.correct:
            note = verdict.feedback.get(lang)
        return Settled(question.prompt.get(lang), session.answer_of(question), state.solved, note)

    def _tries(self) -> None:
        session = self.session
        question = session.question if session is not None else None
        box = self.query_one("#question-box")
        if question is None:
            box.border_subtitle = ""
            return
        left = session.tries_left(question)
        box.border_subtitle = t("tries_left", self.app.lang, n=left, total=REVEAL_AFTER)

    def _keys(self) -> None:
        """The footer shows the ctrl keys while a question is open, the letters after."""
        show_bindings(self, ANSWERING if self.answering else BROWSING)

    # the learner's keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "browse":
            return not self.answering
        if action in ("hint", "answer"):
            return self.answering
        return True

    def on_key(self, event: events.Key) -> None:
        """While a question is open, a printable key goes to the answer box from anywhere, and
        so do Enter and Backspace (a learner typing an answer means the box). The focus stays
        where it is, so keys typed in a burst keep their order; Escape moves it to the box."""
        if not self.answering:
            return
        # the box stops the keys it takes: one that reaches the screen was typed elsewhere
        box = self.query_one(AnswerInput)
        if event.is_printable and event.character is not None:
            typed = event.character
        elif event.key in ("enter", "backspace"):
            typed = None
        else:
            return
        event.stop()
        event.prevent_default()
        if self.maximized is not None:
            self.minimize()
        if typed is not None:
            box.insert_text_at_cursor(typed)
        elif event.key == "backspace":
            box.action_delete_left()
        else:
            self.run_worker(box.action_submit(), exclusive=False)

    def _to_answer_box(self) -> None:
        if self.maximized is not None:
            self.minimize()
        box = self.query_one(AnswerInput)
        self.set_focus(box)
        self.call_after_refresh(box.scroll_visible, animate=False)

    def action_answer(self) -> None:
        self._to_answer_box()

    def action_browse(self, action: str) -> None:
        getattr(self, f"action_{action}")()

    def on_question_panel_answered(self, event: QuestionPanel.Answered) -> None:
        session = self.session
        if session is None:
            return
        question = session.question
        if question is None:
            return
        panel = self.query_one(QuestionPanel)
        lang = self.app.lang
        if not event.text.strip():
            form = session.form_of(question).get(lang)
            panel.say(t("empty_answer", lang, form=form))
            return
        try:
            verdict = session.submit(event.text)
        except ProgressError as error:  # the store cannot write now: the answer stays typed
            panel.say(t("not_saved", lang, reason=error))
            return
        if verdict is None:
            return
        new_numbers = session.needs_draw
        if new_numbers:  # drawn once the verdict is on screen
            self.set_timer(NEW_NUMBERS_AFTER, self._draw_for_retry)
        if session.state(question).settled:
            # the verdict first (the question settled, and what comes next), in the frame
            # after Enter; the panes it unveils in the frame after that
            self.ask()
            self.call_after_refresh(self._show_state_if_here)
            return
        form = session.form_of(question).get(lang)
        said = verdict.feedback.get(lang)
        if question.kind == "choice" or re.search(r"\blike\b|예:", said):
            form = ""  # the verdict already says what to type
        note = NEW_NUMBERS.get(lang) if new_numbers else ""
        panel.show_verdict(verdict, lang, form=form, note=note)
        self._tries()

    def action_next(self) -> None:
        session = self.session
        if session is None:
            return
        if session.advance():
            self.show_step()
        elif session.question is not None:
            self.query_one(QuestionPanel).say(t("answer_first_keys", self.app.lang))
        elif session.finished:
            self.query_one(QuestionPanel).say(t("lesson_done", self.app.lang), style="bold green")

    def action_back(self) -> None:
        if self.session is not None and self.session.go_back():
            self.show_step()

    def action_hint(self) -> None:
        session = self.session
        if session is None or session.question is None:
            return
        lang = self.app.lang
        question = session.question
        hint = session.hint()
        panel = self.query_one(QuestionPanel)
        panel.show_hints(session.state(question).ladder.revealed, lang, total=len(question.hints))
        if hint is None:
            panel.say(t("no_more_hints", lang))

    def action_graph(self) -> None:
        """The graph fills the screen (or goes back to its place)."""
        box = self.query_one("#graph-box")
        if self.maximized is box:
            self.minimize()
        else:
            self.maximized = box

    def action_scroll_text(self, direction: int) -> None:
        box = self.query_one("#step-box", VerticalScroll)
        (box.scroll_page_down if direction > 0 else box.scroll_page_up)(animate=False)

    def action_derivation(self) -> None:
        from tutor.tui.screens.derivation import DerivationScreen

        self.app.push_screen(DerivationScreen(self.lesson, self.session))

    def action_plot(self) -> None:
        from tutor.tui.screens.plot import PlotScreen

        self.app.push_screen(PlotScreen(self.lesson, self.session))

    def action_home(self) -> None:
        self.app.pop_screen()
