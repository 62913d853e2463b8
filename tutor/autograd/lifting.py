"""Provides the engine's side of lifting a program to symbols: while a lifting is active, a
tensor that starts to require grad holds sympy symbols instead of numbers, and every op
computes with the symbolic namespace the lifting registered (the engine itself imports only
numpy; `tutor.symbolic.kernels` brings sympy)."""

from __future__ import annotations

import threading

import numpy as np

from .dtypes import OBJECT_DTYPE
from .xp_numeric import NUMERIC


class _Lifting(threading.local):
    """The active lifting of this thread (None when numbers are computed) and its namespace."""

    active = None
    space = None


LIFTING = _Lifting()


class SymbolicError(RuntimeError):
    """A lifted program asked for a number that depends on symbols (a branch, item())."""


def space_of(arrays: tuple) -> object:
    """NUMERIC, or the symbolic namespace when any array holds sympy values."""
    for array in arrays:
        if isinstance(array, np.ndarray) and array.dtype == OBJECT_DTYPE:
            space = LIFTING.space
            if space is None:
                raise SymbolicError("symbolic values outside a lifting")
            return space
    return NUMERIC


def numbers_of(data: object) -> object:
    """An array of lifted values as the numbers they are at the program's values (a comparison
    or a choice is made there); any other data unchanged."""
    if isinstance(data, np.ndarray) and data.dtype == OBJECT_DTYPE and LIFTING.active is not None:
        return LIFTING.active.numbers(data)
    return data


def symbolic_value(value: object) -> object:
    """A lifted tensor's single value as a Python number, or SymbolicError if it has symbols."""
    active = LIFTING.active
    if active is None:
        raise SymbolicError("symbolic values outside a lifting")
    return active.number(value)


def symbolic_repr(data: np.ndarray) -> str:
    """How a lifted tensor prints (its formulas; a lifting never compares printouts)."""
    return f"tensor({data.tolist()!r})"
