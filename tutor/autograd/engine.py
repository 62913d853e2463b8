"""Provides the backward pass: an iterative walk of the graph in PyTorch's order."""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from . import errors
from .node import ONE, RETAINS, AccumulateGrad, Node
from .tensor_core import TensorCore

# The dict behind RETAINS: a cheap emptiness test for the loop.
RETAINING = RETAINS.data
_SEQUENCE_NUMBER = attrgetter("_seq")


def root_of(tensor: TensorCore, gradient: object) -> tuple[Node, np.ndarray]:
    """The first node and the gradient it receives; raises PyTorch's argument errors."""
    if not tensor._requires_grad:
        raise RuntimeError(errors.NO_GRAD_FN)
    data = tensor._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(errors.IMPLICIT_GRAD)
        grad = ONE[data.dtype] if data.ndim == 0 else np.ones(data.shape, dtype=data.dtype)
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


def retain(fn: Node, grad: np.ndarray) -> None:
    """Stores `grad` in the `.grad` of the tensor that called retain_grad() and `fn` produced."""
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
    for fn in order:  # visits the nodes appended while it runs: a breadth-first walk
        for nxt, _ in fn.next_functions:
            if nxt is None:
                continue
            if nxt.__class__ is AccumulateGrad:
                if nxt in leaf_deps:
                    leaf_deps[nxt] += 1
                else:
                    leaf_deps[nxt] = 1
            elif nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    if len(order) > 1:
        order.sort(key=_SEQUENCE_NUMBER, reverse=True)
    return order, leaf_deps


def run_backward(tensor: TensorCore, gradient: object = None, retain_graph: bool = False) -> None:
    """`tensor.backward(gradient, retain_graph)`: the tight loop behind `backward_steps`."""
    root, grad = root_of(tensor, gradient)
    if root.__class__ is AccumulateGrad:
        root.apply(grad)
        return
    order, leaf_deps = _plan(root)
    buffers = {root: grad}
    grad = None
    take = buffers.pop
    for fn in order:
        g = take(fn, None)
        if g is None:
            outs = (None,) * len(fn.next_functions)
        else:
            if RETAINING:
                retain(fn, g)
            outs = fn.apply(g)
            g = None
        if not retain_graph:
            fn._saved = None
        ready = None
        i = 0
        for nxt, _ in fn.next_functions:
            go = outs[i]
            i += 1
            if nxt is None:
                continue
            if go is not None:
                buffers[nxt] = buffers[nxt] + go if nxt in buffers else go
            if nxt in leaf_deps:
                count = leaf_deps[nxt]
                if count != 1:
                    leaf_deps[nxt] = count - 1
                elif ready is None:
                    ready = [nxt]
                else:
                    ready.append(nxt)
        outs = go = None
        if ready is not None:
            # Run after dropping our references, so a gradient nobody shares can be kept.
            for acc in ready:
                leaf_grad = take(acc, None)
                if leaf_grad is not None:
                    acc.apply(leaf_grad)
                leaf_grad = None
