"""Provides cat, stack, repeat and the ops returning several views (split, chunk, unbind)."""

from __future__ import annotations

import numpy as np

from .. import errors
from ..dtypes import promote_tensors
from ..grad_mode import GRAD_MODE
from ..node import Node
from ..tensor_core import TensorCore, result
from ..views import getitem, make_view
from .nodes import node_class
from .record import general, unary
from .table import declare

CatBackward0 = node_class(
    "CatBackward0",
    "f(a₁, …, aₙ) = the aᵢ joined along `dim`;  ∂L/∂aᵢ = aᵢ's piece of the gradient",
    lambda xp, g, n: tuple(xp.narrow(g, n._dim, start, size) for start, size in n._pieces),
    ("_dim", "_pieces"),
)
StackBackward0 = node_class(
    "StackBackward0",
    "f(a₁, …, aₙ) = the aᵢ stacked along a new `dim`;  ∂L/∂aᵢ = slice i of the gradient",
    lambda xp, g, n: tuple(xp.unbind(g, n._dim)),
    ("_dim",),
)
RepeatBackward0 = node_class(
    "RepeatBackward0",
    "f(a) = a tiled `repeats` times;  ∂L/∂a = the sum of the gradient's tiles",
    lambda xp, g, n: (xp.repeat_backward(g, n._repeats, n._shape),),
    ("_repeats", "_shape"),
)


class _Pieces(Node):
    """A node with one output per piece; the gradient of a piece nobody used is zeros."""

    __slots__ = ("outputs", "_dim", "_shapes")

    def _filled(self, xp, grads):
        if self.outputs == 1:  # the engine hands a one-output node its gradient alone
            grads = [grads]
        return [
            xp.zeros(shape, self._dtype) if g is None else g
            for g, shape in zip(grads, self._shapes, strict=True)
        ]


class SplitBackward0(_Pieces):
    """f(a) = a cut into pieces along `dim`;  ∂L/∂a = the pieces' gradients joined again."""

    __slots__ = ("_dtype",)

    def backward(self, xp, grads):
        return (xp.concat(self._filled(xp, grads), self._dim),)


class SplitWithSizesBackward0(SplitBackward0):
    """f(a) = a cut into pieces of given sizes along `dim`;  ∂L/∂a = the pieces' gradients
    joined again."""

    __slots__ = ()


class UnbindBackward0(_Pieces):
    """f(a) = a's slices along `dim`;  ∂L/∂a = the slices' gradients stacked again."""

    __slots__ = ("_dtype",)

    def backward(self, xp, grads):
        return (xp.stack(self._filled(xp, grads), self._dim),)


def _common(tensors: list[TensorCore]) -> np.dtype:
    dtype = tensors[0]._data.dtype
    first = tensors[0]._data
    for other in tensors[1:]:
        dtype = promote_tensors(np.empty((1,) * max(first.ndim, 1), dtype), other._data)
    return dtype


def cat(tensors, dim: int = 0):
    """The tensors joined along an existing dimension."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, TensorCore):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    parts = [t for t in tensors if t._data.shape != (0,)] or tensors[:1]
    first = parts[0]
    if first._data.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    axis = first._dim(dim)
    dtype = _common(tensors)
    for i, t in enumerate(tensors):
        a = t._data
        if a.shape == (0,):
            continue
        if a.ndim != first._data.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {first._data.ndim} and {a.ndim}"
            )
        for d in range(a.ndim):
            if d != axis and a.shape[d] != first._data.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{first._data.shape[d]} but got size {a.shape[d]} for tensor number {i} in "
                    "the list."
                )
    arrays = [t._data.astype(dtype, copy=False) for t in tensors]
    data = np.concatenate([a for a in arrays if a.shape != (0,)] or arrays[:1], axis=axis)
    pieces, start = [], 0
    for a in arrays:
        size = a.shape[axis] if a.shape != (0,) else 0
        pieces.append((start, size))
        start += size
    return general(tuple(tensors), data, CatBackward0, _dim=axis, _pieces=tuple(pieces))


def stack(tensors, dim: int = 0):
    """The tensors (all one shape) stacked along a new dimension."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ndim = tensors[0]._data.ndim + 1
    if not -ndim <= dim < ndim:
        raise errors.dim_out_of_range(dim, ndim)
    axis = dim % ndim
    for i, t in enumerate(tensors):
        if t._data.shape != tensors[0]._data.shape:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{errors.shape_list(tensors[0]._data.shape)} at entry 0 and "
                f"{errors.shape_list(t._data.shape)} at entry {i}"
            )
    dtype = _common(tensors)
    data = np.stack([t._data.astype(dtype, copy=False) for t in tensors], axis=axis)
    return general(tuple(tensors), data, StackBackward0, _dim=axis)


