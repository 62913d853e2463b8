"""Provides the `torch.<op>(tensor, …)` functions: every op the table names as a function, plus
the few whose first argument may be a number (torch.pow(2, x), torch.add(1, x)); each takes its
arguments by PyTorch's names too (`input=`, `other=`, `mat2=`, …) and, where PyTorch has it,
an `out=` tensor to write the result into."""

from __future__ import annotations

import functools
import inspect
import warnings

import numpy as np

from . import errors
from .dtypes import BY_NUMPY
from .grad_mode import GRAD_MODE, no_grad
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


# PyTorch's names for the positional parameters of its functions, where the kernel names them
# otherwise; every other function's first parameter is `input`
_PARAMETERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("cat", "concat", "concatenate", "stack"), ("tensors",)),
    "where": ("condition", "input", "other"),
    "addmm": ("input", "mat1", "mat2"),
    **dict.fromkeys(("mm", "bmm"), ("input", "mat2")),
    "mv": ("input", "vec"),
    "dot": ("input", "tensor"),
    **dict.fromkeys(("outer", "ger"), ("input", "vec2")),
    **dict.fromkeys(
        ("matmul", "inner", "maximum", "minimum", "allclose", "isclose", "equal"),
        ("input", "other"),
    ),
    "pow": ("input", "exponent"),
    "true_divide": ("dividend", "divisor"),
}

# the functions PyTorch 2.13 gives an `out=` parameter (those returning one tensor)
_OUT_NAMES = """
    abs acos add addcdiv addcmul addmm amax asin atan bitwise_and bitwise_not bitwise_or
    bitwise_xor bmm cat ceil clamp clip concat concatenate cos cosh cumsum div divide dot eq erf
    exp exp2 expm1 floor floor_divide fmod frac gather ge ger greater greater_equal gt
    index_select inner le lerp less less_equal log log10 log1p log2 logical_and logical_not
    logical_or logical_xor logsumexp lt matmul maximum minimum mm mul multiply mv ne neg negative
    outer pow reciprocal remainder round rsqrt sgn sigmoid sign sin sinh sqrt stack sub subtract
    tan tanh true_divide trunc where
    """
OUT_FUNCTIONS = frozenset(_OUT_NAMES.split())

_RESIZED = (
    "An output with one or more elements was resized since it had shape {}, which does not "
    "match the required output shape {}. This behavior is deprecated, and in a future PyTorch "
    "release outputs will not be resized unless they have zero elements. You can explicitly "
    "reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0). "
    "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)"
)


def _kernel_parameters(kernel) -> tuple[str, ...]:
    try:
        parameters = inspect.signature(kernel).parameters.values()
    except (TypeError, ValueError):
        return ()
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple(p.name for p in parameters if p.kind in kinds)


def _torch_names(name: str, kernel) -> tuple[str, ...]:
    """PyTorch's names for the kernel's positional parameters, if any differ from its own."""
    torch_names = _PARAMETERS.get(name, ("input",))
    kernel_names = _kernel_parameters(kernel)
    differs = any(t != k for t, k in zip(torch_names, kernel_names, strict=False))
    return torch_names[: len(kernel_names)] if differs else ()


def _with_torch_signature(name: str, kernel):
    """`kernel` taking PyTorch's parameter names by keyword, and `out=` if PyTorch has it."""
    torch_names = _torch_names(name, kernel)
    has_out = name in OUT_FUNCTIONS
    if not torch_names and not has_out:
        return kernel

    @functools.wraps(kernel)
    def function(*args, **kwargs):
        if torch_names and kwargs:
            args = _placed(name, torch_names, args, kwargs)
        out = kwargs.pop("out", None) if has_out else None
        if out is None:
            return kernel(*args, **kwargs)
        return write_out(name, out, kernel(*args, **kwargs))

    function.__name__ = name
    return function


def _placed(name: str, torch_names: tuple[str, ...], args: tuple, kwargs: dict) -> tuple:
    """The positional arguments, with those given by PyTorch's names put in their places."""
    placed = list(args)
    for position, torch_name in enumerate(torch_names):
        if torch_name not in kwargs:
            if position >= len(placed):
                break
            continue
        if position < len(placed):
            raise TypeError(f"{name}() got multiple values for argument '{torch_name}'")
        placed.append(kwargs.pop(torch_name))
    return tuple(placed)


def write_out(name: str, out, value):
    """PyTorch's `out=`: the result written into `out` (resized if its shape differs, cast to
    its dtype when that loses no kind), which is returned; never while recording a graph."""
    if not isinstance(out, TensorCore):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if not isinstance(value, TensorCore):
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    if GRAD_MODE.enabled and (value._requires_grad or out._requires_grad):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    source, target = value._data.dtype, out._data.dtype
    if (
        source in BY_NUMPY
        and target in BY_NUMPY
        and BY_NUMPY[source].category > BY_NUMPY[target].category
    ):
        raise RuntimeError(
            f"result type {errors.scalar_type_name(source)} can't be cast to the desired output "
            f"type {errors.scalar_type_name(target)}"
        )
    if out._data.shape != value._data.shape:
        if out._data.size:
            warnings.warn(
                _RESIZED.format(
                    errors.shape_list(out._data.shape), errors.shape_list(value._data.shape)
                ),
                UserWarning,
                stacklevel=3,
            )
        out._data = np.zeros(value._data.shape, dtype=target)
    with no_grad():
        out.copy_(value)
    return out


def table_functions() -> dict[str, object]:
    """Every `torch.<name>` the op table provides."""
    found: dict[str, object] = {}
    for op in TABLE.values():
        for name in op.functions:
            found[name] = _with_torch_signature(name, SPECIAL.get(name, op.kernel))
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
