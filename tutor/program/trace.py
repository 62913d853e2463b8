"""Provides trace_program: `tutor exec --trace`, each step's statement, new variables and nodes."""

from __future__ import annotations

import warnings
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.runner import Outcome, error_line
from tutor.program.snapshot import GradientFlow, Snapshot
from tutor.program.stepper import Stepper
from tutor.program.tracebacks import program_traceback


def _indent(label: str, text: str) -> list[str]:
    lines = text.splitlines() or [""]
    pad = " " * len(label)
    return [f"#   {label}{lines[0]}"] + [f"#   {pad}{line}" for line in lines[1:]]


def _header(snapshot: Snapshot) -> str:
    first = snapshot.statement.text.splitlines()[0]
    if snapshot.kind == "iteration":
        return f"# line {snapshot.line}: {first}  (iteration {snapshot.iteration})"
    return f"# line {snapshot.line}: {first}"


def _flow_lines(flow: GradientFlow) -> list[str]:
    lines = [f"# backward: {flow.node_name} (node {flow.node_id})"]
    for gradient in flow.arriving:
        lines += _indent("receives ", "None" if gradient is None else gradient.repr)
    for sent in flow.sent:
        where = "nowhere" if sent.node_id is None else f"{sent.node_name} (node {sent.node_id})"
        if sent.variable:
            where += f" for {sent.variable}"
        text = "None" if sent.gradient is None else sent.gradient.repr
        lines += _indent(f"sends to {where}: ", text)
    if flow.variable:
        lines.append(f"#   accumulated into {flow.variable}.grad")
    return lines


def describe(snapshot: Snapshot, printed: str, header: bool = True) -> str:
    """The trace text of one step; `printed` is what the program printed during it. `header`
    False leaves out the statement's line (already shown above its backward nodes)."""
    lines = [_header(snapshot)] if header else []
    if snapshot.backward is not None:
        lines += _flow_lines(snapshot.backward)
    text = "".join(line + "\n" for line in lines) + printed
    body: list[str] = []
    if snapshot.kind != "backward-node":
        for name in snapshot.new_variables:
            body += _indent(f"{name} = ", snapshot.variables[name].repr)
        for node_id in snapshot.new_nodes:
            node = snapshot.graph.nodes.get(node_id)
            if node is not None:
                leaf = f" for {node.variable}" if node.variable else ""
                body.append(f"#   + node {node.id}: {node.name}{leaf}")
    return text + "".join(line + "\n" for line in body)


def trace_program(
    source: str | bytes, filename: str = "<program>", torch_module: Any = None
) -> Outcome:
    parts: list[str] = []
    printed = 0
    headed: int | None = None  # the statement whose backward nodes are being shown
    stepper: Stepper | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            stepper = Stepper(source, filename, torch_module)
            for snapshot in stepper:
                index = snapshot.statement.index
                shown = headed == index and snapshot.kind != "iteration"
                parts.append(describe(snapshot, snapshot.output[printed:], header=not shown))
                printed = len(snapshot.output)
                headed = index if snapshot.kind == "backward-node" else None
        except Refusal as refusal:
            return Outcome("", 2, refusal=refusal.render(filename))
        except MemoryError:
            return Outcome("", 2, refusal=f"tutor: {filename}: the program ran out of memory")
        except Exception as exc:
            if stepper is None:
                return Outcome(
                    "", 2, refusal=f"tutor: {filename}: the engine failed to start: {exc}"
                )
            parts.append(stepper.output[printed:])
            frames = program_traceback(exc, filename, source)
            return Outcome("".join(parts), 1, error=error_line(exc), traceback=frames)
    return Outcome("".join(parts), 0)
