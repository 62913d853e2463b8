"""Provides softmax, log_softmax and the losses: mse, l1, nll, cross entropy, binary cross
entropy (with logits), smooth L1 and Huber — with the nodes PyTorch records for them."""

from __future__ import annotations

import numpy as np

from ..dtypes import OBJECT_DTYPE
from ..exact import sleef
from ..exact import softmax as exact_softmax
from ..exact.cascade import cascade_sum, nll_sum
from ..rng_libm import logf
from ..tensor_core import TensorCore
from .nodes import node_class
from .record import general, kernel_space, unary
from .table import declare

SoftmaxBackward0 = node_class(
    "SoftmaxBackward0",
    "f(a) = eᵃ / Σ eᵃ along `dim`;  ∂L/∂a = f·(g − Σ g·f)",
    lambda xp, g, n: (xp.softmax_backward(g, n.saved_result(xp), n._dim),),
    ("_dim",),
)
LogSoftmaxBackward0 = node_class(
    "LogSoftmaxBackward0",
    "f(a) = a − ln Σ eᵃ along `dim`;  ∂L/∂a = g − e^f·Σ g",
    lambda xp, g, n: (xp.log_softmax_backward(g, n.saved_result(xp), n._dim),),
    ("_dim",),
)


def _mse_backward(xp, g, n):
    a, t = n.saved_input(xp, 0), n.saved_input(xp, 1)
    local = xp.mse_backward(g, a, t, n._reduction)
    return (
        local if n.next_functions[0][0] is not None else None,
        xp.neg(local) if n.next_functions[1][0] is not None else None,
    )


MseLossBackward0 = node_class(
    "MseLossBackward0",
    "f(a, t) = mean((a − t)²);  ∂f/∂a = 2(a − t)/N,  ∂f/∂t = −2(a − t)/N",
    _mse_backward,
    ("_reduction",),
)
NllLossBackward0 = node_class(
    "NllLossBackward0",
    "f(a, y) = −mean over i of a[i, yᵢ];  ∂f/∂a[i, yᵢ] = −1/N, 0 elsewhere",
    lambda xp, g, n: (xp.nll_backward(g, n._shape, n._target, n._reduction, n._count), None),
    ("_shape", "_target", "_reduction", "_count"),
    keeps=True,
)
BinaryCrossEntropyBackward0 = node_class(
    "BinaryCrossEntropyBackward0",
    "f(p, t) = −mean(t·ln p + (1 − t)·ln(1 − p));  ∂f/∂p = (p − t)/(p(1 − p)N)",
    lambda xp, g, n: (
        xp.bce_backward(g, n.saved_input(xp, 0), n.saved_input(xp, 1), n._reduction),
        None,
    ),
    ("_reduction",),
)
BinaryCrossEntropyWithLogitsBackward0 = node_class(
    "BinaryCrossEntropyWithLogitsBackward0",
    "f(a, t) = BCE(σ(a), t);  ∂f/∂a = (σ(a) − t)/N",
    lambda xp, g, n: (
        xp.bce_logits_backward(g, n.saved_input(xp, 0), n.saved_input(xp, 1), n._reduction),
        None,
    ),
    ("_reduction",),
)
SmoothL1LossBackward0 = node_class(
    "SmoothL1LossBackward0",
    "f(a, t) = mean of ½d²/β where |d| < β, else |d| − β/2 (d = a − t);  ∂f/∂a = d/β or sign d",
    lambda xp, g, n: (
        xp.smooth_l1_backward(g, n.saved_input(xp, 0), n.saved_input(xp, 1), n._reduction, n._beta),
        None,
    ),
    ("_reduction", "_beta"),
)
HuberLossBackward0 = node_class(
    "HuberLossBackward0",
    "f(a, t) = mean of ½d² where |d| ≤ δ, else δ(|d| − δ/2);  ∂f/∂a = d or δ·sign d",
    lambda xp, g, n: (
        xp.huber_backward(g, n.saved_input(xp, 0), n.saved_input(xp, 1), n._reduction, n._beta),
        None,
    ),
    ("_reduction", "_beta"),
)


