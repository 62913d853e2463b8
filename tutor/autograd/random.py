"""Provides PyTorch 2.13's seeded CPU random draws, bit for bit, as numpy arrays.

Everything draws from `at::mt19937` (ATen/core/MT19937RNGEngine.h; `rng_engine`): seeding is
`init_with_uint32` on the low 32 bits of the seed, a draw is `random()` (one tempered 32-bit word)
or `random64()` (two words, the first the high half; ATen/CPUGeneratorImpl.cpp). A `Generator`
also holds the cached second normal, and its 5056 state bytes are `torch.get_rng_state()`'s
(`rng_generator`). `CPU_CAPABILITY` is the one PyTorch picks (ATEN_CPU_CAPABILITY, else the CPU):
its AVX2 and AVX512 builds run the SIMD Box–Muller and were compiled with -mfma, so GCC fused
`a*b + c` into one rounding (`FUSED_MULTIPLY_ADD`); x86's DEFAULT build rounds twice.

- `uniform` (rand, rand_like, Tensor.uniform_): `uniform_kernel` (ATen/native/cpu/
  DistributionTemplates.h) with `uniform_real` (ATen/core/TransformationHelper.h): per element,
  x = (random() & (2^24−1))·2^-24 for float32, (random64() & (2^53−1))·2^-53 for float64, then
  x·(to − from) + from in the dtype, from and to cast to it first.
- `normal` (randn, randn_like, Tensor.normal_): `normal_kernel` (DistributionTemplates.h).
  Contiguous and ≥ 16 elements: `normal_fill` — all uniforms first, Box–Muller on blocks of 16
  pairing element j (u1 = 1 − u) with j + 8 (θ = 2π·u), and if the count is not a multiple of 16,
  16 fresh uniforms transformed into the last 16 slots; then fma(n, std, mean), always fused
  (`rng_normal`). Float32 with AVX2 or AVX512 uses avx_mathfun.h's `log256_ps` and `sincos256_ps`
  with θ = (float)2π·u (`rng_avx`); with DEFAULT, glibc's `logf`, `sinf`, `cosf` (≥ 2.28) with θ
  rounded from double (`rng_libm`). Float64 calls the C library's double log, sin and cos through
  Python's math module: the libm PyTorch links. Fewer than 16 elements, or not contiguous:
  `normal_distribution<double>` (ATen/core/DistributionsHelper.h) element by element — u1, u2
  from random64(), r = √(−2·log1p(−u2)), r·cos 2πu1 returned and r·sin 2πu1 cached in the
  generator for the next such draw, until used or reseeded — then x·std + mean.
- `randint` (randint, Tensor.random_(from, to)): `random_from_to_kernel` with
  `uniform_int_from_to_distribution`: (random() % range) + low, or random64() when range ≥ 2^32
  and the dtype is int64, float32 or float64.
- `randperm`: `randperm_cpu` (ATen/native/TensorFactories.cpp) for n < 2^32/20: r = 0..n−1, then
  for i in 0..n−2, z = random() % (n − i) and r[i] swaps with r[i + z].
- `kaiming_uniform` and `linear_init`: torch.nn.init.kaiming_uniform_ (bound = √3·gain/√fan) and
  nn.Linear.reset_parameters (a = √5 on the weight, then the bias uniform in ±1/√fan_in), both
  `uniform` draws, in that order.

Not modelled: float16 and bfloat16, randperm of 2^32/20 elements or more (another algorithm), and
C libraries other than glibc for the DEFAULT float32 Box–Muller (macOS's libm rounds differently).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np

from .rng_fma import multiply_add
from .rng_generator import Generator
from .rng_normal import (
    BLOCK,
    cpu_capability,
    is_x86,
    normal_fill,
    normal_serial,
    uniform_float32,
    uniform_float64,
)

CPU_CAPABILITY = cpu_capability()
VECTOR_BOX_MULLER = CPU_CAPABILITY in ("AVX2", "AVX512")
FUSED_MULTIPLY_ADD = VECTOR_BOX_MULLER or not is_x86()
RANDPERM_LIMIT = 0xFFFFFFFF // 20
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_LINEAR_GAINS = frozenset(
    [
        "linear",
        "sigmoid",
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
    ]
)

default_generator = Generator(int.from_bytes(os.urandom(8), "little"))


def manual_seed(seed: float) -> Generator:
    """`torch.manual_seed`: `int(seed)`, then seed the default generator and return it."""
    return default_generator.manual_seed(int(seed))


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> np.ndarray:
    return default_generator.get_state()


def set_rng_state(state: np.ndarray | bytes) -> None:
    default_generator.set_state(state)


def _count(shape: Sequence[int]) -> int:
    return math.prod(int(n) for n in shape)


def _float_dtype(dtype: object) -> np.dtype:
    resolved = np.dtype(dtype)
    if resolved not in _FLOATS:
        raise TypeError(f"expected float32 or float64, got {resolved}")
    return resolved


def uniform(
    shape: Sequence[int],
    low: float = 0.0,
    high: float = 1.0,
    dtype: object = np.float32,
    generator: Generator | None = None,
) -> np.ndarray:
    """Values uniform in [low, high): `rand` is uniform(shape), `uniform_(a, b)` uniform(shape, a, b)."""
    resolved = _float_dtype(dtype)
    if not low <= high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}"
        )
    engine = (generator or default_generator).engine
    count = _count(shape)
    if resolved == np.float32:
        x = uniform_float32(engine.words(count))
    else:
        x = uniform_float64(engine.words64(count))
    start, stop = resolved.type(low), resolved.type(high)
    values = multiply_add(x, stop - start, start, FUSED_MULTIPLY_ADD)
    return values.reshape(tuple(shape))


def normal(
    shape: Sequence[int],
    mean: float = 0.0,
    std: float = 1.0,
    dtype: object = np.float32,
    generator: Generator | None = None,
    *,
    contiguous: bool = True,
) -> np.ndarray:
    """Normal values: `randn` is normal(shape), `normal_(mean, std)` normal(shape, mean, std).

    A non-contiguous tensor of ≥ 16 elements takes the serial path; its values are in the order
    of its memory, as PyTorch's TensorIterator visits them.
    """
    resolved = _float_dtype(dtype)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    source = generator or default_generator
    count = _count(shape)
    if count >= BLOCK and contiguous:
        values = normal_fill(source.engine, count, mean, std, resolved, VECTOR_BOX_MULLER)
    else:
        values, source.next_double_normal = normal_serial(
            source.engine, source.next_double_normal, count, mean, std, FUSED_MULTIPLY_ADD
        )
    return values.astype(resolved, copy=False).reshape(tuple(shape))


def randint(
    low: int,
    high: int,
    shape: Sequence[int],
    dtype: object = np.int64,
    generator: Generator | None = None,
) -> np.ndarray:
    """Integers uniform in [low, high): (random() % range) + low, random64() for ranges ≥ 2^32."""
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    resolved = np.dtype(dtype)
    span = (high - low) & 0xFFFFFFFFFFFFFFFF
    engine = (generator or default_generator).engine
    count = _count(shape)
    wide = span >= 1 << 32 and resolved in (np.dtype(np.int64), *_FLOATS)
    words = engine.words64(count) if wide else engine.words(count).astype(np.uint64)
    values = (words % np.uint64(span) + np.uint64(low & 0xFFFFFFFFFFFFFFFF)).view(np.int64)
    return values.astype(resolved, copy=False).reshape(tuple(shape))


def randperm(n: int, dtype: object = np.int64, generator: Generator | None = None) -> np.ndarray:
    """A random permutation of 0..n−1 by `randperm_cpu`'s swaps: z = random() % (n − i)."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if n >= RANDPERM_LIMIT:
        raise ValueError(f"randperm of {n} elements takes PyTorch's other algorithm, not modelled")
    engine = (generator or default_generator).engine
    draws = engine.words(max(n - 1, 0)).astype(np.int64) % (n - np.arange(max(n - 1, 0)))
    values = list(range(n))
    for i, z in enumerate(draws.tolist()):
        values[i], values[i + z] = values[i + z], values[i]
    return np.array(values, dtype=np.dtype(dtype))


