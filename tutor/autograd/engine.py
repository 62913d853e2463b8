"""Provides the backward pass: an iterative walk of the graph in PyTorch's order, node by node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from heapq import heappop, heappush
from operator import attrgetter

import numpy as np

from . import errors
from .node import RETAINS, AccumulateGrad, Node
from .tensor_core import TensorCore, result


def _read_only_one(dtype: type) -> np.ndarray:
    one = np.ones((), dtype=dtype)
    one.flags.writeable = False
    return one


_ONE = {np.dtype(t): _read_only_one(t) for t in (np.float32, np.float64)}


# The dict behind RETAINS: a cheap emptiness test for the loop.
_RETAINING = RETAINS.data
_SEQUENCE_NUMBER = attrgetter("_seq")


@dataclass(frozen=True)
class BackwardStep:
    """One node executed during backward.

    `grad_outputs` arrived at `node`; `grad_inputs[i]` was sent to `node.next_functions[i]`
    (None where nothing flows). For AccumulateGrad `grad_inputs` is `()` and the leaf's
    `.grad` is already updated.
    """

    node: Node
    grad_outputs: tuple
    grad_inputs: tuple


def _root(tensor: TensorCore, gradient: object) -> tuple[Node, np.ndarray]:
    """The first node and the gradient it receives; raises PyTorch's argument errors."""
    if not tensor._requires_grad:
        raise RuntimeError(errors.NO_GRAD_FN)
    data = tensor._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(errors.IMPLICIT_GRAD)
        grad = _ONE[data.dtype] if data.ndim == 0 else np.ones(data.shape, dtype=data.dtype)
    else:
        if not isinstance(gradient, TensorCore):
            raise TypeError(
                "backward(): argument 'gradient' must be Tensor, not " + type(gradient).__name__
            )
        grad = gradient._data
        if grad.shape != data.shape:
            raise RuntimeError(errors.grad_shape_mismatch(grad.shape, data.shape))
        if grad.dtype is not data.dtype:
            grad = grad.astype(data.dtype)
    return tensor._edge[0], grad


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


def _retain(fn: Node, grad: np.ndarray) -> None:
    tensor = RETAINS.get(fn)
    if tensor is None:
        return
    if tensor.grad is None:
        tensor.grad = tensor._grad_tensor(grad.copy())
    else:
        tensor.grad = tensor._grad_tensor(tensor.grad._data + grad)


def _plan(root: Node) -> tuple[list[Node], dict[Node, int]]:
    """The inner nodes in execution order, and how many edges lead into each AccumulateGrad.

    A node is created after every node it takes input from, so running the inner nodes by
    descending sequence number is PyTorch's order; an AccumulateGrad runs once it is ready.
    """
    leaf_deps: dict[Node, int] = {}
    order = [root]
    seen = {root}
    stack = [root]
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt.__class__ is AccumulateGrad:
                leaf_deps[nxt] = leaf_deps.get(nxt, 0) + 1
            elif nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
                stack.append(nxt)
    order.sort(key=_SEQUENCE_NUMBER, reverse=True)
    return order, leaf_deps


def run_backward(tensor: TensorCore, gradient: object = None, retain_graph: bool = False) -> None:
    """`tensor.backward(gradient, retain_graph)`: the tight loop behind `backward_steps`."""
    root, grad = _root(tensor, gradient)
    if root.__class__ is AccumulateGrad:
        root.apply(grad)
        return
    order, leaf_deps = _plan(root)
    buffers = {root: grad}
    grad = None
    for fn in order:
        g = buffers.pop(fn, None)
        if g is None:
            outs = (None,) * len(fn.next_functions)
        else:
            if _RETAINING:
                _retain(fn, g)
            outs = fn.apply(g)
        g = None
        if not retain_graph:
            fn._saved = None
        ready = None
        for (nxt, _), go in zip(fn.next_functions, outs, strict=False):
            if nxt is None:
                continue
            if go is not None:
                held = buffers.get(nxt)
                buffers[nxt] = go if held is None else held + go
            count = leaf_deps.get(nxt)
            if count is not None:
                if count == 1:
                    ready = [nxt] if ready is None else [*ready, nxt]
                else:
                    leaf_deps[nxt] = count - 1
        outs = go = held = None
        if ready is not None:
            # Run after dropping our references, so a gradient nobody shares can be kept.
            for acc in ready:
                leaf_grad = buffers.pop(acc, None)
                if leaf_grad is not None:
                    acc.apply(leaf_grad)
                leaf_grad = None


def backward_steps(
    tensor: TensorCore, gradient: object = None, retain_graph: bool = False
) -> Iterator[BackwardStep]:
    """The backward pass, executed lazily one node at a time; argument errors raise at once."""
    root, grad = _root(tensor, gradient)
    return _steps(type(tensor), root, grad, retain_graph)


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
            if _RETAINING:
                _retain(fn, g)
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
