"""Provides the random constructors — manual_seed, rand, randn, randint, randperm, the *_like
forms, normal — and in-place uniform_/normal_, drawing from tutor.autograd.random, which
reproduces PyTorch's CPU generator bit for bit."""

from __future__ import annotations

import numpy as np

from . import random as rng
from .device import CPU
from .device import check as check_device
from .dtypes import F32, I64, to_numpy_dtype
from .tensor_core import TensorCore, result

Generator = rng.Generator
Generator.__module__ = "torch._C"


def manual_seed(seed) -> rng.Generator:
    return rng.manual_seed(seed)


def seed() -> int:
    return rng.initial_seed()


def initial_seed() -> int:
    return rng.initial_seed()


def get_rng_state():
    return result(np.asarray(rng.get_rng_state()))


def set_rng_state(state) -> None:
    rng.set_rng_state(state._data if isinstance(state, TensorCore) else state)


def _shape(size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def _leaf(data: np.ndarray, requires_grad: bool):
    from .creation import _leaf as leaf

    return leaf(data, requires_grad)


def _float(dtype) -> np.dtype:
    if isinstance(dtype, np.dtype):
        resolved = dtype
    else:
        resolved = F32 if dtype is None else to_numpy_dtype(dtype)
    if resolved.kind != "f":
        name = {"int64": "Long", "bool": "Bool"}.get(str(resolved), str(resolved))
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for '{name}'")
    return resolved


def rand(*size, generator=None, dtype=None, device=None, requires_grad: bool = False):
    check_device(device)
    return _leaf(rng.uniform(_shape(size), 0.0, 1.0, _float(dtype), generator), requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad: bool = False):
    check_device(device)
    resolved = F32 if dtype is None else to_numpy_dtype(dtype)
    if resolved.kind != "f":
        raise RuntimeError(
            f"\"normal_kernel_cpu\" not implemented for '{'Long' if resolved.kind in 'iu' else 'Bool'}'"
        )
    return _leaf(rng.normal(_shape(size), 0.0, 1.0, resolved, generator), requires_grad)


def randint(
    low,
    high=None,
    size=None,
    *,
    generator=None,
    dtype=None,
    device=None,
    requires_grad: bool = False,
):
    check_device(device)
    if size is None and isinstance(high, tuple | list):
        size, high = high, None
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError('randint() missing 1 required positional arguments: "size"')
    resolved = I64 if dtype is None else to_numpy_dtype(dtype)
    return _leaf(
        rng.randint(int(low), int(high), _shape((size,)), resolved, generator), requires_grad
    )


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad: bool = False):
    check_device(device)
    resolved = I64 if dtype is None else to_numpy_dtype(dtype)
    return _leaf(rng.randperm(int(n), resolved, generator), requires_grad)


def _own(device):
    """A `*_like` tensor is made on its source's device (the CPU), not the default device."""
    return CPU if device is None else device


def rand_like(t: TensorCore, dtype=None, device=None, requires_grad: bool = False):
    return rand(
        *t._data.shape, dtype=dtype or t.dtype, device=_own(device), requires_grad=requires_grad
    )


def randn_like(t: TensorCore, dtype=None, device=None, requires_grad: bool = False):
    return randn(
        *t._data.shape, dtype=dtype or t.dtype, device=_own(device), requires_grad=requires_grad
    )


def randint_like(
    t: TensorCore, low, high=None, dtype=None, device=None, requires_grad: bool = False
):
    if high is None:
        low, high = 0, low
    return randint(
        low,
        high,
        t._data.shape,
        dtype=dtype or t.dtype,
        device=_own(device),
        requires_grad=requires_grad,
    )


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None):
    if isinstance(mean, TensorCore) or isinstance(std, TensorCore):
        means = mean._data if isinstance(mean, TensorCore) else np.asarray(mean)
        stds = std._data if isinstance(std, TensorCore) else np.asarray(std)
        shape = np.broadcast_shapes(np.shape(means), np.shape(stds))
        base = rng.normal(shape, 0.0, 1.0, F32, generator)
        return result((base * stds + means).astype(F32))
    return result(rng.normal(_shape((size,)), float(mean), float(std), _float(dtype), generator))


def fill_random(t: TensorCore, kind: str, a, b, generator) -> TensorCore:
    """`t.uniform_(a, b)` / `t.normal_(mean, std)`: new values written in place."""
    from .ops.inplace import in_place

    data = t._data
    if kind == "uniform":
        values = rng.uniform(data.shape, a, b, _float(data.dtype), generator)
    else:
        values = rng.normal(
            data.shape, a, b, _float(data.dtype), generator, contiguous=data.flags.c_contiguous
        )
    return in_place(t, lambda: result(values))
