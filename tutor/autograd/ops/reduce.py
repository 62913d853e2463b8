"""Provides the reductions: sum, mean, prod, max, min, argmax, std, var, norm, logsumexp,
cumsum, all, any — and their nodes."""

from __future__ import annotations

import numpy as np

from ..dtypes import OBJECT_DTYPE, to_numpy_dtype
from ..exact.cascade import cascade_sum
from ..exact.vec import lanes
from ..lifting import numbers_of
from ..tensor_core import TensorCore, result
from .nodes import node_class
from .record import unary
from .table import declare

_ALL = object()


def _spread(xp, g, n):
    """The gradient of a reduction over n._dims, broadcast back over them."""
    if not n._keepdim and n._dims is not None:
        g = xp.unsqueeze_dims(g, n._dims)
    return xp.expand(g, n._shape)


SumBackward0 = node_class(
    "SumBackward0",
    "f(a) = Σᵢ aᵢ;  ∂f/∂aᵢ = 1",
    lambda xp, g, n: (xp.expand(g, n._shape),),
    ("_shape",),
)
SumBackward1 = node_class(
    "SumBackward1",
    "f(a) = Σ of a over `dim`;  ∂f/∂a = 1, spread back over the summed dimensions",
    lambda xp, g, n: (_spread(xp, g, n),),
    ("_shape", "_dims", "_keepdim"),
)
MeanBackward0 = node_class(
    "MeanBackward0",
    "f(a) = (1/N)·Σᵢ aᵢ;  ∂f/∂aᵢ = 1/N",
    lambda xp, g, n: (xp.div_scalar(xp.expand(g, n._shape), n._count),),
    ("_shape", "_count"),
)
MeanBackward1 = node_class(
    "MeanBackward1",
    "f(a) = mean of a over `dim`;  ∂f/∂a = 1/N, N the number of elements averaged",
    lambda xp, g, n: (xp.div_scalar(_spread(xp, g, n), n._count),),
    ("_shape", "_dims", "_keepdim", "_count"),
)


def _evenly(xp, g, n):
    a = n.saved_input(xp, 0)
    top = n.saved_result(xp)
    return (xp.evenly_distribute(g, a, top),)


MaxBackward1 = node_class(
    "MaxBackward1",
    "f(a) = max a;  ∂f/∂aᵢ = 1/k where aᵢ is one of the k largest (ties share, NaN wins)",
    _evenly,
)
MinBackward1 = node_class(
    "MinBackward1", "f(a) = min a;  ∂f/∂aᵢ = 1/k where aᵢ is one of the k smallest", _evenly
)


def _selected(xp, g, n):
    indices = n._indices
    if not n._keepdim:
        g = xp.unsqueeze_dims(g, (n._dim,))
        indices = np.expand_dims(indices, n._dim)
    return (xp.put_along(g, n._shape, indices, n._dim),)


_SELECT_SLOTS = ("_shape", "_dim", "_keepdim", "_indices")
MaxBackward0 = node_class(
    "MaxBackward0",
    "f(a) = max of a along `dim`;  ∂f/∂a = 1 at the index chosen, 0 elsewhere",
    _selected,
    _SELECT_SLOTS,
    keeps=True,
)
MinBackward0 = node_class(
    "MinBackward0",
    "f(a) = min of a along `dim`;  ∂f/∂a = 1 at the index chosen, 0 elsewhere",
    _selected,
    _SELECT_SLOTS,
    keeps=True,
)
MedianBackward0 = node_class(
    "MedianBackward0",
    "f(a) = the median of a;  ∂f/∂a = 1 at the element chosen, 0 elsewhere",
    lambda xp, g, n: (xp.place(g, n._shape, n._where),),
    ("_shape", "_where"),
)
AmaxBackward0 = node_class(
    "AmaxBackward0",
    "f(a) = max of a over `dim`;  ∂f/∂a = 1/k at the k largest along it",
    lambda xp, g, n: (
        xp.amax_backward(g, n.saved_input(xp, 0), n.saved_result(xp), n._dims, n._keepdim),
    ),
    ("_dims", "_keepdim"),
)


