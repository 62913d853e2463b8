"""Provides PyTorch's CPU float sum (`cascade_sum`, aten/src/ATen/native/cpu/SumKernel.cpp) in
numpy: the same additions in the same order, so float32 and float64 sums are bit-identical.

TensorIterator first orders the dimensions (reduced ones first, then by stride) and merges
those that are contiguous with each other; each 2-D plane of what is left is summed by one of
four loops, chosen by which of its two dimensions is contiguous. Every loop is made of two
orders: the multi-level cascade of `multi_row_sum` and the 4-way interleave of `row_sum`."""

from __future__ import annotations

import functools

import numpy as np

from .vec import lanes

_LEVELS = 4  # multi_row_sum's num_levels
_ILP = 4  # row_sum's ilp_factor; also the rows vectorized_outer_sum sums at once


def _ceil_log2(n: int) -> int:
    return 1 if n <= 2 else (n - 1).bit_length()


def _running(v: np.ndarray) -> np.ndarray:
    """0 + v₀ + v₁ + … over axis 0, left to right (accumulate is sequential; the final + 0 is
    what starting from 0 gives when every term is −0)."""
    if v.shape[0] == 0:
        return np.zeros(v.shape[1:], v.dtype)
    return np.add.accumulate(v, axis=0)[-1] + v.dtype.type(0)


