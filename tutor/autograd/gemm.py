"""Provides matrix products as PyTorch's CPU BLAS rounds them: for the sizes a learner writes,
each output is a chain of fused multiply-adds along the inner dimension (what MKL's kernels
compute there); large products go to numpy's BLAS."""

from __future__ import annotations

import numpy as np

from .fused import fma

# above this many multiply-adds (or this inner size, where MKL splits the chain into blocks)
# the exact chain is not followed
CHAIN_LIMIT = 1 << 16
CHAIN_DEPTH = 256


def _chained(x: np.ndarray, y: np.ndarray) -> bool:
    if x.dtype != y.dtype or x.dtype.kind != "f" or x.dtype.itemsize not in (4, 8):
        return False
    k = x.shape[-1]
    return 1 < k <= CHAIN_DEPTH and x.size // k * y.shape[-1] * k <= CHAIN_LIMIT


def _chain(x: np.ndarray, y: np.ndarray, start: np.ndarray) -> np.ndarray:
    acc = start
    for i in range(x.shape[-1]):
        acc = fma(x[..., :, i : i + 1], y[..., i : i + 1, :], acc, x.dtype)
    return acc


def matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x @ y for 2-D or batched 3-D arrays (1-D operands as numpy treats them)."""
    with np.errstate(all="ignore"):
        if x.ndim < 2 or y.ndim < 2 or not _chained(x, y):
            return np.matmul(x, y)
        shape = np.broadcast_shapes(x.shape[:-2], y.shape[:-2]) + (x.shape[-2], y.shape[-1])
        return _chain(x, y, np.zeros(shape, dtype=x.dtype))


def bmm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Batched x @ y (3-D): PyTorch's own loop for small products (fewer than 400 multiply-adds
    per matrix: plain products summed in order), BLAS's chains otherwise."""
    m, k = x.shape[-2:]
    n = y.shape[-1]
    if m * n * k >= 400 or x.dtype != y.dtype or x.dtype.kind != "f":
        return matmul(x, y)
    with np.errstate(all="ignore"):
        acc = np.zeros(x.shape[:-1] + (n,), dtype=x.dtype)
        for i in range(k):
            acc = acc + x[..., :, i : i + 1] * y[..., i : i + 1, :]
        return acc


def addmm(c: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """c + x @ y for 2-D x, y: a single row (or a single product per output) accumulates onto
    c, as BLAS's gemv and its k = 1 kernel do; otherwise c is added to the finished product."""
    with np.errstate(all="ignore"):
        if (x.shape[0] == 1 or x.shape[1] == 1) and x.shape[1] >= 1 and _chained_or_one(x, y):
            start = np.broadcast_to(c, (x.shape[0], y.shape[1])).astype(x.dtype)
            return _chain(x, y, start)
        return np.asarray(c + matmul(x, y), dtype=np.result_type(x, y))


def _chained_or_one(x: np.ndarray, y: np.ndarray) -> bool:
    return _chained(x, y) or (
        x.shape[-1] == 1
        and x.dtype == y.dtype
        and x.dtype.kind == "f"
        and x.dtype.itemsize in (4, 8)
    )
