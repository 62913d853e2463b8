"""Provides the recording of an op: the node made when a gradient is wanted, with its inputs'
edges, what it saves and how each input's gradient is mapped back (summed over broadcast
dimensions, cast to its dtype)."""

from __future__ import annotations

import numpy as np

from ..grad_mode import GRAD_MODE
from ..lifting import space_of
from ..node import next_seq
from ..tensor_core import NO_EDGE, TensorCore, result, view_edge

_new = object.__new__


def edge_of(t: TensorCore) -> tuple:
    return t._edge if t._view is None else view_edge(t)


def input_meta(data: np.ndarray, out: np.ndarray) -> tuple | None:
    """(shape, dtype) of an input whose gradient must be mapped back to it, else None."""
    if data.shape == out.shape and data.dtype is out.dtype:
        return None
    return (data.shape, data.dtype)


def new_node(cls: type, edges: tuple) -> object:
    fn = _new(cls)
    fn.next_functions = edges
    fn._seq = next_seq()
    fn._saved = None
    fn._meta = None
    fn._owner = None
    return fn


def unary(t: TensorCore, data: np.ndarray, cls: type, *, saves: str = "", **params):
    """The result of a one-input op; `saves` is "input", "result", "input+result" or ""."""
    if type(data) is not np.ndarray:  # a ufunc on 0-d arrays returns a scalar
        data = np.asarray(data)
    e = t._edge if t._view is None else view_edge(t)
    if e[0] is None or not GRAD_MODE.enabled:
        return result(data)
    fn = _new(cls)
    fn.next_functions = (e,)
    fn._seq = next_seq()
    fn._meta = None if data.dtype is t._data.dtype else ((t._data.shape, t._data.dtype),)
    fn._owner = None
    for name, value in params.items():
        setattr(fn, name, value)
    out = result(data, (fn, 0))
    if saves == "input":
        fn._saved = (t, t._version[0])
    elif saves == "result":
        fn._saved = (data, out._version, 0)
    elif saves == "input+result":
        fn._saved = (t, t._version[0], data, out._version, 0)
    else:
        fn._saved = ()  # nothing to free, but a node that keeps indices knows when it was
    return out


def operands(items: tuple) -> tuple[tuple, bool]:
    """The edges of an op's inputs (tensors or numbers) and whether any needs a gradient."""
    edges = []
    wanted = False
    for item in items:
        if isinstance(item, TensorCore):
            e = item._edge if item._view is None else view_edge(item)
            wanted = wanted or e[0] is not None
            edges.append(e)
        else:
            edges.append(NO_EDGE)
    return tuple(edges), wanted and GRAD_MODE.enabled


def binary(a: TensorCore, b, data: np.ndarray, cls: type, *, save: bool = False, alpha=None):
    """`general` for the common two-input op `a ∘ b` (b a tensor or a number): the same node,
    made without general's loops. `save` keeps both inputs; `alpha` sets the node's `_alpha`."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    if not GRAD_MODE.enabled:
        return result(data)
    ea = a._edge if a._view is None else view_edge(a)
    tensor = isinstance(b, TensorCore)
    eb = (b._edge if b._view is None else view_edge(b)) if tensor else NO_EDGE
    if ea[0] is None and eb[0] is None:
        return result(data)
    fn = _new(cls)
    fn.next_functions = (ea, eb)
    fn._seq = next_seq()
    fn._owner = None
    shape, dtype = data.shape, data.dtype
    da = a._data
    ma = None if da.shape == shape and da.dtype is dtype else (da.shape, da.dtype)
    mb = None
    if tensor:
        db = b._data
        mb = None if db.shape == shape and db.dtype is dtype else (db.shape, db.dtype)
    fn._meta = None if ma is None and mb is None else (ma, mb)
    if alpha is not None:
        fn._alpha = alpha
    out = result(data, (fn, 0))
    if save:
        fn._saved = (a, a._version[0], b, b._version[0] if tensor else None)
    else:
        fn._saved = ()
    return out


def general(
    inputs: tuple,
    data: np.ndarray,
    cls: type,
    *,
    saved: tuple = (),
    save_result: bool = False,
    **params,
):
    """The result of an op of several inputs (tensors or numbers); `saved` lists the inputs
    (by position) the formula needs, saved with their versions."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    if not GRAD_MODE.enabled:
        return result(data)
    edges = []
    metas_ = []
    wanted = False
    reshaped = False
    shape, dtype = data.shape, data.dtype
    for item in inputs:
        if isinstance(item, TensorCore):
            e = item._edge if item._view is None else view_edge(item)
            if e[0] is not None:
                wanted = True
            edges.append(e)
            d = item._data
            if d.shape == shape and d.dtype is dtype:
                metas_.append(None)
            else:
                metas_.append((d.shape, d.dtype))
                reshaped = True
        else:
            edges.append(NO_EDGE)
            metas_.append(None)
    if not wanted:
        return result(data)
    fn = _new(cls)
    fn.next_functions = tuple(edges)
    fn._seq = next_seq()
    fn._owner = None
    fn._meta = tuple(metas_) if reshaped else None
    for name, value in params.items():
        setattr(fn, name, value)
    out = result(data, (fn, 0))
    keep: list = []
    for i in saved:
        item = inputs[i]
        if isinstance(item, TensorCore):
            keep += (item, item._version[0])
        else:
            keep += (item, None)
    if save_result:
        keep += (data, out._version, 0)
    fn._saved = tuple(keep)
    return out


def metas(inputs: tuple, data: np.ndarray) -> tuple | None:
    found = [
        input_meta(item._data, data) if isinstance(item, TensorCore) else None for item in inputs
    ]
    return None if all(m is None for m in found) else tuple(found)


def kernel_space(*arrays) -> object:
    """The namespace a forward kernel computes in: numpy, or sympy values for a lifted program."""
    return space_of(arrays)
