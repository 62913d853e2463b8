"""Provides NUMERIC, the namespace forward kernels and backward formulas compute with when
nothing records them: numpy arrays in, numpy arrays out. The same formulas run on tensors
(`xp_graph.GRAPH`) when `create_graph=True` records a backward pass, and on arrays of sympy
expressions when a program is lifted to symbols (`tutor.symbolic.kernels`)."""

from __future__ import annotations

import math

import numpy as np

from .exact import cascade, glibc, sleef
from .exact import softmax as exact_softmax
from .exact.vec import elementwise, lanes
from .fused import fma
from .node import sum_to as _plain_sum_to

_EXACT_SUMS = (np.dtype(np.float32), np.dtype(np.float64))


def _number(a: np.ndarray, c):
    return a.dtype.type(c) if a.dtype.kind == "f" else c


def _pow_scalar(a: np.ndarray, number) -> np.ndarray:
    """aᵖ computed as PyTorch's kernel does for the exponents it special-cases."""
    with np.errstate(all="ignore"):
        if a.dtype.kind != "f":
            return np.power(a, number)
        if number == 2:
            return a * a
        if number == 3:
            return a * a * a
        if number == 0.5:
            return np.sqrt(a)
        if number == -0.5:
            return a.dtype.type(1) / np.sqrt(a)
        if number == -1:
            return a.dtype.type(1) / a
        if number == -2:
            return a.dtype.type(1) / (a * a)
        return np.power(a, a.dtype.type(number))


def _rounded(function):
    """A float32 function computed in float64 and rounded once: what PyTorch's CPU kernels give
    (numpy's own float32 versions differ from them in the last bit a third of the time)."""

    def compute(a):
        if a.dtype == np.float32:
            with np.errstate(all="ignore"):
                return function(a.astype(np.float64)).astype(np.float32)
        with np.errstate(all="ignore"):
            return function(a)

    compute.__name__ = function.__name__
    return compute


def _exact32(a: np.ndarray) -> bool:
    return a.dtype == np.float32


def _sum(a: np.ndarray, dims, keepdim: bool) -> np.ndarray:
    """Σ over `dims` (all when None): PyTorch's cascade for float tensors."""
    if a.dtype in _EXACT_SUMS:
        return cascade.cascade_sum(a, tuple(range(a.ndim)) if dims is None else dims, keepdim)
    return np.asarray(a.sum(axis=dims, keepdims=keepdim))


