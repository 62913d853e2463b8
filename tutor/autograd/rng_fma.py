"""Provides fused multiply-add (one rounding) for float32 and float64 numpy arrays."""

from __future__ import annotations

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1: Veltkamp's split of a double into two 26-bit halves
_F32_DROPPED = np.uint64((1 << 29) - 1)
_F32_MIDPOINT = np.uint64(1 << 28)


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knuth's TwoSum: s = fl(a + b) and the exact error e, a + b = s + e."""
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _round_to_odd(value: np.ndarray, error: np.ndarray) -> np.ndarray:
    """Where value + error is inexact, the neighbour of `value` toward the error with an odd
    last bit: a later rounding to fewer bits then rounds as if once (Boldo and Melquiond)."""
    fix = (error != 0) & ((value.view(np.int64) & 1) == 0)
    if fix.any():
        value = value.copy()
        value[fix] = np.nextafter(value[fix], np.copysign(np.inf, error[fix]))
    return value


def fma32(a: object, b: object, c: object) -> np.ndarray:
    """`fmaf(a, b, c)` for float32 operands: a·b is exact in float64 and the sum is rounded once.

    The float64 sum only misleads the final rounding when it lands exactly on a float32
    midpoint, or near float32's subnormal range; those entries are redone with the exact error
    of the sum and rounded to odd first.
    """
    if np.ndim(b) == 0 and float(b) == 1.0:
        return np.asarray(a, dtype=np.float32) + np.asarray(c, dtype=np.float32)
    total = np.add(np.multiply(a, b, dtype=np.float64), c, dtype=np.float64)
    total = np.atleast_1d(total)
    suspect = (total.view(np.uint64) & _F32_DROPPED) == _F32_MIDPOINT
    if np.abs(total).min(initial=np.inf) < 2.0**-125:
        suspect |= np.abs(total) < 2.0**-125
    if suspect.any():
        a_s, b_s, c_s = (np.broadcast_to(v, total.shape)[suspect] for v in (a, b, c))
        s, e = _two_sum(np.multiply(a_s, b_s, dtype=np.float64), c_s.astype(np.float64))
        total[suspect] = _round_to_odd(s, e)
    return total.astype(np.float32)


def fma64(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """`fma(a, b, c)` for float64: Dekker's exact product, then Boldo and Melquiond's emulation
    fl(s + RO(t + e)) where (s, t) = TwoSum(c, ab_high) and e = ab_low."""
    a = np.asarray(a, dtype=np.float64)
    b64 = np.float64(b)
    c64 = np.float64(c)
    if b64 == 1.0:
        return a + c64
    product = a * b64
    a_scaled = _SPLITTER * a
    a_high = a_scaled - (a_scaled - a)
    a_low = a - a_high
    b_scaled = _SPLITTER * b64
    b_high = b_scaled - (b_scaled - b64)
    b_low = b64 - b_high
    product_low = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    s, t = _two_sum(np.full_like(product, c64), product)
    u, v = _two_sum(t, product_low)
    return s + _round_to_odd(np.atleast_1d(u), np.atleast_1d(v)).reshape(u.shape)


def multiply_add(x: np.ndarray, scale: object, shift: object, fused: bool) -> np.ndarray:
    """`x * scale + shift` in x's dtype, one rounding when `fused` (GCC contracted it), else two."""
    if not fused:
        return x * x.dtype.type(scale) + x.dtype.type(shift)
    if x.dtype == np.float32:
        return fma32(x, scale, shift)
    return fma64(x, scale, shift)
