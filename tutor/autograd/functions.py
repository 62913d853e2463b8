"""Provides the `torch.<op>(tensor, …)` functions: every op the table names as a function, plus
the few whose first argument may be a number (torch.pow(2, x), torch.add(1, x))."""

from __future__ import annotations

from .operands import NUMBER_TYPES
from .ops import arithmetic as ar
from .ops.table import TABLE
from .tensor_core import TensorCore


def _number_first(name: str, reverse):
    forward = TABLE[name].kernel

    def function(input, other, *args, **kwargs):
        if isinstance(input, NUMBER_TYPES) and isinstance(other, TensorCore):
            return reverse(other, input, *args, **kwargs)
        return forward(input, other, *args, **kwargs)

    function.__name__ = name
    return function


def _reversed(kernel):
    def reverse(tensor, number, *args, **kwargs):
        return kernel(tensor, number, *args, reverse=True, **kwargs)

    return reverse


SPECIAL = {
    "add": _number_first("add", _reversed(ar.add)),
    "mul": _number_first("mul", _reversed(ar.mul)),
    "multiply": _number_first("mul", _reversed(ar.mul)),
    "sub": _number_first("sub", lambda t, n, alpha=1: ar.rsub(t, n, alpha)),
    "subtract": _number_first("sub", lambda t, n, alpha=1: ar.rsub(t, n, alpha)),
    "div": _number_first("div", lambda t, n: ar.rdiv(t, n)),
    "divide": _number_first("div", lambda t, n: ar.rdiv(t, n)),
    "true_divide": _number_first("div", lambda t, n: ar.rdiv(t, n)),
    "pow": _number_first("pow", lambda t, n: ar.rpow(t, n)),
}


def table_functions() -> dict[str, object]:
    """Every `torch.<name>` the op table provides."""
    found: dict[str, object] = {}
    for op in TABLE.values():
        for name in op.functions:
            found[name] = SPECIAL.get(name, op.kernel)
    return found


def numel(input) -> int:
    return input.numel()


def is_tensor(obj) -> bool:
    return isinstance(obj, TensorCore)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def square(input):
    return ar.pow_(input, 2)


def result_type(a, b):
    from .dtypes import BY_NUMPY, promote_scalar, promote_tensors

    if isinstance(a, TensorCore) and isinstance(b, TensorCore):
        return BY_NUMPY[promote_tensors(a._data, b._data)]
    tensor, number = (a, b) if isinstance(a, TensorCore) else (b, a)
    return BY_NUMPY[promote_scalar(tensor._data.dtype, number)]
