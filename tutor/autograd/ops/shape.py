"""Provides the view ops — view, reshape, transpose, permute, squeeze, unsqueeze, expand — and
their nodes. A view shares memory and the version counter with its base (tutor.autograd.views)."""

from __future__ import annotations

import numpy as np

from .. import errors
from ..tensor_core import TensorCore, result
from ..views import make_view
from .nodes import node_class
from .record import unary
from .table import declare

ViewBackward0 = node_class(
    "ViewBackward0",
    "f(a) = a seen with another shape;  ∂L/∂a = the gradient reshaped back",
    lambda xp, g, n: (xp.reshape(g, n._shape),),
    ("_shape",),
)
ReshapeAliasBackward0 = node_class(
    "ReshapeAliasBackward0",
    "f(a) = a (not contiguous) seen with another shape;  ∂L/∂a = the gradient reshaped back",
    lambda xp, g, n: (xp.reshape(g, n._shape),),
    ("_shape",),
)
UnsafeViewBackward0 = node_class(
    "UnsafeViewBackward0",
    "f(a) = a copied into another shape;  ∂L/∂a = the gradient reshaped back",
    lambda xp, g, n: (xp.reshape(g, n._shape),),
    ("_shape",),
)
AliasBackward0 = node_class(
    "AliasBackward0", "f(a) = a (the same elements, a new view);  ∂f/∂a = 1", lambda xp, g, n: (g,)
)
TBackward0 = node_class("TBackward0", "f(a) = aᵀ;  ∂L/∂a = (∂L/∂f)ᵀ", lambda xp, g, n: (xp.t(g),))
PermuteBackward0 = node_class(
    "PermuteBackward0",
    "f(a) = a with its dimensions reordered;  ∂L/∂a = the gradient in the inverse order",
    lambda xp, g, n: (xp.permute(g, n._inverse),),
    ("_inverse",),
)
TransposeBackward0 = node_class(
    "TransposeBackward0",
    "f(a) = a with two dimensions swapped;  ∂L/∂a = the gradient swapped back",
    lambda xp, g, n: (xp.transpose(g, *n._dims),),
    ("_dims",),
)
UnsqueezeBackward0 = node_class(
    "UnsqueezeBackward0",
    "f(a) = a with a new dimension of size 1;  ∂L/∂a = the gradient without it",
    lambda xp, g, n: (xp.squeeze_dim(g, n._dim),),
    ("_dim",),
)
_SQUEEZE_MATH = "f(a) = a without size-1 dimensions;  ∂L/∂a = the gradient with them put back"
SqueezeBackward0 = node_class(
    "SqueezeBackward0", _SQUEEZE_MATH, lambda xp, g, n: (xp.reshape(g, n._shape),), ("_shape",)
)
SqueezeBackward1 = node_class(
    "SqueezeBackward1", _SQUEEZE_MATH, lambda xp, g, n: (xp.reshape(g, n._shape),), ("_shape",)
)
SqueezeBackward2 = node_class(
    "SqueezeBackward2", _SQUEEZE_MATH, lambda xp, g, n: (xp.reshape(g, n._shape),), ("_shape",)
)
ExpandBackward0 = node_class(
    "ExpandBackward0",
    "f(a) = a broadcast to a bigger shape;  ∂L/∂a = the gradient summed back to a's shape",
    lambda xp, g, n: (xp.sum_to(g, n._shape),),
    ("_shape",),
)


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], list | tuple):
        shape = tuple(shape[0])
    for n in shape:
        if isinstance(n, float) or not hasattr(n, "__index__"):
            raise TypeError(
                f"view(): argument 'size' failed to unpack the object at pos 1 with error "
                f'"type must be tuple of ints,but got {type(n).__name__}"'
            )
    return tuple(int(n) for n in shape)


