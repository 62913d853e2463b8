"""The engine's matrix products against PyTorch's own, bit for bit where MKL runs the kernels
tutor/autograd/gemm.py was measured on (tests/mkl_kernels.py; elsewhere within two roundings of
the same sum): every MKL kernel measured (layouts × shape classes), with seeded operands."""

from __future__ import annotations

import numpy as np
import pytest
from mkl_kernels import REFERENCE, assert_identical, assert_product, rounding_bound

from tutor.autograd import gemm

torch = pytest.importorskip("torch")

F32, F64 = np.float32, np.float64


@pytest.fixture(params=[2, 1], ids=["2 threads", "1 thread"], autouse=True)
def threads(request):
    """PyTorch's intra-op threads and the engine's model of them, together: MKL splits some
    long products between two threads (other test modules pin torch to one)."""
    before = torch.get_num_threads()
    torch.set_num_threads(request.param)
    gemm.THREADS = request.param
    yield request.param
    torch.set_num_threads(before)
    gemm.THREADS = 2


def _operand(rng, shape, layout="c", dtype=F32):
    """The same values as a numpy array and a torch tensor: row-major ('c') or a transposed
    view of a row-major array ('t'), as `.t()` makes one."""
    values = rng.standard_normal(shape).astype(dtype)
    if layout == "c":
        return values, torch.tensor(values)
    base = np.ascontiguousarray(values.T)
    return base.T, torch.tensor(base).t()


def _check_mm(seed, m, n, k, la, lb, dtype=F32, trials=2):
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        x, tx = _operand(rng, (m, k), la, dtype)
        y, ty = _operand(rng, (k, n), lb, dtype)
        assert_product(gemm.matmul(x, y), torch.mm(tx, ty), x, y)
        c, tc = _operand(rng, (m, n), "c", dtype)
        assert_product(gemm.addmm(c, x, y), torch.addmm(tc, tx, ty), x, y, c)


# shapes (m, n, k) chosen on each side of every measured kernel boundary
MM_SHAPES = {
    # a fused chain for every output
    "cc": [(2, 2, 2), (5, 7, 3), (3, 64, 33), (16, 16, 17), (9, 12, 100), (64, 64, 256)],
    "tc": [(2, 2, 2), (5, 7, 3), (3, 64, 33), (16, 16, 17), (9, 12, 100), (64, 64, 256)],
    # x @ w.t(): dot kernel (n = 2 up to m = 15, n = 3 up to m = 10, m < n ≤ 11 with n ≥ k),
    # row pairs with two registers from k = 32, quarters from k = 24·m, a chain otherwise
    "ct": [
        (2, 5, 3),
        (9, 2, 3),
        (15, 2, 40),
        (16, 2, 40),
        (10, 3, 70),
        (11, 3, 5),
        (4, 4, 5),
        (3, 9, 9),
        (3, 9, 10),
        (2, 12, 3),
        (12, 2, 70),
        (2, 7, 47),
        (2, 7, 48),
        (10, 64, 240),
        (11, 2, 256),
        (32, 16, 4),
        (64, 64, 256),
    ],
    # both transposed: chunks of four for m ≤ 7 < n... (pairs in order, an odd last row over
    # eight registers, eight registers from k = 48, reversed chunks at k = 64), else a chain
    "tt": [
        (2, 16, 8),
        (2, 16, 3),
        (3, 32, 23),
        (5, 48, 44),
        (3, 64, 48),
        (2, 64, 64),
        (7, 64, 64),
        (8, 16, 8),
        (3, 3, 3),
        (4, 12, 15),
        (6, 7, 5),
    ],
}


@pytest.mark.parametrize("layout", sorted(MM_SHAPES))
def test_matrix_products_and_addmm_match_pytorch_bit_for_bit(layout):
    for i, (m, n, k) in enumerate(MM_SHAPES[layout]):
        _check_mm(i, m, n, k, layout[0], layout[1], trials=1 if m * n * k > 50_000 else 2)


@pytest.mark.parametrize("layout", ["cc", "ct", "tc", "tt"])
def test_a_single_row_column_or_element_matches_pytorch(layout):
    """n = 1, m = 1 and 1×1 results: MKL's gemv in dot form (row-major rows) or axpy form
    (columns), and its 1×1 chain, halved between the threads from k = 256."""
    shapes = [(m, 1, k) for m in (2, 3, 4, 5, 7, 8, 16, 17, 33) for k in (1, 2, 3, 9, 17, 33, 70)]
    shapes += [(1, n, k) for n in (2, 3, 4, 5, 16, 17) for k in (1, 2, 9, 33, 70)]
    shapes += [(1, 1, k) for k in (1, 2, 5, 40, 255, 256)] + [(5, 1, 256), (1, 24, 256)]
    for i, (m, n, k) in enumerate(shapes):
        _check_mm(100 + i, m, n, k, layout[0], layout[1], trials=1)


@pytest.mark.parametrize("layout", ["c", "t"])
def test_matrix_times_vector_matches_torch_mv(layout):
    """sgemv 'T' (rows in blocks of four, the rest in pairs) and 'N' (rows in blocks of 16,
    the columns split between the threads from k = 256 for m ≤ 40)."""
    rng = np.random.default_rng(7)
    for m in (1, 2, 3, 4, 5, 7, 13, 16, 17, 24, 40, 41):
        for k in (1, 2, 3, 9, 16, 17, 33, 70, 256):
            x, tx = _operand(rng, (m, k), layout)
            v, tv = _operand(rng, (k,))
            assert_product(gemm.mv(x, v), torch.mv(tx, tv), x, v)
            assert_product(gemm.matmul(x, v), torch.mv(tx, tv), x, v)


