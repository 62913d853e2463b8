"""Provides views and in-place writes through them, as PyTorch 2.13 has them.

A view shares its base's memory (numpy does that) and version counter; it remembers the steps
that replay it from the base, so its place in the base — a flat index per element — can always
be computed. Writing into a view in place while recording makes the base's grad_fn a
CopySlices, which sends the gradient of the written part through the in-place op's node and
the rest to the base's old grad_fn; every view of that base then gets an AsStridedBackward0
grad_fn, made when it is next used.
"""

from __future__ import annotations

import operator

import numpy as np

from .grad_mode import GRAD_MODE
from .node import Node, next_seq
from .tensor_core import NO_EDGE, TensorCore, View, result, view_edge

_new = object.__new__
getitem = operator.getitem


def make_view(t: TensorCore, data: np.ndarray, cls: type, step: tuple, multi=None, **params):
    """A view of `t` holding `data` (a numpy view of t's data) made by `step` = (function,
    arguments), recording `cls` when a gradient is wanted."""
    info = t._view
    base = t if info is None else t._base
    steps = (step,) if info is None else (*info.steps, step)
    e = t._edge if info is None else view_edge(t)
    recording = GRAD_MODE.enabled
    if e[0] is not None and recording:
        fn = _new(cls)
        fn.next_functions = (e,)
        fn._seq = next_seq()
        fn._saved = None
        fn._meta = None
        fn._owner = None
        for name, value in params.items():
            setattr(fn, name, value)
        out = result(data, (fn, 0))
    elif e[0] is not None:  # a view made under no_grad of a tensor that requires grad
        out = result(data)
        out._requires_grad = True
        from .node import AccumulateGrad

        out._edge = (AccumulateGrad(out), 0)
    else:
        out = result(data)
    out._version = t._version
    out._base = base
    out._view = View(steps, t._version[0], recording, multi)
    return out


def index_map(t: TensorCore) -> np.ndarray:
    """The flat index into its base's data of each element of the view `t`."""
    base = t._base
    where = np.arange(base._data.size).reshape(base._data.shape)
    for function, arguments in t._view.steps:
        where = function(where, *arguments)
    return np.asarray(where)


class AsStridedBackward0(Node):
    """f(a) = the elements of a at fixed places (a view remade after an in-place change);
    ∂L/∂a = zeros with the gradient added at those places."""

    __slots__ = ("_shape", "_index")

    def backward(self, xp, g):
        return (xp.scatter_flat(g, self._shape, self._index),)


def as_strided_node(view: TensorCore, base: TensorCore) -> Node:
    fn = _new(AsStridedBackward0)
    fn.next_functions = (base._edge,)
    fn._seq = next_seq()
    fn._saved = None
    fn._meta = None
    fn._owner = None
    fn._shape = base._data.shape
    fn._index = index_map(view)
    return fn


class CopySlices(Node):
    """f(b, …) = b with the part a view sees replaced by op(that part, …);  ∂L/∂b is the
    gradient outside that part, and inside it what op's node sends to its first input; the
    op's other inputs get what its node sends them."""

    __slots__ = ("_fn", "_index")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def backward(self, xp, g):
        from .engine import validate

        whole, part = xp.split_flat(g, self._index)
        fn = self._fn
        fn.check_saved()
        sent = validate(fn, fn.backward(xp, part), xp)
        first = sent[0]
        return (xp.put_flat(whole, self._index, first), *sent[1:])


def rebase(view: TensorCore, fn: Node) -> None:
    """After an in-place op recorded `fn` on `view`: the base's grad_fn becomes CopySlices."""
    base = view._base
    copy = _new(CopySlices)
    copy.next_functions = (base._edge, *fn.next_functions[1:])
    copy._seq = next_seq()
    copy._saved = None
    copy._meta = None
    copy._owner = None
    copy._fn = fn
    copy._index = index_map(view)
    base._edge = (copy, 0)
    base._requires_grad = True
    if base._hooks is not None:
        copy._owner = base


def overlapping(data: np.ndarray) -> bool:
    """Whether two elements of `data` share memory (an expanded tensor), which an in-place write
    cannot handle."""
    return any(
        stride == 0 and size > 1 for stride, size in zip(data.strides, data.shape, strict=True)
    )


def no_edge() -> tuple:
    return NO_EDGE
