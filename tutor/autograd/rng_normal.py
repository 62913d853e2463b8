"""Provides PyTorch's CPU normal_ kernels: `normal_fill`'s blocks of 16 and the serial Box–Muller."""

from __future__ import annotations

import importlib
import math
import os
import platform

import numpy as np

from . import rng_avx, rng_libm
from .rng_engine import MT19937
from .rng_fma import fma32, fma64, multiply_add

BLOCK = 16
_TWO_PI_F32 = np.float32(2.0 * math.pi)


def uniform_float32(words: np.ndarray) -> np.ndarray:
    """`uniform_real<float>(w, 0, 1)`: the low 24 bits of each word times 2^-24."""
    return (words & np.uint32(0xFFFFFF)).astype(np.float32) * np.float32(2.0**-24)


def uniform_float64(words: np.ndarray) -> np.ndarray:
    """`uniform_real<double>(w, 0, 1)`: the low 53 bits of each 64-bit word times 2^-53."""
    return (words & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53


def _numpy_cpu_features() -> dict[str, bool] | None:
    for module in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):
        try:
            return importlib.import_module(module).__cpu_features__
        except (ImportError, AttributeError):
            continue
    return None


def is_x86() -> bool:
    return platform.machine().lower() in ("x86_64", "amd64", "i386", "i686", "x86")


def cpu_capability() -> str:
    """What `torch.backends.cpu.get_cpu_capability()` answers on this machine: "AVX512", "AVX2"
    or "DEFAULT" (ATen/native/DispatchStub.cpp `compute_cpu_capability`).

    ATEN_CPU_CAPABILITY=avx512, avx2 or default decides; otherwise an x86 CPU with AVX512 VL, BW,
    DQ and FMA3 gets AVX512, one with AVX2 and FMA3 AVX2, anything else DEFAULT.
    """
    forced = os.environ.get("ATEN_CPU_CAPABILITY")
    if forced in ("avx512", "avx2", "default"):
        return forced.upper()
    if not is_x86():
        return "DEFAULT"
    features = _numpy_cpu_features()
    if features is None:
        return "AVX2"
    if all(features.get(name) for name in ("AVX512VL", "AVX512BW", "AVX512DQ", "FMA3")):
        return "AVX512"
    if features.get("AVX2") and features.get("FMA3"):
        return "AVX2"
    return "DEFAULT"


def _box_muller_float32(u: np.ndarray, vector: bool) -> np.ndarray:
    """`normal_fill_16` over rows of 16 uniforms: u1 = 1 − row[j], u2 = row[j+8] for j < 8;
    row[j] = √(−2 log u1)·cos 2πu2, row[j+8] = √(−2 log u1)·sin 2πu2, all in float32."""
    u1 = np.float32(1) - u[:, : BLOCK // 2]
    u2 = u[:, BLOCK // 2 :]
    if vector:
        radius = np.sqrt(np.float32(-2) * rng_avx.log256_ps(u1))
        sin, cos = rng_avx.sincos256_ps(_TWO_PI_F32 * u2)
    else:
        radius = np.sqrt(np.float32(-2) * rng_libm.logf(u1))
        sin, cos = rng_libm.sincosf((2.0 * math.pi * u2.astype(np.float64)).astype(np.float32))
    return np.concatenate([radius * cos, radius * sin], axis=1)


def _box_muller_float64(u: np.ndarray) -> np.ndarray:
    """`normal_fill_16<double>`: the same pairing in double, with the C library's log, sin, cos."""
    radius = np.sqrt(-2.0 * rng_libm.log(1.0 - u[:, : BLOCK // 2]))
    sin, cos = rng_libm.sincos(2.0 * math.pi * u[:, BLOCK // 2 :])
    return np.concatenate([radius * cos, radius * sin], axis=1)


def _uniforms(engine: MT19937, count: int, dtype: np.dtype) -> np.ndarray:
    if dtype == np.float32:
        return uniform_float32(engine.words(count))
    return uniform_float64(engine.words64(count))


def _box_muller(blocks: np.ndarray, vector: bool) -> np.ndarray:
    if blocks.dtype == np.float32:
        return _box_muller_float32(blocks, vector).reshape(-1)
    return _box_muller_float64(blocks).reshape(-1)


def normal_fill(
    engine: MT19937, count: int, mean: float, std: float, dtype: np.dtype, vector: bool
) -> np.ndarray:
    """`normal_fill` (count ≥ 16, contiguous): one uniform per element, Box–Muller on each full
    block of 16; if count % 16 ≠ 0, 16 fresh uniforms are transformed into the last 16 slots.
    The result is `fma(n, std, mean)`, explicitly fused in every build of PyTorch 2.13."""
    values = _uniforms(engine, count, dtype)
    full = count - count % BLOCK
    values[:full] = _box_muller(values[:full].reshape(-1, BLOCK), vector)
    if count % BLOCK:
        values[count - BLOCK :] = _box_muller(
            _uniforms(engine, BLOCK, dtype).reshape(1, -1), vector
        )
    if dtype == np.float32:
        return fma32(values, np.float32(std), np.float32(mean))
    return fma64(values, std, mean)


def normal_serial(
    engine: MT19937, cached: float | None, count: int, mean: float, std: float, fused: bool
) -> tuple[np.ndarray, float | None]:
    """`normal_distribution<double>` element by element (ATen/core/DistributionsHelper.h).

    Each fresh pair draws u1 then u2 (53-bit doubles), r = √(−2·log1p(−u2)), θ = 2π·u1, returns
    r·cos θ and caches r·sin θ in the generator; the next value is that cached one, drawn from
    nothing. Returns the float64 values x·std + mean (fused where GCC contracted it) and the cache
    left behind.
    """
    if count == 0:
        return np.empty(0, dtype=np.float64), cached
    leading = [] if cached is None else [cached]
    pairs = (count - len(leading) + 1) // 2
    u = uniform_float64(engine.words64(2 * pairs)).reshape(pairs, 2)
    radius = np.sqrt(-2.0 * np.array([math.log1p(-v) for v in u[:, 1].tolist()]))
    sin, cos = rng_libm.sincos(2.0 * math.pi * u[:, 0])
    fresh = np.stack([radius * cos, radius * sin], axis=1).reshape(-1)
    values = np.concatenate([np.array(leading, dtype=np.float64), fresh])
    left_over = float(values[count]) if values.size > count else None
    return multiply_add(values[:count], std, mean, fused), left_over
