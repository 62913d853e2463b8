"""Provides the arithmetic ops: + − × / ** and their reflected, scalar and in-place forms.

Each node's docstring is its math; `backward(xp, g)` is its derivative, written once for numpy
arrays, recorded tensors and sympy values (the formulas of PyTorch's derivatives.yaml, so that a
recorded backward pass names its nodes as PyTorch does). Gradients are summed back over
broadcast dimensions and cast to each input's dtype by the engine, as PyTorch's does.
"""

from __future__ import annotations

import numpy as np

from .. import errors
from ..fused import fma
from ..node import Node
from ..operands import NUMBER_TYPES, broadcast_error, cast_pair, scalar_operands, with_scalar
from ..tensor_core import TensorCore
from .record import binary, general, kernel_space, unary
from .table import declare


class AddBackward0(Node):
    """f(a, b) = a + α·b;  ∂f/∂a = 1,  ∂f/∂b = α."""

    __slots__ = ("_alpha",)

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        alpha = self._alpha
        return g if fa is not None else None, (
            None if fb is None else (g if alpha == 1 else xp.mul(g, alpha))
        )


class SubBackward0(Node):
    """f(a, b) = a − α·b;  ∂f/∂a = 1,  ∂f/∂b = −α."""

    __slots__ = ("_alpha",)

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        alpha = self._alpha
        gb = None
        if fb is not None:
            gb = xp.neg(g) if alpha == 1 else xp.mul(xp.neg(g), alpha)
        return (g if fa is not None else None), gb


class RsubBackward1(Node):
    """f(a) = c − α·a for a number c;  ∂f/∂a = −α."""

    __slots__ = ("_alpha",)

    def backward(self, xp, g):
        return (xp.neg(g) if self._alpha == 1 else xp.mul(xp.neg(g), self._alpha),)


class MulBackward0(Node):
    """f(a, b) = a·b;  ∂f/∂a = b,  ∂f/∂b = a."""

    __slots__ = ()

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        ga = None if fa is None else xp.mul(g, self.saved_input(xp, 1))
        gb = None if fb is None else xp.mul(g, self.saved_input(xp, 0))
        return ga, gb


class MulBackward1(Node):
    """f(a) = a·c for a number c (recorded by a backward pass);  ∂f/∂a = c."""

    __slots__ = ("_other",)

    def backward(self, xp, g):
        return (xp.mul_scalar(g, self._other),)


class DivBackward0(Node):
    """f(a, b) = a / b;  ∂f/∂a = 1/b,  ∂f/∂b = −(a/b)/b."""

    __slots__ = ()

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        b = self.saved_input(xp, 1)
        ga = None if fa is None else xp.div(g, b)
        gb = None
        if fb is not None:
            gb = xp.mul(xp.neg(g), xp.div(xp.div(self.saved_input(xp, 0), b), b))
        return ga, gb


class DivBackward1(Node):
    """f(a) = a / c for a number c (recorded by a backward pass);  ∂f/∂a = 1/c."""

    __slots__ = ("_other",)

    def backward(self, xp, g):
        return (xp.div_scalar(g, self._other),)


class NegBackward0(Node):
    """f(a) = −a;  ∂f/∂a = −1."""

    __slots__ = ()

    def backward(self, xp, g):
        return (xp.neg(g),)


class ReciprocalBackward0(Node):
    """f(a) = 1/a;  ∂f/∂a = −1/a² = −f²."""

    __slots__ = ()

    def backward(self, xp, g):
        out = self.saved_result(xp)
        return (xp.mul(xp.neg(g), xp.mul(out, out)),)


class PowBackward0(Node):
    """f(a) = aᵖ for a number p;  ∂f/∂a = p·aᵖ⁻¹ (0 when p = 0)."""

    __slots__ = ("_exponent",)

    def backward(self, xp, g):
        a = self.saved_input(xp, 0)
        p = self._exponent
        if p == 0:
            return (xp.zeros_like(a),)
        return (xp.mul(g, xp.mul_scalar(xp.pow_scalar(a, p - 1), p)),)


class PowBackward1(Node):
    """f(a, b) = aᵇ;  ∂f/∂a = b·aᵇ⁻¹ (0 where b = 0),  ∂f/∂b = aᵇ·ln a (0 where a = 0, b ≥ 0)."""

    __slots__ = ()

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        a, b = self.saved_input(xp, 0), self.saved_input(xp, 1)
        ga = gb = None
        if fa is not None:
            bd = xp.data(b)
            ga = xp.where(bd == 0, 0.0, xp.mul(xp.mul(g, b), xp.pow(a, xp.sub_scalar(b, 1))))
        if fb is not None:
            ad, bd = xp.data(a), xp.data(b)
            local = xp.mul(self.saved_result(xp), xp.log(a))
            gb = xp.mul(g, xp.where((ad == 0) & (bd >= 0), 0.0, local))
        return ga, gb


