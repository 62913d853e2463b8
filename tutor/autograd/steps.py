"""Provides `backward_steps`: the backward pass executed lazily, one node at a time."""

from __future__ import annotations

from collections.abc import Iterator
from heapq import heappop, heappush

import numpy as np

from .engine import RETAINING, retain, root_of
from .node import Node
from .tensor_core import TensorCore, result


class BackwardStep:
    """One node executed during backward.

    `grad_outputs` arrived at `node`; `grad_inputs[i]` was sent to `node.next_functions[i]`
    (None where nothing flows). For AccumulateGrad `grad_inputs` is `()` and the leaf's
    `.grad` is already updated.
    """

    __slots__ = ("node", "grad_outputs", "grad_inputs")

    def __init__(self, node: Node, grad_outputs: tuple, grad_inputs: tuple) -> None:
        set_field = object.__setattr__
        set_field(self, "node", node)
        set_field(self, "grad_outputs", grad_outputs)
        set_field(self, "grad_inputs", grad_inputs)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not BackwardStep:
            return NotImplemented
        return (self.node, self.grad_outputs, self.grad_inputs) == (
            other.node,  # type: ignore[attr-defined]
            other.grad_outputs,  # type: ignore[attr-defined]
            other.grad_inputs,  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((self.node, self.grad_outputs, self.grad_inputs))

    def __repr__(self) -> str:
        return (
            f"BackwardStep(node={self.node!r}, grad_outputs={self.grad_outputs!r}, "
            f"grad_inputs={self.grad_inputs!r})"
        )


def backward_steps(
    tensor: TensorCore, gradient: object = None, retain_graph: bool = False
) -> Iterator[BackwardStep]:
    """The backward pass, executed lazily one node at a time; argument errors raise at once."""
    root, grad = root_of(tensor, gradient)
    return _steps(type(tensor), root, grad, retain_graph)


def _dependencies(root: Node) -> dict[Node, int]:
    """How many edges lead into each node reachable from `root` (an iterative walk)."""
    deps = {root: 0}
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        for nxt, _ in pop().next_functions:
            if nxt is not None:
                count = deps.get(nxt)
                if count is None:
                    deps[nxt] = 1
                    push(nxt)
                else:
                    deps[nxt] = count + 1
    return deps


def _steps(cls: type, root: Node, grad: np.ndarray, retain_graph: bool) -> Iterator[BackwardStep]:
    deps = _dependencies(root)
    heap = [(-root._seq, root)]
    buffers = {root: grad}
    del grad
    while heap:
        fn = heappop(heap)[1]
        g = buffers.pop(fn, None)
        if g is None:
            arrived: tuple = ()
            outs: tuple = (None,) * len(fn.next_functions)
        else:
            arrived = (result(cls, g, None),)
            if RETAINING:
                retain(fn, g)
            outs = fn.apply(g)
        if not retain_graph:
            fn._saved = None
        sent = tuple(None if go is None else result(cls, go.copy(), None) for go in outs)
        for (nxt, _), go in zip(fn.next_functions, outs, strict=False):
            if nxt is None:
                continue
            if go is not None:
                held = buffers.get(nxt)
                buffers[nxt] = go if held is None else held + go
            count = deps[nxt] - 1
            deps[nxt] = count
            if count == 0:
                heappush(heap, (-nxt._seq, nxt))
        yield BackwardStep(fn, arrived, sent)
