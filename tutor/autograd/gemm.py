"""Provides matrix products rounded as PyTorch 2.13's CPU build rounds them on the reference
machine (MKL 2024.2 on AVX-512, two threads).

Every order here was measured, output by output, against torch: a product's summation tree was
read off with cancelling pairs (two products ±2¹⁰⁰, the rest 1: the result counts the products
outside the pair's smallest common subtree), and where each product is fused (one rounding) or
rounded first was settled on random operands. PyTorch hands `mm`/`addmm` to MKL's ?gemm with
the operands' layouts (row-major, or a transposed view), `mv` to ?gemv and `dot` to ?dot; MKL
picks a kernel by layout and shape:

* both operands row-major, or the first one a transposed view: a fused chain per output;
* `x @ w.t()` (every `nn.Linear`): a chain, a 16-lane dot-product kernel, or a 16-lane kernel
  reduced by quarters, depending on m, n, k;
* both transposed: a chain, or chunks of four for short, wide products;
* one row or one column (matrix·vector): MKL's gemv kernels (dot form or axpy form);
* a 1×1 result: a chain;
* from k ≈ 192–256 some kernels split k in halves (between the two threads, or float64's
  blocking) and add the halves; the thread splits depend on THREADS.

float64 has its own kernels (8-lane registers), followed where measured (see `_product64`).
Products outside MAX_WORK/MAX_DEPTH, and other dtypes, go to numpy's BLAS.

These orders are followed on every machine, whatever MKL would pick on it (on an AMD EPYC
without AVX-512 it picks unfused multiply-then-add chains for small products and other
blockings beyond), so that the same program gives the same numbers, and the same verdicts,
on every learner's computer and on the server.
"""

from __future__ import annotations

import numpy as np

from .fused import fma

# longest inner dimension, and most multiply-adds per matrix, whose order is followed
MAX_DEPTH = 256
MAX_WORK = 1 << 20
# PyTorch's own loop (plain products summed in order) below this many multiply-adds per bmm matrix
BMM_OWN_LOOP = 400
LANES = 16  # float32 lanes of an AVX-512 register
# PyTorch's intra-op threads (its default on the reference machine); with one thread
# (torch.set_num_threads(1)) MKL never splits k between threads
THREADS = 2


# ----- layouts, as PyTorch's addmm_impl_cpu_ and addmv hand them to BLAS -----


