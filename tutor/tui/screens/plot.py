"""Provides PlotScreen: the lesson's elementwise function with the tangent at each xᵢ.

Each tangent's slope is the engine's x.grad at that element, the gradient the learner computed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from tutor.course.model import Lesson
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.lesson_math import MathError, PlotData, derivative_variable, plot_data
from tutor.tui.widgets.plot import FunctionPlot

if TYPE_CHECKING:
    from tutor.tui.session import LessonSession

TITLE = Text("Plot", "그래프")
CLOSE = Text("escape / q / p: close", "escape / q / p: 닫기")
TANGENT = Text("tangent: slope = {leaf}.grad", "접선: 기울기 = {leaf}.grad")
POINTS = Text("(xᵢ, f(xᵢ))", "(xᵢ, f(xᵢ))")
HELD = Text(
    "The tangents (their slopes are {leaf}.grad) are drawn once you have answered the "
    "questions that ask for them.",
    "접선(기울기 = {leaf}.grad)은 그것을 묻는 문제에 답하면 그려집니다.",
)
CAPTION = Text(
    "At each element the tangent's slope is the gradient autograd left in {leaf}.grad:",
    "각 원소에서 접선의 기울기는 autograd가 {leaf}.grad에 남긴 기울기입니다:",
)


def _number(value: float) -> str:
    return f"{value:.4g}"


class PlotScreen(ModalScreen[None]):
    """A modal over the lesson: f(x), the points xᵢ and the tangents whose slopes are x.grad."""

    DEFAULT_CSS = """
    PlotScreen {
        align: center middle;
    }
    PlotScreen #plot-box {
        width: 95%;
        height: 90%;
        border: round $accent;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    PlotScreen #plot-loading {
        height: 3;
    }
    PlotScreen FunctionPlot {
        height: 1fr;
        min-height: 8;
    }
    PlotScreen #plot-caption {
        height: auto;
        max-height: 8;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("p", "close", "Close", show=False),
    ]

    def __init__(self, lesson: Lesson, session: LessonSession | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        self.snapshots = session.trace.snapshots if session is not None else None
        self.veil = session.veil() if session is not None else None
        # leaves whose gradient (or a derivative in them) an open question asks for
        self.held: set[str] = set()
        for question, asked in session.unsettled() if session is not None else ():
            self.held |= asked.grads
            if question.kind == "expression":
                self.held.add(derivative_variable(question))
        self.data: PlotData | None = None
        self.message: Text | None = None

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(id="plot-box") as box:
            title = self.lesson.title.get(lang)
            if self.veil is not None:
                title = self.veil.text(title)
            box.border_title = f"{TITLE.get(lang)} — {title}"
            box.border_subtitle = CLOSE.get(lang)
            yield LoadingIndicator(id="plot-loading")
            plot = FunctionPlot(id="plot")
            plot.display = False
            yield plot
            yield Static(id="plot-caption", markup=False)

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.compute()

    @work(thread=True, exclusive=True, group="plot")
    def compute(self) -> None:
        snapshots = self.snapshots
        try:
            if snapshots is None:
                from tutor.course import CourseError, build_trace

                try:
                    snapshots = build_trace(self.lesson).snapshots
                except CourseError as error:
                    line = str(error).splitlines()[0] if str(error) else "the lesson is invalid"
                    raise MathError(Text(line, line)) from None
            data = plot_data(self.lesson, snapshots)
        except MathError as error:
            self.app.call_from_thread(self.show_message, error.text)
            return
        except Exception as error:  # never a traceback: one line in the modal
            line = f"{type(error).__name__}: {error}".splitlines()[0]
            self.app.call_from_thread(self.show_message, Text(line, line))
            return
        self.app.call_from_thread(self.show_plot, data)

    def show_message(self, message: Text) -> None:
        self.message = message
        self.query_one("#plot-loading").remove()
        self.query_one("#plot-caption", Static).update(message.get(self.app.lang))

    def show_plot(self, data: PlotData) -> None:
        lang = self.app.lang
        held = data.leaf in self.held
        if held:
            data = replace(data, tangents=())
        self.data = data
        self.query_one("#plot-loading").remove()
        plot = self.query_one(FunctionPlot)
        plot.display = True
        plot.show(
            data,
            tangent_label=TANGENT.format(leaf=data.leaf).get(lang),
            point_label=POINTS.get(lang),
        )
        if held:
            self.query_one("#plot-caption", Static).update(HELD.format(leaf=data.leaf).get(lang))
            return
        lines = [CAPTION.format(leaf=data.leaf).get(lang)]
        lines += [
            f"  {data.leaf} = {_number(t.x)}: f = {_number(t.y)}, "
            f"{data.leaf}.grad = {_number(t.slope)}"
            for t in data.tangents
        ]
        self.query_one("#plot-caption", Static).update("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