def _dim(t: TensorCore, dim) -> int | None:
    a = t._data
    if dim is None:
        import warnings

        warnings.warn(
            "Implicit dimension choice for softmax has been deprecated. Change the call to include "
            "dim=X as an argument.",
            UserWarning,
            stacklevel=4,
        )
        return 0 if a.ndim in (0, 1, 3) else 1
    return t._dim(dim) if a.ndim else None


def softmax(t: TensorCore, dim=None, dtype=None, *, _stacklevel: int = 3):
    a = t._data if dtype is None else t.to(dtype)._data
    if a.dtype.kind not in "fO":
        raise RuntimeError("\"softmax_lastdim_kernel_impl\" not implemented for 'Long'")
    axis = _dim(t, dim)
    if a.size == 0:
        return unary(t, a.copy(), SoftmaxBackward0, saves="result", _dim=axis)
    if a.dtype == np.float32:
        data = exact_softmax.softmax(a, axis or 0, log=False)
        return unary(t, data, SoftmaxBackward0, saves="result", _dim=axis)
    if a.dtype == OBJECT_DTYPE:
        xp = kernel_space(a)
        e = xp.exp(a)
        return unary(t, e / e.sum(axis=axis, keepdims=True), SoftmaxBackward0, _dim=axis)
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = np.exp(a - a.max(axis=axis, keepdims=True))
        data = shifted / shifted.sum(axis=axis, keepdims=True)
    return unary(t, data, SoftmaxBackward0, saves="result", _dim=axis)


def log_softmax(t: TensorCore, dim=None, dtype=None, *, _stacklevel: int = 3):
    a = t._data if dtype is None else t.to(dtype)._data
    if a.dtype.kind not in "fO":
        raise RuntimeError("\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'")
    axis = _dim(t, dim)
    if a.size == 0:
        return unary(t, a.copy(), LogSoftmaxBackward0, saves="result", _dim=axis)
    if a.dtype == np.float32:
        data = exact_softmax.softmax(a, axis or 0, log=True)
        return unary(t, data, LogSoftmaxBackward0, saves="result", _dim=axis)
    if a.dtype == OBJECT_DTYPE:
        xp = kernel_space(a)
        total = xp.exp(a).sum(axis=axis, keepdims=True)
        return unary(t, a - xp.log(total), LogSoftmaxBackward0, _dim=axis)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        shifted = a - a.max(axis=axis, keepdims=True)
        data = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return unary(t, data, LogSoftmaxBackward0, saves="result", _dim=axis)


def _rounded_log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x.astype(np.float64)).astype(x.dtype)


def _logf(x: np.ndarray) -> np.ndarray:
    """glibc's logf where its port applies (positive normal floats), rounded log elsewhere."""
    normal = (x >= np.float32(2.0**-126)) & np.isfinite(x)
    out = _rounded_log(x)
    if normal.any():
        out[normal] = logf(np.ascontiguousarray(x[normal]))
    return out


def _total(values: np.ndarray) -> np.ndarray:
    if values.dtype in (np.float32, np.float64):
        return cascade_sum(values, tuple(range(values.ndim)))
    return np.asarray(values.sum(), dtype=values.dtype)


def _reduce(values: np.ndarray, reduction: str) -> np.ndarray:
    """The loss's reduction as `apply_loss_reduction` does it: sum() or mean() of the losses."""
    if reduction == "mean":
        return np.asarray(
            _total(values) / values.dtype.type(values.size) if values.size else np.nan,
            dtype=values.dtype,
        )
    if reduction == "sum":
        return np.asarray(_total(values), dtype=values.dtype)
    if reduction == "none":
        return values
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _same_shape(a: np.ndarray, t: np.ndarray, name: str) -> np.ndarray:
    if a.shape != t.shape:
        import warnings

        warnings.warn(
            f"Using a target size ({_size(t.shape)}) that is different to the input size "
            f"({_size(a.shape)}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=4,
        )
    return t