def _fold(v: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Left-to-right sums (from 0) of each full group of `step` rows of v, and of the rest."""
    full = v.shape[0] // step
    blocks = v[: full * step].reshape(full, step, *v.shape[1:])
    if v.size <= 1 << 14:
        groups = (
            np.add.accumulate(blocks, axis=1)[:, -1] + v.dtype.type(0) if full else blocks[:, 0]
        )
    else:
        groups = np.zeros((full, *v.shape[1:]), v.dtype)
        for j in range(step):
            groups += blocks[:, j]
    return groups, _running(v[full * step :])


def multi_row(x: np.ndarray) -> np.ndarray:
    """Σ over axis 0 in `multi_row_sum` order: running sums of 2^p elements, whose sums are
    summed 2^p at a time on the next level, up to four levels, the partial levels added last."""
    step = 1 << max(4, _ceil_log2(x.shape[0]) // _LEVELS)
    if x.shape[0] < step:
        return _running(x)
    blocks, acc0 = _fold(x, step)
    groups, acc1 = _fold(blocks, step)
    tops, acc2 = _fold(groups, step)
    acc0 += acc1
    acc0 += acc2
    acc0 += _running(tops)
    return acc0


def row(x: np.ndarray) -> np.ndarray:
    """Σ over axis 0 in `row_sum` order: elements 4i+k cascade into four partial sums, the
    elements past the last full four go into the first, then the four are added in turn."""
    n = x.shape[0]
    k = n // _ILP
    partial = multi_row(x[: k * _ILP].reshape(k, _ILP, *x.shape[1:]))
    total = partial[0]
    for i in range(k * _ILP, n):
        total = total + x[i]
    for j in range(1, _ILP):
        total = total + partial[j]
    return total


def _inner(x: np.ndarray, width: int) -> np.ndarray:
    """`vectorized_inner_sum`: vectors of `width` consecutive elements summed by `row`, the
    scalar tail first into the total, then the lanes one by one."""
    count = x.shape[0] // width
    lanes_sum = row(x[: count * width].reshape(count, width, *x.shape[1:]))
    return _running(np.concatenate([x[count * width :], lanes_sum]))


def _outer(x: np.ndarray, width: int, vectorized: bool) -> np.ndarray:
    """`vectorized_outer_sum` / `scalar_outer_sum` over a plane x[reduced, column]: columns go
    through `multi_row` four vectors (or four scalars) at a time, the rest through `row`."""
    m = x.shape[1]
    block = _ILP * width if vectorized else _ILP
    cascaded = (m // block) * block
    out = np.empty(x.shape[1:], x.dtype)
    if cascaded:
        out[:cascaded] = multi_row(x[:, :cascaded])
    if cascaded < m:
        out[cascaded:] = row(x[:, cascaded:])
    return out


def _plane(x: np.ndarray, strides: tuple[int, int], width: int) -> np.ndarray:
    """The column sums of one plane x[reduced, column] as `cascade_sum` picks its loop."""
    itemsize = x.dtype.itemsize
    if strides[0] == itemsize and x.shape[0] >= width:
        return _inner(x, width)
    if strides[1] == itemsize and x.shape[1] >= width:
        return _outer(x, width, vectorized=True)
    if strides[0] < strides[1]:
        return row(x)
    return _outer(x, width, vectorized=False)


def _should_swap(d0: int, d1: int, sizes, operands) -> int:
    """TensorIterator's comparison of two dimensions while ordering them (output first)."""
    for index, strides in enumerate(operands):
        s0, s1 = strides[d0], strides[d1]
        if index == 0 and (s0 == 0) != (s1 == 0):
            return 1 if s1 == 0 else -1
        if s0 == 0 or s1 == 0:
            continue
        if s0 != s1:
            return -1 if s0 < s1 else 1
        if sizes[d0] > sizes[d1]:
            return 1
    return 0


def _iteration(sizes: list[int], out_strides: list[int], in_strides: list[int]):
    """The dimensions in TensorIterator's order (fastest first), each a list of the axes it
    merges, slowest first: ordered by `reorder_dimensions`, merged by `coalesce_dimensions`."""
    perm = list(range(len(sizes)))[::-1]
    operands = (out_strides, in_strides)
    for i in range(1, len(perm)):
        moving = i
        for j in range(i - 1, -1, -1):
            comparison = _should_swap(perm[j], perm[moving], sizes, operands)
            if comparison > 0:
                perm[j], perm[moving] = perm[moving], perm[j]
                moving = j
            elif comparison < 0:
                break
    groups: list[list[int]] = []
    shape: list[int] = []
    strides: list[tuple[int, int]] = []
    for axis in perm:
        step = (out_strides[axis], in_strides[axis])
        if groups and all(shape[-1] * s == t for s, t in zip(strides[-1], step, strict=True)):
            groups[-1].insert(0, axis)
            shape[-1] *= sizes[axis]
        else:
            groups.append([axis])
            shape.append(sizes[axis])
            strides.append(step)
    return groups, shape, strides


def _contiguous_strides(shape: tuple[int, ...], itemsize: int) -> list[int]:
    strides, step = [], itemsize
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return strides[::-1]


def _small(values: list) -> object:
    """`row` for fewer than 64 numbers (float32 or float64 scalars), one at a time: the cascade's
    first level holds them all, so partial sum k is 0 + v[k] + v[k+4] + …"""
    zero = values[0] * 0 if values else 0
    n = len(values)
    full = n - n % _ILP
    partial = [zero + zero, zero + zero, zero + zero, zero + zero]
    for i in range(full):
        partial[i % _ILP] += values[i]
    total = partial[0]
    for i in range(full, n):
        total += values[i]
    return ((total + partial[1]) + partial[2]) + partial[3]


@functools.lru_cache(maxsize=512)
def _plan(shape: tuple, strides: tuple, itemsize: int, dims: tuple, keepdim: bool):
    """How `cascade_sum` lays out and folds an array of this shape, strides and reduction:
    (axes kept, their transpose, the iteration shape, the plane's input strides, how many
    iteration dimensions are reduced, the kept axes' order and sizes, the result's shape)."""
    ndim = len(shape)
    kept_shape = tuple(1 if d in dims else n for d, n in enumerate(shape))
    final_shape = kept_shape if keepdim else tuple(n for d, n in enumerate(shape) if d not in dims)
    axes = [d for d in range(ndim) if shape[d] > 1]
    if not axes:
        return None, final_shape
    full_out_strides = _contiguous_strides(kept_shape, itemsize)
    sizes = [shape[d] for d in axes]
    out_strides = [0 if d in dims else full_out_strides[d] for d in axes]
    groups, iteration, plane = _iteration(sizes, out_strides, [strides[d] for d in axes])
    reduced = sum(1 for s in plane if s[0] == 0)
    kept = [p for g in groups[reduced:] for p in g]
    return (
        tuple(sizes),
        tuple(p for g in groups for p in g),
        tuple(iteration),
        (plane[0][1], plane[1][1] if len(plane) > 1 else 0),
        reduced,
        tuple(sizes[p] for p in kept),
        tuple(np.argsort(kept)),
    ), final_shape


def cascade_sum(a: np.ndarray, dims: tuple[int, ...], keepdim: bool = False) -> np.ndarray:
    """`torch.sum(a, dims, keepdim)` for a float32 or float64 array, added in the order of
    PyTorch's CPU kernel on one thread (what it uses below 32,768 elements)."""
    ndim = a.ndim
    zero = a.dtype.type(0)
    if a.size <= _ILP and len(dims) == ndim and not keepdim and a.flags.c_contiguous:
        # up to four numbers the cascade adds them in turn from +0, as numpy's reduce does
        return np.asarray(np.add.reduce(a, axis=None) + zero)
    if len(dims) == ndim and a.size < lanes(a.dtype, "sum") and a.flags.c_contiguous:
        total = _small(list(a.reshape(-1))) + zero
        return np.full((1,) * ndim if keepdim else (), total, a.dtype)
    if any(s < 0 for s in a.strides):
        a = np.ascontiguousarray(a)
    dims = tuple(sorted({d % ndim for d in dims})) if ndim else ()
    plan, final_shape = _plan(a.shape, a.strides, a.itemsize, dims, keepdim)
    if a.size == 0:
        return np.zeros(final_shape, a.dtype)
    if plan is None:
        return (a + zero).reshape(final_shape)
    sizes, order, shape, strides, reduced, kept_sizes, unorder = plan
    x = np.transpose(a.reshape(sizes), order).reshape(shape)
    if reduced == 0:
        out = x + zero
    else:
        plane = x.reshape(shape[0], shape[1] if len(shape) > 1 else 1, -1)
        sums = _plane(plane, strides, lanes(a.dtype, "sum")).reshape(shape[1:])
        if reduced > 1:
            # fold the reduced i1 … i(r-1) in TensorIterator's counter order, i1 fastest
            inner = list(range(reduced - 1))
            sums = np.transpose(sums, inner[::-1] + list(range(reduced - 1, sums.ndim)))
            out = _running(sums.reshape(-1, *sums.shape[reduced - 1 :]))
        else:
            out = sums + zero
    out = out.reshape(kept_sizes)
    if len(unorder) > 1:
        out = np.ascontiguousarray(np.transpose(out, unorder))
    return out.reshape(final_shape)


_NLL_LEVELS = 8  # LossNLL.cpp's cascade_sum_num_levels


def nll_sum(picked: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Σ −picked over the kept rows in `nll_loss_out_frame`'s order: a running cascade on the
    batch index b, where every b that is a multiple of 16^j (b = 0 included) carries level j
    up a level; the levels are added bottom up at the end."""
    batch = picked.shape[0]
    step_power = max(4, _ceil_log2(batch) // 4)
    step = 1 << step_power
    zero = picked.dtype.type(0)
    if not keep.all():
        acc = [zero] * _NLL_LEVELS
        for b in range(batch):
            if not keep[b]:
                continue
            acc[0] = acc[0] - picked[b]
            for j in range(_NLL_LEVELS - 1):
                if b & ((step - 1) << (j * step_power)):
                    break
                acc[j + 1] = acc[j + 1] + acc[j]
                acc[j] = zero
        total = zero
        for value in acc:
            total = total + value
        return np.asarray(total, picked.dtype)
    values = -picked
    levels = []
    groups = values[1:]
    for _ in range(_NLL_LEVELS - 1):
        groups, rest = _fold(groups, step)
        levels.append(rest)
    top = values[0] if batch else zero
    for g in groups:
        top = top + g
    total = np.asarray(zero)
    for value in [*levels, top]:
        total = total + value
    return np.asarray(total, picked.dtype)