class PowBackward2(Node):
    """f(b) = cᵇ for a number c;  ∂f/∂b = cᵇ·ln c (0 when c = 0 and b ≥ 0)."""

    __slots__ = ("_base",)

    def backward(self, xp, g):
        c = self._base
        out = self.saved_result(xp)
        if c == 0:
            bd = xp.data(self.saved_input(xp, 0))
            return (xp.mul(g, xp.where(bd >= 0, 0.0, xp.mul_scalar(out, float(np.log(c))))),)
        return (xp.mul(g, xp.mul_scalar(out, float(np.log(c)))),)


class RemainderBackward0(Node):
    """f(a, b) = a − b·⌊a/b⌋;  ∂f/∂a = 1,  ∂f/∂b = −⌊a/b⌋."""

    __slots__ = ()

    def backward(self, xp, g):
        (fa, _), (fb, _) = self.next_functions
        gb = None
        if fb is not None:
            a, b = self.saved_input(xp, 0), self.saved_input(xp, 1)
            gb = xp.mul(xp.neg(g), xp.floor_div(a, b))
        return (g if fa is not None else None), gb


class NoDerivative(Node):
    """An op whose derivative PyTorch does not implement (floor division); PyTorch calls its
    node NotImplemented."""

    __slots__ = ("_what",)

    def backward(self, xp, g):
        raise RuntimeError(f"the derivative for '{self._what}' is not implemented.")


NoDerivative.__name__ = NoDerivative.__qualname__ = "NotImplemented"


# ----- forward kernels -------------------------------------------------------------------


def _arrays(a: TensorCore, other) -> tuple[np.ndarray, object]:
    """The two operands as numpy computes them: tensors promoted together, a number made the
    dtype PyTorch gives `tensor ∘ number`."""
    x = a._data
    if isinstance(other, TensorCore):
        y = other._data
        if x.dtype is not y.dtype:
            x, y = cast_pair(x, y)
        return x, y
    return scalar_operands(x, other)


def _compute(ufunc, x, y):
    # numpy's floating-point errors are silenced per thread (grad_mode), as PyTorch's are
    try:
        return ufunc(x, y)
    except ValueError:
        raise broadcast_error(x, np.asarray(y)) from None


def _no_bool_sub(x: np.ndarray, y) -> None:
    if x.dtype.kind == "b" and (not isinstance(y, np.ndarray) or y.dtype.kind == "b"):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if isinstance(y, np.ndarray) and y.dtype.kind == "b" and x.dtype.kind == "b":
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )


def _bool_arith(ufunc, x, y):
    """bool ∘ bool in PyTorch stays bool: + is or, · is and."""
    if ufunc is np.add:
        return np.logical_or(x, y)
    return np.logical_and(x, y)


def _binary_data(ufunc, x, y):
    both_bool = x.dtype.kind == "b" and (not isinstance(y, np.ndarray) or y.dtype.kind == "b")
    if both_bool and isinstance(y, bool | np.bool_ | np.ndarray) and ufunc in (np.add, np.multiply):
        return _bool_arith(ufunc, x, y)
    return _compute(ufunc, x, y)


def _check_alpha(x, y, alpha) -> None:
    if alpha == 1 and not isinstance(alpha, bool):
        return
    kind = np.result_type(x.dtype, np.asarray(y).dtype).kind
    if kind in "iub" and isinstance(alpha, float):
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )
    if isinstance(alpha, bool) and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")


def _scaled_add(x, y, alpha):
    """x + α·y as PyTorch's CPU kernel computes it: one fused multiply-add for floats."""
    try:
        shape = np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:
        raise broadcast_error(np.asarray(x), np.asarray(y)) from None
    dtype = np.result_type(x, y)
    if dtype.kind == "b":
        return np.logical_or(x, np.logical_and(y, bool(alpha)))
    return fma(y, np.asarray(alpha, dtype=dtype), x, dtype).reshape(shape)


def _plain_operands(a: TensorCore, other):
    """The arrays of `a ∘ other` when both are floating and nothing needs promoting (the
    common case, taken without the general path's checks); None otherwise."""
    x = a._data
    if x.dtype.kind != "f":
        return None
    if isinstance(other, TensorCore):
        y = other._data
        return (x, y) if y.dtype is x.dtype else None
    if other.__class__ is float or other.__class__ is int:
        return scalar_operands(x, other)
    return None


