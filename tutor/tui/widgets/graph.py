"""Provides GraphView: the autograd graph drawn as a tree from the output down to the leaves.

A node reached twice (x feeding both x+2 and x−2) is drawn in full once and referred to after.
During a stepped backward the current node is highlighted and each node shows the gradient
that has reached it so far. A long label wraps under itself, the tree's lines running on
beside it. What an open question asks (a node's name, a variable's value, a gradient sent)
is drawn as `?`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from rich.text import Text as RichText
from textual.geometry import Size
from textual.widget import Widget

from tutor.program.snapshot import GraphRecord, Snapshot
from tutor.text import Text
from tutor.tui.widgets.veil import HIDDEN, NO_VEIL, Veil
from tutor.tui.widgets.wrap import Row, wrap_rows

MAX_VALUE_CHARS = 28
NO_GRADIENT = Text("(an input that needs no gradient)", "(기울기가 필요 없는 입력)")


def compact(values: np.ndarray) -> str:
    """Tensor values on one short line: [[3, 4], [5, 6]]."""
    text = _nested(np.asarray(values).tolist())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _nested(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def labels_of(snapshot: Snapshot, veil: Veil = NO_VEIL) -> tuple[dict[int, str], dict[int, str]]:
    """For each node id: the variable(s) it produced, and their forward values (`?` for a
    variable whose value an open question asks)."""
    names: dict[int, list[str]] = {}
    values: dict[int, str] = {}
    hidden = veil.asked.values

    def value_of(name: str, tensor_values: np.ndarray) -> str:
        return HIDDEN if name in hidden else compact(tensor_values)

    for variable in snapshot.variables.values():
        tensor = variable.tensor
        if tensor is not None and tensor.grad_fn_id is not None:
            names.setdefault(tensor.grad_fn_id, []).append(variable.name)
            values.setdefault(tensor.grad_fn_id, value_of(variable.name, tensor.values))
            if variable.name in hidden:
                values[tensor.grad_fn_id] = HIDDEN
    for node in snapshot.graph.nodes.values():
        if node.variable is not None:
            names.setdefault(node.id, []).append(node.variable)
            leaf = snapshot.variables.get(node.variable)
            if leaf is not None and leaf.tensor is not None:
                values.setdefault(node.id, value_of(node.variable, leaf.tensor.values))
    return {k: ", ".join(v) for k, v in names.items()}, values


def arrivals(snapshots: Sequence[Snapshot], index: int, veil: Veil = NO_VEIL) -> dict[int, str]:
    """The gradient that has reached each node so far in the backward that snapshot `index`
    is inside: what arrived at each node that ran, and for a node still waiting, the sum of
    what was sent to it (the current node's own sends included). `?` where an open question
    asks for a gradient the current node sends or receives."""
    snapshot = snapshots[index]
    if snapshot.backward is None:
        return {}
    ran: dict[int, np.ndarray] = {}
    waiting: dict[int, np.ndarray] = {}
    hidden: set[int] = set()
    for earlier in snapshots[: index + 1]:
        flow = earlier.backward
        if flow is None or earlier.statement.index != snapshot.statement.index:
            continue
        if flow.arriving and flow.arriving[0] is not None:
            ran[flow.node_id] = np.asarray(flow.arriving[0].values)
        for number, sent in enumerate(flow.sent):
            if sent.node_id is None or sent.gradient is None:
                continue
            if earlier.index == index and number in veil.asked.sends:
                hidden.add(sent.node_id)
            values = np.asarray(sent.gradient.values)
            before = waiting.get(sent.node_id)
            if before is not None and before.shape == values.shape:
                values = before + values
            waiting[sent.node_id] = values
    shown = {node: compact(values) for node, values in waiting.items()}
    shown.update({node: compact(values) for node, values in ran.items()})
    for node in hidden:
        shown[node] = HIDDEN
    for node in snapshot.graph.nodes.values():
        if node.variable in veil.asked.grads and node.id in shown:
            shown[node.id] = HIDDEN
    if veil.asked.arriving:
        shown[snapshot.backward.node_id] = HIDDEN
    return shown


def graph_rows(
    graph: GraphRecord,
    names: Mapping[int, str],
    values: Mapping[int, str],
    *,
    current: int | None = None,
    arrived: Mapping[int, str] | None = None,
    veil: Veil = NO_VEIL,
    lang: str = "en",
) -> list[Row]:
    """The tree as rows of (branches, label, branches for the label's continuation lines)."""
    arrived = arrived or {}
    targets = {t for node in graph.nodes.values() for t, _ in node.next if t is not None}
    roots = [node_id for node_id in graph.nodes if node_id not in targets]
    rows: list[Row] = []
    drawn: set[int] = set()
    stack: list[tuple[int | None, str, str, bool]] = [
        (root, "", "", False) for root in reversed(roots)
    ]
    while stack:
        node_id, prefix, branch, last = stack.pop()
        child_prefix = prefix + ("" if not branch else ("   " if last else "│  "))
        lead = RichText(prefix + branch, style="dim")
        label = RichText()
        if node_id is None:
            label.append("None ", style="dim italic")
            label.append(NO_GRADIENT.get(lang), style="dim")
            rows.append((lead, label, RichText(child_prefix + "   ", style="dim")))
            continue
        node = graph.nodes[node_id]
        name = veil.name(node.name)
        if node_id in drawn:
            label.append(f"↑ {name}", style="dim")
            if names.get(node_id):
                label.append(f" ({names[node_id]})", style="dim")
            rows.append((lead, label, RichText(child_prefix + "   ", style="dim")))
            continue
        drawn.add(node_id)
        label.append(name, style="bold reverse" if node_id == current else "bold")
        if names.get(node_id):
            label.append(f"  {names[node_id]}", style="cyan")
        if values.get(node_id):
            label.append(f" = {values[node_id]}")
        if node_id in arrived:
            label.append(f"  ∂ {arrived[node_id]}", style="green")
        children = list(node.next)
        below = "│  " if children else "   "
        rows.append((lead, label, RichText(child_prefix + below, style="dim")))
        for i in reversed(range(len(children))):
            target, _ = children[i]
            is_last = i == len(children) - 1
            stack.append((target, child_prefix, "└─ " if is_last else "├─ ", is_last))
    return rows


class GraphView(Widget):
    """The computation graph panel."""

    DEFAULT_CSS = """
    GraphView {
        height: auto;
    }
    """

    rows: list[Row] = []
    empty: str = ""

    def show(
        self,
        snapshot: Snapshot | None,
        *,
        arrived: Mapping[int, str] | None = None,
        empty: str = "",
        veil: Veil = NO_VEIL,
        lang: str = "en",
    ) -> None:
        self.empty = empty
        if snapshot is None or not snapshot.graph.nodes:
            self.rows = []
        else:
            names, values = labels_of(snapshot, veil)
            current = snapshot.backward.node_id if snapshot.backward is not None else None
            self.rows = graph_rows(
                snapshot.graph,
                names,
                values,
                current=current,
                arrived=arrived,
                veil=veil,
                lang=lang,
            )
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[RichText]:
        if not self.rows:
            return [RichText(self.empty, style="dim")]
        return wrap_rows(self.app.console, self.rows, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> RichText:
        return RichText("\n").join(self._lines(self.size.width))

    @property
    def plain(self) -> str:
        """What the panel shows, as plain text at its width."""
        return "\n".join(line.plain for line in self._lines(self.size.width or 80))
