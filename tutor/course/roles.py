"""Provides what a numeric question asks for (its role) and the wrong answers its program's
history predicts: the last backward() alone for an accumulated .grad, an update taken the
wrong way for an updated parameter."""

from __future__ import annotations

import re
from typing import Any, Protocol

import numpy as np

_GRADIENT = re.compile(r"\.grad\b|\bgrad_(?:inputs|outputs)\b|\bautograd\s*\.\s*grad\b")
_GRAD_OF = re.compile(r"\s*([A-Za-z_]\w*)\s*\.\s*grad\s*\Z")
_ROOT = re.compile(r"\s*([A-Za-z_]\w*)")
_BACKWARD = re.compile(r"\.backward\s*\(|\bautograd\s*\.\s*grad\s*\(")


class History(Protocol):
    def history(self, name: str) -> list[tuple[Any, Any]]: ...


def _values(record: Any) -> np.ndarray | None:
    tensor = getattr(record, "tensor", None)
    return None if tensor is None else np.asarray(tensor.values, dtype=np.float64)


def _grad(record: Any) -> np.ndarray | None:
    tensor = getattr(record, "tensor", None)
    grad = None if tensor is None else tensor.grad
    return None if grad is None else np.asarray(grad, dtype=np.float64)


def _differ(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is not b
    return a.shape != b.shape or not np.array_equal(a, b, equal_nan=True)


def _before_last_change(series: list[np.ndarray | None]) -> np.ndarray | None:
    """The value held just before the last change of a series (None if it never changed)."""
    for i in range(len(series) - 1, 0, -1):
        if _differ(series[i], series[i - 1]):
            return series[i - 1]
    return None


def role(kind: str, answer: str, state: History) -> str:
    """`gradient`, `update` or `value` for tensor, number and backward-node questions ('' for
    the other kinds, whose role follows from the kind)."""
    if kind == "backward-node":
        return "gradient"
    if kind not in ("tensor", "number"):
        return ""
    if _GRADIENT.search(answer):
        return "gradient"
    root = _ROOT.match(answer)
    if root is None:
        return "value"
    history = state.history(root.group(1))
    if _made_by_autograd_grad(history):
        return "gradient"
    if _updated(history):
        return "update"
    return "value"


_AUTOGRAD_GRAD = re.compile(r"\bautograd\s*\.\s*grad\s*\(")


def _made_by_autograd_grad(history: list[tuple[Any, Any]]) -> bool:
    """Whether the variable was bound by a statement calling torch.autograd.grad (`(g,) =
    torch.autograd.grad(y, x)`): it holds a gradient though its name has no `.grad`."""
    for snapshot, record in history:
        if record is not None and getattr(record, "tensor", None) is not None:
            return bool(_AUTOGRAD_GRAD.search(snapshot.statement.text))
    return False


def _updated(history: list[tuple[Any, Any]]) -> bool:
    """Whether the variable's values changed after a backward pass had run."""
    baseline: np.ndarray | None = None
    backward_seen = False
    for snapshot, record in history:
        values = _values(record)
        if backward_seen and baseline is None:
            baseline = values
        elif baseline is not None and _differ(values, baseline):
            return values is not None
        if snapshot.kind == "backward-node" or _BACKWARD.search(snapshot.statement.text):
            backward_seen = True
    return False


def predicted(role_: str, answer: str, state: History, value: object) -> dict[str, object]:
    """Wrong answers the program's history predicts, by misconception id: for `x.grad` the
    forward value of x and, after several backward() calls, the last one's share alone; for
    an updated parameter, the update taken the other way."""
    found: dict[str, object] = {}
    value = np.asarray(value, dtype=np.float64)
    grad_of = _GRAD_OF.match(answer)
    if role_ == "gradient" and grad_of is not None:
        history = state.history(grad_of.group(1))
        forward = _values(history[-1][1]) if history else None
        if forward is not None and forward.shape == value.shape:
            found["forward-value"] = forward
        series = [_grad(record) for _, record in history]
        before = _before_last_change(series)
        if before is not None and before.shape == value.shape and np.any(before != 0):
            found["grad-not-accumulated"] = value - before
    root = _ROOT.match(answer)
    if role_ == "update" and root is not None and root.end() == len(answer.rstrip()):
        series = [_values(record) for _, record in state.history(root.group(1))]
        before = _before_last_change(series)
        if before is not None and before.shape == value.shape:
            found["update-direction"] = 2 * before - value
    return found