def add(a: TensorCore, other, alpha=1, *, reverse: bool = False):
    """a + α·other (other + a when `reverse`)."""
    if alpha.__class__ is int and alpha == 1 and not reverse:
        pair = _plain_operands(a, other)
        if pair is not None:
            return binary(a, other, _compute(np.add, *pair), AddBackward0, alpha=1)
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    x, y = _arrays(a, other)
    _check_alpha(x, y, alpha)
    if alpha != 1 or x.dtype.kind == "b":
        data = _scaled_add(x, y, alpha)
    else:
        data = _binary_data(np.add, y, x) if reverse else _binary_data(np.add, x, y)
    if reverse:
        return general((other, a), data, AddBackward0, _alpha=alpha)
    return binary(a, other, data, AddBackward0, alpha=alpha)


def sub(a: TensorCore, other, alpha=1):
    """a − α·other."""
    if alpha.__class__ is int and alpha == 1:
        pair = _plain_operands(a, other)
        if pair is not None:
            return binary(a, other, _compute(np.subtract, *pair), SubBackward0, alpha=1)
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    x, y = _arrays(a, other)
    _no_bool_sub(x, y)
    _check_alpha(x, y, alpha)
    data = _compute(np.subtract, x, y) if alpha == 1 else _scaled_add(x, y, -alpha)
    return binary(a, other, data, SubBackward0, alpha=alpha)


def rsub(a: TensorCore, number, alpha=1):
    """number − α·a."""
    if not isinstance(number, NUMBER_TYPES):
        return NotImplemented
    x, y = _arrays(a, number)
    if x.dtype.kind == "b":
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    data = _compute(np.subtract, y, x) if alpha == 1 else _scaled_add(y, x, -alpha)
    return unary(a, data, RsubBackward1, _alpha=alpha)


def mul(a: TensorCore, other, *, reverse: bool = False):
    """a·other."""
    if not reverse:
        pair = _plain_operands(a, other)
        if pair is not None:
            return binary(a, other, _compute(np.multiply, *pair), MulBackward0, save=True)
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    x, y = _arrays(a, other)
    if reverse:
        data = _binary_data(np.multiply, y, x)
        return general((other, a), data, MulBackward0, saved=(0, 1))
    return binary(a, other, _binary_data(np.multiply, x, y), MulBackward0, save=True)


def _float(x):
    if isinstance(x, np.ndarray) and x.dtype.kind not in "fO":
        return x.astype(np.float32)
    return x


def div(a: TensorCore, other, rounding_mode=None):
    """a / other (true division: integers give float32)."""
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    if rounding_mode is not None:
        return _rounded_div(a, other, rounding_mode)
    x, y = _arrays(a, other)
    x = _float(x)
    if isinstance(y, np.ndarray):
        y = y.astype(x.dtype) if y.dtype.kind != "O" and y.dtype is not x.dtype else y
    return general((a, other), _compute(np.true_divide, x, y), DivBackward0, saved=(0, 1))


def _rounded_div(a: TensorCore, other, mode: str):
    if mode not in ("floor", "trunc"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{mode}'"
        )
    x, y = _arrays(a, other)
    data = _compute(np.floor_divide if mode == "floor" else _trunc_div, x, y)
    return general((a, other), data, NoDerivative, _what="div.Tensor_mode")


def _trunc_div(x, y):
    if np.asarray(x).dtype.kind == "f":
        return np.trunc(np.true_divide(x, y)).astype(np.asarray(x).dtype)
    quotient = np.floor_divide(x, y)
    return np.where(
        (np.remainder(x, y) != 0) & ((x < 0) != (np.asarray(y) < 0)), quotient + 1, quotient
    )


def rdiv(a: TensorCore, number):
    """number / a, recorded as PyTorch records it: a.reciprocal() * number."""
    if not isinstance(number, NUMBER_TYPES):
        return NotImplemented
    return mul(reciprocal(a), number)


def reciprocal(a: TensorCore):
    x = _float(a._data)
    xp = kernel_space(x)
    with np.errstate(divide="ignore"):
        data = xp.reciprocal(x)
    return unary(a, data, ReciprocalBackward0, saves="result")


def neg(a: TensorCore):
    x = a._data
    if x.dtype.kind == "b":
        raise RuntimeError(errors.BOOL_NEG)
    return unary(a, np.negative(x), NegBackward0)


