"""Provides `Op`, one row of the op table, and the table itself: what `torch.<name>` and
`Tensor.<name>` a program may use exactly when the engine has it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Op:
    """One op: the names it is reached by, the node it records (None: not differentiable), and
    its forward kernel (a function of arrays, run on numbers or on symbols)."""

    name: str
    node: type | None
    kernel: object
    functions: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()


TABLE: dict[str, Op] = {}


def declare(
    name: str,
    node: type | None,
    kernel: object,
    *,
    functions: tuple[str, ...] | str = (),
    methods: tuple[str, ...] | str = (),
) -> Op:
    """Adds an op to the table; its `functions` are `torch.<name>`, its `methods` `t.<name>`."""
    if isinstance(functions, str):
        functions = tuple(functions.split())
    if isinstance(methods, str):
        methods = tuple(methods.split())
    if name in TABLE:
        raise ValueError(f"op {name!r} is declared twice")
    op = Op(name, node, kernel, functions, methods)
    TABLE[name] = op
    return op


def function_names() -> frozenset[str]:
    """Every `torch.<name>` an op provides."""
    return frozenset(n for op in TABLE.values() for n in op.functions)


def method_names() -> frozenset[str]:
    """Every `Tensor.<name>` an op provides."""
    return frozenset(n for op in TABLE.values() for n in op.methods)
