"""Provides the matrix products — dot, mv, mm, bmm, addmm — and matmul and linear composed of
them exactly as PyTorch 2.13 composes them (so the recorded nodes are the ones PyTorch records:
a 1-D @ 2-D product ends in SqueezeBackward4, a folded batch in UnsafeViewBackward0)."""

from __future__ import annotations

import numpy as np

from .. import errors, gemm
from ..tensor_core import TensorCore
from .nodes import node_class
from .record import general, unary
from .table import declare

DotBackward0 = node_class(
    "DotBackward0",
    "f(a, b) = Σᵢ aᵢbᵢ;  ∂f/∂a = b,  ∂f/∂b = a",
    lambda xp, g, n: (
        None if n.next_functions[0][0] is None else xp.mul(g, n.saved_input(xp, 1)),
        None if n.next_functions[1][0] is None else xp.mul(g, n.saved_input(xp, 0)),
    ),
)
MvBackward0 = node_class(
    "MvBackward0",
    "f(A, v) = A·v;  ∂L/∂A = g vᵀ,  ∂L/∂v = Aᵀ g",
    lambda xp, g, n: (
        None if n.next_functions[0][0] is None else xp.outer(g, n.saved_input(xp, 1)),
        None if n.next_functions[1][0] is None else xp.mv(xp.t(n.saved_input(xp, 0)), g),
    ),
)
MmBackward0 = node_class(
    "MmBackward0",
    "f(A, B) = A·B;  ∂L/∂A = g·Bᵀ,  ∂L/∂B = Aᵀ·g",
    lambda xp, g, n: (
        None if n.next_functions[0][0] is None else xp.mm(g, xp.t(n.saved_input(xp, 1))),
        None if n.next_functions[1][0] is None else xp.mm(xp.t(n.saved_input(xp, 0)), g),
    ),
)
BmmBackward0 = node_class(
    "BmmBackward0",
    "f(A, B) = A·B for each batch;  ∂L/∂A = g·Bᵀ,  ∂L/∂B = Aᵀ·g (batch by batch)",
    lambda xp, g, n: (
        None
        if n.next_functions[0][0] is None
        else xp.bmm(g, xp.transpose(n.saved_input(xp, 1), 1, 2)),
        None
        if n.next_functions[1][0] is None
        else xp.bmm(xp.transpose(n.saved_input(xp, 0), 1, 2), g),
    ),
)
AddmmBackward0 = node_class(
    "AddmmBackward0",
    "f(c, A, B) = c + A·B;  ∂L/∂c = g,  ∂L/∂A = g·Bᵀ,  ∂L/∂B = Aᵀ·g",
    lambda xp, g, n: (
        None if n.next_functions[0][0] is None else g,
        None if n.next_functions[1][0] is None else xp.mm(g, xp.t(n.saved_input(xp, 2))),
        None if n.next_functions[2][0] is None else xp.mm(xp.t(n.saved_input(xp, 1)), g),
    ),
)
SqueezeBackward4 = node_class(
    "SqueezeBackward4",
    "f(a) = a without a size-1 dimension, in place;  ∂L/∂a = the gradient with it put back",
    lambda xp, g, n: (xp.unsqueeze_dims(g, (n._dim,)),),
    ("_dim",),
)


_C_NAMES = {
    "float32": "float",
    "float64": "double",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _same_dtype(a: TensorCore, b: TensorCore, what: str) -> None:
    da, db = a._data.dtype, b._data.dtype
    if da != db and np.dtype(object) not in (da, db):
        name_a, name_b = errors.scalar_type_name(da), errors.scalar_type_name(db)
        if what == "mv":
            name_out = name_b
            raise RuntimeError(
                "addmv input tensors must have the same dtype, but got "
                f"{name_out}, {name_a}, and {name_b}"
            )
        if what == "dot":
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {name_a} and {name_b}"
            )
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_C_NAMES[str(da)]} != "
            f"{_C_NAMES[str(db)]}"
        )