def floor_divide(a: TensorCore, other):
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    x, y = _arrays(a, other)
    if x.dtype.kind in "iu" and np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")
    return general((a, other), _compute(np.floor_divide, x, y), NoDerivative, _what="floor_divide")


def remainder(a: TensorCore, other):
    if not isinstance(other, (TensorCore, *NUMBER_TYPES)):
        return NotImplemented
    x, y = _arrays(a, other)
    if x.dtype.kind in "iu" and np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")
    return general((a, other), _compute(np.remainder, x, y), RemainderBackward0, saved=(0, 1))


def pow_(a: TensorCore, exponent):
    """a ** exponent for a tensor or a number exponent."""
    if isinstance(exponent, TensorCore):
        x, y = _arrays(a, exponent)
        if x.dtype.kind == "b":
            x, y = x.astype(np.int64), y.astype(np.int64) if y.dtype.kind == "b" else y
        return general((a, exponent), _power(x, y), PowBackward1, saved=(0, 1), save_result=True)
    if not isinstance(exponent, NUMBER_TYPES):
        return NotImplemented
    x, y = scalar_operands(a._data, exponent)
    if x.dtype.kind == "b":
        x = x.astype(np.int64)
    _check_int_power(x, exponent)
    xp = kernel_space(x)
    with np.errstate(all="ignore"):
        data = xp.power_scalar(x, y)
    return unary(a, data, PowBackward0, saves="input", _exponent=_plain(exponent))


def rpow(a: TensorCore, base):
    """base ** a for a number base."""
    if not isinstance(base, NUMBER_TYPES):
        return NotImplemented
    base = _plain(base)
    x = with_scalar(a._data, base)
    if x.dtype.kind == "b":
        x = x.astype(np.int64)
    if x.dtype.kind in "iu" and isinstance(base, int):
        data = _power(np.asarray(base, dtype=x.dtype), x)
    else:
        xp = kernel_space(x)
        with np.errstate(all="ignore"):
            data = xp.scalar_power(base, x)
    return unary(a, data, PowBackward2, saves="input+result", _base=base)


def _power(base, exponent):
    """base ** exponent elementwise; for integers a negative exponent gives PyTorch's integer
    power: 1 for base 1, ±1 for base −1, otherwise 0."""
    base, exponent = np.asarray(base), np.asarray(exponent)
    if base.dtype == np.float32 and exponent.dtype == np.float32:
        # PyTorch's powf is correctly rounded where numpy's float32 power is not
        return _compute(np.power, base.astype(np.float64), exponent).astype(np.float32)
    if base.dtype.kind not in "iu" or exponent.dtype.kind not in "iu":
        return _compute(np.power, base, exponent)
    negative = exponent < 0
    if not negative.any():
        return _compute(np.power, base, exponent)
    safe = _compute(np.power, base, np.where(negative, 0, exponent))
    odd = (-exponent) % 2 == 1
    small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
    return np.where(negative, small, safe).astype(safe.dtype)


def _plain(number):
    return number.item() if isinstance(number, np.generic) else number


def _check_int_power(base, exponent) -> None:
    base_kind = base.dtype.kind if isinstance(base, np.ndarray) else "f"
    if base_kind not in "iu":
        return
    negative = isinstance(exponent, int) and not isinstance(exponent, bool) and exponent < 0
    if negative:
        raise RuntimeError(errors.NEGATIVE_INT_POWER)


for _name, _node, _kernel, _functions, _methods in (
    ("add", AddBackward0, add, "add", "add __add__ __radd__"),
    ("sub", SubBackward0, sub, "sub subtract", "sub subtract __sub__"),
    ("rsub", RsubBackward1, rsub, "rsub", "__rsub__"),
    ("mul", MulBackward0, mul, "mul multiply", "mul multiply __mul__ __rmul__"),
    ("div", DivBackward0, div, "div divide true_divide", "div divide true_divide __truediv__"),
    ("rdiv", DivBackward0, rdiv, "", "__rtruediv__"),
    ("reciprocal", ReciprocalBackward0, reciprocal, "reciprocal", "reciprocal"),
    ("neg", NegBackward0, neg, "neg negative", "neg negative __neg__"),
    ("pow", PowBackward0, pow_, "pow", "pow __pow__"),
    ("rpow", PowBackward2, rpow, "", "__rpow__"),
    ("floor_divide", NoDerivative, floor_divide, "floor_divide", "floor_divide __floordiv__"),
    ("remainder", RemainderBackward0, remainder, "remainder fmod", "remainder __mod__"),
):
    declare(_name, _node, _kernel, functions=_functions, methods=_methods)
