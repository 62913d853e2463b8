"""Provides PlaygroundScreen: a PyTorch REPL on the tutor's engine; variables and graph grow as
you type, and backward() is animated node by node."""

from __future__ import annotations

from rich.text import Text as RichText
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input

from tutor.program.snapshot import Snapshot
from tutor.text import Text, clean
from tutor.tui.bindings import localize_bindings
from tutor.tui.i18n import t
from tutor.tui.widgets.graph import GraphView, compact
from tutor.tui.widgets.repl import Entry, ReplInput, ReplSession, Transcript
from tutor.tui.widgets.variables import VariablesView

BACKWARD_STEP_SECONDS = 0.6

TITLE = Text("Playground", "실습장")
PLACEHOLDER = Text("A PyTorch statement, then Enter", "PyTorch 문장을 입력하고 Enter")
KEYS = Text("↑/↓ history · esc leaves", "↑/↓ 이전 입력 · esc 나가기")
WELCOME = Text(
    "Try: import torch · x = torch.ones(2, requires_grad=True) · y = (x * 3).sum() · y.backward()",
    "예: import torch · x = torch.ones(2, requires_grad=True) · y = (x * 3).sum() · y.backward()",
)
TRANSCRIPT = Text("Session", "입력 기록")


class PlaygroundScreen(Screen):
    """Type statements; each runs on the same variables through the lessons' safe interpreter."""

    DEFAULT_CSS = """
    PlaygroundScreen #playground {
        height: 1fr;
    }
    PlaygroundScreen #repl-side {
        width: 1fr;
    }
    PlaygroundScreen #state-side {
        width: 1fr;
    }
    PlaygroundScreen #transcript {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text-accent;
        background: transparent;
        overflow-y: auto;
        overflow-x: hidden;
    }
    PlaygroundScreen #repl-input {
        margin: 0;
    }
    PlaygroundScreen #playground-variables-box {
        height: 1fr;
    }
    PlaygroundScreen #playground-graph-box {
        height: 1fr;
        min-height: 5;
    }
    """

    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("q", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.repl: ReplSession | None = None
        self.lines: list[str] = []
        self.busy = False
        self._pending: list[Snapshot] = []
        self._arrived: dict[int, str] = {}
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header()
        with Horizontal(id="playground"):
            with Vertical(id="repl-side"):
                log = Transcript(id="transcript")
                log.border_title = TRANSCRIPT.get(lang)
                log.border_subtitle = KEYS.get(lang)
                yield log
                yield ReplInput(id="repl-input", placeholder=PLACEHOLDER.get(lang))
            with Vertical(id="state-side"):
                with VerticalScroll(id="playground-variables-box", classes="panel") as box:
                    box.border_title = t("variables", lang)
                    yield VariablesView(id="playground-variables")
                with VerticalScroll(id="playground-graph-box", classes="panel") as box:
                    box.border_title = t("graph", lang)
                    yield GraphView(id="playground-graph")
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.title = TITLE.get(self.app.lang)
        self.write(RichText(WELCOME.get(self.app.lang), style="dim"))
        self.show_state(None)
        self.query_one(ReplInput).focus()

    def write(self, text: RichText) -> None:
        if clean(text.plain) != text.plain:  # what a program printed: no control characters
            text = RichText(clean(text.plain), style=text.style)
        self.lines.extend(text.plain.splitlines() or [""])
        self.query_one(Transcript).add(text)

    def show_state(self, snapshot: Snapshot | None, arrived: dict[int, str] | None = None) -> None:
        lang = self.app.lang
        self.query_one(VariablesView).show(snapshot, t("no_variables", lang))
        self.query_one(GraphView).show(snapshot, arrived=arrived, empty=t("no_graph", lang))
        box = self.query_one("#playground-graph-box")
        flow = snapshot.backward if snapshot is not None else None
        box.border_subtitle = t("backward_node", lang, node=flow.node_name) if flow else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        if not line.strip() or self.busy:
            return
        repl_input = self.query_one(ReplInput)
        repl_input.remember(line)
        repl_input.value = ""
        self.finish_animation()
        self.write(RichText(">>> " + line, style="bold cyan"))
        self.busy = True
        self.run_line(line)

    @work(thread=True, exclusive=True, group="repl")
    def run_line(self, line: str) -> None:
        try:
            if self.repl is None:
                self.repl = ReplSession()
            entry = self.repl.run(line)
        except Exception as error:  # a fault of the tutor itself: one line, never a traceback
            entry = Entry(line, error=f"{type(error).__name__}: {error}".splitlines()[0])
        self.app.call_from_thread(self.show_entry, entry)

    def show_entry(self, entry: Entry) -> None:
        self.busy = False
        if entry.output:
            self.write(RichText(entry.output.rstrip("\n")))
        if entry.echo is not None:
            self.write(RichText(entry.echo))
        if entry.error is not None:
            self.write(RichText(entry.error, style="bold red"))
        if entry.refusal is not None:
            self.write(RichText(entry.refusal, style="yellow"))
        if entry.backward:
            self.animate_backward(entry)
        elif entry.snapshots:
            self.show_state(entry.snapshots[-1])

    def animate_backward(self, entry: Entry) -> None:
        """Show each backward node's snapshot in turn, then the state after the statement."""
        self._pending = list(entry.snapshots)
        self._arrived = {}
        self.advance_animation()
        if self._pending:
            self._timer = self.set_interval(BACKWARD_STEP_SECONDS, self.advance_animation)

    def advance_animation(self) -> None:
        if not self._pending:
            self.finish_animation()
            return
        snapshot = self._pending.pop(0)
        flow = snapshot.backward
        if flow is not None and flow.arriving and flow.arriving[0] is not None:
            self._arrived[flow.node_id] = compact(flow.arriving[0].values)
        self.show_state(snapshot, self._arrived if flow is not None else None)
        if not self._pending:
            self.finish_animation()

    def finish_animation(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending:
            self._pending = []
            latest = self.repl.latest if self.repl is not None else None
            self.show_state(latest)

    @property
    def animating(self) -> bool:
        return self._timer is not None

    def action_leave(self) -> None:
        repl_input = self.query_one(ReplInput)
        if repl_input.has_focus and repl_input.value:
            repl_input.value = ""
        else:
            self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()
