"""Provides Capture: turns live tensors, nodes and variables into frozen snapshot records."""

from __future__ import annotations

import warnings
from types import MappingProxyType
from typing import Any

import numpy

from tutor.program.control import ProgramCode
from tutor.program.errors import Refusal
from tutor.program.pytypes import check_printable
from tutor.program.snapshot import (
    GradientFlow,
    GradientSent,
    GraphRecord,
    NodeRecord,
    TensorRecord,
    VariableRecord,
)
from tutor.program.values import Engine

_MAX_REPR = 10_000
_MAX_DEPTH = 20


def node_name(node: Any) -> str:
    """The name a node's repr shows: `<AddBackward0 object at 0x…>` → AddBackward0."""
    text = repr(node)
    return text[1:].split(" object at")[0] if text.startswith("<") else type(node).__name__


def _readonly(array: Any) -> numpy.ndarray:
    copy = numpy.array(array, copy=True)
    copy.setflags(write=False)
    return copy


def _safe_repr(value: object) -> str:
    try:
        check_printable(value)
        text = repr(value)
    except (RecursionError, Refusal):
        return "<too large to show>"
    except ProgramCode:  # its repr is the program's own method: shown as Python's default
        return object.__repr__(value)
    return text if len(text) <= _MAX_REPR else text[:_MAX_REPR] + "…"


class Capture:
    """Keeps the objects seen so far (so their ids are stable) and records them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.node_ids: dict[int, tuple[Any, int]] = {}
        self.tensors_seen: dict[int, Any] = {}

    def node_id(self, node: Any) -> int:
        entry = self.node_ids.get(id(node))
        if entry is None:
            entry = (node, len(self.node_ids) + 1)
            self.node_ids[id(node)] = entry
        return entry[1]

    def values_of(self, tensor: Any) -> numpy.ndarray:
        data = getattr(tensor, "_data", None)
        if isinstance(data, numpy.ndarray):
            return _readonly(data)
        return _readonly(tensor.detach().numpy())

    def tensor(self, tensor: Any) -> TensorRecord:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grad = tensor.grad
        grad_fn = tensor.grad_fn
        return TensorRecord(
            repr=repr(tensor),
            values=self.values_of(tensor),
            shape=tuple(tensor.shape),
            dtype=str(tensor.dtype),
            requires_grad=bool(tensor.requires_grad),
            is_leaf=bool(tensor.is_leaf),
            grad_fn=None if grad_fn is None else node_name(grad_fn),
            grad_fn_id=None if grad_fn is None else self.node_id(grad_fn),
            grad=None if grad is None else self.values_of(grad),
            grad_repr=None if grad is None else repr(grad),
        )

    def variables(self, variables: dict[str, Any]) -> MappingProxyType[str, VariableRecord]:
        records = {name: self.variable(name, value) for name, value in variables.items()}
        return MappingProxyType(records)

    def variable(self, name: str, value: Any) -> VariableRecord:
        kind = type(value).__name__
        if self.engine.is_tensor(value):
            return VariableRecord(name, repr(value), kind, tensor=self.tensor(value))
        if self.engine.is_node(value):
            return VariableRecord(name, repr(value), kind, node_id=self.node_id(value))
        return VariableRecord(name, _safe_repr(value), kind, value=self.freeze(value, 0))

    def freeze(self, value: Any, depth: int) -> object:
        """A copy of plain data nobody else holds; None for anything else."""
        if value is None or isinstance(value, bool | int | float | complex | str):
            return value
        if isinstance(value, numpy.ndarray | numpy.generic):
            return _readonly(value)
        if isinstance(value, self.engine.dtype_type):
            return str(value)
        if isinstance(value, list | tuple) and depth < _MAX_DEPTH:
            items = tuple(self.freeze(item, depth + 1) for item in value)
            if all(item is not None or raw is None for item, raw in zip(items, value, strict=True)):
                return items
        return None

    def graph(self, variables: dict[str, Any]) -> GraphRecord:
        """Every node reachable from the variables' tensors and nodes, walked without recursion."""
        names = {id(v): n for n, v in variables.items() if self.engine.is_tensor(v)}
        pending = [
            v.grad_fn if self.engine.is_tensor(v) else v
            for v in variables.values()
            if self.engine.is_tensor(v) or self.engine.is_node(v)
        ]
        records: dict[int, NodeRecord] = {}
        while pending:
            node = pending.pop()
            if node is None or self.node_id(node) in records:
                continue
            edges = tuple(node.next_functions)
            leaf = getattr(node, "variable", None) if "AccumulateGrad" in node_name(node) else None
            records[self.node_id(node)] = NodeRecord(
                id=self.node_id(node),
                name=node_name(node),
                qualified_name=node.name(),
                next=tuple((None if n is None else self.node_id(n), i) for n, i in edges),
                variable=None if leaf is None else names.get(id(leaf)),
            )
            pending.extend(n for n, _ in edges if n is not None)
        return GraphRecord(MappingProxyType(dict(sorted(records.items()))))

    def flow(self, step: Any, variables: dict[str, Any]) -> GradientFlow:
        """The record of one engine BackwardStep(node, grad_outputs, grad_inputs)."""
        names = {id(v): n for n, v in variables.items() if self.engine.is_tensor(v)}
        node = step.node
        leaf = getattr(node, "variable", None) if "AccumulateGrad" in node_name(node) else None
        sent = []
        for (target, _), gradient in zip(node.next_functions, step.grad_inputs, strict=False):
            target_leaf = getattr(target, "variable", None) if target is not None else None
            sent.append(
                GradientSent(
                    gradient=None if gradient is None else self.tensor(gradient),
                    node_id=None if target is None else self.node_id(target),
                    node_name=None if target is None else node_name(target),
                    variable=None if target_leaf is None else names.get(id(target_leaf)),
                )
            )
        return GradientFlow(
            node_id=self.node_id(node),
            node_name=node_name(node),
            arriving=tuple(None if g is None else self.tensor(g) for g in step.grad_outputs),
            sent=tuple(sent),
            variable=None if leaf is None else names.get(id(leaf)),
        )