def _product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return gemm.matmul(x, y)


def dot(a: TensorCore, b: TensorCore):
    x, y = a._data, b._data
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    _same_dtype(a, b, "dot")
    if x.shape != y.shape:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] to have the same number of "
            f"elements, but got {x.shape[0]} and {y.shape[0]} elements respectively"
        )
    return general((a, b), np.asarray(_product(x, y)), DotBackward0, saved=(0, 1))


def mv(a: TensorCore, v: TensorCore):
    x, y = a._data, v._data
    if x.ndim != 2 or y.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {x.ndim}, {y.ndim}")
    _same_dtype(a, v, "mv")
    if x.shape[1] != y.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({x.shape[0]}), mat ({x.shape[0]}x{x.shape[1]}), vec ({y.shape[0]})"
        )
    return general((a, v), _product(x, y), MvBackward0, saved=(0, 1))


def mm(a: TensorCore, b: TensorCore):
    x, y = a._data, b._data
    if x.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if y.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _same_dtype(a, b, "mm")
    if x.shape[1] != y.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[1]} and "
            f"{y.shape[0]}x{y.shape[1]})"
        )
    return general((a, b), _product(x, y), MmBackward0, saved=(0, 1))


def bmm(a: TensorCore, b: TensorCore):
    x, y = a._data, b._data
    if x.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if y.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if x.shape[0] != y.shape[0] or x.shape[2] != y.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{x.shape[0]}, "
            f"{x.shape[2]}] but got: [{y.shape[0]}, {y.shape[1]}]."
        )
    _same_dtype(a, b, "bmm")
    return general((a, b), gemm.bmm(x, y), BmmBackward0, saved=(0, 1))


def addmm(c: TensorCore, a: TensorCore, b: TensorCore, *, beta=1, alpha=1):
    x, y = a._data, b._data
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({x.shape[0]}x{x.shape[-1]} and "
            f"{y.shape[0]}x{y.shape[-1]})"
        )
    _same_dtype(a, b, "addmm")
    return general((c, a, b), gemm.addmm(c._data, x, y), AddmmBackward0, saved=(0, 1, 2))


def _squeeze_(t: TensorCore, dim: int):
    """`t.squeeze_(dim)` on a fresh result: PyTorch's in-place squeeze (SqueezeBackward4)."""
    shape = t._data.shape
    if shape[dim] != 1:
        return t
    out = unary(t, t._data.reshape(shape[:dim] + shape[dim + 1 :]), SqueezeBackward4, _dim=dim)
    return out


