"""Provides LessonScreen: the program, the step's text, the question, the variables and the graph."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Markdown

from tutor.course import CourseError, Lesson, LessonTrace
from tutor.tui.bindings import localize_bindings
from tutor.tui.i18n import t
from tutor.tui.session import LessonSession
from tutor.tui.widgets.graph import GraphView, compact
from tutor.tui.widgets.program_view import ProgramView
from tutor.tui.widgets.question import QuestionPanel
from tutor.tui.widgets.variables import VariablesView


def onward(session: LessonSession, lang: str) -> str:
    """What to do once a step's questions are settled: go on, or the lesson is done."""
    return t("lesson_done", lang) if session.finished else "→ " + t("next", lang) + " (n)"


class LessonScreen(Screen):
    BINDINGS = [
        Binding("n,right", "next", "Next"),
        Binding("b,left", "back", "Back"),
        Binding("h", "hint", "Hint"),
        Binding("d", "derivation", "Derivation"),
        Binding("p", "plot", "Plot"),
        Binding("g", "graph", "Graph"),
        Binding("escape", "leave_input", "Leave input"),
        Binding("q", "home", "Home"),
    ]

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.session: LessonSession | None = None

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Horizontal(id="lesson"):
            with Vertical(id="left"):
                with VerticalScroll(id="program-box", classes="panel") as box:
                    box.border_title = t("program", lang)
                    yield ProgramView(self.lesson.program, id="program")
                with VerticalScroll(id="variables-box", classes="panel") as box:
                    box.border_title = t("variables", lang)
                    yield VariablesView(id="variables")
            with VerticalScroll(id="right"):
                with VerticalScroll(id="step-box", classes="panel") as box:
                    box.border_title = self.lesson.title.get(lang)
                    yield Markdown(id="step-text")
                    yield LoadingIndicator(id="loading")
                with Vertical(id="question-box", classes="panel") as box:
                    box.border_title = t("question", lang)
                    yield QuestionPanel(id="question")
                with VerticalScroll(id="graph-box", classes="panel") as box:
                    box.border_title = t("graph", lang)
                    yield GraphView(id="graph")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.query_one(ProgramView).show(None, None)
        self.build()

    @work(thread=True, exclusive=True, group="trace")
    def build(self) -> None:
        from tutor.course import build_trace

        try:
            trace = build_trace(self.lesson)
        except CourseError as err:
            self.app.call_from_thread(self.failed, str(err).splitlines()[0])
            return
        self.app.call_from_thread(self.ready, trace)

    def failed(self, message: str) -> None:
        self.query_one("#loading").display = False
        self.query_one(QuestionPanel).say(message, style="bold red")

    def ready(self, trace: LessonTrace) -> None:
        self.query_one("#loading").display = False
        app = self.app
        self.session = LessonSession(trace, app.store, app.course.id)
        self.show_step()

    def show_step(self) -> None:
        session = self.session
        if session is None:
            return
        lang = self.app.lang
        step = session.step
        snapshot = step.snapshot
        self.query_one("#step-box").border_subtitle = t(
            "step_of", lang, n=session.step_index + 1, total=session.step_count
        )
        self.query_one("#step-text", Markdown).update(step.step.text.get(lang))
        self.query_one(ProgramView).show(snapshot.line, snapshot.end_line)
        self.query_one(VariablesView).show(snapshot, t("no_variables", lang))
        self.query_one(GraphView).show(
            snapshot, arrived=self._arrived(session), empty=t("no_graph", lang)
        )
        graph_box = self.query_one("#graph-box")
        graph_box.border_subtitle = (
            t("backward_node", lang, node=snapshot.backward.node_name) if snapshot.backward else ""
        )
        self.ask()

    def _arrived(self, session: LessonSession) -> dict[int, str]:
        """The gradient that reached each node so far in the backward this step is inside."""
        step = session.step
        snapshot = step.snapshot
        if snapshot.backward is None:
            return {}
        arrived: dict[int, str] = {}
        for earlier in session.trace.snapshots[: step.snapshot_index + 1]:
            flow = earlier.backward
            if flow is None or earlier.statement.index != snapshot.statement.index:
                continue
            if flow.arriving and flow.arriving[0] is not None:
                arrived[flow.node_id] = compact(flow.arriving[0].values)
        return arrived

    def ask(self) -> None:
        session = self.session
        panel = self.query_one(QuestionPanel)
        lang = self.app.lang
        question = session.question
        hints = session.state(question).ladder.revealed if question is not None else ()
        panel.ask(question, lang, hints=hints)
        if question is None:
            self.set_focus(None)
            panel.say(onward(session, lang), style="bold green" if session.finished else "green")
        else:
            panel.clear_feedback()

    def on_question_panel_answered(self, event: QuestionPanel.Answered) -> None:
        session = self.session
        if session is None:
            return
        question = session.question
        verdict = session.submit(event.text)
        if verdict is None or question is None:
            return
        panel = self.query_one(QuestionPanel)
        lang = self.app.lang
        state = session.state(question)
        reveal = session.answer_of(question) if state.settled and not verdict.correct else None
        then = None
        if state.settled:
            panel.ask(session.question, lang)
            if session.question is None:
                self.set_focus(None)
                then = onward(session, lang)
        panel.show_verdict(verdict, lang, reveal=reveal, then=then)

    def action_next(self) -> None:
        session = self.session
        if session is None:
            return
        if session.advance():
            self.show_step()
        elif session.question is not None:
            self.query_one(QuestionPanel).say(t("answer_first", self.app.lang))
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
        hint = session.hint()
        panel = self.query_one(QuestionPanel)
        panel.show_hints(session.state(session.question).ladder.revealed, lang)
        if hint is None:
            panel.say(t("no_more_hints", lang))

    def action_graph(self) -> None:
        """Bring the graph into view (on a short terminal it sits below the question)."""
        self.query_one("#graph-box").scroll_visible(animate=False)

    def action_leave_input(self) -> None:
        self.set_focus(None)

    def action_derivation(self) -> None:
        from tutor.tui.screens.derivation import DerivationScreen

        self.app.push_screen(DerivationScreen(self.lesson, self.session))

    def action_plot(self) -> None:
        from tutor.tui.screens.plot import PlotScreen

        self.app.push_screen(PlotScreen(self.lesson, self.session))

    def action_home(self) -> None:
        self.app.pop_screen()
