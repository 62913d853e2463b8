"""Provides fused multiply-add over arrays, as PyTorch's CPU kernels compute `a + α·b`,
`addcmul` and `lerp`: a·b + c rounded once in the arrays' float dtype (plain arithmetic for
integers and symbols)."""

from __future__ import annotations

import numpy as np

from .rng_fma import _round_to_odd, _two_sum, fma32

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two 26-bit halves


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scaled = _SPLITTER * x
    high = scaled - (scaled - x)
    return high, x - high


def fma64(a: object, b: object, c: object) -> np.ndarray:
    """fma(a, b, c) for float64 arrays: Dekker's exact product, then Boldo and Melquiond's
    fl(s + RO(t + e)) where (s, t) = TwoSum(c, ab_high) and e = ab_low."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, c)))
    with np.errstate(all="ignore"):
        product = a * b
        a_high, a_low = _split(a)
        b_high, b_low = _split(b)
        low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
        s, t = _two_sum(c, product)
        u, v = _two_sum(t, low)
        fused = s + _round_to_odd(np.atleast_1d(u), np.atleast_1d(v)).reshape(u.shape)
    # infinities and NaNs: the plain expression already gives fma's answer
    plain = product + c
    return np.where(np.isfinite(plain), fused, plain)


def fma(a: object, b: object, c: object, dtype: np.dtype) -> np.ndarray:
    """a·b + c in `dtype`, rounded once for floats."""
    if dtype == np.float32:
        with np.errstate(all="ignore"):
            out = fma32(a, b, c)
        return np.asarray(out, dtype=np.float32).reshape(
            np.broadcast_shapes(*map(np.shape, (a, b, c)))
        )
    if dtype == np.float64:
        return fma64(a, b, c)
    with np.errstate(all="ignore"):
        return np.asarray(np.multiply(a, b) + c).astype(dtype, copy=False)