def matmul(a: TensorCore, b: TensorCore):
    """a @ b, decomposed as PyTorch decomposes it."""
    from .copying import unsafe_view
    from .shape import contiguous, expand, matrix_t, reshape, squeeze, t_, unsqueeze

    da, db = a._data.ndim, b._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        return mv(a, b)
    if da == 1 and db == 2:
        return _squeeze_(mm(unsqueeze(a, 0), b), 0)
    if da == 2 and db == 2:
        return mm(a, b)
    if _should_fold(a, b):
        transpose = db > da
        t1 = matrix_t(b) if transpose else a
        t2 = (t_(a) if da == 2 else a) if transpose else b
        sizes = t1._data.shape
        output_shape = list(sizes[:-1])
        folded = int(np.prod(output_shape))
        matrix = t2._data.ndim == 2
        if matrix:
            output_shape.append(t2._data.shape[1])
        t1_folded = reshape(t1, folded, sizes[-1])
        if matrix:
            output = unsafe_view(mm(t1_folded, t2), tuple(output_shape))
            return contiguous(matrix_t(output)) if transpose else output
        return unsafe_view(mv(t1_folded, t2), tuple(output_shape))
    n = a._data.shape[-2] if da > 1 else 1
    m1 = a._data.shape[-1]
    batch1 = a._data.shape[: max(da - 2, 0)]
    m2 = b._data.shape[-2] if db > 1 else b._data.shape[0]
    p = b._data.shape[-1] if db > 1 else 1
    batch2 = b._data.shape[: max(db - 2, 0)]
    if m1 != m2:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{int(np.prod(batch1 or (1,)))}, {m1}] but got: [{int(np.prod(batch2 or (1,)))}, {m2}]."
        )
    if da == 3 and db == 3 and batch1[0] != batch2[0]:
        if batch1[0] == 1 and a.requires_grad:
            return matmul(squeeze(a, 0), b)
        if batch2[0] == 1 and b.requires_grad:
            return matmul(a, squeeze(b, 0))
    try:
        output_shape = list(np.broadcast_shapes(batch1, batch2))
    except ValueError:
        raise RuntimeError(
            errors.broadcast_mismatch(batch1, batch2) or "shapes do not broadcast"
        ) from None
    product = int(np.prod(output_shape)) if output_shape else 1
    a_expanded = reshape(expand(a, *output_shape, n, m1), product, n, m1)
    vector = db == 1
    if vector:
        b_expanded = unsqueeze(reshape(expand(b, *output_shape, m2), product, m2), 2)
    else:
        b_expanded = reshape(expand(b, *output_shape, m2, p), product, m2, p)
    if da > 1:
        output_shape.append(n)
    if db > 1:
        output_shape.append(p)
    out = bmm(a_expanded, b_expanded)
    if vector:
        out = squeeze(out, -1)
    return unsafe_view(out, tuple(output_shape))


def _should_fold(a: TensorCore, b: TensorCore) -> bool:
    larger = a._data.ndim >= b._data.ndim
    t1 = a._data if larger else np.swapaxes(b._data, -1, -2)
    dim_t2 = b._data.ndim if larger else a._data.ndim
    if not (t1.ndim >= 3 and dim_t2 <= 2):
        return False
    t2_grad = b.requires_grad if larger else a.requires_grad
    if t2_grad:
        return True
    if a._data.ndim == 2:
        return False
    if t1.size == 0:
        return True
    strides = [s // t1.itemsize for s in t1.strides]
    return all(strides[i] == strides[i + 1] * t1.shape[i + 1] for i in range(t1.ndim - 2))


def linear(x: TensorCore, weight: TensorCore, bias: TensorCore | None = None):
    """x·weightᵀ + bias, as PyTorch composes it."""
    from .shape import reshape, t_, view

    wt = t_(weight)
    if x._data.ndim == 2 and bias is not None:
        return addmm(bias, x, wt)
    if (
        bias is not None
        and x._data.flags.c_contiguous
        and (x._data.ndim == 3 or bias._data.ndim == 1)
    ):
        sizes = x._data.shape
        flat = int(np.prod(sizes[:-1])) if sizes[:-1] else 1
        out = addmm(bias, reshape(x, flat, sizes[-1]), wt)
        new_size = sizes[:-1] + ((weight._data.shape[0],) if weight._data.ndim == 2 else ())
        return view(out, *new_size)
    out = matmul(x, wt)
    if bias is not None:
        from .inplace import add_

        add_(out, bias)
    return out


def outer(a: TensorCore, b: TensorCore):
    from .arithmetic import mul
    from .shape import reshape

    return mul(reshape(a, -1, 1), b)


for _name, _node, _kernel, _functions, _methods in (
    ("dot", DotBackward0, dot, "dot inner", "dot inner"),
    ("mv", MvBackward0, mv, "mv", "mv"),
    ("mm", MmBackward0, mm, "mm", "mm"),
    ("bmm", BmmBackward0, bmm, "bmm", "bmm"),
    ("addmm", AddmmBackward0, addmm, "addmm", "addmm"),
    ("matmul", MmBackward0, matmul, "matmul", "matmul __matmul__"),
    ("outer", None, outer, "outer ger", "outer ger"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)

__all__ = ["linear"]