def infer(shape: tuple, size: int) -> tuple:
    known = 1
    for n in shape:
        if n != -1:
            known *= n
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if shape.count(-1) == 1 and known and size % known == 0:
        return tuple(size // known if n == -1 else n for n in shape)
    if known != size or -1 in shape:
        raise RuntimeError(
            f"shape '{errors.shape_list(shape)}' is invalid for input of size {size}"
        )
    return shape


def view(t: TensorCore, *shape):
    a = t._data
    target = infer(_shape_arg(shape), a.size)
    try:
        data = np.reshape(a, target, copy=False)
    except ValueError:
        raise RuntimeError(errors.VIEW_STRIDE) from None
    return make_view(t, data, ViewBackward0, (np.reshape, (target,)), _shape=a.shape)


def reshape(t: TensorCore, *shape, **named):
    if "shape" in named:
        shape = (named.pop("shape"),)
    a = t._data
    target = infer(_shape_arg(shape), a.size)
    try:
        data = np.reshape(a, target, copy=False)
    except ValueError:
        from .copying import clone

        copied = clone(t)
        return unary(copied, copied._data.reshape(target), UnsafeViewBackward0, _shape=a.shape)
    node = ViewBackward0 if a.flags.c_contiguous else ReshapeAliasBackward0
    return make_view(t, data, node, (np.reshape, (target,)), _shape=a.shape)


def flatten(t: TensorCore, start_dim: int = 0, end_dim: int = -1):
    shape = t._data.shape
    if not shape:
        return reshape(t, 1)
    first, last = t._dim(start_dim), t._dim(end_dim)
    if first > last:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if first == last:
        return t
    merged = int(np.prod(shape[first : last + 1]))
    return reshape(t, *shape[:first], merged, *shape[last + 1 :])


def unflatten(t: TensorCore, dim: int, sizes):
    shape = t._data.shape
    d = t._dim(dim)
    inner = infer(tuple(sizes), shape[d])
    return view(t, *shape[:d], *inner, *shape[d + 1 :])


def t_(t: TensorCore):
    a = t._data
    if a.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {a.ndim}D")
    return make_view(t, a.T, TBackward0, (np.transpose, ()))


def permute(t: TensorCore, *dims):
    dims = _shape_arg(dims) if dims and dims != ((),) else ()
    a = t._data
    if len(dims) != a.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{a.ndim} is not equal to len(dims) = {len(dims)}"
        )
    order = tuple(t._dim(d) for d in dims)
    if len(set(order)) != len(order):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    inverse = tuple(int(i) for i in np.argsort(order))
    return make_view(
        t, a.transpose(order), PermuteBackward0, (np.transpose, (order,)), _inverse=inverse
    )


def reversed_dims(t: TensorCore):
    """`t.T`: the dimensions in reverse order (PyTorch warns unless t is 2-D)."""
    import warnings

    a = t._data
    if a.ndim == 0:
        warnings.warn(
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
            "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)",
            UserWarning,
            stacklevel=3,
        )
    elif a.ndim != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
            "reverse the dimensions of a tensor. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)",
            UserWarning,
            stacklevel=3,
        )
    return permute(t, *range(a.ndim - 1, -1, -1))


def matrix_t(t: TensorCore):
    """`t.mT`: the last two dimensions swapped."""
    if t._data.ndim < 2:
        raise RuntimeError(
            "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor."
        )
    return transpose(t, -2, -1)


def transpose(t: TensorCore, dim0: int, dim1: int):
    a = t._data
    if a.ndim == 0:
        return make_view(t, a.view(), TransposeBackward0, (np.asarray, ()), _dims=(0, 0))
    d0, d1 = t._dim(dim0), t._dim(dim1)
    data = np.swapaxes(a, d0, d1)
    return make_view(t, data, TransposeBackward0, (np.swapaxes, (d0, d1)), _dims=(d0, d1))


def unsqueeze(t: TensorCore, dim: int):
    a = t._data
    if not -a.ndim - 1 <= dim <= a.ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-a.ndim - 1}, {a.ndim}],"
            f" but got {dim})"
        )
    d = dim % (a.ndim + 1)
    return make_view(t, np.expand_dims(a, d), UnsqueezeBackward0, (np.expand_dims, (d,)), _dim=d)


