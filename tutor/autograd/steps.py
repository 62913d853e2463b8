"""Provides `backward_steps`: the backward pass executed lazily, one node at a time, for the
tutor's screens (the same order, hooks and gradients as `engine.execute`)."""

from __future__ import annotations

from collections.abc import Iterator
from heapq import heappop, heappush

import numpy as np

from .engine import _hooked, _leaf, _route, root_of, space, validate
from .grad_mode import GRAD_MODE
from .node import AccumulateGrad, Node
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
    tensor: TensorCore,
    gradient: object = None,
    retain_graph: bool = False,
    create_graph: bool = False,
    inputs=None,
) -> Iterator[BackwardStep]:
    """The backward pass, executed lazily one node at a time; argument errors raise at once."""
    root = root_of(tensor, gradient)
    return _steps(root, bool(retain_graph))


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


def _copy(g) -> TensorCore | None:
    if g is None:
        return None
    return result(np.array(g))


def _steps(root_edge: tuple, retain_graph: bool) -> Iterator[BackwardStep]:
    (root, nr), grad = root_edge
    xp = space(False, [grad])
    deps = _dependencies(root)
    heap = [(-root._seq, id(root), root)]
    buffers: dict = {}
    _route(buffers, root, nr, grad)
    del grad
    while heap:
        fn = heappop(heap)[2]
        before = GRAD_MODE.enabled
        GRAD_MODE.enabled = False
        try:
            if fn.__class__ is AccumulateGrad:
                g = buffers.pop(fn, None)
                arrived = () if g is None else (_copy(g),)
                _leaf(fn, g, False, None, {}, None)
                yield_step = BackwardStep(fn, arrived, ())
            else:
                g = buffers.pop(fn, None)
                if g is not None and fn._owner is not None and fn.outputs == 1:
                    g = _hooked(fn._owner, g, False)
                if g is None:
                    arrived: tuple = ()
                    outs: tuple = (None,) * len(fn.next_functions)
                else:
                    arrived = tuple(_copy(x) for x in g) if fn.outputs > 1 else (_copy(g),)
                    fn.check_saved()
                    outs = validate(fn, fn.backward(xp, g), xp)
                if not retain_graph:
                    fn._saved = None
                sent = tuple(_copy(go) for go in outs)
                for (nxt, out_nr), go in zip(fn.next_functions, outs, strict=False):
                    if nxt is None:
                        continue
                    if go is not None:
                        _route(buffers, nxt, out_nr, go)
                    count = deps[nxt] - 1
                    deps[nxt] = count
                    if count == 0:
                        heappush(heap, (-nxt._seq, id(nxt), nxt))
                yield_step = BackwardStep(fn, arrived, sent)
        finally:
            GRAD_MODE.enabled = before
        yield yield_step
