"""Provides Snapshot and its records: what a program's state was after one step, frozen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy


@dataclass(frozen=True)
class TensorRecord:
    """One tensor as of a step: its PyTorch text, a read-only copy of its values, its grad."""

    repr: str
    values: numpy.ndarray
    shape: tuple[int, ...]
    dtype: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None = None
    grad_fn_id: int | None = None
    grad: numpy.ndarray | None = None
    grad_repr: str | None = None


@dataclass(frozen=True)
class VariableRecord:
    """A program variable as of a step.

    `value` is a frozen copy of plain Python data (numbers, strings; lists become tuples)
    and None for anything else; `tensor` and `node_id` describe tensors and graph nodes.
    """

    name: str
    repr: str
    type: str
    tensor: TensorRecord | None = None
    node_id: int | None = None
    value: object = None


@dataclass(frozen=True)
class NodeRecord:
    """A graph node: a stable id, its name as its repr shows it, and where its gradients go.

    `next` pairs each input with the receiving node's id (None for an input that needs no
    gradient) and the input number; `variable` names the leaf an AccumulateGrad feeds.
    """

    id: int
    name: str
    qualified_name: str
    next: tuple[tuple[int | None, int], ...]
    variable: str | None = None


@dataclass(frozen=True)
class GraphRecord:
    """The autograd graph reachable from the program's variables, as of a step."""

    nodes: Mapping[int, NodeRecord] = field(default_factory=dict)

    def edges(self) -> tuple[tuple[int, int, int], ...]:
        """(from node, to node, input number) for every edge between recorded nodes."""
        return tuple(
            (node.id, target, number)
            for node in self.nodes.values()
            for target, number in node.next
            if target is not None
        )

    def named(self, name: str) -> tuple[NodeRecord, ...]:
        return tuple(node for node in self.nodes.values() if node.name == name)


@dataclass(frozen=True)
class GradientSent:
    """One gradient a backward node passed on, and who received it."""

    gradient: TensorRecord | None
    node_id: int | None
    node_name: str | None
    variable: str | None


@dataclass(frozen=True)
class GradientFlow:
    """One backward-node step: the gradient(s) arriving at the node and those it sends on.

    For an AccumulateGrad node nothing is sent: `variable` names the leaf whose .grad it
    updated (visible in the snapshot's variables).
    """

    node_id: int
    node_name: str
    arriving: tuple[TensorRecord | None, ...]
    sent: tuple[GradientSent, ...]
    variable: str | None = None


@dataclass(frozen=True)
class Statement:
    """A top-level statement: where it is and its text as `ast.unparse` normalises it."""

    index: int
    line: int
    end_line: int
    text: str


@dataclass(frozen=True)
class Snapshot:
    """The program's state after one step.

    kind: "statement" (a top-level statement finished), "iteration" (one iteration of a
    top-level loop finished) or "backward-node" (one node of a top-level backward() ran).
    """

    index: int
    kind: str
    statement: Statement
    output: str
    variables: Mapping[str, VariableRecord]
    graph: GraphRecord
    new_variables: tuple[str, ...] = ()
    new_tensors: tuple[str, ...] = ()
    new_nodes: tuple[int, ...] = ()
    iteration: int | None = None
    backward: GradientFlow | None = None

    @property
    def line(self) -> int:
        return self.statement.line

    @property
    def end_line(self) -> int:
        return self.statement.end_line