def _size(shape: tuple) -> str:
    return "torch.Size([" + ", ".join(str(n) for n in shape) + "])"


def mse_loss(
    x: TensorCore, target: TensorCore, size_average=None, reduce=None, reduction: str = "mean"
):
    a, t = x._data, target._data
    _same_shape(a, t, "mse_loss")
    diff = a - t
    data = _reduce(diff * diff, reduction)
    return general((x, target), data, MseLossBackward0, saved=(0, 1), _reduction=reduction)


def l1_loss(
    x: TensorCore, target: TensorCore, size_average=None, reduce=None, reduction: str = "mean"
):
    from .arithmetic import sub
    from .reduce import mean, sum_
    from .unary import KERNELS

    _same_shape(x._data, target._data, "l1_loss")
    loss = KERNELS["abs"](sub(x, target))
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return sum_(loss)
    return loss


def nll_loss(
    x: TensorCore,
    target: TensorCore,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
):
    a = x._data
    labels = target._data
    if labels.dtype.kind not in "iu":
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.name.capitalize()}")
    single = a.ndim == 1
    scores = a.reshape(1, -1) if single else a
    picks = labels.reshape(1) if single else labels
    if scores.shape[0] != picks.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({scores.shape[0]}) to match target batch_size ({picks.shape[0]})."
        )
    classes = scores.shape[1]
    keep = picks != ignore_index
    if np.any((picks[keep] < 0) | (picks[keep] >= classes)):
        bad = int(picks[keep][(picks[keep] < 0) | (picks[keep] >= classes)][0])
        raise IndexError(f"Target {bad} is out of bounds.")
    safe = np.where(keep, picks, 0)
    count = int(keep.sum())
    if a.dtype == OBJECT_DTYPE:  # lifted values: exactly
        chosen = np.where(keep, -scores[np.arange(scores.shape[0]), safe], 0)
        if reduction == "none":
            data = chosen.reshape(labels.shape) if not single else chosen.reshape(())
        else:
            data = np.asarray(chosen.sum() if reduction == "sum" else chosen.sum() / count)
        return general(
            (x, target),
            data,
            NllLossBackward0,
            _shape=a.shape,
            _target=(safe, keep, single),
            _reduction=reduction,
            _count=count,
        )
    chosen = -scores[np.arange(scores.shape[0]), safe] * keep
    if reduction == "none":
        data = chosen.reshape(labels.shape) if not single else chosen.reshape(())
    else:
        with np.errstate(all="ignore"):
            total = nll_sum(scores[np.arange(scores.shape[0]), safe], keep)
            data = total if reduction == "sum" else total / a.dtype.type(count)
        data = np.asarray(data, dtype=a.dtype)
    return general(
        (x, target),
        data,
        NllLossBackward0,
        _shape=a.shape,
        _target=(safe, keep, single),
        _reduction=reduction,
        _count=count,
    )


def cross_entropy(
    x: TensorCore,
    target: TensorCore,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
):
    dim = 0 if x._data.ndim == 1 else 1
    logp = log_softmax(x, dim)
    if target._data.dtype.kind == "f":
        from .arithmetic import mul, neg
        from .reduce import sum_

        if reduction == "mean":
            return _prob_mean(logp, target, x)
        return neg(sum_(mul(logp, target)))
    return nll_loss(logp, target, ignore_index=ignore_index, reduction=reduction)


def _prob_mean(logp: TensorCore, target: TensorCore, x: TensorCore):
    from .arithmetic import mul, neg
    from .reduce import sum_
    from .scalars import div_scalar

    batch = x._data.shape[0] if x._data.ndim > 1 else 1
    return div_scalar(neg(sum_(mul(logp, target))), batch)


