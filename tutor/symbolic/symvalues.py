"""Provides the values symbolic tensors are made of: exact numbers, dtypes, Size, elementwise apply."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.leaves import LiftError, as_array


class Size(tuple):
    """torch.Size for symbolic tensors."""

    def numel(self) -> int:
        return math.prod(self)


class DType:
    """A dtype name (`torch.float32`); the lifting keeps values exact whatever the dtype."""

    def __init__(self, name: str, floating: bool) -> None:
        self.name = name
        self.is_floating_point = floating

    def __repr__(self) -> str:
        return f"torch.{self.name}"


float32 = DType("float32", True)
float64 = DType("float64", True)
int64 = DType("int64", False)
boolean = DType("bool", False)


def number(value: Any) -> Any:
    """An exact sympy number for a Python or numpy number: 0.1 stays 1/10, as written."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool | np.bool_):
        return sympy.true if value else sympy.false
    if isinstance(value, int | np.integer):
        return sympy.Integer(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return sympy.nan
        if math.isinf(value):
            return sympy.oo if value > 0 else -sympy.oo
        return sympy.Rational(str(value) if isinstance(value, np.floating) else repr(value))
    raise LiftError(f"a {type(value).__name__} value cannot be part of a lifted tensor")


def apply(function: Callable[..., Any], *arrays: np.ndarray) -> np.ndarray:
    """`function` elementwise over broadcast object arrays."""
    try:
        return as_array(np.frompyfunc(function, len(arrays), 1)(*arrays))
    except ValueError as error:
        if "broadcast" in str(error):
            shapes = " and ".join(str(tuple(a.shape)) for a in arrays)
            raise RuntimeError(f"shapes {shapes} do not broadcast") from None
        raise


def add(a: Any, b: Any) -> Any:
    return a + b


def sub(a: Any, b: Any) -> Any:
    return a - b


def mul(a: Any, b: Any) -> Any:
    return a * b


def div(a: Any, b: Any) -> Any:
    return a / b


def power(a: Any, b: Any) -> Any:
    return a**b


def truth(value: Any) -> bool | None:
    """The truth of a constant element (numbers compared numerically); None if it has symbols."""
    if value is sympy.true or value is sympy.false:
        return bool(value)
    if not isinstance(value, sympy.Basic):
        return bool(value)
    if value.free_symbols:
        return None
    if isinstance(value, sympy.core.relational.Relational):
        left, right = (float(sympy.N(side, 30)) for side in value.args)
        return bool(_COMPARE[value.rel_op](left, right))
    return bool(sympy.N(value, 30) != 0)


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