def _prod_backward(xp, g, n):
    a = n.saved_input(xp, 0)
    out = n.saved_result(xp)
    return (xp.prod_backward(g, a, out, n._dims, n._keepdim),)


ProdBackward0 = node_class(
    "ProdBackward0", "f(a) = Πᵢ aᵢ;  ∂f/∂aᵢ = Πⱼ≠ᵢ aⱼ", _prod_backward, ("_dims", "_keepdim")
)
ProdBackward1 = node_class(
    "ProdBackward1",
    "f(a) = Π of a over `dim`;  ∂f/∂aᵢ = Π of the others",
    _prod_backward,
    ("_dims", "_keepdim"),
)
VarBackward0 = node_class(
    "VarBackward0",
    "f(a) = Σ(a − ā)²/(N − c);  ∂f/∂a = 2(a − ā)/(N − c)",
    lambda xp, g, n: (
        xp.var_backward(g, n.saved_input(xp, 0), n._dims, n._correction, n._keepdim),
    ),
    ("_dims", "_correction", "_keepdim"),
)
StdBackward0 = node_class(
    "StdBackward0",
    "f(a) = √var(a);  ∂f/∂a = (a − ā)/((N − c)·f)",
    lambda xp, g, n: (
        xp.std_backward(
            g, n.saved_input(xp, 0), n.saved_result(xp), n._dims, n._correction, n._keepdim
        ),
    ),
    ("_dims", "_correction", "_keepdim"),
)
LinalgVectorNormBackward0 = node_class(
    "LinalgVectorNormBackward0",
    "f(a) = ‖a‖ₚ;  ∂f/∂a = a·|a|^(p−2)/‖a‖^(p−1) (a/‖a‖ for p = 2)",
    lambda xp, g, n: (
        xp.norm_backward(g, n.saved_input(xp, 0), n.saved_result(xp), n._ord, n._dims, n._keepdim),
    ),
    ("_ord", "_dims", "_keepdim"),
)
LogsumexpBackward0 = node_class(
    "LogsumexpBackward0",
    "f(a) = ln Σ eᵃ over `dim`;  ∂f/∂a = e^(a − f)",
    lambda xp, g, n: (
        xp.logsumexp_backward(g, n.saved_input(xp, 0), n.saved_result(xp), n._dims, n._keepdim),
    ),
    ("_dims", "_keepdim"),
)
CumsumBackward0 = node_class(
    "CumsumBackward0",
    "f(a)ᵢ = Σⱼ≤ᵢ aⱼ along `dim`;  ∂L/∂aⱼ = Σᵢ≥ⱼ gᵢ",
    lambda xp, g, n: (xp.cumsum_backward(g, n._dim),),
    ("_dim",),
)


class ReturnTypes(tuple):
    """`torch.return_types.max` and friends: (values, indices) with names."""

    __slots__ = ()
    _kind = "max"

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self) -> str:
        return f"torch.return_types.{self._kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _returns(kind: str) -> type:
    return type(kind, (ReturnTypes,), {"__slots__": (), "_kind": kind})


_RETURNS = {
    name: _returns(name) for name in ("max", "min", "median", "mode", "sort", "topk", "kthvalue")
}


def _dims(t: TensorCore, dim) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(t._data.ndim))
    if isinstance(dim, list | tuple):
        return tuple(sorted(t._dim(d) for d in dim))
    return (t._dim(dim),)


def _accumulating(a: np.ndarray, dtype) -> np.dtype:
    if dtype is not None:
        return to_numpy_dtype(dtype)
    return a.dtype if a.dtype.kind in "fO" else np.dtype(np.int64)


_CASCADED = (np.dtype(np.float32), np.dtype(np.float64))


