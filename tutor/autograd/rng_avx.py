"""Provides avx_mathfun's log256_ps and sincos256_ps as PyTorch's AVX2/AVX512 build computes them."""

from __future__ import annotations

import numpy as np

from .rng_fma import fma32

_F = np.float32
_SQRTHF = _F(0.707106781186547524)
_LOG_P = tuple(
    _F(c)
    for c in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
)
_LOG_Q1 = _F(-2.12194440e-4)
_LOG_Q2 = _F(0.693359375)
_FOPI = _F(1.27323954473516)
_MINUS_DP = (_F(-0.78515625), _F(-2.4187564849853515625e-4), _F(-3.77489497744594108e-8))
_SIN_P = (_F(-1.9515295891e-4), _F(8.3321608736e-3), _F(-1.6666654611e-1))
_COS_P = (_F(2.443315711809948e-005), _F(-1.388731625493765e-003), _F(4.166664568298827e-002))
_SIGN = np.uint32(0x80000000)


def log256_ps(x: np.ndarray) -> np.ndarray:
    """Cephes' logf, 8 lanes at a time (aten/src/ATen/native/cpu/avx_mathfun.h), for x > 0.

    x = 2^e·m with m in [√½, √2); log x = e·ln 2 + (m−1) − (m−1)²/2 + (m−1)³·P(m−1), ln 2 split
    as q2 + q1. GCC (-mfma, -ffp-contract=fast) fuses the Horner steps and the q1 and q2 terms
    into FMAs; those fusions are written here as `fma32` — measured against PyTorch's binary.
    """
    bits = x.view(np.uint32)
    exponent = (bits >> np.uint32(23)).astype(np.int32) - 0x7F
    m = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(np.float32)
    e = exponent.astype(np.float32) + _F(1)
    below = m < _SQRTHF
    e = e - below.astype(np.float32)
    m = (m - _F(1)) + np.where(below, m, _F(0))
    z = m * m
    y = fma32(_LOG_P[0], m, _LOG_P[1])
    for coefficient in _LOG_P[2:]:
        y = fma32(y, m, coefficient)
    y = y * m
    y = fma32(y, z, e * _LOG_Q1)
    y = fma32(-z, _F(0.5), y)
    return fma32(e, _LOG_Q2, m + y)


def sincos256_ps(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cephes' sinf and cosf at once (avx_mathfun.h `sincos256_ps`).

    j = (⌊|x|·4/π⌋ + 1) & ~1 picks the octant; x − j·π/4 in three parts (DP1..DP3, fused);
    a cosine polynomial 1 − z/2 + z²·Q(z) and a sine polynomial x + x·z·P(z) are both
    evaluated, swapped by bit 1 of j, signed by bit 2.
    """
    sign_in = x.view(np.uint32) & _SIGN
    magnitude = np.abs(x)
    j = ((magnitude * _FOPI).astype(np.int32) + 1) & ~1
    jf = j.astype(np.float32)
    r = fma32(jf, _MINUS_DP[0], magnitude)
    r = fma32(jf, _MINUS_DP[1], r)
    r = fma32(jf, _MINUS_DP[2], r)
    sign_sin = sign_in ^ ((j & 4) << 29).astype(np.uint32)
    sign_cos = ((~(j - 2) & 4) << 29).astype(np.uint32)
    z = r * r
    cosine = fma32(_COS_P[0], z, _COS_P[1])
    cosine = fma32(cosine, z, _COS_P[2]) * z
    cosine = fma32(cosine, z, -(z * _F(0.5))) + _F(1)
    sine = fma32(_SIN_P[0], z, _SIN_P[1])
    sine = fma32(sine, z, _SIN_P[2]) * z
    sine = fma32(sine, r, r)
    first_octant_pair = (j & 2) == 0
    # The intrinsics select by masking and adding +0, which also turns a −0 into +0.
    sin = (np.where(first_octant_pair, sine, cosine) + _F(0)).view(np.uint32) ^ sign_sin
    cos = (np.where(first_octant_pair, cosine, sine) + _F(0)).view(np.uint32) ^ sign_cos
    return sin.view(np.float32), cos.view(np.float32)
