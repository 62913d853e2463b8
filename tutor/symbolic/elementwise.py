"""Provides plain_form: the one formula in plain symbols (x) that every element follows, if any."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from tutor.symbolic.leaves import Leaf, Lifting


def plain_form(array: np.ndarray, ctx: Lifting) -> Any:
    """f such that element i is f with x → xᵢ (for every leaf x shaped like `array`), or None.

    Found by substituting: f is read off the first element, then checked against every other
    one. A 0-d leaf's only symbol is already plain, so it may appear anywhere.
    """
    shaped = [leaf for leaf in ctx.leaves if leaf.shape == array.shape and array.ndim]
    indices = list(np.ndindex(array.shape))
    first = indices[0] if indices else ()
    if not indices:
        return None
    to_plain = _mapping(shaped, first, towards_plain=True)
    candidate = _xreplace(array[first], to_plain)
    if _has_elements(candidate, ctx):
        return None
    for index in indices[1:]:
        expected = _xreplace(candidate, _mapping(shaped, index, towards_plain=False))
        if expected != array[index]:
            return None
    return candidate


def _mapping(leaves: list[Leaf], index: tuple[int, ...], towards_plain: bool) -> dict:
    pairs = ((leaf.symbols[index], leaf.plain) for leaf in leaves)
    return {a: b for a, b in pairs} if towards_plain else {b: a for a, b in pairs}


def _xreplace(value: Any, mapping: dict) -> Any:
    return value.xreplace(mapping) if isinstance(value, sympy.Basic) else value


def _has_elements(value: Any, ctx: Lifting) -> bool:
    """Whether `value` still names a particular element of a leaf with more than one element."""
    for element in getattr(value, "free_symbols", ()):
        owner = ctx.owners.get(element)
        if owner is not None and owner[1] != ():
            return True
    return False
