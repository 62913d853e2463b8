"""Provides the C library's log, sin and cos as PyTorch's scalar Box–Muller calls them."""

from __future__ import annotations

import math

import numpy as np

_H = float.fromhex
# glibc sysdeps/ieee754/flt-32/e_logf_data.c: (1/c, log c) for 16 subintervals of [0x3f330000, 2x).
_LOGF_TABLE = (
    ("0x1.661ec79f8f3bep+0", "-0x1.57bf7808caadep-2"),
    ("0x1.571ed4aaf883dp+0", "-0x1.2bef0a7c06ddbp-2"),
    ("0x1.49539f0f010bp+0", "-0x1.01eae7f513a67p-2"),
    ("0x1.3c995b0b80385p+0", "-0x1.b31d8a68224e9p-3"),
    ("0x1.30d190c8864a5p+0", "-0x1.6574f0ac07758p-3"),
    ("0x1.25e227b0b8eap+0", "-0x1.1aa2bc79c81p-3"),
    ("0x1.1bb4a4a1a343fp+0", "-0x1.a4e76ce8c0e5ep-4"),
    ("0x1.12358f08ae5bap+0", "-0x1.1973c5a611cccp-4"),
    ("0x1.0953f419900a7p+0", "-0x1.252f438e10c1ep-5"),
    ("0x1p+0", "0x0p+0"),
    ("0x1.e608cfd9a47acp-1", "0x1.aa5aa5df25984p-5"),
    ("0x1.ca4b31f026aap-1", "0x1.c5e53aa362eb4p-4"),
    ("0x1.b2036576afce6p-1", "0x1.526e57720db08p-3"),
    ("0x1.9c2d163a1aa2dp-1", "0x1.bc2860d22477p-3"),
    ("0x1.886e6037841edp-1", "0x1.1058bc8a07ee1p-2"),
    ("0x1.767dcf5534862p-1", "0x1.4043057b6ee09p-2"),
)
_INV_C = np.array([_H(inv) for inv, _ in _LOGF_TABLE])
_LOG_C = np.array([_H(log) for _, log in _LOGF_TABLE])
_LN2 = _H("0x1.62e42fefa39efp-1")
_LOGF_POLY = (_H("-0x1.00ea348b88334p-2"), _H("0x1.5575b0be00b6ap-2"), _H("-0x1.ffffef20a4123p-2"))
# glibc s_sincosf_data.c (the x86-64 build: TOINT_INTRINSICS is 0, hpi_inv is scaled by 2**24).
_HPI_INV = _H("0x1.45F306DC9C883p+23")
_HPI = _H("0x1.921FB54442D18p0")
_COS_POLY = (
    1.0,
    _H("-0x1.ffffffd0c621cp-2"),
    _H("0x1.55553e1068f19p-5"),
    _H("-0x1.6c087e89a359dp-10"),
    _H("0x1.99343027bf8c3p-16"),
)
_SIN_POLY = (_H("-0x1.555545995a603p-3"), _H("0x1.1107605230bc4p-7"), _H("-0x1.994eb3774cf24p-13"))
_SIN_SIGN = np.array([1.0, -1.0, -1.0, 1.0])


def logf(x: np.ndarray) -> np.ndarray:
    """glibc's `logf` for positive normal float32 x (e_logf.c, ARM optimized-routines):

    x = 2^k·z with z near c = 1/invc; log x = log1p(z·invc − 1) + log c + k·ln 2, log1p by a
    cubic in r evaluated in double, one rounding to float at the end.
    """
    ix = x.view(np.uint32)
    tmp = ix - np.uint32(0x3F330000)
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = tmp.view(np.int32) >> 23
    z = (ix - (tmp & np.uint32(0x1FF << 23))).view(np.float32).astype(np.float64)
    r = z * _INV_C[i] - 1.0
    y0 = _LOG_C[i] + k * _LN2
    r2 = r * r
    a0, a1, a2 = _LOGF_POLY
    y = a1 * r + a2
    y = a0 * r2 + y
    y = y * r2 + (y0 + r)
    result = y.astype(np.float32)
    result[ix == 0x3F800000] = 0
    return result


def _sinf_poly(x: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """sin x ≈ x + s1·x³ + x⁵·(s2 + s3·x²) on [−π/4, π/4] (sincosf_poly.h)."""
    s1, s2, s3 = _SIN_POLY
    x3 = x * x2
    return (x + x3 * s1) + (x3 * x2) * (s2 + x2 * s3)


def _cosf_poly(x2: np.ndarray) -> np.ndarray:
    """cos x ≈ c0 + c1·x² + c2·x⁴ + x⁶·(c3 + c4·x²) on [−π/4, π/4] (sincosf_poly.h)."""
    c0, c1, c2, c3, c4 = _COS_POLY
    x4 = x2 * x2
    return ((c0 + x2 * c1) + x4 * c2) + (x4 * x2) * (c3 + x2 * c4)


def sincosf(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's `sinf` and `cosf` (s_sinf.c, s_cosf.c) for float32 theta in [0, 120).

    Below 0.75 (by the top 12 bits) the polynomials take theta itself; above, `reduce_fast`
    subtracts n·π/2 with n = ((int)(θ·2^24·2/π) + 2^23) >> 24, and the quadrant swaps the
    polynomials and their signs. Each result is rounded to float once.
    """
    top12 = (theta.view(np.uint32) >> np.uint32(20)) & np.uint32(0x7FF)
    x = theta.astype(np.float64)
    n = ((x * _HPI_INV).astype(np.int32) + 0x800000) >> 24
    small = top12 < 0x3F4
    n[small] = 0
    reduced = np.where(small, x, x - n * _HPI)
    signed = reduced * _SIN_SIGN[n & 3]
    x2 = reduced * reduced
    sine_poly = _sinf_poly(signed, x2)
    cosine_poly = np.where((n & 2) != 0, -1.0, 1.0) * _cosf_poly(x2)
    odd = (n & 1) == 1
    sin = np.where(odd, cosine_poly, sine_poly).astype(np.float32)
    cos = np.where(odd, sine_poly, cosine_poly).astype(np.float32)
    tiny = top12 < 0x398
    sin[tiny] = theta[tiny]
    cos[tiny] = 1
    return sin, cos


_LOG = np.frompyfunc(math.log, 1, 1)
_SIN = np.frompyfunc(math.sin, 1, 1)
_COS = np.frompyfunc(math.cos, 1, 1)


def log(x: np.ndarray) -> np.ndarray:
    """The platform's double `log`, the one PyTorch's kernels link against (via Python's math)."""
    return _LOG(x).astype(np.float64)


def sincos(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The platform's double `sin` and `cos` (via Python's math)."""
    return _SIN(theta).astype(np.float64), _COS(theta).astype(np.float64)
