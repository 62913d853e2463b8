"""Provides SYMBOLIC, the engine's kernel namespace on arrays of sympy values: a lifted program
runs through the engine's own ops, and where a kernel needs a function of its elements (exp,
sigmoid, relu, …) this namespace gives the sympy function instead of numpy's."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

from tutor.autograd.xp_numeric import _Numeric
from tutor.symbolic.functions import relu as _relu
from tutor.symbolic.functions import sigmoid as _sigmoid


def exact(value: Any) -> Any:
    """An exact sympy number for a Python or numpy number: 0.1 stays 1/10, as written (a float32
    value by its shortest decimal)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool | np.bool_):
        return sympy.Integer(int(value))
    if isinstance(value, int | np.integer):
        return sympy.Integer(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return sympy.nan
        if math.isinf(value):
            return sympy.oo if value > 0 else -sympy.oo
        return sympy.Rational(str(value) if isinstance(value, np.floating) else repr(value))
    return value


def exact_array(data: np.ndarray) -> np.ndarray:
    """A float array as an object array of exact numbers."""
    out = np.empty(data.shape, dtype=object)
    for index in np.ndindex(data.shape):
        out[index] = exact(data[index])
    return out


def _each(function: Callable[[Any], Any]) -> Any:
    vectorised = np.frompyfunc(function, 1, 1)

    def apply(a):
        out = vectorised(a)
        return out if isinstance(out, np.ndarray) else _scalar_array(out)

    return staticmethod(apply)


def _scalar_array(value: Any) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = value
    return out


class _Symbolic(_Numeric):
    """The kernels a lifted program computes with: elements are sympy expressions."""

    number = staticmethod(exact)

    @staticmethod
    def pow_scalar(a, p):
        return np.asarray(np.frompyfunc(lambda v: v ** exact(p), 1, 1)(a), dtype=object)

    power_scalar = pow_scalar

    @staticmethod
    def scalar_power(base, a):
        return np.asarray(np.frompyfunc(lambda v: exact(base) ** v, 1, 1)(a), dtype=object)

    @staticmethod
    def mul_scalar(a, c):
        return a * exact(c)

    @staticmethod
    def div_scalar(a, c):
        return a / exact(c)

    @staticmethod
    def add_scalar(a, c):
        return a + exact(c)

    @staticmethod
    def sub_scalar(a, c):
        return a - exact(c)

    @staticmethod
    def rsub_scalar(a, c):
        return exact(c) - a

    reciprocal = _each(lambda v: 1 / v)
    exp = _each(sympy.exp)
    exp2 = _each(lambda v: 2**v)
    expm1 = _each(lambda v: sympy.exp(v) - 1)
    log = _each(sympy.log)
    log2 = _each(lambda v: sympy.log(v, 2))
    log10 = _each(lambda v: sympy.log(v, 10))
    log1p = _each(lambda v: sympy.log(1 + v))
    sqrt = _each(sympy.sqrt)
    rsqrt = _each(lambda v: 1 / sympy.sqrt(v))
    sin = _each(sympy.sin)
    cos = _each(sympy.cos)
    tan = _each(sympy.tan)
    sinh = _each(sympy.sinh)
    cosh = _each(sympy.cosh)
    asin = _each(sympy.asin)
    acos = _each(sympy.acos)
    atan = _each(sympy.atan)
    tanh = _each(sympy.tanh)
    abs = _each(sympy.Abs)
    sign = _each(sympy.sign)
    sgn = sign
    floor = _each(sympy.floor)
    ceil = _each(sympy.ceiling)
    round = _each(
        lambda v: v.round() if getattr(v, "is_number", False) else sympy.floor(v + sympy.S.Half)
    )
    trunc = _each(lambda v: sympy.sign(v) * sympy.floor(sympy.Abs(v)))
    frac = _each(lambda v: v - sympy.sign(v) * sympy.floor(sympy.Abs(v)))
    erf = _each(sympy.erf)
    sigmoid = _each(_sigmoid)
    relu = _each(_relu)


SYMBOLIC = _Symbolic()


def _numpy_methods() -> None:
    """numpy applies a ufunc to an object array by calling the element's method of that name
    (`np.sqrt(a)` calls `v.sqrt()`); sympy's expressions are given those methods, so that the
    engine's kernels written with numpy's functions compute on lifted values too."""
    functions = {
        "sqrt": sympy.sqrt,
        "exp": sympy.exp,
        "log": sympy.log,
        "expm1": lambda v: sympy.exp(v) - 1,
        "log1p": lambda v: sympy.log(1 + v),
        "log2": lambda v: sympy.log(v, 2),
        "log10": lambda v: sympy.log(v, 10),
        "exp2": lambda v: 2**v,
        "sin": sympy.sin,
        "cos": sympy.cos,
        "tan": sympy.tan,
        "tanh": sympy.tanh,
        "sinh": sympy.sinh,
        "cosh": sympy.cosh,
        "arcsin": sympy.asin,
        "arccos": sympy.acos,
        "arctan": sympy.atan,
    }
    for name, function in functions.items():
        if not hasattr(sympy.Expr, name):
            setattr(sympy.Expr, name, lambda self, f=function: f(self))


_numpy_methods()
