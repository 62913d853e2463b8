"""Provides the vector width PyTorch's CPU kernels run at (AVX2 or AVX-512, per kernel) and
the element orders of its `vec::` helpers."""

from __future__ import annotations

import os

import numpy as np


def _capability() -> str:
    """PyTorch's CPU capability: ATEN_CPU_CAPABILITY if set, else what the processor has."""
    chosen = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if chosen in ("avx2", "avx512", "default"):
        return chosen
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            flags = next((line.split() for line in info if line.startswith("flags")), [])
    except OSError:
        return "avx2"
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq", "fma"} <= set(flags):
        return "avx512"
    return "avx2"


CAPABILITY = _capability()

# kernels PyTorch registers for AVX-512 too (ALSO_REGISTER_AVX512_DISPATCH); the rest (the
# sum among them) run their AVX2 build on an AVX-512 machine
_AVX512_KERNELS = frozenset(
    ("softmax", "sigmoid", "exp2", "sinh", "cosh", "elu", "softplus", "silu")
)


_LANES: dict[tuple[np.dtype, str], int] = {}


def lanes(dtype: np.dtype, kernel: str) -> int:
    """Elements of `dtype` in one Vectorized<T> of `kernel`'s build."""
    key = (dtype, kernel)
    if key not in _LANES:
        wide = CAPABILITY == "avx512" and kernel in _AVX512_KERNELS
        _LANES[key] = (64 if wide else 32) // np.dtype(dtype).itemsize
    return _LANES[key]


def elementwise(a, vector, scalar, width: int, *others) -> np.ndarray:
    """`cpu_kernel_vec` over `a` (and `others` of its shape, or broadcast scalars): `vector` on
    whole chunks of 2·width elements in memory order where the operands are dense, `scalar` on
    the rest; strided operands go through `scalar` entirely."""
    chunk = 2 * width
    if a.ndim and not a.flags.c_contiguous:
        order = np.argsort([-s for s in a.strides], kind="stable")
        dense = np.transpose(a, order)
        if dense.flags.c_contiguous and all(np.ndim(o) == 0 for o in others):
            out = elementwise(dense, vector, scalar, width, *others)
            return np.transpose(out, np.argsort(order))
        return scalar(a, *others)
    if not all(np.ndim(o) == 0 or np.shape(o) == a.shape for o in others):
        return scalar(a, *others)
    cut = a.size - a.size % chunk
    if cut == a.size:
        return vector(a, *others)
    if cut == 0:
        return scalar(a, *others)
    flat = [np.ravel(o) if np.ndim(o) else o for o in (a, *others)]
    head = vector(*(f[:cut] if np.ndim(f) else f for f in flat))
    tail = scalar(*(f[cut:] if np.ndim(f) else f for f in flat))
    return np.concatenate([np.ravel(head), np.ravel(tail)]).reshape(a.shape)


def reduce_all(values: np.ndarray, width: int, combine=np.add) -> np.ndarray:
    """`vec::reduce_all` over the last axis: lane-wise over whole vectors, the tail folded into
    the first lanes, then the lanes halved pairwise (the shuffle tree); rows shorter than a
    vector are folded left to right."""
    n = values.shape[-1]
    if n < width:
        acc = values[..., 0].copy()
        for i in range(1, n):
            acc = combine(acc, values[..., i])
        return acc
    full = n // width
    vectors = values[..., : full * width].reshape(*values.shape[:-1], full, width)
    acc = combine.accumulate(vectors, axis=-2)[..., -1, :]
    tail = n - full * width
    if tail:
        acc[..., :tail] = combine(acc[..., :tail], values[..., full * width :])
    while width > 1:
        width //= 2
        acc = combine(acc[..., :width], acc[..., width:])
    return acc[..., 0]
