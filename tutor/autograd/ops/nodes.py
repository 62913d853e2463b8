"""Provides `node_class`: a backward node class made from one row of the op table — its PyTorch
name, its math (the docstring) and its derivative, a function `(xp, g, node) -> gradients`."""

from __future__ import annotations

from collections.abc import Callable

from ..node import Node

_CLASSES: dict[str, type] = {}


def node_class(
    name: str, math: str, derivative: Callable, slots: tuple[str, ...] = (), *, keeps: bool = False
) -> type:
    """The node class called `name` (as PyTorch calls it), computing `derivative`. `keeps`: the
    node holds tensors (indices, masks) that backward frees, so a second backward fails."""
    if name in _CLASSES:
        raise ValueError(f"node {name} is declared twice")

    if keeps:

        def backward(self, xp, g):
            if self._saved is None:
                raise self._freed()
            return derivative(xp, g, self)

    else:

        def backward(self, xp, g):
            return derivative(xp, g, self)

    cls = type(name, (Node,), {"__slots__": slots, "__doc__": math, "backward": backward})
    cls.__module__ = Node.__module__
    _CLASSES[name] = cls
    return cls


def known(name: str) -> type | None:
    return _CLASSES.get(name)
