"""Provides the backward pass: `run_backward` (tensor.backward, autograd.backward) and
`gradients` (autograd.grad) walk the graph iteratively in PyTorch's order — nodes by descending
sequence number, a leaf's AccumulateGrad as soon as every gradient for it has arrived — running
tensor hooks and retain_grad, mapping each gradient back to its input (summed over broadcast
dimensions, cast to its dtype) and, with create_graph, recording the pass itself."""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from . import errors
from .dtypes import OBJECT_DTYPE
from .grad_mode import GRAD_MODE
from .lifting import LIFTING
from .node import ONE, AccumulateGrad, Node
from .tensor_core import TensorCore, edge, result
from .xp_numeric import NUMERIC

_SEQUENCE_NUMBER = attrgetter("_seq")
CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak. "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)"
)


def space(create_graph: bool, grads: list) -> object:
    if create_graph:
        from .xp_graph import graph

        return graph()
    for g in grads:
        if isinstance(g, np.ndarray) and g.dtype == OBJECT_DTYPE:
            return LIFTING.space
    return NUMERIC


def root_of(tensor: TensorCore, gradient: object, index: int = 0, create_graph: bool = False):
    """The first edge and the gradient it receives; raises PyTorch's argument errors."""
    e = edge(tensor)
    if e[0] is None:
        raise RuntimeError(errors.NO_GRAD_FN.replace("element 0", f"element {index}"))
    data = tensor._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(errors.IMPLICIT_GRAD)
        if data.dtype == OBJECT_DTYPE:
            grad = np.ones(data.shape, dtype=object)
        else:
            grad = ONE[data.dtype] if data.ndim == 0 else np.ones(data.shape, dtype=data.dtype)
        return e, (result(grad) if create_graph else grad)
    if not isinstance(gradient, TensorCore):
        raise TypeError(
            "backward(): argument 'gradient' must be Tensor, not " + type(gradient).__name__
        )
    grad = gradient._data
    if grad.shape != data.shape:
        raise RuntimeError(
            errors.grad_shape_mismatch(grad.shape, data.shape)
            .replace("grad_output[0]", f"grad_output[{index}]")
            .replace("output[0]", f"output[{index}]")
        )
    if create_graph:
        return e, gradient if grad.dtype is data.dtype else gradient.to(tensor.dtype)
    if grad.dtype is not data.dtype and data.dtype != OBJECT_DTYPE:
        grad = grad.astype(data.dtype)
    return e, grad


def validate(fn: Node, outs: tuple, xp) -> tuple:
    """Each gradient mapped back to its input's shape and dtype (PyTorch's validate_outputs)."""
    meta = fn._meta
    if meta is None:
        return outs
    fixed = list(outs)
    for i, m in enumerate(meta):
        g = fixed[i]
        if m is None or g is None:
            continue
        shape, dtype = m
        if _shape(g) != shape:
            g = xp.sum_to(g, shape)
        if _dtype(g) != dtype and dtype != OBJECT_DTYPE:
            g = xp.cast(g, dtype)
        fixed[i] = g
    return tuple(fixed)


def _shape(g) -> tuple:
    return g._data.shape if isinstance(g, TensorCore) else np.shape(g)


def _dtype(g):
    return g._data.dtype if isinstance(g, TensorCore) else g.dtype


def plan(roots: list[Node]) -> tuple[list[Node], dict[Node, int]]:
    """The inner nodes in execution order, and how many edges lead into each AccumulateGrad.

    A node is created after every node it takes input from, so running the inner nodes by
    descending sequence number is PyTorch's order; an AccumulateGrad runs once it is ready.
    """
    leaf_deps: dict[Node, int] = {}
    order: list[Node] = []
    seen: set[Node] = set()
    for root in roots:
        if root.__class__ is AccumulateGrad:
            leaf_deps[root] = leaf_deps.get(root, 0) + 1
        elif root not in seen:
            seen.add(root)
            order.append(root)
    for fn in order:  # visits the nodes appended while it runs: a breadth-first walk
        for nxt, _ in fn.next_functions:
            if nxt is None:
                continue
            if nxt.__class__ is AccumulateGrad:
                leaf_deps[nxt] = leaf_deps.get(nxt, 0) + 1
            elif nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    if len(order) > 1:
        order.sort(key=_SEQUENCE_NUMBER, reverse=True)
    return order, leaf_deps