def binary_cross_entropy(
    p: TensorCore,
    target: TensorCore,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    a, t = p._data, target._data
    if a.shape != t.shape:
        raise ValueError(
            f"Using a target size ({_size(t.shape)}) that is different to the input size ({_size(a.shape)}) is deprecated. Please ensure they have the same size."
        )
    if np.any((a < 0) | (a > 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore", invalid="ignore"):
        if a.dtype == np.float32 and t.dtype == np.float32:
            # the kernel's expression and order: glibc's logf; log1p rounded from double
            # (glibc's log1pf itself is not followed)
            floor = np.float32(-100)
            log_p = np.maximum(_logf(a), floor)
            log_q = np.maximum(np.log1p(-a.astype(np.float64)).astype(np.float32), floor)
            losses = (t - np.float32(1)) * log_q - t * log_p
        else:
            losses = -(t * np.maximum(np.log(a), -100) + (1 - t) * np.maximum(np.log1p(-a), -100))
    data = _reduce(losses.astype(a.dtype), reduction)
    return general(
        (p, target), data, BinaryCrossEntropyBackward0, saved=(0, 1), _reduction=reduction
    )


def binary_cross_entropy_with_logits(
    x: TensorCore,
    target: TensorCore,
    weight=None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight=None,
):
    a, t = x._data, target._data
    if a.shape != t.shape:
        raise ValueError(
            f"Target size ({_size(t.shape)}) must be the same as input size ({_size(a.shape)})"
        )
    with np.errstate(over="ignore"):
        if a.dtype == np.float32 and t.dtype == a.dtype:
            # (1 − t)·x − log_sigmoid(x), log_sigmoid = min(x, 0) − log1p(e^−|x|) in Sleef
            one, zero = np.float32(1), np.float32(0)
            log_sigmoid = np.minimum(a, zero) - sleef.log1pf(sleef.expf(-np.abs(a)))
            losses = (one - t) * a - log_sigmoid
        else:
            losses = (1 - t) * a + np.log1p(np.exp(-np.abs(a))) + np.maximum(-a, 0)
    data = _reduce(losses.astype(a.dtype), reduction)
    return general(
        (x, target), data, BinaryCrossEntropyWithLogitsBackward0, saved=(0, 1), _reduction=reduction
    )


def smooth_l1_loss(
    x: TensorCore,
    target: TensorCore,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    beta: float = 1.0,
):
    d = x._data - target._data
    ad = np.abs(d)
    losses = np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta).astype(d.dtype)
    return general(
        (x, target),
        _reduce(losses, reduction),
        SmoothL1LossBackward0,
        saved=(0, 1),
        _reduction=reduction,
        _beta=beta,
    )


def huber_loss(x: TensorCore, target: TensorCore, reduction: str = "mean", delta: float = 1.0):
    d = x._data - target._data
    ad = np.abs(d)
    losses = np.where(ad <= delta, 0.5 * d * d, delta * (ad - 0.5 * delta)).astype(d.dtype)
    return general(
        (x, target),
        _reduce(losses, reduction),
        HuberLossBackward0,
        saved=(0, 1),
        _reduction=reduction,
        _beta=delta,
    )


for _name, _node, _kernel, _functions, _methods in (
    ("softmax", SoftmaxBackward0, softmax, "softmax", "softmax"),
    ("log_softmax", LogSoftmaxBackward0, log_softmax, "log_softmax", "log_softmax"),
    ("mse_loss", MseLossBackward0, mse_loss, "", ""),
    ("l1_loss", None, l1_loss, "", ""),
    ("nll_loss", NllLossBackward0, nll_loss, "", ""),
    ("cross_entropy", NllLossBackward0, cross_entropy, "", ""),
    ("binary_cross_entropy", BinaryCrossEntropyBackward0, binary_cross_entropy, "", ""),
    (
        "binary_cross_entropy_with_logits",
        BinaryCrossEntropyWithLogitsBackward0,
        binary_cross_entropy_with_logits,
        "",
        "",
    ),
    ("smooth_l1_loss", SmoothL1LossBackward0, smooth_l1_loss, "", ""),
    ("huber_loss", HuberLossBackward0, huber_loss, "", ""),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