def _element_strides(a: np.ndarray) -> tuple[int, ...] | None:
    if any(s % a.itemsize or s < 0 for s in a.strides):
        return None
    return tuple(s // a.itemsize for s in a.strides)


def _transposed(a: np.ndarray) -> bool:
    """Whether PyTorch passes this 2-D operand of an n ≥ 2 product to sgemm as a transposed
    (column-major) matrix: a `.t()` view. Anything neither row- nor column-major is copied to
    row-major first."""
    rows, cols = a.shape[-2:]
    strides = _element_strides(a)
    if strides is None:
        return False
    s0, s1 = strides[-2:]
    if s1 == 1 and s0 >= max(1, cols):
        return False
    return s0 == 1 and s1 >= max(1, rows)


def _column_major(a: np.ndarray, *, for_mv: bool) -> bool:
    """Whether this matrix is read column by column (sgemv 'N'): by `mv` (which also takes a
    single column as such), or as the first operand of an n = 1 product."""
    rows, cols = a.shape[-2:]
    strides = _element_strides(a)
    if strides is None:
        return False
    s0, s1 = strides[-2:]
    return s0 == 1 and ((for_mv and cols == 1) or s1 >= max(1, rows))


# ----- building blocks: a (..., k) and b (..., k) broadcast against each other -----


def _zero_start(p: np.ndarray) -> np.ndarray:
    """A product fused onto a zeroed register: p itself, but -0 becomes +0."""
    return p + p.dtype.type(0)


def _chain(a: np.ndarray, b: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """acc = fma(a_l, b_l, acc) for l = 0..k-1, acc starting at `start` (or a zeroed register)."""
    dtype = np.result_type(a, b)
    if dtype == np.float32:
        return _chain32(a, b, start)
    return _chain_fused(a, b, start, dtype)


def _chain_fused(a, b, start, dtype) -> np.ndarray:
    if start is None:
        acc = _zero_start(a[..., 0] * b[..., 0])
    else:
        acc = fma(a[..., 0], b[..., 0], start, dtype)
    for i in range(1, a.shape[-1]):
        acc = fma(a[..., i], b[..., i], acc, dtype)
    return acc


_F32_DROPPED = np.uint64((1 << 29) - 1)
_F32_MIDPOINT = np.uint64(1 << 28)


def _chain32(a: np.ndarray, b: np.ndarray, start: np.ndarray | None) -> np.ndarray:
    """The float32 chain with each step's sum formed in float64 (a·b is exact there) and rounded
    to float32 from it. That double rounding can only differ from fma's single one where the
    float64 sum lands on a float32 midpoint or in float32's subnormal range; if any step does,
    the chain is redone with `fma`."""
    k = a.shape[-1]
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    a64 = np.ascontiguousarray(np.moveaxis(a, -1, 0), dtype=np.float64)
    b64 = np.ascontiguousarray(np.moveaxis(b, -1, 0), dtype=np.float64)
    block = max(1, min(k, (1 << 16) // max(1, int(np.prod(shape)))))
    sums = np.empty((block, *shape))
    acc = np.zeros(shape) if start is None else np.broadcast_to(start, shape).astype(np.float64)
    acc32 = np.empty(shape, np.float32)
    for first in range(0, k, block):
        steps = sums[: min(block, k - first)]
        for i, total in enumerate(steps, first):
            np.multiply(a64[i], b64[i], out=total)
            if i or start is not None:
                total += acc
            acc32[...] = total
            acc[...] = acc32
        if _double_rounding_risk(steps):
            return _chain_fused(a, b, start, np.dtype(np.float32))
    return _zero_start(acc32) if start is None else acc32


def _double_rounding_risk(sums: np.ndarray) -> bool:
    if ((sums.view(np.uint64) & _F32_DROPPED) == _F32_MIDPOINT).any():
        return True
    return bool(((np.abs(sums) < 2.0**-125) & (sums != 0)).any())


def _plain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 + p_0 + p_1 + … with each product rounded first."""
    acc = _zero_start(a[..., 0] * b[..., 0])
    for i in range(1, a.shape[-1]):
        acc = acc + a[..., i] * b[..., i]
    return acc


def _fuse_block(v: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """v[lanes] = fma(a, b, v[lanes]) for the first a.shape[-1] lanes (a masked load)."""
    width = a.shape[-1]
    if width == v.shape[-1]:
        return fma(a, b, v, v.dtype)
    v = v.copy()
    v[..., :width] = fma(a, b, v[..., :width], v.dtype)
    return v


def _width(dtype: np.dtype) -> int:
    """Lanes of a 64-byte AVX-512 register."""
    return 64 // np.dtype(dtype).itemsize


def _lanes(a, b, *, paired=False, start=None, width=LANES) -> np.ndarray:
    """A `width`-lane register accumulating a·b block by block with fused multiply-adds, the last
    partial block masked. `paired`: while 2·width or more remain, blocks alternate between two
    registers, added together afterwards. `start` seeds lane 0."""
    k = a.shape[-1]
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1]) + (width,)
    dtype = np.result_type(a, b)
    v = np.zeros(shape, dtype)
    if start is not None:
        v[..., 0] = start
    i = 0
    if paired and k >= 2 * width:
        w = np.zeros(shape, dtype)
        while k - i >= 2 * width:
            v = fma(a[..., i : i + width], b[..., i : i + width], v, dtype)
            w = fma(a[..., i + width : i + 2 * width], b[..., i + width : i + 2 * width], w, dtype)
            i += 2 * width
        v = v + w
    while i < k:
        v = _fuse_block(v, a[..., i : i + width], b[..., i : i + width])
        i += width
    return v


def _halve(v: np.ndarray) -> np.ndarray:
    """Lanes folded in halves: v[:w/2] + v[w/2:], down to one."""
    while v.shape[-1] > 1:
        half = v.shape[-1] // 2
        v = v[..., :half] + v[..., half:]
    return v[..., 0]


def _by_quarters(v: np.ndarray) -> np.ndarray:
    """Four 128-bit quarters summed in order, then (s0 + s1) + (s2 + s3)."""
    q = v.shape[-1] // 4
    s = v[..., :q]
    for j in range(1, 4):
        s = s + v[..., j * q : (j + 1) * q]
    return (s[..., 0] + s[..., 1]) + (s[..., 2] + s[..., 3])


def _hadd(v: np.ndarray) -> np.ndarray:
    """Halves down to four lanes, then (v0 + v1) + (v2 + v3)."""
    while v.shape[-1] > 4:
        half = v.shape[-1] // 2
        v = v[..., :half] + v[..., half:]
    return (v[..., 0] + v[..., 1]) + (v[..., 2] + v[..., 3])


# ----- kernels, one output per (a, b) pair -----


def _blas_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MKL's sdot/ddot: up to 3 float32 products summed in order; otherwise four 64-byte
    registers over 4-register blocks, then two over 2-register blocks, then the rest fused into
    the first; the registers added as (r0 + r1) + (r2 + r3) and the lanes folded by halves —
    for float32 down to four lanes, then (0+1)+(2+3)."""
    k = a.shape[-1]
    dtype = np.result_type(a, b)
    if k <= 3 and dtype == np.float32:
        return _plain(a, b)
    width = _width(dtype)
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1]) + (width,)
    regs = [np.zeros(shape, dtype) for _ in range(4)]
    i = 0
    for count in (4, 2):
        while k - i >= count * width:
            for r in range(count):
                lo = i + r * width
                regs[r] = fma(a[..., lo : lo + width], b[..., lo : lo + width], regs[r], dtype)
            i += count * width
    while i < k:
        regs[0] = _fuse_block(regs[0], a[..., i : i + width], b[..., i : i + width])
        i += width
    total = (regs[0] + regs[1]) + (regs[2] + regs[3])
    return _hadd(total) if dtype == np.float32 else _halve(total)


def _gemv_dot_block(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sgemv 'T', rows in blocks of four: p_0 seeds lane 0 of a 16-lane register fed by the
    following 16-blocks, folded by halves; what is left (under 16) goes, with that sum in lane 0,
    through two 4-lane registers: the first block fused, later ones rounded then added; their sum
    folded by halves."""
    k = a.shape[-1]
    r = a[..., 0] * b[..., 0]
    end = 1 + (k - 1) // LANES * LANES
    if end > 1:
        r = _halve(_lanes(a[..., 1:end], b[..., 1:end], start=r))
    if end == k:
        return r
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1]) + (4,)
    x = np.zeros(shape, r.dtype)
    x[..., 0] = r
    y = np.zeros(shape, r.dtype)
    for j, lo in enumerate(range(end, k, 4)):
        sa, sb = a[..., lo : lo + 4], b[..., lo : lo + 4]
        width = sa.shape[-1]
        target = x if j % 2 == 0 else y
        if j == 0:
            target[..., :width] = fma(sa, sb, target[..., :width], r.dtype)
        else:
            target[..., :width] = target[..., :width] + sa * sb
    return _halve(x + y)


def _gemv_dot_tail(a: np.ndarray, b: np.ndarray, paired: bool) -> np.ndarray:
    """sgemv 'T', rows after the blocks of four: p_0 + (the other products through a 16-lane
    register, two registers over 32-blocks on every other row, folded by halves)."""
    p0 = a[..., 0] * b[..., 0]
    if a.shape[-1] == 1:
        return p0
    return p0 + _halve(_lanes(a[..., 1:], b[..., 1:], paired=paired))


def _gemv_dot(rows: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """sgemv 'T' (each output a dot product of a contiguous row with the vector):
    rows (..., m, k), vec (..., 1, k) -> (..., m)."""
    if np.result_type(rows, vec) == np.float64:
        return _dgemv_dot(rows, vec)
    m = rows.shape[-2]
    blocks = m // 4 * 4
    out = np.empty(np.broadcast_shapes(rows.shape[:-1], vec.shape[:-1]), np.result_type(rows, vec))
    if blocks:
        out[..., :blocks] = _gemv_dot_block(rows[..., :blocks, :], vec)
    for paired in (True, False):
        first = blocks if paired else blocks + 1
        if first < m:
            out[..., first::2] = _gemv_dot_tail(rows[..., first::2, :], vec, paired)
    return out


def _dgemv_dot(rows: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """dgemv 'T': every row alike — two 8-lane registers over 16-blocks, added, the rest fused
    in; each half of the lanes folded as (v0 + v2) + (v1 + v3), the halves then added."""
    v = _lanes(rows, vec, paired=True, width=8)
    return ((v[..., 0] + v[..., 2]) + (v[..., 1] + v[..., 3])) + (
        (v[..., 4] + v[..., 6]) + (v[..., 5] + v[..., 7])
    )


def _gemv_axpy16(a: np.ndarray, b: np.ndarray, start: np.ndarray | None) -> np.ndarray:
    """sgemv 'N' for rows in blocks of 16: columns in groups of eight j..j+7 through four
    registers, each product pair (j+2, j) as fma(a_j, b_j, p_{j+2}) (the sum so far takes the
    place of p_{j+6} after the first group), summed as (r0 + r1) + (r2 + r3); columns past the
    last group fused one by one."""
    k = a.shape[-1]
    dtype = np.result_type(a, b)

    def fused(j, acc):
        return fma(a[..., j], b[..., j], acc, dtype)

    def product(j):
        return a[..., j] * b[..., j]

    carry = start
    g = 0
    while g + 8 <= k:
        first = product(g + 6) if carry is None else fused(g + 6, carry)
        r0 = fused(g + 4, first)
        r1 = fused(g + 5, product(g + 7))
        r2 = fused(g, product(g + 2))
        r3 = fused(g + 1, product(g + 3))
        carry = (r0 + r1) + (r2 + r3)
        g += 8
    for j in range(g, k):
        carry = _zero_start(product(j)) if carry is None else fused(j, carry)
    return carry


def _gemv_axpy_half(cols: np.ndarray, vec: np.ndarray, start) -> np.ndarray:
    m = cols.shape[-2]
    blocks = m // 16 * 16
    out = np.empty(np.broadcast_shapes(cols.shape[:-1], vec.shape[:-1]), np.result_type(cols, vec))

    def part(s, sl):
        return None if s is None else s[..., sl]

    if blocks:
        out[..., :blocks] = _gemv_axpy16(cols[..., :blocks, :], vec, part(start, slice(0, blocks)))
    if blocks < m:
        out[..., blocks:] = _chain(cols[..., blocks:, :], vec, part(start, slice(blocks, m)))
    return out


def _gemv_axpy(cols: np.ndarray, vec: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """?gemv 'N' (the matrix read column by column): rows (..., m, k), vec (..., 1, k) -> (..., m);
    `start` (addmm's c) is where each chain starts. A single row is read as a dot product.
    float32 rows in blocks of 16 use the grouped kernel, the rest a fused chain; from k = 256
    (m ≤ 40) the two threads each take half the columns: c + (first half + second half)."""
    m, k = cols.shape[-2:]
    if m == 1 and start is None:
        return _gemv_dot(cols, vec)
    if np.result_type(cols, vec) == np.float64:
        return _dgemv_axpy(cols, vec, start)
    if THREADS > 1 and k >= 256 and m <= 40:
        h = -(-k // 2)
        first = _gemv_axpy_half(cols[..., :h], vec[..., :h], None)
        total = first + _gemv_axpy_half(cols[..., h:], vec[..., h:], None)
        return total if start is None else start + total
    return _gemv_axpy_half(cols, vec, start)


def _dgemv_axpy(cols: np.ndarray, vec: np.ndarray, start: np.ndarray | None) -> np.ndarray:
    """dgemv 'N': a fused chain per row, halved between the threads from (m + 64)·k ≥ 17600
    (for m > 40 only up to k = 150): c + (first half + second half)."""
    m, k = cols.shape[-2:]
    if THREADS > 1 and (m + 64) * k >= 17600 and (m <= 40 or k <= 150):
        h = -(-k // 2)
        total = _chain(cols[..., :h], vec[..., :h]) + _chain(cols[..., h:], vec[..., h:])
        return total if start is None else start + total
    return _chain(cols, vec, start)


def _one_by_one(a: np.ndarray, b: np.ndarray, start: np.ndarray | None) -> np.ndarray:
    """A 1×1 result: a fused chain from c (or zero); from k = 256 the two threads each chain half
    and c + (first + second)."""
    k = a.shape[-1]
    if THREADS > 1 and k >= 256 and np.result_type(a, b) == np.float32:
        h = -(-k // 2)
        total = _chain(a[..., :h], b[..., :h]) + _chain(a[..., h:], b[..., h:])
        return total if start is None else start + total
    if k == 1 and start is not None:
        return start + a[..., 0] * b[..., 0]
    return _chain(a, b, start)


def _dot_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The 16-lane dot-product kernel for x @ w.t(): output rows in pairs, the first of each
    pair with two registers over 32-blocks, the second with one; lanes folded by halves."""
    out = np.empty(np.broadcast_shapes(a.shape[:-1], b.shape[:-1]), np.result_type(a, b))
    out[..., 0::2, :] = _halve(_lanes(a[..., 0::2, :, :], b, paired=True))
    out[..., 1::2, :] = _halve(_lanes(a[..., 1::2, :, :], b))
    return out


def _chunk_sums(a, b, reverse: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """k in chunks of four, each fma(a3, fma(a2, fma(a0, p1))) — reversed,
    fma(a0, fma(a1, fma(a2, p3))) — and a last short chunk of three (p0 + p2) + p1, of two
    p0 + p1. Returns the full chunks' sums (..., chunks) and the short chunk's (or None)."""
    k = a.shape[-1]
    full = k // 4 * 4
    dtype = np.result_type(a, b)
    first, rest = (3, (2, 1, 0)) if reverse else (1, (0, 2, 3))
    s = a[..., first:full:4] * b[..., first:full:4]
    for j in rest:
        s = fma(a[..., j:full:4], b[..., j:full:4], s, dtype)
    p = [a[..., j] * b[..., j] for j in range(full, k)]
    short = None
    if len(p) == 1:
        short = p[0]
    elif len(p) == 2:
        short = p[0] + p[1]
    elif len(p) == 3:
        short = (p[0] + p[2]) + p[1]
    return s, short


def _chunks_of_four(a, b, *, registers: int, reverse: bool = False) -> np.ndarray:
    """The chunk sums added in order (one register), or rotating over `registers` registers
    that are then folded by halves; a short last chunk added at the end."""
    sums, short = _chunk_sums(a, b, reverse)
    total = None
    if registers == 1:
        for q in range(sums.shape[-1]):
            total = _zero_start(sums[..., q]) if total is None else total + sums[..., q]
    elif sums.shape[-1]:
        regs = np.zeros(sums.shape[:-1] + (registers,), sums.dtype)
        for q in range(0, sums.shape[-1], registers):
            block = sums[..., q : q + registers]
            regs[..., : block.shape[-1]] = regs[..., : block.shape[-1]] + block
        total = _halve(regs)
    if short is None:
        return total
    return _zero_start(short) if total is None else total + short


def _both_transposed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Short, wide products of two transposed views (measured up to k = 64): output rows in
    pairs add their chunks in order below k = 48, rotate them over eight registers from there,
    reversed chunks from k = 64; the last row of an odd count always rotates forward chunks."""
    k = a.shape[-1]
    rows = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])[-2]
    out = np.empty(np.broadcast_shapes(a.shape[:-1], b.shape[:-1]), np.result_type(a, b))
    paired = rows // 2 * 2
    if k < 48:
        out[..., :paired, :] = _chunks_of_four(a[..., :paired, :, :], b, registers=1)
    else:
        out[..., :paired, :] = _chunks_of_four(
            a[..., :paired, :, :], b, registers=8, reverse=k >= 64
        )
    if paired < rows:
        out[..., paired:, :] = _chunks_of_four(a[..., paired:, :, :], b, registers=8)
    return out


def _both_transposed64(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The float64 form (measured up to k = 64): output rows in pairs take their first
    32·⌊k/32⌋ products, the last row of an odd count its first 8·⌊k/8⌋, as reversed chunks
    rotating over four registers folded by halves; the other chunks follow in order."""
    k = a.shape[-1]
    rows = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])[-2]
    out = np.empty(np.broadcast_shapes(a.shape[:-1], b.shape[:-1]), np.result_type(a, b))
    paired = rows // 2 * 2
    for lo, hi, block in ((0, paired, 32), (paired, rows, 8)):
        if lo == hi:
            continue
        head = k // block * block
        x = a[..., lo:hi, :, :]
        if head == 0:
            out[..., lo:hi, :] = _chunks_of_four(x, b, registers=1)
            continue
        total = _chunks_of_four(x[..., :head], b[..., :head], registers=4, reverse=True)
        if head < k:
            total = total + _chunks_of_four(x[..., head:], b[..., head:], registers=1)
        out[..., lo:hi, :] = total
    return out


# ----- choosing the kernel -----


def _ct_kernel(m: int, n: int, k: int) -> str:
    """x @ w.t() with m, n ≥ 2 (measured boundaries, m, n ≤ 64, k ≤ 256)."""
    if k >= 24 * m:
        return "quarters"
    if (n == 2 and m <= 15) or (n == 3 and m <= 10) or (m < n <= 11 and n >= k):
        return "dot"
    return "chain"


def _product(x: np.ndarray, y: np.ndarray, c: np.ndarray | None) -> np.ndarray:
    """x (..., m, k) @ y (..., k, n) [+ c] for one layout of x and y."""
    m, k = x.shape[-2:]
    n = y.shape[-1]
    a = x[..., :, None, :]
    b = np.swapaxes(y, -1, -2)[..., None, :, :]
    if m == 1 and n == 1:
        return _one_by_one(a, b, c)
    if n == 1:
        if _column_major(x, for_mv=False):
            return _gemv_axpy(x, b[..., 0, :, :], None if c is None else c[..., 0])[..., None]
        return _plus(_gemv_dot(x, b[..., 0, :, :])[..., None], c)
    if m == 1:
        rows = np.swapaxes(y, -1, -2)
        if _transposed(y):
            return _plus(_gemv_dot(rows, a[..., 0, :, :])[..., None, :], c)
        return _gemv_axpy(rows, a[..., 0, :, :], None if c is None else c[..., 0, :])[..., None, :]
    if k == 1:
        p = a[..., 0] * b[..., 0]
        return p if c is None else fma(a[..., 0], b[..., 0], c, p.dtype)
    ta, tb = _transposed(x), _transposed(y)
    if x.dtype == np.float64:
        return _product64(a, b, c, m, n, k, ta, tb)
    if not ta and tb:
        kind = _ct_kernel(m, n, k)
        if kind == "quarters":
            return _plus(_by_quarters(_lanes(a, b)), c)
        if kind == "dot":
            return _plus(_dot_rows(a, b), c)
    elif ta and tb and m <= 7 and n > m and n >= k:
        return _plus(_both_transposed(a, b), c)
    return _plus(_chain(a, b), c)


def _product64(a, b, c, m: int, n: int, k: int, ta: bool, tb: bool) -> np.ndarray:
    """dgemm for m, n ≥ 2: x @ w.t() goes through one 8-lane register — lanes to four by
    halves, then (0+1)+(2+3) — for m ≤ 3, folded by halves when m < n ≤ 7 and n ≥ k; two
    transposed views take chunks of four when short and wide; from k = 193 (x @ w.t() with
    m ≥ 4, or two transposed views) k is blocked in two halves, each a chain, (c + first) +
    second — except where two threads share out a large output instead; otherwise a fused
    chain, which starts from c for m = 2 with row-major operands."""
    if tb and not ta:
        if m <= 3:
            return _plus(_hadd(_lanes(a, b, width=8)), c)
        if m < n <= 7 and n >= k:
            return _plus(_halve(_lanes(a, b, width=8)), c)
    if ta and tb and m <= 7 and n > m and n >= k:
        return _plus(_both_transposed64(a, b), c)
    if tb and k >= 193 and not (THREADS > 1 and _split_by_rows64(m, n, k, ta)):
        h = -(-k // 2)
        first = _chain(a[..., :h], b[..., :h])
        return (first if c is None else c + first) + _chain(a[..., h:], b[..., h:])
    if m == 2 and not ta and not tb:
        return _chain(a, b, c)
    return _plus(_chain(a, b), c)


def _split_by_rows64(m: int, n: int, k: int, ta: bool) -> bool:
    """Whether dgemm's two threads share out the output, unblocked (measured, m, n ≤ 64)."""
    if k >= 256 and m >= 16 and n >= 32:
        return True
    return m >= 57 and n >= (7 if ta else 57)


def _plus(r: np.ndarray, c: np.ndarray | None) -> np.ndarray:
    return r if c is None else c + r


def _followed(x: np.ndarray, y: np.ndarray) -> bool:
    if x.dtype != y.dtype or x.dtype not in (np.float32, np.float64) or x.size == 0 or y.size == 0:
        return False
    k = x.shape[-1]
    m = x.shape[-2] if x.ndim > 1 else 1
    n = y.shape[-1] if y.ndim > 1 else 1
    return k <= MAX_DEPTH and m * n * k <= MAX_WORK


# ----- the public products -----


def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """1-D · 1-D, as MKL's sdot sums it."""
    with np.errstate(all="ignore"):
        if not _followed(x, y):
            return np.asarray(np.dot(x, y))
        return np.asarray(_blas_dot(x, y))


def mv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """2-D · 1-D, as torch.mv hands it to sgemv: a transposed view column by column ('N'),
    anything else row by row ('T')."""
    with np.errstate(all="ignore"):
        if not _followed(x, y):
            return np.matmul(x, y)
        if _column_major(x, for_mv=True):
            return _gemv_axpy(x, y[None, :])
        return _gemv_dot(x, y[None, :])


def matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x @ y: 1-D · 1-D as `dot`, 2-D · 1-D as `mv`, matrices (or stacks of them, matrix by
    matrix) as `mm`."""
    if x.ndim == 1 and y.ndim == 1:
        return dot(x, y)
    if x.ndim == 2 and y.ndim == 1:
        return mv(x, y)
    if x.ndim < 2 or y.ndim < 2:
        return np.matmul(x, y)
    with np.errstate(all="ignore"):
        if not _followed(x, y):
            return np.matmul(x, y)
        return _product(x, y, None)


def bmm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Batched x @ y (3-D): PyTorch's own loop for small products (fewer than 400 multiply-adds
    per matrix: plain products summed in order from zero), BLAS's kernels otherwise."""
    m, k = x.shape[-2:]
    n = y.shape[-1]
    if m * n * k >= BMM_OWN_LOOP or x.dtype != y.dtype or x.dtype.kind != "f":
        return matmul(x, y)
    with np.errstate(all="ignore"):
        return _plain(x[..., :, None, :], np.swapaxes(y, -1, -2)[..., None, :, :])


def addmm(c: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """c + x @ y for 2-D x, y (c broadcast to the result): PyTorch copies c into the result and
    calls sgemm with β = 1. Most kernels add c to the finished sum; the axpy-form gemv and the 1×1
    kernel start their chains from it, and a k = 1 product is fused onto it."""
    dtype = np.result_type(x, y)
    with np.errstate(all="ignore"):
        if not _followed(x, y):
            return np.asarray(c + np.matmul(x, y), dtype=dtype)
        start = np.broadcast_to(np.asarray(c, dtype=dtype), (x.shape[0], y.shape[1]))
        return np.asarray(_product(x, y, start), dtype=dtype)