def _total(a: np.ndarray, dims: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """Σ over `dims` (all when None) in `a`'s dtype; floats in PyTorch's cascade order."""
    if a.dtype in _CASCADED:
        return cascade_sum(a, tuple(range(a.ndim)) if dims is None else dims, keepdim)
    data = np.asarray(np.add.reduce(a, axis=dims, keepdims=keepdim))
    return data if data.dtype == a.dtype else data.astype(a.dtype)


def sum_(t: TensorCore, dim=_ALL, keepdim: bool = False, *, dtype=None):
    a = t._data
    if dim is _ALL and dtype is None and a.dtype in _CASCADED:
        return unary(t, cascade_sum(a, tuple(range(a.ndim))), SumBackward0, _shape=a.shape)
    out_dtype = _accumulating(a, dtype)
    if dim is _ALL or (dim is None and not keepdim):
        data = _total(a.astype(out_dtype, copy=False), None, False)
        return unary(t, data, SumBackward0, _shape=a.shape)
    dims = _dims(t, dim)
    data = _total(a.astype(out_dtype, copy=False), dims, keepdim)
    return unary(t, data, SumBackward1, _shape=a.shape, _dims=dims, _keepdim=keepdim)


def _floating_only(a: np.ndarray, name: str) -> None:
    if a.dtype.kind not in "fO":
        kind = "Long" if a.dtype.kind in "iu" else "Bool"
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {kind}"
        )


def mean(t: TensorCore, dim=_ALL, keepdim: bool = False, *, dtype=None):
    a = t._data
    if dtype is not None:
        a = a.astype(to_numpy_dtype(dtype))
    _floating_only(a, "mean")
    if dim is _ALL or (dim is None and not keepdim):
        if a.dtype.kind == "f":
            data = np.asarray(_total(a, None, False) / a.dtype.type(a.size), dtype=a.dtype)
        else:
            data = np.asarray(a.mean())
        return unary(t, data, MeanBackward0, _shape=a.shape, _count=a.size)
    dims = _dims(t, dim)
    count = int(np.prod([a.shape[d] for d in dims])) if a.ndim else 1
    if a.dtype.kind == "f":
        data = np.asarray(_total(a, dims, keepdim) / a.dtype.type(count), dtype=a.dtype)
    else:
        data = np.asarray(a.sum(axis=dims, keepdims=keepdim) / count)
    return unary(t, data, MeanBackward1, _shape=a.shape, _dims=dims, _keepdim=keepdim, _count=count)


def prod(t: TensorCore, dim=_ALL, keepdim: bool = False, *, dtype=None):
    a = t._data
    out_dtype = _accumulating(a, dtype)
    if dim is _ALL:
        data = np.asarray(np.multiply.reduce(a.astype(out_dtype, copy=False), axis=None))
        return unary(t, data, ProdBackward0, saves="input+result", _dims=None, _keepdim=False)
    dims = _dims(t, dim)
    data = np.asarray(
        np.multiply.reduce(a.astype(out_dtype, copy=False), axis=dims, keepdims=keepdim)
    )
    return unary(t, data, ProdBackward1, saves="input+result", _dims=dims, _keepdim=keepdim)