def test_dot_matches_torch_dot():
    rng = np.random.default_rng(3)
    for k in [*range(1, 70), 100, 128, 255, 256]:
        for _ in range(2):
            (x, tx), (y, ty) = _operand(rng, (k,)), _operand(rng, (k,))
            assert_product(gemm.dot(x, y), torch.dot(tx, ty), x, y)


def test_linear_layers_bias_matches_addmm():
    """nn.Linear: addmm(bias, x, weight.t()) with a 1-D bias broadcast over the rows."""
    rng = np.random.default_rng(5)
    for m, n, k in [
        (1, 3, 4),
        (4, 1, 5),
        (2, 2, 2),
        (8, 3, 16),
        (32, 16, 4),
        (12, 2, 70),
        (3, 10, 8),
    ]:
        x, tx = _operand(rng, (m, k))
        w, tw = _operand(rng, (n, k))
        b, tb = _operand(rng, (n,))
        assert_product(gemm.addmm(b, x, w.T), torch.addmm(tb, tx, tw.t()), x, w.T, b)


@pytest.mark.parametrize("layouts", ["cc", "ct", "tc", "tt"])
def test_bmm_matches_torch_bmm(layouts):
    """PyTorch's own loop below 400 multiply-adds per matrix, MKL's kernels batch by batch
    above."""
    rng = np.random.default_rng(11)
    for batch, m, n, k in [
        (3, 2, 3, 4),
        (2, 5, 7, 11),
        (3, 8, 2, 33),
        (2, 3, 16, 16),
        (2, 16, 16, 8),
    ]:
        x = rng.standard_normal((batch, m, k)).astype(F32)
        y = rng.standard_normal((batch, k, n)).astype(F32)
        tx, ty = torch.tensor(x), torch.tensor(y)
        if layouts[0] == "t":
            x = np.ascontiguousarray(x.transpose(0, 2, 1)).transpose(0, 2, 1)
            tx = torch.tensor(np.ascontiguousarray(x.transpose(0, 2, 1))).transpose(1, 2)
        if layouts[1] == "t":
            y = np.ascontiguousarray(y.transpose(0, 2, 1)).transpose(0, 2, 1)
            ty = torch.tensor(np.ascontiguousarray(y.transpose(0, 2, 1))).transpose(1, 2)
        assert_product(gemm.bmm(x, y), torch.bmm(tx, ty), x, y)


def test_zero_products_keep_pytorchs_signs():
    """Kernels start from a zeroed register (+0); a k = 1 product of two matrices does not."""
    neg = np.full((3, 2), -0.0, F32)
    for x, y in [(neg, np.ones((2, 3), F32)), (neg[:, :1], np.ones((1, 3), F32))]:
        assert_identical(gemm.matmul(x, y), torch.mm(torch.tensor(x), torch.tensor(y)))
    assert_identical(
        gemm.dot(neg[:, 0], neg[:, 0] + 1), torch.dot(torch.tensor(neg[:, 0]), torch.ones(3))
    )


@pytest.mark.parametrize("layout", ["cc", "ct", "tc"])
def test_float64_products_match_pytorch(layout):
    """float64's kernels (8-lane registers; x @ w.t() through one register for m ≤ 3; k split
    between the threads from k = 193)."""
    for i, (m, n, k) in enumerate(
        [
            (2, 2, 2),
            (3, 5, 17),
            (4, 6, 5),
            (5, 7, 40),
            (2, 9, 100),
            (5, 3, 200),
            (8, 1, 33),
            (1, 8, 33),
        ]
    ):
        _check_mm(300 + i, m, n, k, layout[0], layout[1], dtype=F64)
    rng = np.random.default_rng(9)
    for k in (3, 4, 9, 17, 40, 70):
        (x, tx), (y, ty) = _operand(rng, (k,), dtype=F64), _operand(rng, (k,), dtype=F64)
        assert_product(gemm.dot(x, y), torch.dot(tx, ty), x, y)


def _ulps(ours, theirs):
    return np.abs(ours.astype(np.float64) - theirs) / np.spacing(np.abs(theirs))


@pytest.mark.parametrize(
    ("m", "n", "k", "dtype"),
    [(2, 80, 80, F32), (3, 100, 100, F32), (3, 64, 44, F64), (2, 64, 48, F64)],
)
def test_unmatched_both_transposed_products_stay_within_2_ulp(m, n, k, dtype):
    """Two transposed views with n ≥ k beyond the measured range (float32 from k = 80, float64
    from k = 33) use another blocking of k; the closest order found stays within 2 ulp on
    operands without cancellation."""
    rng = np.random.default_rng(13)
    x_base, y_base = rng.random((k, m)).astype(dtype), rng.random((n, k)).astype(dtype)
    ours = gemm.matmul(x_base.T, y_base.T)
    theirs = torch.mm(torch.tensor(x_base).t(), torch.tensor(y_base).t()).numpy()
    if REFERENCE:
        assert _ulps(ours, theirs).max() <= 2
    else:
        assert (np.abs(ours - theirs) <= rounding_bound(x_base.T, y_base.T)).all()