def repeat(t: TensorCore, *repeats):
    if len(repeats) == 1 and isinstance(repeats[0], list | tuple):
        repeats = tuple(repeats[0])
    repeats = tuple(int(r) for r in repeats)
    a = t._data
    if len(repeats) < a.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of "
            "tensor"
        )
    shaped = a.reshape((1,) * (len(repeats) - a.ndim) + a.shape)
    data = np.tile(shaped, repeats)
    return unary(t, data, RepeatBackward0, _repeats=repeats, _shape=a.shape)


def _pieces(t: TensorCore, cls: type, keys: list, dim: int, squeeze: bool):
    """Views of `t` at `keys`, all made by one node with one output per piece."""
    a = t._data
    e = t._edge if t._view is None else None
    from ..tensor_core import view_edge

    e = view_edge(t) if e is None else e
    fn = None
    if e[0] is not None and GRAD_MODE.enabled:
        fn = object.__new__(cls)
        from ..node import next_seq

        fn.next_functions = (e,)
        fn._seq = next_seq()
        fn._saved = None
        fn._meta = None
        fn._owner = None
        fn.outputs = len(keys)
        fn._dim = dim
        fn._dtype = a.dtype
        fn._shapes = tuple(a[k].shape for k in keys)
    outs = []
    for i, key in enumerate(keys):
        piece = make_view(
            t, a[key], cls, (getitem, (key,)), multi=cls.__name__.removesuffix("Backward0")
        )
        if fn is not None:
            piece._edge = (fn, i)
            piece._requires_grad = True
        else:
            piece._edge = (None, 0)
            piece._requires_grad = False
        outs.append(piece)
    return tuple(outs)


def split(t: TensorCore, split_size_or_sections, dim: int = 0):
    d = t._dim(dim)
    size = t._data.shape[d]
    if isinstance(split_size_or_sections, list | tuple):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {d}), but got split_sizes={list(sizes)}"
            )
        cls = SplitWithSizesBackward0
    else:
        step = int(split_size_or_sections)
        if step <= 0 and size:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={step}"
            )
        sizes = [min(step, size - s) for s in range(0, size, step)] if size else [0]
        cls = SplitBackward0
    keys, start = [], 0
    for s in sizes:
        keys.append((slice(None),) * d + (slice(start, start + s),))
        start += s
    return _pieces(t, cls, keys, d, False)


def chunk(t: TensorCore, chunks: int, dim: int = 0):
    d = t._dim(dim)
    size = t._data.shape[d]
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    step = -(-size // chunks) if size else 1
    return split(t, step, d)


def unbind(t: TensorCore, dim: int = 0):
    d = t._dim(dim)
    keys = [(slice(None),) * d + (i, ...) for i in range(t._data.shape[d])]
    return _pieces(t, UnbindBackward0, keys, d, True)


for _name, _node, _kernel, _functions, _methods in (
    ("cat", CatBackward0, cat, "cat concat concatenate", ""),
    ("stack", StackBackward0, stack, "stack", ""),
    ("repeat", RepeatBackward0, repeat, "", "repeat"),
    ("split", SplitBackward0, split, "split", "split"),
    ("chunk", SplitBackward0, chunk, "chunk", "chunk"),
    ("unbind", UnbindBackward0, unbind, "unbind", "unbind"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)

__all__ = ["result"]
