"""Provides glibc's float32 expf and exp2f as PyTorch's scalar loops call them (std::exp and
std::exp2 on a float): the x86-64 FMA builds of sysdeps/ieee754/flt-32/e_expf.c and e_exp2f.c,
evaluated in double as glibc does, so results are bit-identical where the correctly rounded
value would differ."""

from __future__ import annotations

import numpy as np

from ..fused import fma64

_H = float.fromhex
_N = 32
# 2^(j/32), j = 0..31 (e_exp2f_data.c's tab[j] + (j << 47), read as a double)
_TABLE_BITS = (
    0x3FF0000000000000, 0x3FEFD9B0D3158574, 0x3FEFB5586CF9890F, 0x3FEF9301D0125B51,
    0x3FEF72B83C7D517B, 0x3FEF54873168B9AA, 0x3FEF387A6E756238, 0x3FEF1E9DF51FDEE1,
    0x3FEF06FE0A31B715, 0x3FEEF1A7373AA9CB, 0x3FEEDEA64C123422, 0x3FEECE086061892D,
    0x3FEEBFDAD5362A27, 0x3FEEB42B569D4F82, 0x3FEEAB07DD485429, 0x3FEEA47EB03A5585,
    0x3FEEA09E667F3BCD, 0x3FEE9F75E8EC5F74, 0x3FEEA11473EB0187, 0x3FEEA589994CCE13,
    0x3FEEACE5422AA0DB, 0x3FEEB737B0CDC5E5, 0x3FEEC49182A3F090, 0x3FEED503B23E255D,
    0x3FEEE89F995AD3AD, 0x3FEEFF76F2FB5E47, 0x3FEF199BDD85529C, 0x3FEF3720DCEF9069,
    0x3FEF5818DCFBA487, 0x3FEF7C97337B9B5F, 0x3FEFA4AFA2A490DA, 0x3FEFD0765B6E4540,
)  # fmt: skip
_POWERS = (np.array(_TABLE_BITS, dtype=np.uint64) + (np.arange(_N, dtype=np.uint64) << 47)).view(
    np.float64
)
_INV_LN2_N = _H("0x1.71547652b82fep+0") * _N
_POLY = (_H("0x1.c6af84b912394p-5"), _H("0x1.ebfce50fac4f3p-3"), _H("0x1.62e42ff0c52d6p-1"))


def _power(k: np.ndarray, r: np.ndarray, c0: float, c1: float, c2: float) -> np.ndarray:
    """2^(k/32)·((c0·r + c1)·r² + (c2·r + 1)) in double, each a·b + c fused (the FMA build)."""
    ki = k.astype(np.int64)
    s = np.ldexp(_POWERS[ki & (_N - 1)], ki >> 5)
    y = fma64(c2, r, 1.0)
    return fma64(fma64(c0, r, c1), r * r, y) * s


def _finish(x: np.ndarray, y: np.ndarray, high: float, low: float) -> np.ndarray:
    out = y.astype(np.float32)
    out = np.where(x > high, np.float32(np.inf), out)
    out = np.where(x < low, np.float32(0), out)
    return np.where(np.isnan(x), x, out).astype(np.float32)


def expf(x: np.ndarray) -> np.ndarray:
    """glibc's expf: x·32/ln 2 = k + r, e^x = 2^(k/32)·p(r), rounded to float once."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        z = _INV_LN2_N * x.astype(np.float64)
        k = np.rint(np.where(np.isfinite(z), z, 0.0))
        c0, c1, c2 = _POLY[0] / _N / _N / _N, _POLY[1] / _N / _N, _POLY[2] / _N
        y = _power(k, z - k, c0, c1, c2)
        return _finish(x, y, _H("0x1.62e42ep6"), _H("-0x1.9fe368p6"))


def exp2f(x: np.ndarray) -> np.ndarray:
    """glibc's exp2f: x = k/32 + r, 2^x = 2^(k/32)·p(r), rounded to float once."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        xd = x.astype(np.float64)
        k = np.rint(np.where(np.isfinite(xd), xd * _N, 0.0))
        y = _power(k, xd - k / _N, *_POLY)
        return _finish(x, y, np.nextafter(np.float32(128), np.float32(0)), -150.0)
