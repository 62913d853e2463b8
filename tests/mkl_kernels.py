"""Whether PyTorch's MKL runs, on this machine, the kernels the engine's rounding was measured on
(tutor/autograd/gemm.py: MKL 2024.2 on an Intel CPU with AVX-512), and what the differential
tests may ask where it does not.

MKL picks its kernels by CPU vendor and instruction set. On an AMD EPYC without AVX-512 (seen
here) its small products are chains of a rounded multiply then a rounded add, not fused ones, and
larger ones are blocked differently, so PyTorch's last bits differ from the reference machine's.
The engine keeps the reference machine's rounding on every CPU (a verdict must not depend on the
machine that computes it); there the tests ask for PyTorch's bits, elsewhere for a result both
roundings of the same sum can give."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

AVX512 = {"avx512f", "avx512bw", "avx512vl", "avx512dq"}


def _reference_cpu(cpuinfo: str) -> bool:
    vendor, flags = "", set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "vendor_id" and not vendor:
            vendor = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = set(value.split())
    return vendor == "GenuineIntel" and flags >= AVX512


def _reference() -> bool:
    if os.environ.get("MKL_ENABLE_INSTRUCTIONS") or os.environ.get("MKL_CBWR"):
        return False  # MKL told to use other kernels than it would pick
    try:
        return _reference_cpu(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False


REFERENCE = _reference()


def rounding_bound(x, y, c=None) -> np.ndarray:
    """How far apart two roundings of x @ y (+ c) may be, output by output, whatever order each
    summed in: 2·γ(k+1)·(|x| @ |y| + |c|), γ(n) = n·u / (1 − n·u) (Higham, Accuracy and
    Stability, §3.1)."""
    x, y = np.asarray(x), np.asarray(y)
    dtype = np.result_type(x, y)
    k = x.shape[-1]
    u = float(np.finfo(dtype).eps) / 2
    gamma = (k + 1) * u / (1 - (k + 1) * u)
    scale = np.matmul(np.abs(x.astype(np.float64)), np.abs(y.astype(np.float64)))
    if c is not None:
        scale = scale + np.abs(np.asarray(c, np.float64))
    return 2 * gamma * scale


def _arrays(ours, theirs) -> tuple[np.ndarray, np.ndarray]:
    """Both as numpy arrays of at least one dimension, of the same dtype and shape."""
    ours = np.atleast_1d(np.asarray(ours))
    theirs = np.atleast_1d(theirs.numpy() if hasattr(theirs, "numpy") else np.asarray(theirs))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    return ours, theirs


def assert_identical(ours, theirs) -> None:
    """ours == theirs bit for bit (signs of zeros and NaN payloads included), on any CPU."""
    ours, theirs = _arrays(ours, theirs)
    bits = {4: np.uint32, 8: np.uint64}[ours.itemsize]
    differ = np.nonzero(ours.view(bits) != theirs.view(bits))
    assert not differ[0].size, f"{differ[0].size} of {ours.size} outputs differ, first at {differ}"


def assert_product(ours, theirs, x, y, c=None) -> None:
    """ours == theirs bit for bit where MKL runs the reference kernels; elsewhere the same dtype
    and shape, and each output within `rounding_bound` of PyTorch's."""
    if REFERENCE:
        assert_identical(ours, theirs)
        return
    ours, theirs = _arrays(ours, theirs)
    apart = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    bound = np.atleast_1d(rounding_bound(x, y, c))
    beyond = np.nonzero(apart > bound)
    assert not beyond[0].size, (
        f"{beyond[0].size} of {ours.size} outputs further from PyTorch's than two roundings "
        f"of the same sum can be, first at {beyond}: {apart[beyond][:3]} > {bound[beyond][:3]}"
    )


def assert_close_in_scale(ours, theirs, relative: float) -> None:
    """Each value within `relative` of the largest magnitude in PyTorch's tensor: what a few
    roundings apart, carried through a short computation, leave."""
    ours = np.asarray(getattr(ours, "_data", ours), np.float64)
    theirs = np.asarray(theirs.detach().numpy() if hasattr(theirs, "detach") else theirs)
    assert ours.shape == theirs.shape
    scale = float(np.max(np.abs(theirs), initial=0.0))
    apart = float(np.max(np.abs(ours - theirs), initial=0.0))
    assert apart <= relative * scale, f"{apart} apart, more than {relative} of {scale}"
