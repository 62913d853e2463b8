"""Provides ReplSession (PyTorch lines run one at a time on one persistent safe interpreter),
ReplInput (the line editor with up/down history) and Transcript (the log, rewrapped to its width)."""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import Any

from rich.text import Text as RichText
from textual.binding import Binding
from textual.widgets import RichLog

from tutor.program.checker import parse_program
from tutor.program.errors import Refusal
from tutor.program.interpreter import Interpreter, Step
from tutor.program.recorder import Recorder
from tutor.program.runner import error_line
from tutor.program.snapshot import Snapshot, Statement
from tutor.tui.widgets.calm_input import CalmInput

FILENAME = "<playground>"


@dataclass(frozen=True)
class Entry:
    """One line typed: the snapshots it made (backward nodes included), what it printed, the
    value of a bare expression, and the program's error line or the refusal line."""

    source: str
    snapshots: tuple[Snapshot, ...] = ()
    output: str = ""
    echo: str | None = None
    error: str | None = None
    refusal: str | None = None

    @property
    def backward(self) -> tuple[Snapshot, ...]:
        return tuple(s for s in self.snapshots if s.kind == "backward-node")


class ReplSession:
    """The playground's program: every line is checked like a lesson program, then run on the
    same variables; a line that is refused runs none of itself."""

    def __init__(self, torch_module: Any = None) -> None:
        self.interpreter = Interpreter("", FILENAME, torch_module)
        self.recorder = Recorder(self.interpreter)
        self.capture = self.recorder.capture
        self.snapshots = self.recorder.snapshots
        self.statement_count = 0

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None

    def run(self, source: str) -> Entry:
        try:
            tree = parse_program(source, FILENAME)
        except Refusal as refusal:
            return Entry(source, refusal=refusal.render(FILENAME))
        statements = {
            id(node): Statement(
                self.statement_count + i,
                node.lineno,
                node.end_lineno or node.lineno,
                ast.unparse(node),
            )
            for i, node in enumerate(tree.body)
        }
        self.statement_count += len(tree.body)
        printed = len(self.interpreter.output.text())
        made: list[Snapshot] = []
        echo = error = refusal = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                echo = self._run_tree(tree, statements, made)
            except Refusal as caught:
                refusal = caught.render(FILENAME)
            except MemoryError:
                refusal = Refusal("the program ran out of memory", self.interpreter.line).render(
                    FILENAME
                )
            except Exception as caught:  # the program's own error, shown as Python's last line
                error = error_line(caught)
        output = self.interpreter.output.text()[printed:]
        return Entry(source, tuple(made), output, echo, error, refusal)

    def _run_tree(
        self, tree: ast.Module, statements: dict[int, Statement], made: list[Snapshot]
    ) -> str | None:
        body = tree.body
        if len(body) == 1 and isinstance(body[0], ast.Expr) and not _is_backward(body[0]):
            with self.interpreter.one_run():  # a lone expression keeps the CPU budget too
                value = self.interpreter.eval(body[0].value)
            made.append(self._snapshot(Step("statement", body[0]), statements))
            return None if value is None else self.capture.variable("_", value).repr
        self.interpreter.tree = tree
        for step in self.interpreter.steps(backward_nodes=True):
            made.append(self._snapshot(step, statements))
        return None

    def _snapshot(self, event: Step, statements: dict[int, Statement]) -> Snapshot:
        return self.recorder.record(event, statements[id(event.statement)])


def _is_backward(statement: ast.Expr) -> bool:
    call = statement.value
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "backward"
    )


class ReplInput(CalmInput):
    """An Input that recalls earlier lines with up and down."""

    BINDINGS = [
        Binding("up", "history(-1)", "Previous line", show=False),
        Binding("down", "history(1)", "Next line", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._position = 0
        self._draft = ""

    def remember(self, line: str) -> None:
        if line.strip() and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._position = len(self.history)
        self._draft = ""

    def action_history(self, direction: int) -> None:
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        position = max(0, min(len(self.history), self._position + direction))
        if position == self._position:
            return
        self._position = position
        self.value = self.history[position] if position < len(self.history) else self._draft
        self.cursor_position = len(self.value)


class Transcript(RichLog):
    """The playground's log. A RichLog wraps each line once, at the width it has when written;
    this one keeps what it was given and wraps it all again whenever the width it can draw in
    changes (a resize, or the scrollbar appearing once the log is taller than its box)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(wrap=True, markup=False, min_width=1, **kwargs)
        self.entries: list[RichText] = []
        self._wrapped_at: int | None = None

    def add(self, text: RichText) -> None:
        self.entries.append(text)
        width = self._width()
        if width is not None and self._wrapped_at not in (None, width):
            self.rewrap()  # the width changed since the last entries were wrapped: all again
            return
        if self._wrapped_at is None:
            self._wrapped_at = width
        self.write(text)

    def _width(self) -> int | None:
        return self.scrollable_content_region.width if self._size_known else None

    def on_resize(self) -> None:
        self.call_after_refresh(self.rewrap)

    def watch_show_vertical_scrollbar(self) -> None:
        self.call_after_refresh(self.rewrap)

    def rewrap(self) -> None:
        """Wrap every entry again at the current width, if that width changed."""
        width = self._width()
        if width is None or width == self._wrapped_at or not self.entries:
            return
        self._wrapped_at = width
        at_end = self.scroll_y >= self.max_scroll_y
        self.clear()
        for text in self.entries:
            self.write(text, scroll_end=at_end)
