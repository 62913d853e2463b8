"""Provides the Sleef float32 functions PyTorch's Vectorized<float> calls (the AVX2 and AVX-512
builds: fused multiply-add everywhere), written over numpy float32 arrays so every rounding
happens where Sleef's does: expf, logf, log1pf, expm1f, exp2f, tanhf, sinhf, coshf (the 1-ULP
`_u10` variants).

Sleef's double-float helpers (df.h) carry a value as an unevaluated sum hi + lo of two floats;
they appear here as pairs."""

from __future__ import annotations

import numpy as np

from ..rng_fma import fma32

_F = np.float32
_R_LN2 = _F(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = _F(0.693145751953125)
_L2L = _F(1.428606765330187045e-06)
_LN2_HI = _F(0.69314718246459960938)
_LN2_LO = _F(-1.904654323148236017e-09)
_INF = _F(np.inf)


def _fma(x, y, z) -> np.ndarray:
    """x·y + z rounded once."""
    shape = np.broadcast_shapes(np.shape(x), np.shape(y), np.shape(z))
    return fma32(x, y, z).reshape(shape)


def _pow2i(q: np.ndarray) -> np.ndarray:
    """2^q built from its exponent bits (Sleef vpow2i_vf_vi2)."""
    bits = ((q.astype(np.int64) + 0x7F) << 23) & 0xFFFFFFFF
    return bits.astype(np.uint32).view(np.float32)


def _ldexp2(d: np.ndarray, q: np.ndarray) -> np.ndarray:
    """d·2^q as two multiplications (Sleef vldexp2_vf_vf_vi2)."""
    half = q >> 1
    return (d * _pow2i(half)) * _pow2i(q - half)


def _rint_int(x: np.ndarray) -> np.ndarray:
    """Round half to even to int32, INT_MIN where out of range (cvtps2dq)."""
    out = np.full(x.shape, np.iinfo(np.int32).min, np.int32)
    fine = np.abs(x) < _F(2.0**31)
    out[fine] = np.rint(x[fine]).astype(np.int32)
    return out


def _sel(mask, a, b) -> np.ndarray:
    return np.where(mask, a, b).astype(np.float32, copy=False)


# ----- double-float helpers (Sleef df.h, FMA build) -----
def _df_add(x, y):
    """hi/lo of x + y where |x| ≥ |y| (dfadd_vf2_vf_vf)."""
    s = x + y
    return s, (x - s) + y


def _df_add2(x, y):
    """hi/lo of x + y for any order (dfadd2_vf2_vf_vf)."""
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _df_add_2f(x, y):
    """(x.hi, x.lo) + y, |x| ≥ |y| (dfadd_vf2_vf2_vf)."""
    s = x[0] + y
    return s, ((x[0] - s) + y) + x[1]


def _df_add2_2f(x, y):
    """(x.hi, x.lo) + y (dfadd2_vf2_vf2_vf)."""
    s = x[0] + y
    v = s - x[0]
    t = (x[0] - (s - v)) + (y - v)
    return s, t + x[1]


def _df_add_f2(x, y):
    """x + (y.hi, y.lo), |x| ≥ |y| (dfadd_vf2_vf_vf2)."""
    s = x + y[0]
    return s, ((x - s) + y[0]) + y[1]


def _df_add_22(x, y):
    """(x.hi, x.lo) + (y.hi, y.lo), |x| ≥ |y| (dfadd_vf2_vf2_vf2)."""
    s = x[0] + y[0]
    return s, (((x[0] - s) + y[0]) + x[1]) + y[1]


def _df_add2_22(x, y):
    """(x.hi, x.lo) + (y.hi, y.lo) (dfadd2_vf2_vf2_vf2)."""
    s = x[0] + y[0]
    v = s - x[0]
    t = (x[0] - (s - v)) + (y[0] - v)
    return s, t + (x[1] + y[1])


def _df_sub_22(x, y):
    """(x.hi, x.lo) − (y.hi, y.lo), |x| ≥ |y| (dfsub_vf2_vf2_vf2)."""
    s = x[0] - y[0]
    t = ((x[0] - s) - y[0]) + x[1]
    return s, t - y[1]


def _df_mul_2f(x, y):
    """(x.hi, x.lo)·y (dfmul_vf2_vf2_vf)."""
    s = x[0] * y
    return s, _fma(x[1], y, _fma(x[0], y, -s))


def _df_mul_ff(x, y):
    """x·y exactly as hi/lo (dfmul_vf2_vf_vf)."""
    s = x * y
    return s, _fma(x, y, -s)


def _df_mul_22(x, y):
    """(x.hi, x.lo)·(y.hi, y.lo) (dfmul_vf2_vf2_vf2)."""
    s = x[0] * y[0]
    return s, _fma(x[0], y[1], _fma(x[1], y[0], _fma(x[0], y[0], -s)))


def _df_squ(x):
    """(x.hi, x.lo)² (dfsqu_vf2_vf2)."""
    s = x[0] * x[0]
    return s, _fma(x[0] + x[0], x[1], _fma(x[0], x[0], -s))


def _df_rec_2(d):
    """1/(d.hi, d.lo) (dfrec_vf2_vf2)."""
    s = _F(1) / d[0]
    return s, s * _fma(-d[1], s, _fma(-d[0], s, _F(1)))


def _df_div(n, d):
    """(n.hi, n.lo)/(d.hi, d.lo) (dfdiv_vf2_vf2_vf2)."""
    t = _F(1) / d[0]
    s = n[0] * t
    u = _fma(t, n[0], -s)
    v = _fma(-d[1], t, _fma(-d[0], t, _F(1)))
    return s, _fma(s, v, _fma(n[1], t, u))


def _split_log(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """d = m·2^e with m in [0.75, 1.5): e = ilogb(d·(1/0.75)) in float, after scaling a
    subnormal d by 2^64 (vilogb2k_vi2_vf, vldexp3_vf_vf_vi2)."""
    small = d < _F(2.0**-126)
    scaled = np.where(small, d * _F(2.0**64), d)
    with np.errstate(over="ignore"):
        _, e = np.frexp(scaled * _F(1.0 / 0.75))
    e = (e - 1).astype(np.int32)
    m = np.ldexp(scaled.astype(np.float64), -e).astype(np.float32)
    return m, np.where(small, e - 64, e).astype(np.int32)


def _mulsign(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y with its sign flipped where x is negative (vmulsign_vf_vf_vf)."""
    return np.where(np.signbit(x), -y, y).astype(np.float32, copy=False)


# ----- the functions -----
def expf(d: np.ndarray) -> np.ndarray:
    """Sleef xexpf (Sleef_expf8_u10 / expf16_u10): e^d to 1 ULP."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        q = _rint_int(d * _R_LN2)
        qf = q.astype(np.float32)
        s = _fma(qf, -_L2U, d)
        s = _fma(qf, -_L2L, s)
        u = _F(0.000198527617612853646278381)
        for c in (
            0.00139304355252534151077271,
            0.00833336077630519866943359,
            0.0416664853692054748535156,
            0.166666671633720397949219,
            0.5,
        ):
            u = _fma(u, s, _F(c))
        u = _F(1) + _fma(s * s, u, s)
        u = _ldexp2(u, q)
        u = _sel(d < _F(-104), _F(0), u)
        return _sel(d > _F(100), _INF, u)


def _expk2(d: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """e^(d.hi + d.lo) as a double-float (Sleef expk2f)."""
    q = _rint_int((d[0] + d[1]) * _R_LN2)
    qf = q.astype(np.float32)
    s = _df_add2_2f(d, qf * -_L2U)
    s = _df_add2_2f(s, qf * -_L2L)
    u = _F(0.1980960224e-3)
    for c in (0.1394256484e-2, 0.8333456703e-2, 0.4166637361e-1):
        u = _fma(u, s[0], _F(c))
    t = _df_add2_2f(_df_mul_2f(s, u), _F(0.166666659414234244790680580464))
    t = _df_add2_2f(_df_mul_22(s, t), _F(0.5))
    t = _df_add2_22(s, _df_mul_22(_df_squ(s), t))
    t = _df_add_f2(_F(1), t)
    hi, lo = _ldexp2(t[0], q), _ldexp2(t[1], q)
    tiny = d[0] < _F(-104)
    return _sel(tiny, _F(0), hi), _sel(tiny, _F(0), lo)


def expm1f(a: np.ndarray) -> np.ndarray:
    """Sleef xexpm1f (expm1f_u10): eᵃ − 1 to 1 ULP."""
    a = np.asarray(a, np.float32)
    with np.errstate(all="ignore"):
        d = _df_add2_2f(_expk2((a, np.zeros_like(a))), _F(-1))
        x = d[0] + d[1]
        x = _sel(a > _F(88.72283172607421875), _INF, x)
        x = _sel(a < _F(-16.635532333438687426013570), _F(-1), x)
        return _sel((a == 0) & np.signbit(a), _F(-0.0), x)


def _hyperbolic(x: np.ndarray):
    y = np.abs(x)
    return y, _expk2((y, np.zeros_like(y)))


def tanhf(x: np.ndarray) -> np.ndarray:
    """Sleef xtanhf (tanhf_u10)."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        _, d = _hyperbolic(x)
        e = _df_rec_2(d)
        d = _df_div(_df_add_22(d, (-e[0], -e[1])), _df_add_22(d, e))
        y = d[0] + d[1]
        y = _sel((np.abs(x) > _F(8.664339742)) | np.isnan(y), _F(1), y)
        return _sel(np.isnan(x), np.float32(np.nan), _mulsign(y, x))


def sinhf(x: np.ndarray) -> np.ndarray:
    """Sleef xsinhf (sinhf_u10)."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        _, d = _hyperbolic(x)
        d = _df_sub_22(d, _df_rec_2(d))
        y = (d[0] + d[1]) * _F(0.5)
        y = _sel((np.abs(x) > _F(89)) | np.isnan(y), _INF, y)
        return _sel(np.isnan(x), np.float32(np.nan), _mulsign(y, x))


def coshf(x: np.ndarray) -> np.ndarray:
    """Sleef xcoshf (coshf_u10)."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        _, d = _hyperbolic(x)
        d = _df_add_22(d, _df_rec_2(d))
        y = (d[0] + d[1]) * _F(0.5)
        y = _sel((np.abs(x) > _F(89)) | np.isnan(y), _INF, y)
        return _sel(np.isnan(x), np.float32(np.nan), y)


def exp2f(d: np.ndarray) -> np.ndarray:
    """Sleef xexp2f (exp2f_u10)."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        u = np.rint(d)
        q = _rint_int(u)
        s = d - u
        u = _F(0.1535920892e-3)
        for c in (0.1339262701e-2, 0.9618384764e-2, 0.5550347269e-1, 0.2402264476, 0.6931471825):
            u = _fma(u, s, _F(c))
        u = _fma(u, s, _F(1))
        u = _ldexp2(u, q)
        u = _sel(d >= _F(128), _INF, u)
        return _sel(d < _F(-150), _F(0), u)


def _log_core(x: tuple[np.ndarray, np.ndarray], e: np.ndarray) -> np.ndarray:
    """ln of m·2^e given x = (m − 1)/(m + 1) as a double-float (shared by logf and log1pf)."""
    x2 = x[0] * x[0]
    t = _F(0.3027294874)
    t = _fma(t, x2, _F(0.3996108174))
    t = _fma(t, x2, _F(0.6666694880))
    s = _df_mul_2f((_LN2_HI, _LN2_LO), e.astype(np.float32))
    s = _df_add_22(s, (x[0] * _F(2), x[1] * _F(2)))
    s = _df_add_2f(s, (x2 * x[0]) * t)
    return s[0] + s[1]


def logf(d: np.ndarray) -> np.ndarray:
    """Sleef xlogf_u1 (logf_u10): ln d to 1 ULP."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        m, e = _split_log(np.where(d > 0, d, _F(1)))
        x = _df_div(_df_add2(_F(-1), m), _df_add2(_F(1), m))
        r = _log_core(x, e)
        r = _sel(np.isposinf(d), _INF, r)
        r = _sel((d < 0) | np.isnan(d), np.float32(np.nan), r)
        return _sel(d == 0, -_INF, r)


def log1pf(d: np.ndarray) -> np.ndarray:
    """Sleef xlog1pf (log1pf_u10)."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        dp1 = d + _F(1)
        _, e = _split_log(np.where(np.isfinite(dp1) & (dp1 > 0), dp1, _F(1)))
        t = _pow2i(-e)
        m = _fma(d, t, t - _F(1))
        x = _df_div((m, np.zeros_like(m)), _df_add(_F(2), m))
        r = _log_core(x, e)
        big = d > _F(float.fromhex("0x1.2ced32p+126"))
        if big.any():
            r = _sel(big, logf(d), r)
        r = _sel(d < _F(-1), np.float32(np.nan), r)
        r = _sel(d == _F(-1), -_INF, r)
        r = _sel(np.isposinf(d), _INF, r)
        return _sel((d == 0) & np.signbit(d), _F(-0.0), r)