def needed(order: list[Node], targets: set) -> set[Node]:
    """The nodes whose execution can reach a target (a leaf's AccumulateGrad or a node whose
    incoming gradient is wanted); `order` is already reverse-topological."""
    keep: set[Node] = set()
    for fn in reversed(order):
        for nxt, _ in fn.next_functions:
            if nxt is not None and (nxt in keep or nxt in targets):
                keep.add(fn)
                break
    return keep


def _as_tensor(g) -> TensorCore:
    return g if isinstance(g, TensorCore) else result(g)


def _as_grad(value, like) -> object:
    if isinstance(like, TensorCore):
        return value
    return value._data


def _hooked(owner: TensorCore, g, create_graph: bool):
    """The gradient for `owner` after its hooks (each may replace it) and its retain_grad."""
    hooks = owner._hooks
    for hook in list(hooks.functions.values()):
        returned = hook(_as_tensor(g))
        if returned is not None:
            if not isinstance(returned, TensorCore):
                raise TypeError(
                    f"hook 'hook' has returned an incorrect type (expected Tensor, but got "
                    f"{type(returned).__name__})"
                )
            g = _as_grad(returned, g)
    if hooks.retains and owner.grad_fn is not None:
        kept = g if isinstance(g, TensorCore) else result(np.array(g))
        if not create_graph and isinstance(kept, TensorCore) and kept._edge[0] is not None:
            kept = kept.detach()
        old = owner._grad
        owner._grad = kept if old is None else old + kept
    return g


def execute(
    roots: list[tuple[tuple, object]],
    *,
    retain_graph: bool,
    create_graph: bool,
    captures: dict | None = None,
    accumulate_into: set | None = None,
) -> dict:
    """Runs backward from `roots` ((edge, gradient) pairs). `captures` maps targets (an
    AccumulateGrad, or (node, output number)) to keys whose gradient is returned instead of
    accumulated; `accumulate_into` limits which leaves' .grad are written (None: all)."""
    xp = space(create_graph, [g for _, g in roots])
    before = GRAD_MODE.enabled
    GRAD_MODE.enabled = create_graph
    try:
        return _run(roots, xp, retain_graph, create_graph, captures, accumulate_into)
    finally:
        GRAD_MODE.enabled = before


def _add(held, g):
    return g if held is None else held + g


def _run_plain(root: tuple, g, xp, retain_graph: bool) -> None:
    """`loss.backward()` — one root, every leaf, nothing recorded: `_run` without its options."""
    order, leaf_deps = plan([root[0]])
    buffers: dict = {}
    _route(buffers, root[0], root[1], g)
    g = None
    take = buffers.pop
    before = GRAD_MODE.enabled
    GRAD_MODE.enabled = False
    try:
        _plain_loop(order, leaf_deps, buffers, take, xp, retain_graph)
    finally:
        GRAD_MODE.enabled = before


def _plain_loop(order, leaf_deps, buffers, take, xp, retain_graph: bool) -> None:
    g = None
    for fn in order:
        g = take(fn, None)
        outs = None
        if g is not None:
            owner = fn._owner
            if owner is not None and fn.outputs == 1:
                g = _hooked(owner, g, False)
            if fn._saved:
                fn.check_saved()
            outs = fn.backward(xp, g)
            if fn._meta is not None:
                outs = validate(fn, outs, xp)
            g = None
        if not retain_graph:
            fn._saved = None
        ready = None
        i = -1
        for nxt, nr in fn.next_functions:
            i += 1
            if nxt is None:
                continue
            if outs is not None:
                go = outs[i]
                if go is not None:
                    if nxt.outputs == 1:
                        held = buffers.get(nxt)
                        buffers[nxt] = go if held is None else held + go
                    else:
                        _route(buffers, nxt, nr, go)
                go = None
            if nxt.__class__ is AccumulateGrad:
                count = leaf_deps[nxt] - 1
                leaf_deps[nxt] = count
                if count == 0:
                    if ready is None:
                        ready = [nxt]
                    else:
                        ready.append(nxt)
        outs = None
        if ready is not None:
            # after dropping our references, so that a gradient nobody shares can be kept
            for acc in ready:
                _leaf(acc, take(acc, None), False, None, None, None)
    for acc, count in leaf_deps.items():
        if count > 0 and acc in buffers:  # the root is a leaf's own AccumulateGrad
            _leaf(acc, take(acc), False, None, None, None)


