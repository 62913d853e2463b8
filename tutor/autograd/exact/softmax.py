"""Provides softmax and log_softmax, forward and backward, for float32 as PyTorch's CPU kernels
compute them (aten/src/ATen/native/cpu/SoftMaxKernel.cpp, LogSoftmaxKernelImpl.h): Sleef's
expf and logf, the sums of `vec::reduce_all`, and std::exp where a kernel's scalar tail uses it.

Along the last dimension each row is one `vec::` pass (every element vectorised); along
another dimension the positions of the inner dimensions go a vector at a time, the last
inner % lanes positions through the scalar loop."""

from __future__ import annotations

import numpy as np

from ..fused import fma as fused
from . import glibc, sleef
from .vec import lanes, reduce_all

_F = np.float32


def _fma(a, b, c) -> np.ndarray:
    return fused(a, b, c, np.float32)


def _rows(a: np.ndarray, axis: int) -> tuple[np.ndarray, int, bool]:
    """a (made contiguous, as PyTorch makes it) as (outer, dim, inner), the inner size, and
    whether the kernel is the last-dimension one."""
    a = np.ascontiguousarray(a)
    if a.ndim == 0:
        return a.reshape(1, 1, 1), 1, True
    outer = int(np.prod(a.shape[:axis]))
    inner = int(np.prod(a.shape[axis + 1 :]))
    return a.reshape(outer, a.shape[axis], inner), inner, axis == a.ndim - 1


def _exp_by_position(x: np.ndarray, inner: int, width: int) -> np.ndarray:
    """exp of x (outer, dim, inner): Sleef where the position is in a whole vector, std::exp
    for the last inner % width positions."""
    cut = inner - inner % width
    out = np.empty_like(x)
    out[..., :cut] = sleef.expf(x[..., :cut])
    out[..., cut:] = glibc.expf(x[..., cut:])
    return out


def _fold_dim(values: np.ndarray) -> np.ndarray:
    """0 + v₀ + v₁ + … along the softmax dimension (axis 1), as the vertical loops add."""
    total = np.zeros(values.shape[:1] + values.shape[2:], values.dtype)
    for d in range(values.shape[1]):
        total += values[:, d]
    return total


def softmax(a: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """softmax / log_softmax of float32 `a` along `axis`."""
    x, inner, last = _rows(a, axis)
    width = lanes(np.float32, "softmax")
    with np.errstate(all="ignore"):
        shifted = x - x.max(axis=1, keepdims=True)
        if last:
            rows = shifted[:, :, 0]
            e = sleef.expf(rows)
            total = reduce_all(e, width)[:, None]
            out = rows - sleef.logf(total) if log else e * (_F(1) / total)
        else:
            e = _exp_by_position(shifted, inner, width)
            total = _fold_dim(e)[:, None, :]
            out = shifted - sleef.logf(total) if log else e / total
        return out.reshape(a.shape)


def _dot_rows(g: np.ndarray, y: np.ndarray, width: int) -> np.ndarray:
    """`vec::map2_reduce_all` of g·y with +: whole vectors add rounded products, the partial
    last vector's a + g·y is fused (as measured against the AVX-512 build)."""
    n = g.shape[-1]
    if n < width:
        return reduce_all(g * y, width)
    full = n // width
    acc = g[:, :width] * y[:, :width]
    for k in range(1, full):
        part = slice(k * width, (k + 1) * width)
        acc = acc + g[:, part] * y[:, part]
    tail = n - full * width
    if tail:
        acc[:, :tail] = _fma(g[:, full * width :], y[:, full * width :], acc[:, :tail])
    while width > 1:
        width //= 2
        acc = acc[:, :width] + acc[:, width:]
    return acc[:, 0]


def softmax_backward(g: np.ndarray, y: np.ndarray, axis: int, log: bool) -> np.ndarray:
    """The gradient of softmax / log_softmax from the output gradient g and the output y
    (log_softmax's g − e^y·Σg fused into one rounding, as the compiler fuses it)."""
    shape = np.shape(y)
    gx, inner, last = _rows(np.broadcast_to(g, shape), axis)
    yx, _, _ = _rows(y, axis)
    width = lanes(np.float32, "softmax")
    with np.errstate(all="ignore"):
        if last:
            gr, yr = gx[:, :, 0], yx[:, :, 0]
            if log:
                out = _fma(-sleef.expf(yr), reduce_all(gr, width)[:, None], gr)
            else:
                out = (gr - _dot_rows(gr, yr, width)[:, None]) * yr
        elif log:
            out = _fma(-_exp_by_position(yx, inner, width), _fold_dim(gx)[:, None, :], gx)
        else:
            total = np.zeros(gx.shape[:1] + gx.shape[2:], np.float32)
            for d in range(gx.shape[1]):
                total = _fma(gx[:, d], yx[:, d], total)
            out = yx * (gx - total[:, None, :])
        return out.reshape(shape)
