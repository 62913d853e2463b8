"""Provides conversions of what a lesson program computes into answer values: arrays, numbers, names."""

from __future__ import annotations

import math

import numpy as np


class AnswerError(Exception):
    """An answer that cannot be computed; the message is one line for the author."""


def to_array(value: object, what: str) -> np.ndarray:
    """A tensor (or nested numbers) as a float64 numpy array."""
    if value is None:
        raise AnswerError(f"{what} is None at this step")
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        value = value.detach().numpy()
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, bool | int | float | np.generic | list | tuple | np.ndarray):
        try:
            array = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise AnswerError(f"{what} is not a tensor of numbers") from None
        return array
    raise AnswerError(f"{what} is a {type(value).__name__}, not a tensor")


def to_number(value: object, what: str) -> float:
    """A Python number, numpy scalar or one-element tensor as a float."""
    if isinstance(value, bool):
        raise AnswerError(f"{what} is a bool, not a number")
    array = to_array(value, what)
    if array.size != 1:
        raise AnswerError(f"{what} has shape {list(array.shape)}, not a single number")
    return float(array.reshape(()))


def node_name(value: object, what: str) -> str:
    """The class name PyTorch shows for a graph node, from the node or a tensor holding one."""
    if isinstance(value, str):
        return value
    if hasattr(value, "grad_fn") and not hasattr(value, "next_functions"):
        value = value.grad_fn
        if value is None:
            raise AnswerError(f"{what} has no grad_fn (it is a leaf or untracked)")
    if value is None:
        raise AnswerError(f"{what} is None, not a graph node")
    name = type(value).__name__
    if hasattr(value, "name") and callable(value.name):
        name = str(value.name())
    return name.rsplit("::", 1)[-1]


def next_node_names(node: object) -> tuple[str, ...]:
    """The names of the nodes a graph node sends gradients to (its next_functions)."""
    names = []
    for entry in getattr(node, "next_functions", ()) or ():
        following = entry[0] if isinstance(entry, tuple) else entry
        if following is not None:
            names.append(node_name(following, "next function"))
    return tuple(names)


def plain(value: object) -> object:
    """A value made plain for matching and showing: 1-element tensors become numbers."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    try:
        array = to_array(value, "value")
    except AnswerError:
        return value
    return array.reshape(()).item() if array.size == 1 and array.ndim == 0 else array


def same_value(a: object, b: object) -> bool:
    """Whether two plain values agree (numbers with float32 tolerance, no bool/number mix-ups)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return False


def format_number(value: float) -> str:
    """A number as a learner types it: `14`, `-0.25`, `1e-05`, the shortest float32 spelling."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    single = np.float32(value)
    if float(single) != value and not math.isclose(float(single), value, rel_tol=1e-7):
        single = np.float64(value)
    if value != 0 and not 1e-4 <= abs(value) < 1e16:
        return np.format_float_scientific(single, trim="-", exp_digits=1)
    text = np.format_float_positional(single, trim="-")
    return "0" if text == "-0" else text


def format_array(array: np.ndarray) -> str:
    """A tensor as a learner types it: `[[2, 4], [6, 8]]`, `14` for 0-d."""
    if array.ndim == 0:
        return format_number(float(array))
    return "[" + ", ".join(format_array(row) for row in array) + "]"