def _run(roots, xp, retain_graph, create_graph, captures, accumulate_into) -> dict:
    if not create_graph and captures is None and accumulate_into is None and len(roots) == 1:
        (root, g), roots = roots[0], None
        _run_plain(root, g, xp, retain_graph)
        return {}
    order, leaf_deps = plan([e[0] for e, _ in roots])
    targets = set(captures) if captures is not None else set()
    if accumulate_into is not None:
        targets |= accumulate_into
    keep = (
        needed(order, {t if isinstance(t, Node) else t[0] for t in targets})
        if (captures is not None or accumulate_into is not None)
        else None
    )
    buffers: dict = {}
    for (fn, nr), g in roots:
        _route(buffers, fn, nr, g)
    captured: dict = {}
    for fn in order:
        g = buffers.pop(fn, None)
        owner = fn._owner
        if g is not None and owner is not None and fn.outputs == 1:
            g = _hooked(owner, g, create_graph)
        if captures is not None and g is not None:
            for nr in range(fn.outputs):
                key = captures.get((fn, nr))
                if key is not None:
                    captured[key] = g if fn.outputs == 1 else g[nr]
        run = g is not None and (keep is None or fn in keep)
        outs = None
        if run:
            fn.check_saved()
            outs = validate(fn, fn.backward(xp, g), xp)
        if not retain_graph and (keep is None or fn in keep):
            fn._saved = None
        g = None
        for i, (nxt, nr) in enumerate(fn.next_functions):
            if nxt is None:
                continue
            go = outs[i] if outs is not None else None
            if go is not None:
                _route(buffers, nxt, nr, go)
            if nxt.__class__ is AccumulateGrad:
                count = leaf_deps[nxt] - 1
                leaf_deps[nxt] = count
                if count == 0:
                    _leaf(
                        nxt,
                        buffers.pop(nxt, None),
                        create_graph,
                        captures,
                        captured,
                        accumulate_into,
                    )
        outs = None
    for acc, count in leaf_deps.items():
        if count > 0 and acc in buffers:  # a root that is a leaf's own AccumulateGrad
            _leaf(acc, buffers.pop(acc), create_graph, captures, captured, accumulate_into)
    return captured


def _route(buffers: dict, fn: Node, nr: int, g) -> None:
    if fn.outputs == 1:
        held = buffers.get(fn)
        buffers[fn] = g if held is None else held + g
        return
    held = buffers.get(fn)
    if held is None:
        held = buffers[fn] = [None] * fn.outputs
    held[nr] = _add(held[nr], g)


def _leaf(acc: AccumulateGrad, g, create_graph: bool, captures, captured, accumulate_into) -> None:
    if g is None:
        return
    variable = acc.variable
    if variable._hooks is not None:
        g = _hooked(variable, g, create_graph)
    if captures is not None:
        key = captures.get(acc)
        if key is not None:
            captured[key] = g
        return
    if accumulate_into is not None and acc not in accumulate_into:
        return
    if isinstance(g, TensorCore):
        accumulate_tensor(acc, g)
    else:
        acc.accumulate(g)