def _extreme(t: TensorCore, dim, keepdim: bool, biggest: bool, *, other=None):
    if other is not None:
        from .select import maximum, minimum

        return (maximum if biggest else minimum)(t, other)
    a = t._data
    name = "max" if biggest else "min"
    if dim is None:
        if a.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                "the reduction dim with the 'dim' argument."
            )
        if a.dtype == OBJECT_DTYPE:  # lifted: the element that is largest at the values
            values = numbers_of(a).reshape(-1)
            data = _object_scalar(a.reshape(-1)[values.argmax() if biggest else values.argmin()])
        else:
            data = np.asarray(a.max() if biggest else a.min())
        if a.dtype.kind == "f" and np.isnan(a).any():
            data = np.asarray(np.nan, dtype=a.dtype)
        return unary(t, data, MaxBackward1 if biggest else MinBackward1, saves="input+result")
    if isinstance(dim, TensorCore):
        from .select import maximum, minimum

        return (maximum if biggest else minimum)(t, dim)
    axis = t._dim(dim) if a.ndim else None
    if axis is not None and a.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    find = np.argmax if biggest else np.argmin
    if a.dtype.kind == "f" and np.isnan(a).any():
        masked = np.where(np.isnan(a), np.inf if biggest else -np.inf, a)
        indices = find(masked, axis=axis, keepdims=keepdim)
        nan_at = np.isnan(a).argmax(axis=axis, keepdims=keepdim)
        indices = np.where(np.isnan(a).any(axis=axis, keepdims=keepdim), nan_at, indices)
    else:
        values = numbers_of(a)
        indices = find(values, axis=axis, keepdims=keepdim) if a.ndim else np.zeros((), np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    if a.ndim:
        gathered = np.take_along_axis(
            a, indices if keepdim else np.expand_dims(indices, axis), axis
        )
        data = gathered if keepdim else np.squeeze(gathered, axis)
    else:
        data = a.copy()
    node = MaxBackward0 if biggest else MinBackward0
    values = unary(
        t,
        np.array(data),
        node,
        _shape=a.shape,
        _dim=axis if axis is not None else 0,
        _keepdim=keepdim or a.ndim == 0,
        _indices=indices,
    )
    return _RETURNS[name]((values, result(indices)))


def max_(t: TensorCore, dim=None, keepdim: bool = False, *, other=None):
    return _extreme(t, dim, keepdim, True, other=other)


def min_(t: TensorCore, dim=None, keepdim: bool = False, *, other=None):
    return _extreme(t, dim, keepdim, False, other=other)


def _object_scalar(value) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = value
    return out


def _object_amax(a: np.ndarray, dims, keepdim: bool) -> np.ndarray:
    """amax of lifted values: in each reduced set, the element largest at the values."""
    axes = tuple(range(a.ndim)) if dims is None else tuple(d % a.ndim for d in np.atleast_1d(dims))
    kept = [d for d in range(a.ndim) if d not in axes]
    moved = np.transpose(a, kept + list(axes))
    rows = moved.reshape(int(np.prod([a.shape[d] for d in kept], dtype=int)), -1)
    picks = numbers_of(rows).argmax(axis=1)
    out = rows[np.arange(rows.shape[0]), picks].reshape([a.shape[d] for d in kept])
    if keepdim:
        out = out.reshape([1 if d in axes else a.shape[d] for d in range(a.ndim)])
    return out if out.ndim else _object_scalar(out[()])


def amax(t: TensorCore, dim=(), keepdim: bool = False):
    dims = _dims(t, dim if dim != () else None)
    if t._data.dtype == OBJECT_DTYPE:
        data = _object_amax(t._data, dims, keepdim)
    else:
        data = np.asarray(t._data.max(axis=dims, keepdims=keepdim))
    return unary(t, data, AmaxBackward0, saves="input+result", _dims=dims, _keepdim=keepdim)


def _arg(t: TensorCore, dim, keepdim: bool, biggest: bool):
    a = numbers_of(t._data)
    name = "argmax" if biggest else "argmin"
    find = np.argmax if biggest else np.argmin
    if a.dtype.kind == "b":
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None:
        if a.size == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        index = np.asarray(find(a), dtype=np.int64)
        return result(index.reshape((1,) * a.ndim) if keepdim else index)
    axis = t._dim(dim)
    if a.ndim == 0:
        return result(np.zeros((), dtype=np.int64))
    if a.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    return result(np.asarray(find(a, axis=axis, keepdims=keepdim), dtype=np.int64))


def argmax(t: TensorCore, dim=None, keepdim: bool = False):
    """The index of the largest element (of the flattened tensor when `dim` is None)."""
    return _arg(t, dim, keepdim, True)


def argmin(t: TensorCore, dim=None, keepdim: bool = False):
    """The index of the smallest element (of the flattened tensor when `dim` is None)."""
    return _arg(t, dim, keepdim, False)


def _correction(unbiased, correction) -> float:
    if correction is not None:
        return float(correction)
    return 1.0 if unbiased in (None, True) else 0.0


def _variance(a: np.ndarray, dims, correction: float, keepdim: bool, root: bool) -> np.ndarray:
    """var (or std) in the accumulate type, double, as PyTorch's CPU kernels compute it. Over
    every element (`std_var_all_cpu`): the tensor's own mean, then Σ(x − mean)² added in turn."""
    if a.dtype == OBJECT_DTYPE:  # lifted values: exactly, Σ(x − mean)² / (n − correction)
        count = int(np.prod([a.shape[d] for d in dims])) if a.ndim else 1
        mean = a.sum(axis=dims, keepdims=True) / count
        divisor = count - int(correction) if float(correction).is_integer() else count - correction
        data = ((a - mean) ** 2).sum(axis=dims, keepdims=keepdim) / divisor
        data = np.sqrt(data) if root else data
        return data if isinstance(data, np.ndarray) else _object_scalar(data)
    if a.dtype.kind != "f":
        data = a.var(axis=dims, ddof=correction, keepdims=keepdim)
        return np.asarray(np.sqrt(data) if root else data, dtype=a.dtype)
    wide = a.astype(np.float64)
    if len(dims) == a.ndim and a.dtype in _CASCADED and a.size:
        mean = np.float64(_total(a, None, False) / a.dtype.type(a.size))
        dx = wide.reshape(-1) - mean
        total = np.add.accumulate(dx * dx)[-1]
        data = np.full((1,) * a.ndim if keepdim else (), total / max(0.0, a.size - correction))
    else:
        data = wide.var(axis=dims, ddof=correction, keepdims=keepdim)
    return np.asarray(np.sqrt(data) if root else data).astype(a.dtype)


def var(t: TensorCore, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    a = t._data
    _floating_only(a, "var")
    c = _correction(unbiased, correction)
    dims = _dims(t, dim)
    with np.errstate(all="ignore"):
        data = _variance(a, dims, c, keepdim, root=False)
    return unary(t, data, VarBackward0, saves="input", _dims=dims, _correction=c, _keepdim=keepdim)


def std(t: TensorCore, dim=None, unbiased=None, keepdim: bool = False, *, correction=None):
    a = t._data
    _floating_only(a, "std")
    c = _correction(unbiased, correction)
    dims = _dims(t, dim)
    with np.errstate(all="ignore"):
        data = _variance(a, dims, c, keepdim, root=True)
    return unary(
        t, data, StdBackward0, saves="input+result", _dims=dims, _correction=c, _keepdim=keepdim
    )


def _norm_two(x: np.ndarray) -> np.float32:
    """‖x‖₂ of contiguous float32 as `norm_kernel_tensor_iterator_impl`'s last-dimension path:
    8 lanes of running x², the lanes added in turn, the tail squared onto the total, sqrt. Rows
    shorter than a vector differ from PyTorch in a few percent of cases (path not identified)."""
    width = lanes(x.dtype, "norm")
    full = x.size // width
    vectors = x[: full * width].reshape(full, width)
    squares = vectors * vectors
    acc = np.add.accumulate(squares, axis=0)[-1] if full else np.zeros(width, np.float32)
    total = acc[0]
    for lane in acc[1:]:
        total = total + lane
    for value in x[full * width :]:
        total = total + value * value
    return np.sqrt(np.float32(total))


def norm(t: TensorCore, p=2, dim=None, keepdim: bool = False):
    a = t._data
    _floating_only(a, "linalg.vector_norm")
    order = 2.0 if p in (None, "fro") else float(p)
    dims = _dims(t, dim)
    with np.errstate(all="ignore"):
        if order == float("inf"):
            data = np.abs(a).max(axis=dims, keepdims=keepdim)
        elif order == 2 and a.dtype == np.float32 and len(dims) == a.ndim and a.flags.c_contiguous:
            data = np.full((1,) * a.ndim if keepdim else (), _norm_two(a.reshape(-1)))
        elif order == 2:
            data = np.sqrt((a * a).sum(axis=dims, keepdims=keepdim))
        elif order == 1:
            data = np.abs(a).sum(axis=dims, keepdims=keepdim)
        else:
            data = (np.abs(a) ** order).sum(axis=dims, keepdims=keepdim) ** (1 / order)
    data = np.asarray(data, dtype=a.dtype)
    return unary(
        t,
        data,
        LinalgVectorNormBackward0,
        saves="input+result",
        _ord=order,
        _dims=dims,
        _keepdim=keepdim,
    )


def logsumexp(t: TensorCore, dim, keepdim: bool = False):
    a = t._data
    dims = _dims(t, dim)
    top = a.max(axis=dims, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    with np.errstate(all="ignore"):
        if a.dtype in _CASCADED:
            # exp and log go through MKL's VML in PyTorch: correctly rounded here, which is
            # what VML gives for all but a few inputs; the sum is PyTorch's cascade
            exps = np.exp((a - top).astype(np.float64)).astype(a.dtype)
            total = _total(exps, dims, True).astype(np.float64)
            data = np.log(total).astype(a.dtype) + top
        else:
            data = np.log(np.exp(a - top).sum(axis=dims, keepdims=True)) + top
    if not keepdim:
        data = np.squeeze(data, dims)
    return unary(
        t,
        np.asarray(data, dtype=a.dtype),
        LogsumexpBackward0,
        saves="input+result",
        _dims=dims,
        _keepdim=keepdim,
    )


def cumsum(t: TensorCore, dim: int, *, dtype=None):
    a = t._data
    d = t._dim(dim)
    out = _accumulating(a, dtype)
    if not a.ndim:
        data = a.astype(out).copy()
    elif np.dtype(out) == np.float32:
        # cumsum's running sum is in the accumulate type, double, each output rounded from it
        data = np.cumsum(a.astype(np.float64), axis=d).astype(np.float32)
    else:
        data = np.cumsum(a.astype(out, copy=False), axis=d)
    return unary(t, data, CumsumBackward0, _dim=d)


def median(t: TensorCore, dim=None, keepdim: bool = False):
    a = t._data
    if dim is None:
        flat = a.reshape(-1)
        order = np.argsort(flat, kind="stable")
        pick = int(order[(flat.size - 1) // 2])
        where = np.unravel_index(pick, a.shape) if a.ndim else ()
        return unary(t, np.asarray(flat[pick]), MedianBackward0, _shape=a.shape, _where=where)
    raise RuntimeError("median(dim) is not supported by the tutor's engine yet")


def all_(t: TensorCore, dim=None, keepdim: bool = False):
    a = t._data
    return result(
        np.asarray(
            a.astype(bool).all()
            if dim is None
            else a.astype(bool).all(axis=t._dim(dim), keepdims=keepdim)
        )
    )


def any_(t: TensorCore, dim=None, keepdim: bool = False):
    a = t._data
    return result(
        np.asarray(
            a.astype(bool).any()
            if dim is None
            else a.astype(bool).any(axis=t._dim(dim), keepdims=keepdim)
        )
    )


for _name, _node, _kernel, _functions, _methods in (
    ("sum", SumBackward0, sum_, "sum", "sum"),
    ("mean", MeanBackward0, mean, "mean", "mean"),
    ("prod", ProdBackward0, prod, "prod", "prod"),
    ("max", MaxBackward1, max_, "max", "max"),
    ("min", MinBackward1, min_, "min", "min"),
    ("amax", AmaxBackward0, amax, "amax", "amax"),
    ("argmax", None, argmax, "argmax", "argmax"),
    ("argmin", None, argmin, "argmin", "argmin"),
    ("var", VarBackward0, var, "var", "var"),
    ("std", StdBackward0, std, "std", "std"),
    ("norm", LinalgVectorNormBackward0, norm, "norm", "norm"),
    ("logsumexp", LogsumexpBackward0, logsumexp, "logsumexp", "logsumexp"),
    ("cumsum", CumsumBackward0, cumsum, "cumsum", "cumsum"),
    ("median", MedianBackward0, median, "median", "median"),
    ("all", None, all_, "all", "all"),
    ("any", None, any_, "any", "any"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