def _gain(nonlinearity: str, slope: float) -> float:
    """`torch.nn.init.calculate_gain(nonlinearity, slope)`."""
    if nonlinearity in _LINEAR_GAINS:
        return 1
    gains = {"tanh": 5.0 / 3, "relu": math.sqrt(2.0), "selu": 3.0 / 4}
    if nonlinearity == "leaky_relu":
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity not in gains:
        raise ValueError(f"Unsupported nonlinearity {nonlinearity}")
    return gains[nonlinearity]


def kaiming_uniform(
    shape: Sequence[int],
    a: float = 0.0,
    dtype: object = np.float32,
    generator: Generator | None = None,
    *,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> np.ndarray:
    """`torch.nn.init.kaiming_uniform_` for a weight of `shape` (2-D or more): uniform(−b, b) with
    b = √3 · calculate_gain(nonlinearity, a) / √fan."""
    resolved = _float_dtype(dtype)
    if _count(shape) == 0:
        return np.empty(tuple(shape), dtype=resolved)
    if len(shape) < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    receptive = math.prod(int(n) for n in shape[2:])
    fan = int(shape[1] if mode == "fan_in" else shape[0]) * receptive
    gain = _gain(nonlinearity, a)
    bound = math.sqrt(3.0) * (gain / math.sqrt(fan))
    return uniform(shape, -bound, bound, resolved, generator)


def linear_init(
    in_features: int,
    out_features: int,
    bias: bool = True,
    dtype: object = np.float32,
    generator: Generator | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """`nn.Linear(in_features, out_features)`'s weight (out × in) and bias, drawn in that order."""
    weight = kaiming_uniform((out_features, in_features), math.sqrt(5), dtype, generator)
    if not bias:
        return weight, None
    bound = 1 / math.sqrt(in_features) if in_features > 0 else 0
    return weight, uniform((out_features,), -bound, bound, dtype, generator)