def accumulate_tensor(acc: AccumulateGrad, grad: TensorCore) -> None:
    """Adds a recorded gradient into `.grad`: a first one is copied (CopyBackwards), a later one
    added (AddBackward0) when either is part of a graph, else added in place."""
    from .ops.inplace import CopyBackwards
    from .ops.record import new_node

    variable = acc.variable
    if grad._data.dtype is not variable._data.dtype:
        grad = grad.to(variable.dtype)
    old = variable._grad
    if old is None:
        if grad._edge[0] is not None:
            fn = new_node(CopyBackwards, ((None, 0), grad._edge))
            variable._grad = result(np.array(grad._data), (fn, 0))
        else:
            variable._grad = result(np.array(grad._data))
    elif old._edge[0] is not None or grad._edge[0] is not None:
        variable._grad = old + grad
    else:
        old._data += grad._data
        old._version[0] += 1


def run_backward(
    tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None
) -> None:
    """`tensor.backward()` and `torch.autograd.backward()`."""
    if (
        tensors.__class__ is not list
        and isinstance(tensors, TensorCore)
        and not create_graph
        and inputs is None
        and LIFTING.active is None
        and (grad_tensors is None or isinstance(grad_tensors, TensorCore))
    ):
        root, g = root_of(tensors, grad_tensors)
        if not (isinstance(g, np.ndarray) and g.dtype == OBJECT_DTYPE):
            _run_plain(root, g, NUMERIC, bool(retain_graph))
            return
    tensors, grad_tensors = _listed(tensors, grad_tensors)
    if LIFTING.active is not None:
        LIFTING.active.backward(tensors, grad_tensors, inputs, create_graph)
        return
    if create_graph:
        import warnings

        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    keep = create_graph if retain_graph is None else bool(retain_graph)
    roots = [
        root_of(t, g, i, create_graph)
        for i, (t, g) in enumerate(zip(tensors, grad_tensors, strict=True))
    ]
    accumulate_into = None
    if inputs is not None:
        listed = [inputs] if isinstance(inputs, TensorCore) else list(inputs)
        if not listed:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        accumulate_into = set()
        for t in listed:
            e = edge(t)
            if e[0] is None:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            if e[0].__class__ is AccumulateGrad:
                accumulate_into.add(e[0])
            else:
                t._watch().retains = True
                accumulate_into.add(e[0])
    execute(roots, retain_graph=keep, create_graph=create_graph, accumulate_into=accumulate_into)


def gradients(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=None,
    materialize_grads: bool = False,
) -> tuple:
    """`torch.autograd.grad`: the gradients of `outputs` with respect to `inputs`."""
    outputs, grad_outputs = _listed(outputs, grad_outputs)
    listed = [inputs] if isinstance(inputs, TensorCore) else list(inputs)
    if LIFTING.active is not None:
        return LIFTING.active.gradients(outputs, grad_outputs, listed, allow_unused, create_graph)
    keep = create_graph if retain_graph is None else bool(retain_graph)
    roots = [
        root_of(t, g, i, create_graph)
        for i, (t, g) in enumerate(zip(outputs, grad_outputs, strict=True))
    ]
    captures: dict = {}
    for i, t in enumerate(listed):
        e = edge(t)
        if e[0] is None:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        captures[e[0] if e[0].__class__ is AccumulateGrad else (e[0], e[1])] = i
    captured = execute(roots, retain_graph=keep, create_graph=create_graph, captures=captures)
    found = []
    for i, t in enumerate(listed):
        g = captured.get(i)
        if g is None:
            if materialize_grads:
                found.append(result(np.zeros_like(t._data)))
                continue
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
            found.append(None)
            continue
        if isinstance(g, TensorCore):
            found.append(g if create_graph else g.detach())
        else:
            found.append(result(np.array(g) if not g.flags.writeable or g.base is not None else g))
    return tuple(found)


def _listed(tensors, grads) -> tuple[list, list]:
    tensors = [tensors] if isinstance(tensors, TensorCore) else list(tensors)
    if grads is None:
        grads = [None] * len(tensors)
    elif isinstance(grads, TensorCore):
        grads = [grads]
    else:
        grads = list(grads)
    if len(grads) != len(tensors):
        raise RuntimeError(
            f"grad_tensors has {len(grads)} tensor(s) but tensors has {len(tensors)} tensor(s)"
        )
    return tensors, grads
