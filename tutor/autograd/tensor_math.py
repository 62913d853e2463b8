"""Provides the math methods of Tensor: arithmetic, elementwise functions, reductions, products
and comparisons — each a call into the op table (tutor.autograd.ops)."""

from __future__ import annotations

from .ops import activations as act
from .ops import arithmetic as ar
from .ops import copying, linalg, losses, pointwise, reduce, select
from .ops.unary import KERNELS


def _unary(name: str):
    kernel = KERNELS[name]

    def method(self):
        return kernel(self)

    method.__name__ = name
    method.__doc__ = kernel.__doc__
    return method


class MathMixin:
    """`a + b`, `a.exp()`, `a.sum(0)`, `a @ b`, `a > 0`, …"""

    __slots__ = ()

    # ----- arithmetic -----
    def __add__(self, other):
        return ar.add(self, other)

    def __radd__(self, other):
        return ar.add(self, other)

    def add(self, other, alpha=1):
        return ar.add(self, other, alpha)

    def __sub__(self, other):
        return ar.sub(self, other)

    def __rsub__(self, other):
        return ar.rsub(self, other)

    def sub(self, other, alpha=1):
        return ar.sub(self, other, alpha)

    subtract = sub

    def __mul__(self, other):
        return ar.mul(self, other)

    def __rmul__(self, other):
        return ar.mul(self, other)

    def mul(self, other):
        return ar.mul(self, other)

    multiply = mul

    def __truediv__(self, other):
        return ar.div(self, other)

    def __rtruediv__(self, other):
        return ar.rdiv(self, other)

    def div(self, other, *, rounding_mode=None):
        return ar.div(self, other, rounding_mode)

    divide = true_divide = div

    def __floordiv__(self, other):
        return ar.floor_divide(self, other)

    def floor_divide(self, other):
        return ar.floor_divide(self, other)

    def __mod__(self, other):
        return ar.remainder(self, other)

    def remainder(self, other):
        return ar.remainder(self, other)

    def __pow__(self, exponent):
        return ar.pow_(self, exponent)

    def __rpow__(self, base):
        return ar.rpow(self, base)

    def pow(self, exponent):
        return ar.pow_(self, exponent)

    def __neg__(self):
        return ar.neg(self)

    neg = negative = __neg__

    def __pos__(self):
        return self

    def reciprocal(self):
        return ar.reciprocal(self)

    def square(self):
        return ar.pow_(self, 2)

    # ----- elementwise functions -----
    exp = _unary("exp")
    exp2 = _unary("exp2")
    expm1 = _unary("expm1")
    log = _unary("log")
    log2 = _unary("log2")
    log10 = _unary("log10")
    log1p = _unary("log1p")
    sqrt = _unary("sqrt")
    rsqrt = _unary("rsqrt")
    abs = _unary("abs")
    __abs__ = abs
    absolute = abs
    sin = _unary("sin")
    cos = _unary("cos")
    tan = _unary("tan")
    sinh = _unary("sinh")
    cosh = _unary("cosh")
    asin = arcsin = _unary("asin")
    acos = arccos = _unary("acos")
    atan = arctan = _unary("atan")
    erf = _unary("erf")
    sign = _unary("sign")
    sgn = _unary("sgn")
    floor = _unary("floor")
    ceil = _unary("ceil")
    round = _unary("round")
    trunc = _unary("trunc")
    frac = _unary("frac")

    def relu(self):
        return act.relu(self)

    def sigmoid(self):
        return act.sigmoid(self)

    def tanh(self):
        return act.tanh(self)

    def clamp(self, min=None, max=None):  # noqa: A002 - PyTorch's names
        return select.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min):  # noqa: A002
        return select.clamp(self, min=min)

    def clamp_max(self, max):  # noqa: A002
        return select.clamp(self, max=max)

    def addcmul(self, tensor1, tensor2, *, value=1):
        return pointwise.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        return pointwise.addcdiv(self, tensor1, tensor2, value=value)

    def lerp(self, end, weight):
        return pointwise.lerp(self, end, weight)

    def maximum(self, other):
        return select.maximum(self, other)

    def minimum(self, other):
        return select.minimum(self, other)

    def masked_fill(self, mask, value):
        return select.masked_fill(self, mask, value)

    def where(self, condition, other):
        return select.where(condition, self, other)

    def softmax(self, dim=None, dtype=None):
        return losses.softmax(self, dim, dtype)

    def log_softmax(self, dim=None, dtype=None):
        return losses.log_softmax(self, dim, dtype)

    # ----- reductions -----
    def sum(self, dim=reduce._ALL, keepdim=False, *, dtype=None):
        return reduce.sum_(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=reduce._ALL, keepdim=False, *, dtype=None):
        return reduce.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim=reduce._ALL, keepdim=False, *, dtype=None):
        return reduce.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim=None, keepdim=False):
        return reduce.max_(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return reduce.min_(self, dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        return reduce.amax(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return reduce.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return reduce.argmin(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return reduce.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return reduce.std(self, dim, unbiased, keepdim, correction=correction)

    def norm(self, p=2, dim=None, keepdim=False):
        return reduce.norm(self, p, dim, keepdim)

    def logsumexp(self, dim, keepdim=False):
        return reduce.logsumexp(self, dim, keepdim)

    def cumsum(self, dim, *, dtype=None):
        return reduce.cumsum(self, dim, dtype=dtype)

    def median(self, dim=None, keepdim=False):
        return reduce.median(self, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return reduce.all_(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return reduce.any_(self, dim, keepdim)

    # ----- products -----
    def __matmul__(self, other):
        return linalg.matmul(self, other)

    def __rmatmul__(self, other):
        return linalg.matmul(other, self)

    def matmul(self, other):
        return linalg.matmul(self, other)

    # parameters named as PyTorch names them (`x.mm(mat2=w)`)
    def mm(self, mat2):
        return linalg.mm(self, mat2)

    def mv(self, vec):
        return linalg.mv(self, vec)

    def dot(self, tensor):
        return linalg.dot(self, tensor)

    def inner(self, other):
        return linalg.dot(self, other)

    def bmm(self, mat2):
        return linalg.bmm(self, mat2)

    def outer(self, vec2):
        return linalg.outer(self, vec2)

    ger = outer

    # ----- comparisons and logic: never part of the graph -----
    def __eq__(self, other):  # type: ignore[override]
        return select.eq(self, other)

    def __ne__(self, other):  # type: ignore[override]
        return select.ne(self, other)

    def __lt__(self, other):
        return select.lt(self, other)

    def __le__(self, other):
        return select.le(self, other)

    def __gt__(self, other):
        return select.gt(self, other)

    def __ge__(self, other):
        return select.ge(self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    less, less_equal, greater, greater_equal = __lt__, __le__, __gt__, __ge__

    def __invert__(self):
        return select.invert(self)

    bitwise_not = __invert__

    def __and__(self, other):
        return select.bitwise_and(self, other)

    def __or__(self, other):
        return select.bitwise_or(self, other)

    def __xor__(self, other):
        return select.bitwise_xor(self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def logical_not(self):
        return select.logical_not(self)

    def logical_and(self, other):
        return select.logical_and(self, other)

    def logical_or(self, other):
        return select.logical_or(self, other)

    def logical_xor(self, other):
        return select.logical_xor(self, other)

    def isnan(self):
        return select.isnan(self)

    def isinf(self):
        return select.isinf(self)

    def isfinite(self):
        return select.isfinite(self)

    def equal(self, other):
        return select.equal(self, other)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return select.allclose(self, other, rtol, atol, equal_nan)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return select.isclose(self, other, rtol, atol, equal_nan)

    # ----- conversions -----
    def to(self, *args, **kwargs):
        return copying.to(self, *args, **kwargs)

    def float(self):
        return copying.float_(self)

    def double(self):
        return copying.double(self)

    def long(self):
        return copying.long(self)

    def int(self):
        return copying.int_(self)

    def bool(self):
        return copying.bool_(self)

    def type(self, dtype=None):
        return copying.type_(self, dtype)

    def clone(self, *, memory_format=None):
        return copying.clone(self)

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        raise AssertionError("Torch not compiled with CUDA enabled")