def squeeze(t: TensorCore, dim=None):
    a = t._data
    if dim is None:
        target = tuple(n for n in a.shape if n != 1)
        return make_view(
            t, a.reshape(target), SqueezeBackward0, (np.reshape, (target,)), _shape=a.shape
        )
    if isinstance(dim, list | tuple):
        dims = {t._dim(d) for d in dim}
        node = SqueezeBackward2
    else:
        dims = {t._dim(dim)}
        node = SqueezeBackward1
    target = tuple(n for i, n in enumerate(a.shape) if not (i in dims and n == 1))
    return make_view(t, a.reshape(target), node, (np.reshape, (target,)), _shape=a.shape)


def expand(t: TensorCore, *sizes):
    a = t._data
    sizes = _shape_arg(sizes)
    lead = len(sizes) - a.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{errors.shape_list(a.shape)}}}, size={errors.shape_list(sizes)}): the number of sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({a.ndim})"
        )
    target = tuple(a.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
    try:
        data = np.broadcast_to(a, target)
    except ValueError:
        bad = next(
            i
            for i in reversed(range(len(target)))
            if i >= lead and a.shape[i - lead] not in (1, target[i])
        )
        raise RuntimeError(
            f"The expanded size of the tensor ({target[bad]}) must match the existing size "
            f"({a.shape[bad - lead]}) at non-singleton dimension {bad}.  Target sizes: "
            f"{errors.shape_list(sizes)}.  Tensor sizes: {errors.shape_list(a.shape)}"
        ) from None
    return make_view(t, data, ExpandBackward0, (np.broadcast_to, (target,)), _shape=a.shape)


def expand_as(t: TensorCore, other: TensorCore):
    return expand(t, *other._data.shape)


def view_as(t: TensorCore, other: TensorCore):
    return view(t, *other._data.shape)


def reshape_as(t: TensorCore, other: TensorCore):
    return reshape(t, *other._data.shape)


def contiguous(t: TensorCore):
    """The tensor itself when its elements are in order in memory, else a copy (CloneBackward0)."""
    if t._data.flags.c_contiguous:
        return t
    from .copying import clone

    return clone(t)


def is_contiguous(t: TensorCore) -> bool:
    return bool(t._data.flags.c_contiguous)


def stride(t: TensorCore, dim: int | None = None):
    a = t._data
    steps = tuple(s // a.itemsize for s in a.strides)
    return steps if dim is None else steps[t._dim(dim)]


for _name, _node, _kernel, _functions, _methods in (
    ("view", ViewBackward0, view, "", "view"),
    ("reshape", ViewBackward0, reshape, "reshape", "reshape"),
    ("flatten", ViewBackward0, flatten, "flatten", "flatten"),
    ("unflatten", ViewBackward0, unflatten, "unflatten", "unflatten"),
    ("t", TBackward0, t_, "t", "t"),
    ("permute", PermuteBackward0, permute, "permute", "permute"),
    ("T", PermuteBackward0, reversed_dims, "", "T"),
    ("mT", TransposeBackward0, matrix_t, "", "mT"),
    ("transpose", TransposeBackward0, transpose, "transpose swapaxes", "transpose swapaxes"),
    ("unsqueeze", UnsqueezeBackward0, unsqueeze, "unsqueeze", "unsqueeze"),
    ("squeeze", SqueezeBackward0, squeeze, "squeeze", "squeeze"),
    ("expand", ExpandBackward0, expand, "", "expand"),
    ("expand_as", ExpandBackward0, expand_as, "", "expand_as"),
    ("view_as", ViewBackward0, view_as, "", "view_as"),
    ("reshape_as", ViewBackward0, reshape_as, "", "reshape_as"),
    ("contiguous", None, contiguous, "", "contiguous"),
    ("is_contiguous", None, is_contiguous, "", "is_contiguous"),
    ("stride", None, stride, "", "stride"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)

__all__ = ["infer", "result"]
