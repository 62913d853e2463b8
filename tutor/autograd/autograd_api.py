"""Provides `torch.autograd`: grad, backward, Function (a learner's own forward and backward),
the grad-mode switches and the graph's Node type."""

from __future__ import annotations

from .engine import gradients as grad
from .engine import run_backward as backward
from .function import Function, FunctionCtx
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .node import Node
from .tensor import Variable


class _Graph:
    """`torch.autograd.graph`: the Node type."""

    Node = Node


graph = _Graph()

__all__ = [
    "Function",
    "FunctionCtx",
    "Node",
    "Variable",
    "backward",
    "enable_grad",
    "grad",
    "graph",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
