"""Provides scalar_form: a 0-d lifted tensor as one formula in plain symbols — the seed's
y = Σ(x² − 4) is elementwise_sum(x**2 - 4) — read back from the graph the engine recorded: a
sum or mean of an elementwise tensor, and the scalar ops applied to such values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy

from tutor.symbolic.elementwise import plain_form
from tutor.symbolic.functions import elementwise_sum, relu, sigmoid
from tutor.symbolic.leaves import Lifting

_UNARY: dict[str, Callable[[Any], Any]] = {
    "ExpBackward0": sympy.exp,
    "LogBackward0": sympy.log,
    "SinBackward0": sympy.sin,
    "CosBackward0": sympy.cos,
    "TanBackward0": sympy.tan,
    "TanhBackward0": sympy.tanh,
    "SigmoidBackward0": sigmoid,
    "ReluBackward0": relu,
    "SqrtBackward0": sympy.sqrt,
    "AbsBackward0": sympy.Abs,
    "NegBackward0": lambda f: -f,
}


def scalar_form(tensor: Any, ctx: Lifting) -> Any:
    """The formula of a 0-d lifted tensor in plain symbols, or None when it is not one."""
    data = np.asarray(tensor._data, dtype=object)
    if data.ndim != 0:
        return None
    leaf = ctx.leaf_of(tensor)
    if leaf is not None:
        return leaf.plain
    return _form(tensor._edge if tensor._view is None else _view_edge(tensor), data[()], ctx)


def _view_edge(tensor: Any) -> tuple:
    from tutor.autograd.tensor_core import view_edge

    return view_edge(tensor)


def _symbolic(value: Any, ctx: Lifting) -> bool:
    return isinstance(value, sympy.Basic) and any(s in ctx.owners for s in value.free_symbols)


def _data(edge: tuple, ctx: Lifting) -> np.ndarray | None:
    fn = edge[0]
    if fn is None:
        return None
    if type(fn).__name__ == "AccumulateGrad":
        return np.asarray(fn.variable._data, dtype=object)
    return ctx.outputs.get((id(fn), edge[1]))


def _form(edge: tuple, value: Any, ctx: Lifting) -> Any:
    if not _symbolic(value, ctx):
        return value
    fn = edge[0]
    if fn is None:
        return None
    if type(fn).__name__ == "AccumulateGrad":
        leaf = ctx.leaf_of(fn.variable)
        return leaf.plain if leaf is not None and leaf.shape == () else None
    name = type(fn).__name__
    inputs = [_data(e, ctx) for e in fn.next_functions]
    if name in ("SumBackward0", "SumBackward1", "MeanBackward0", "MeanBackward1"):
        source = inputs[0]
        inner = None if source is None else plain_form(source, ctx)
        if inner is None:
            return None
        return elementwise_sum(inner) / (source.size if name.startswith("Mean") else 1)
    forms = []
    for e, data in zip(fn.next_functions, inputs, strict=True):
        if data is None or data.ndim != 0:
            forms.append(None if data is None else _NOT_SCALAR)
            continue
        forms.append(_form(e, data[()], ctx))
    if any(f is _NOT_SCALAR for f in forms) or (forms and all(f is None for f in forms)):
        return None
    return _combine(name, fn, forms, [None if d is None else d[()] for d in inputs], value)


_NOT_SCALAR = object()


def _combine(name: str, fn: Any, forms: list, values: list, out: Any) -> Any:
    """The op of node `name` applied to its inputs' forms; an input that is a constant (not
    recorded) is recovered from the output and the other input."""
    if name in _UNARY and forms[0] is not None:
        return _UNARY[name](forms[0])
    if name == "PowBackward0" and forms[0] is not None:
        from tutor.symbolic.kernels import exact

        return forms[0] ** exact(fn._exponent)
    if name == "PowBackward2" and forms[0] is not None:
        from tutor.symbolic.kernels import exact

        return exact(fn._base) ** forms[0]
    if name in ("MulBackward1", "DivBackward1", "AddBackward1", "SubBackward1"):
        from tutor.symbolic.kernels import exact

        other = exact(fn._other)
        return {
            "MulBackward1": lambda f: f * other,
            "DivBackward1": lambda f: f / other,
            "AddBackward1": lambda f: f + other,
            "SubBackward1": lambda f: f - other,
        }[name](forms[0])
    if len(forms) != 2:
        return None
    a, b = forms
    alpha = getattr(fn, "_alpha", 1)
    if name == "RsubBackward1" and a is not None:
        return sympy.simplify(out + alpha * values[0]) - alpha * a
    if a is None:  # a constant first operand: recover it from the output
        a = _recover(name, out, values[1], first=True, alpha=alpha)
    if b is None:
        b = _recover(name, out, values[0], first=False, alpha=alpha)
    if a is None or b is None:
        return None
    return {
        "AddBackward0": lambda: a + alpha * b,
        "SubBackward0": lambda: a - alpha * b,
        "MulBackward0": lambda: a * b,
        "DivBackward0": lambda: a / b,
        "PowBackward1": lambda: a**b,
    }.get(name, lambda: None)()


def _recover(name: str, out: Any, known: Any, *, first: bool, alpha: Any) -> Any:
    """The constant operand c of `out = c ∘ known` (first) or `known ∘ c`."""
    if name == "AddBackward0":
        c = out - known if first else (out - known) / alpha
    elif name == "SubBackward0":
        c = out + alpha * known if first else (known - out) / alpha
    elif name == "MulBackward0":
        c = out / known
    elif name == "DivBackward0":
        c = out * known if first else known / out
    else:
        return None
    c = sympy.simplify(c)
    return c if not c.free_symbols else None