def _sum_to(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """at::sum_to: Σ with keepdim over the broadcast dimensions, then a view of `shape`."""
    if grad.shape == shape or grad.dtype not in _EXACT_SUMS:
        return _plain_sum_to(grad, shape)
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    if axes:
        grad = cascade.cascade_sum(grad, axes, True)
    return grad.reshape(shape)


def _vectorised(vector, scalar, kernel: str):
    """A float32 op as `cpu_kernel_vec` runs it: `vector` (Sleef) on whole chunks, `scalar`
    (the C library) on the tail; other dtypes through `scalar`."""

    def compute(a):
        with np.errstate(all="ignore"):
            if _exact32(a):
                return elementwise(a, vector, scalar, lanes(a.dtype, kernel))
            return scalar(a)

    compute.__name__ = scalar.__name__
    return compute


def _glibc32(port, function):
    """The C library's float function: glibc's own algorithm for float32, else `function`."""

    def compute(a):
        return port(a) if _exact32(a) else _rounded(function)(a)

    compute.__name__ = function.__name__
    return compute


def _mapped(vector, scalar):
    """A float32 op PyTorch runs through `vml` (`vec::map`): Sleef on every element."""

    def compute(a):
        with np.errstate(all="ignore"):
            return vector(a) if _exact32(a) else scalar(a)

    compute.__name__ = scalar.__name__
    return compute


def _erf(a: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(a).astype(a.dtype)


def _sigmoid_rounded(a: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return a.dtype.type(1) / (a.dtype.type(1) + _rounded(np.exp)(-a))


def _sigmoid_vector(a: np.ndarray) -> np.ndarray:
    return np.float32(1) / (np.float32(1) + sleef.expf(-a))


def _sigmoid_scalar(a: np.ndarray) -> np.ndarray:
    return np.float32(1) / (np.float32(1) + glibc.expf(-a))


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """1/(1 + e⁻ᵃ) as PyTorch's kernel computes it: for float32, Sleef's expf on whole vector
    chunks and glibc's expf on the tail; e⁻ᵃ rounded once otherwise."""
    if _exact32(a):
        with np.errstate(all="ignore"):
            return elementwise(a, _sigmoid_vector, _sigmoid_scalar, lanes(a.dtype, "sigmoid"))
    return _sigmoid_rounded(a)


def _scatter(g: np.ndarray, shape: tuple, where) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, where, g)
    return out


def _place(g: np.ndarray, shape: tuple, where) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    out[where] = g
    return out


def _put_along(g: np.ndarray, shape: tuple, indices: np.ndarray, dim: int) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    np.put_along_axis(out, indices, g, dim)
    return out


def _scatter_flat(g: np.ndarray, shape: tuple, index: np.ndarray) -> np.ndarray:
    out = np.zeros(int(np.prod(shape)), dtype=g.dtype)
    np.add.at(out, index.reshape(-1), np.broadcast_to(g, index.shape).reshape(-1))
    return out.reshape(shape)


def _split_flat(g: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    whole = np.array(g)
    return whole, whole.reshape(-1)[index]


def _put_flat(whole: np.ndarray, index: np.ndarray, part) -> np.ndarray:
    whole.reshape(-1)[index] = 0 if part is None else part
    return whole


def _index_zero(g: np.ndarray, where) -> np.ndarray:
    out = np.array(g)
    out[where] = 0
    return out


def _index_take(g: np.ndarray, where, shape: tuple) -> np.ndarray:
    return _sum_to(np.asarray(g[where]), shape)


def _evenly_distribute(g: np.ndarray, a: np.ndarray, top: np.ndarray) -> np.ndarray:
    mask = np.isnan(a) if np.isnan(top) else a == top
    return mask * (g / mask.sum(dtype=a.dtype))


def _amax_backward(g, a, top, dims, keepdim):
    if not keepdim:
        g, top = np.expand_dims(g, dims), np.expand_dims(top, dims)
    mask = a == top
    return mask * (g / mask.sum(axis=dims, keepdims=True, dtype=a.dtype))


def _prod_backward(g, a, out, dims, keepdim):
    if dims is None:
        dims = tuple(range(a.ndim))
    elif not keepdim:
        g, out = np.expand_dims(g, dims), np.expand_dims(out, dims)
    if np.all(a != 0):
        return g * out / a
    flat = np.moveaxis(a, dims, tuple(range(len(dims)))) if dims else a
    result = np.empty_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        index = it.multi_index
        others = a.copy()
        others[index] = 1
        selection = tuple(slice(None) if i in dims else index[i] for i in range(a.ndim))
        result[index] = np.prod(others[selection])
    del flat
    return g * result


def _mean_keep(a, dims):
    """a.mean(dims, keepdim=True) as PyTorch computes it (the cascade sum, then ÷ N)."""
    if a.dtype not in _EXACT_SUMS:
        return a.mean(axis=dims, keepdims=True)
    count = int(np.prod([a.shape[d] for d in dims])) if a.ndim else 1
    return _sum(a, dims, True) / a.dtype.type(count)


def _var_backward(g, a, dims, correction, keepdim):
    """(2/(N − c))·g·(a − mean), left to right as `var_backward` multiplies."""
    if not keepdim:
        g = np.expand_dims(g, dims)
    count = int(np.prod([a.shape[d] for d in dims])) if a.ndim else 1
    return (2.0 / (count - correction)) * g * (a - _mean_keep(a, dims))


def _std_backward(g, a, out, dims, correction, keepdim):
    """var's gradient of g/(2·std), zero where std is zero (`std_backward`)."""
    if not keepdim:
        g, out = np.expand_dims(g, dims), np.expand_dims(out, dims)
    with np.errstate(all="ignore"):
        g = np.where(out == 0, 0, g / (out * 2)).astype(g.dtype)
        return _var_backward(g, a, dims, correction, True)


def _norm_backward(g, a, out, order, dims, keepdim):
    if not keepdim:
        g, out = np.expand_dims(g, dims), np.expand_dims(out, dims)
    with np.errstate(all="ignore"):
        if order == 2:
            return (g * np.where(out == 0, 0, a / out)).astype(a.dtype)
        if order == 1:
            return (np.sign(a) * g).astype(a.dtype)
        if order == float("inf"):
            mask = np.abs(a) == out
            return (np.sign(a) * mask * g / mask.sum(axis=dims, keepdims=True)).astype(a.dtype)
        return (a * np.abs(a) ** (order - 2) * g / out ** (order - 1)).astype(a.dtype)


def _logsumexp_backward(g, a, out, dims, keepdim):
    if not keepdim:
        g, out = np.expand_dims(g, dims), np.expand_dims(out, dims)
    with np.errstate(all="ignore"):
        return g * _rounded(np.exp)(a - out)


def _cumsum_backward(g, dim):
    """The reversed cumulative sum; float32's running sum is kept in double, as cumsum keeps it."""
    if g.ndim == 0:
        return g
    flipped = np.flip(g, dim)
    if g.dtype == np.float32:
        return np.flip(np.cumsum(flipped.astype(np.float64), axis=dim).astype(np.float32), dim)
    return np.flip(np.cumsum(flipped, axis=dim), dim)


def _repeat_backward(g, repeats, shape):
    lead = len(repeats) - len(shape)
    full = (1,) * lead + tuple(shape)
    split = []
    for r, n in zip(repeats, full, strict=True):
        split += [r, n]
    summed = g.reshape(split).sum(axis=tuple(range(0, 2 * len(full), 2)))
    return summed.reshape(shape)


def _nll_backward(g, shape, target, reduction, count):
    picks, keep, single = target
    out = np.zeros((1, shape[0]) if single else shape, dtype=g.dtype)
    rows = np.arange(out.shape[0])
    if reduction == "none":
        weight = -np.asarray(g).reshape(-1) * keep
    elif reduction == "sum":
        weight = -g * keep
    else:
        weight = -(g / g.dtype.type(count)) * keep
    out[rows, picks] = weight
    return out.reshape(shape)


def _mse_backward(g, a, t, reduction):
    """(α·(a − t))·g with α = 2/N (mean) or 2, as `mse_backward_cpu_kernel` multiplies."""
    alpha = 2.0 / a.size if reduction == "mean" else 2.0
    return (_number(a, alpha) * (a - t)) * g


def _reduced(g, values, reduction):
    """values·g, then divided by N for a mean (the losses' backward: `.mul_(grad)`, `.div_(N)`)."""
    out = values * g
    if reduction == "mean":
        out = out / values.dtype.type(values.size)
    return out


def _bce_backward(g, p, t, reduction):
    eps = _number(p, 1e-12)
    out = (g * (p - t)) / np.maximum((1 - p) * p, eps)
    if reduction == "mean":
        out = out / p.dtype.type(p.size)
    return out


def _bce_logits_backward(g, a, t, reduction):
    return _reduced(g, _sigmoid(a) - t, reduction)


def _smooth_l1_backward(g, a, t, reduction, beta):
    """`smooth_l1_backward_cpu_kernel`: norm·(±1 or d/β)·g on whole vectors, the scalar loop's
    ±norm·g or norm·d·g/β on the tail, β there a double."""
    d = a - t
    if d.dtype.kind != "f":
        local = np.where(np.abs(d) < beta, d / beta, np.sign(d)).astype(a.dtype)
        return _reduced(g, local, reduction)
    dt = d.dtype.type
    norm = dt(1.0 / a.size if reduction == "mean" else 1.0)
    b = dt(beta)

    def vector(d, g):
        unit = np.where(d > 0, dt(1), dt(-1))
        local = np.where(np.abs(d) >= b, unit, d / b).astype(d.dtype)
        return (norm * local) * g

    def scalar(d, g):
        inner = (((norm * d) * g).astype(np.float64) / float(beta)).astype(d.dtype)
        return np.where(d <= -b, -norm * g, np.where(d >= b, norm * g, inner)).astype(d.dtype)

    with np.errstate(all="ignore"):
        g = np.broadcast_to(g, d.shape)
        return elementwise(d, vector, scalar, lanes(d.dtype, "smooth_l1_backward"), g)


def _huber_backward(g, a, t, reduction, delta):
    """`huber_backward_cpu_kernel`: norm·d·g inside ±δ; outside, ±(norm·δ)·g on whole vectors and
    ±(norm·g)·δ on the tail, δ there a double."""
    d = a - t
    if d.dtype.kind != "f":
        local = np.where(np.abs(d) <= delta, d, delta * np.sign(d)).astype(a.dtype)
        return _reduced(g, local, reduction)
    dt = d.dtype.type
    norm = dt(1.0 / a.size if reduction == "mean" else 1.0)
    de = dt(delta)

    def part(outside):
        def compute(d, g):
            sign = np.where(d > 0, dt(1), dt(-1))
            return np.where(np.abs(d) >= de, sign * outside(g), (norm * d) * g).astype(d.dtype)

        return compute

    vector = part(lambda g: (norm * de) * g)
    scalar = part(lambda g: ((norm * g).astype(np.float64) * float(delta)).astype(d.dtype))
    with np.errstate(all="ignore"):
        g = np.broadcast_to(g, d.shape)
        return elementwise(d, vector, scalar, lanes(d.dtype, "huber_backward"), g)


def _leaky_relu_backward(g, a, slope):
    return np.where(a > 0, g, g * a.dtype.type(slope))


def _elu_backward(g, a, alpha):
    """g where a > 0, else g·α·eᵃ (Sleef's expf on whole vectors, glibc's on the tail)."""
    if _exact32(a) and g.dtype == a.dtype:
        coef = np.float32(alpha)

        def part(exp):
            return lambda a, g: np.where(a <= 0, (g * coef) * exp(a), g).astype(np.float32)

        with np.errstate(all="ignore"):
            g = np.broadcast_to(g, a.shape)
            return elementwise(a, part(sleef.expf), part(glibc.expf), lanes(a.dtype, "elu"), g)
    with np.errstate(over="ignore"):
        return np.where(a > 0, g, g * a.dtype.type(alpha) * np.exp(a))


def _gelu_backward(g, a):
    cdf = 0.5 * (1 + _erf(a / np.sqrt(np.asarray(2.0, dtype=a.dtype))))
    pdf = np.exp(-0.5 * a * a) / np.sqrt(np.asarray(2 * np.pi, dtype=a.dtype))
    return (g * (cdf + a * pdf)).astype(a.dtype)


def _softplus_backward(g, a):
    """g·z/(z + 1) with z = eᵃ (`softplus_backward` with β = 1, threshold 20)."""
    if _exact32(a) and g.dtype == a.dtype:
        one = np.float32(1)

        def part(exp):
            def compute(a, g):
                z = exp(a)
                return np.where(a > 20, g, (g * z) / (z + one)).astype(np.float32)

            return compute

        with np.errstate(all="ignore"):
            g = np.broadcast_to(g, a.shape)
            return elementwise(a, part(sleef.expf), part(glibc.expf), lanes(a.dtype, "softplus"), g)
    return g * _sigmoid(a)


def _silu_backward(g, a):
    """g·σ·(1 + a·(1 − σ)), the compiler fusing 1 + a·(1 − σ) into one rounding."""
    if _exact32(a) and g.dtype == a.dtype:
        one = np.float32(1)

        def part(exp):
            def compute(a, g):
                s = one / (one + exp(-a))
                return (g * s) * fma(a, one - s, one, np.float32)

            return compute

        with np.errstate(all="ignore"):
            g = np.broadcast_to(g, a.shape)
            return elementwise(a, part(sleef.expf), part(glibc.expf), lanes(a.dtype, "silu"), g)
    s = _sigmoid(a)
    return g * (s * (1 + a * (1 - s)))


def _hardtanh_backward(g, a, low, high):
    return np.where((a > low) & (a < high), g, g.dtype.type(0))


class _Numeric:
    """numpy, under the names the kernels and formulas use."""

    recording = False

    # ----- saved tensors -----
    @staticmethod
    def unpack(tensor) -> np.ndarray:
        return tensor._data

    @staticmethod
    def unpack_result(node, data: np.ndarray, counter: list) -> np.ndarray:
        return data

    @staticmethod
    def data(a):
        return a

    # ----- arithmetic -----
    add = staticmethod(np.add)
    sub = staticmethod(np.subtract)
    mul = staticmethod(np.multiply)
    div = staticmethod(np.true_divide)
    neg = staticmethod(np.negative)
    pow = staticmethod(np.power)
    floor_div = staticmethod(np.floor_divide)
    pow_scalar = staticmethod(_pow_scalar)
    power_scalar = staticmethod(_pow_scalar)

    @staticmethod
    def scalar_power(base, a):
        return np.asarray(np.power(np.asarray(base, dtype=a.dtype), a))

    @staticmethod
    def mul_scalar(a, c):
        return np.multiply(a, _number(a, c))

    @staticmethod
    def div_scalar(a, c):
        return np.true_divide(a, _number(a, c))

    @staticmethod
    def add_scalar(a, c):
        return np.add(a, _number(a, c))

    @staticmethod
    def sub_scalar(a, c):
        return np.subtract(a, _number(a, c))

    @staticmethod
    def rsub_scalar(a, c):
        return np.subtract(_number(a, c), a)

    @staticmethod
    def reciprocal(a):
        return np.reciprocal(a)

    # ----- elementwise functions -----
    exp = staticmethod(_rounded(np.exp))
    exp2 = staticmethod(_vectorised(sleef.exp2f, _glibc32(glibc.exp2f, np.exp2), "exp2"))
    expm1 = staticmethod(_mapped(sleef.expm1f, _rounded(np.expm1)))
    log = staticmethod(_rounded(np.log))
    log2 = staticmethod(_rounded(np.log2))
    log10 = staticmethod(_rounded(np.log10))
    log1p = staticmethod(_mapped(sleef.log1pf, _rounded(np.log1p)))
    sqrt = staticmethod(np.sqrt)
    sin = staticmethod(_rounded(np.sin))
    cos = staticmethod(_rounded(np.cos))
    tan = staticmethod(_rounded(np.tan))
    sinh = staticmethod(_vectorised(sleef.sinhf, _rounded(np.sinh), "sinh"))
    cosh = staticmethod(_vectorised(sleef.coshf, _rounded(np.cosh), "cosh"))
    asin = staticmethod(_rounded(np.arcsin))
    acos = staticmethod(_rounded(np.arccos))
    atan = staticmethod(_rounded(np.arctan))
    tanh = staticmethod(_rounded(np.tanh))
    abs = staticmethod(np.abs)
    sign = staticmethod(np.sign)
    sgn = staticmethod(np.sign)
    floor = staticmethod(np.floor)
    ceil = staticmethod(np.ceil)
    round = staticmethod(np.round)
    trunc = staticmethod(np.trunc)
    erf = staticmethod(_erf)
    sigmoid = staticmethod(_sigmoid)

    @staticmethod
    def rsqrt(a):
        return a.dtype.type(1) / np.sqrt(a)

    @staticmethod
    def frac(a):
        return a - np.trunc(a)

    @staticmethod
    def relu(a):
        return np.maximum(a, a.dtype.type(0))

    # ----- shapes -----
    sum_to = staticmethod(_sum_to)
    reshape = staticmethod(np.reshape)
    transpose = staticmethod(np.swapaxes)
    permute = staticmethod(np.transpose)

    sum = staticmethod(_sum)

    @staticmethod
    def expand(a, shape):
        # a new array, not a broadcast view: it is what .grad keeps without another copy
        if a.ndim:
            return np.full(shape, a, dtype=a.dtype)
        out = np.empty(shape, a.dtype)
        out.fill(a)  # np.full of one number, without its checks
        return out

    @staticmethod
    def unsqueeze_dims(a, dims):
        return np.expand_dims(a, dims)

    @staticmethod
    def squeeze_dim(a, dim):
        return np.squeeze(a, dim) if a.ndim and a.shape[dim] == 1 else a

    @staticmethod
    def t(a):
        return a.T

    @staticmethod
    def flip(a, dims):
        return np.flip(a, dims)

    @staticmethod
    def narrow(a, dim, start, size):
        return a[(slice(None),) * dim + (slice(start, start + size),)]

    @staticmethod
    def unbind(a, dim):
        return list(np.moveaxis(a, dim, 0))

    @staticmethod
    def stack(arrays, dim):
        return np.stack(arrays, axis=dim)

    @staticmethod
    def concat(arrays, dim):
        return np.concatenate(arrays, axis=dim)

    # ----- products -----
    matmul = staticmethod(np.matmul)
    mm = staticmethod(np.matmul)
    mv = staticmethod(np.matmul)
    bmm = staticmethod(np.matmul)
    outer = staticmethod(np.outer)

    # ----- made from nothing -----
    @staticmethod
    def zeros(shape, dtype):
        return np.zeros(shape, dtype=dtype)

    @staticmethod
    def zeros_like(a):
        return np.zeros_like(a)

    @staticmethod
    def cast(a, dtype):
        return a if a.dtype == dtype else a.astype(dtype)

    @staticmethod
    def where(mask, a, b):
        return np.where(mask, a, b)

    # ----- derivatives with nodes of their own when recorded -----
    @staticmethod
    def tanh_backward(g, y):
        """g·(1 − y²), the compiler fusing 1 − y·y into one rounding."""
        if g.dtype.kind == "f" and y.dtype == g.dtype:
            return g * fma(-y, y, g.dtype.type(1), g.dtype)
        return g * (1 - y * y)

    @staticmethod
    def sigmoid_backward(g, y):
        return (g * (1 - y)) * y

    @staticmethod
    def threshold_backward(g, y, threshold):
        return np.where(y <= threshold, g.dtype.type(0), g)

    @staticmethod
    def softmax_backward(g, y, dim):
        if _exact32(y) and g.dtype == y.dtype:
            return exact_softmax.softmax_backward(g, y, dim, log=False)
        return y * (g - (g * y).sum(axis=dim, keepdims=True))

    @staticmethod
    def log_softmax_backward(g, y, dim):
        if _exact32(y) and g.dtype == y.dtype:
            return exact_softmax.softmax_backward(g, y, dim, log=True)
        return g - _rounded(np.exp)(y) * g.sum(axis=dim, keepdims=True)

    leaky_relu_backward = staticmethod(_leaky_relu_backward)
    elu_backward = staticmethod(_elu_backward)
    gelu_backward = staticmethod(_gelu_backward)
    softplus_backward = staticmethod(_softplus_backward)
    silu_backward = staticmethod(_silu_backward)
    hardtanh_backward = staticmethod(_hardtanh_backward)
    mse_backward = staticmethod(_mse_backward)
    nll_backward = staticmethod(_nll_backward)
    bce_backward = staticmethod(_bce_backward)
    bce_logits_backward = staticmethod(_bce_logits_backward)
    smooth_l1_backward = staticmethod(_smooth_l1_backward)
    huber_backward = staticmethod(_huber_backward)
    evenly_distribute = staticmethod(_evenly_distribute)
    amax_backward = staticmethod(_amax_backward)
    prod_backward = staticmethod(_prod_backward)
    var_backward = staticmethod(_var_backward)
    std_backward = staticmethod(_std_backward)
    norm_backward = staticmethod(_norm_backward)
    logsumexp_backward = staticmethod(_logsumexp_backward)
    cumsum_backward = staticmethod(_cumsum_backward)
    repeat_backward = staticmethod(_repeat_backward)

    # ----- placing a gradient back where its values came from -----
    scatter = staticmethod(_scatter)
    place = staticmethod(_place)
    put_along = staticmethod(_put_along)
    scatter_flat = staticmethod(_scatter_flat)
    split_flat = staticmethod(_split_flat)
    put_flat = staticmethod(_put_flat)
    index_zero = staticmethod(_index_zero)
    index_take = staticmethod(_index_take)


NUMERIC = _Numeric()
