"""The differential tests' judge of MKL's kernels: which CPUs run the reference ones, and a
rounding bound that two orders of the same sum keep but a wrong product does not."""

from __future__ import annotations

import numpy as np
import pytest
from mkl_kernels import _reference_cpu, assert_product, rounding_bound

INTEL = (
    "vendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512bw avx512vl\n"
)


def test_only_an_intel_cpu_with_avx512_runs_the_reference_kernels():
    assert _reference_cpu(INTEL)
    assert not _reference_cpu(INTEL.replace("GenuineIntel", "AuthenticAMD"))
    assert not _reference_cpu(INTEL.replace(" avx512bw", ""))
    assert not _reference_cpu("processor\t: 0\n")


def _sums(rng, m, n, k):
    x = rng.standard_normal((m, k)).astype(np.float32)
    y = rng.standard_normal((k, n)).astype(np.float32)
    forward = np.zeros((m, n), np.float32)
    backward = np.zeros((m, n), np.float32)
    for i in range(k):
        forward = forward + x[:, i : i + 1] * y[i : i + 1, :]
        backward = backward + x[:, k - 1 - i : k - i] * y[k - 1 - i : k - i, :]
    return x, y, forward, backward


def test_two_orders_of_the_same_sum_stay_within_the_bound_and_a_missing_term_does_not():
    rng = np.random.default_rng(5)
    x, y, forward, backward = _sums(rng, 6, 5, 40)
    assert (np.abs(forward - backward) <= rounding_bound(x, y)).all()
    assert (np.abs(forward - backward) > 0).any()  # the orders do differ in the last bits
    short = forward - x[:, -1:] * y[-1:, :]
    assert (np.abs(short - backward) > rounding_bound(x, y)).any()


def test_assert_product_refuses_another_dtype_or_shape():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(AssertionError):
        assert_product(np.ones((2, 2), np.float64), np.ones((2, 2), np.float32), x, x.T)
    with pytest.raises(AssertionError):
        assert_product(np.ones((2, 1), np.float32), np.ones((2, 2), np.float32), x, x.T)
