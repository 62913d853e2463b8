"""Provides GraphView: the autograd graph drawn as a tree from the output down to the leaves.

A node reached twice (x feeding both x+2 and x−2) is drawn in full once and referred to after.
During a stepped backward the current node is highlighted and each node shows the gradient
that reached it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from rich.text import Text as RichText
from textual.widgets import Static

from tutor.program.snapshot import GraphRecord, Snapshot

MAX_VALUE_CHARS = 28


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


def labels_of(snapshot: Snapshot) -> tuple[dict[int, str], dict[int, str]]:
    """For each node id: the variable(s) it produced, and their forward values."""
    names: dict[int, list[str]] = {}
    values: dict[int, str] = {}
    for variable in snapshot.variables.values():
        tensor = variable.tensor
        if tensor is not None and tensor.grad_fn_id is not None:
            names.setdefault(tensor.grad_fn_id, []).append(variable.name)
            values.setdefault(tensor.grad_fn_id, compact(tensor.values))
    for node in snapshot.graph.nodes.values():
        if node.variable is not None:
            names.setdefault(node.id, []).append(node.variable)
            leaf = snapshot.variables.get(node.variable)
            if leaf is not None and leaf.tensor is not None:
                values.setdefault(node.id, compact(leaf.tensor.values))
    return {k: ", ".join(v) for k, v in names.items()}, values


def draw_graph(
    graph: GraphRecord,
    names: Mapping[int, str],
    values: Mapping[int, str],
    *,
    current: int | None = None,
    arrived: Mapping[int, str] | None = None,
) -> RichText:
    arrived = arrived or {}
    targets = {t for node in graph.nodes.values() for t, _ in node.next if t is not None}
    roots = [node_id for node_id in graph.nodes if node_id not in targets]
    out = RichText()
    drawn: set[int] = set()
    stack: list[tuple[int | None, str, str, bool]] = [
        (root, "", "", False) for root in reversed(roots)
    ]
    while stack:
        node_id, prefix, branch, last = stack.pop()
        out.append(prefix + branch, style="dim")
        if node_id is None:
            out.append("None\n", style="dim italic")
            continue
        node = graph.nodes[node_id]
        style = "bold reverse" if node_id == current else "bold"
        if node_id in drawn:
            out.append(f"↑ {node.name}", style="dim")
            if names.get(node_id):
                out.append(f" ({names[node_id]})", style="dim")
            out.append("\n")
            continue
        drawn.add(node_id)
        out.append(node.name, style=style)
        if names.get(node_id):
            out.append(f"  {names[node_id]}", style="cyan")
        if values.get(node_id):
            out.append(f" = {values[node_id]}", style="")
        if node_id in arrived:
            out.append(f"  ∂ {arrived[node_id]}", style="green")
        out.append("\n")
        children = list(node.next)
        child_prefix = prefix + ("" if not branch else ("   " if last else "│  "))
        for i in reversed(range(len(children))):
            target, _ = children[i]
            is_last = i == len(children) - 1
            stack.append((target, child_prefix, "└─ " if is_last else "├─ ", is_last))
    out.rstrip()
    return out


class GraphView(Static):
    """The computation graph panel."""

    def show(
        self,
        snapshot: Snapshot | None,
        *,
        arrived: Mapping[int, str] | None = None,
        empty: str = "",
    ) -> None:
        if snapshot is None or not snapshot.graph.nodes:
            self.update(RichText(empty, style="dim"))
            return
        names, values = labels_of(snapshot)
        current = snapshot.backward.node_id if snapshot.backward is not None else None
        self.update(draw_graph(snapshot.graph, names, values, current=current, arrived=arrived))
