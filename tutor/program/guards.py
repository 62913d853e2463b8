"""Provides the size guards run before an operation allocates: tensors, integers, sequences."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence

from tutor.program.budget import HEAVY_WORK, check_clock_now
from tutor.program.errors import Refusal
from tutor.program.limits import (
    MAX_INT_BITS,
    MAX_INT_DIGITS,
    MAX_LOOP_ITERATIONS,
    MAX_SEQUENCE_LENGTH,
    MAX_TENSOR_ELEMENTS,
)
from tutor.program.pymodules import PYTHON_MODULE_GUARDS

Shape = tuple[int, ...]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


def shape_of(value: object) -> Shape | None:
    """The shape of a tensor or array operand; () for a Python number; None if unknown."""
    shape = getattr(value, "shape", None) if not isinstance(value, type) else None
    if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
        return tuple(shape)
    if isinstance(value, int | float | bool | complex):
        return ()
    return None


def check_elements(count: int, what: str = "a tensor", work: int | None = None) -> None:
    """Refuses a tensor over the size limit; before a heavy operation (`work`, in multiply-adds
    or elements, at least HEAVY_WORK), the run's CPU budget is checked as well."""
    if count > MAX_TENSOR_ELEMENTS:
        raise Refusal(f"{what} of {count:,} elements is over the limit of {MAX_TENSOR_ELEMENTS:,}")
    if (count if work is None else work) >= HEAVY_WORK:
        check_clock_now()


def broadcast_shape(*shapes: Shape) -> Shape | None:
    """numpy/PyTorch broadcasting of shapes; None if they do not broadcast."""
    ndim = max((len(s) for s in shapes), default=0)
    result: list[int] = []
    for axis in range(-ndim, 0):
        dims = {s[axis] for s in shapes if len(s) >= -axis} - {1}
        if len(dims) > 1:
            return None
        result.append(dims.pop() if dims else 1)
    return tuple(result)


def matmul_shape(a: Shape, b: Shape) -> Shape | None:
    """The shape of a @ b under matmul's rules; None if they do not fit."""
    if not a or not b:
        return None
    a2 = (1, *a) if len(a) == 1 else a
    b2 = (*b, 1) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        return None
    batch = broadcast_shape(a2[:-2], b2[:-2])
    if batch is None:
        return None
    out = (*batch, a2[-2], b2[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return out


def check_binary(a: object, b: object) -> None:
    shapes = (shape_of(a), shape_of(b))
    if None not in shapes:
        result = broadcast_shape(*shapes)  # type: ignore[arg-type]
        if result is not None:
            check_elements(math.prod(result), "the result")


def check_matmul(a: object, b: object) -> None:
    shapes = (shape_of(a), shape_of(b))
    if None not in shapes:
        result = matmul_shape(*shapes)  # type: ignore[arg-type]
        if result is not None:
            count = math.prod(result)
            check_elements(count, "the result", count * shapes[0][-1])  # type: ignore[index]


def _size_from(args: Sequence[object], kwargs: dict[str, object]) -> Shape | None:
    if "size" in kwargs:
        args = (kwargs["size"],)
    if len(args) == 1 and isinstance(args[0], list | tuple):
        args = tuple(args[0])
    ints = [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
    return tuple(ints) if ints and len(ints) == len(args) else None


def _check_size(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_data(args, kwargs)
    size = _size_from(args, kwargs)
    if size is not None and all(d >= 0 for d in size):
        check_elements(math.prod(size))


def _check_data(args: Sequence[object], kwargs: dict[str, object]) -> None:
    data = kwargs.get("data", args[0] if args else None)
    if isinstance(data, range):
        check_elements(safe_len(data))


def _operand(args: Sequence[object], kwargs: dict[str, object], position: int, *names: str):
    """An operand given by position or by one of PyTorch's names for it (`input=`, `other=`)."""
    if position < len(args):
        return args[position]
    return next((kwargs[n] for n in names if n in kwargs), None)


# PyTorch's names for a binary op's second operand
_SECOND = ("other", "exponent", "mat2", "vec", "vec2", "tensor")


def _check_where(args: Sequence[object], kwargs: dict[str, object]) -> None:
    operands = [
        _operand(args, kwargs, i, name) for i, name in enumerate(("condition", "input", "other"))
    ]
    shapes = [shape_of(a) for a in operands if a is not None]
    if len(shapes) == 3 and None not in shapes:
        result = broadcast_shape(*shapes)  # type: ignore[arg-type]
        if result is not None:
            check_elements(math.prod(result), "the result")


def _check_full(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_size(args[:1], {k: v for k, v in kwargs.items() if k == "size"})


def _check_arange(args: Sequence[object], kwargs: dict[str, object]) -> None:
    numbers = [a for a in args if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(numbers) != len(args) or not numbers or len(numbers) > 3:
        return
    start, end, step = (0, numbers[0], 1) if len(numbers) == 1 else (*numbers[:2], 1)
    if len(numbers) == 3:
        step = numbers[2]
    if step and math.isfinite(start) and math.isfinite(end) and math.isfinite(step):
        check_elements(max(0, math.ceil((end - start) / step)))


def _check_linspace(args: Sequence[object], kwargs: dict[str, object]) -> None:
    steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
    if isinstance(steps, int):
        check_elements(steps)


def _check_eye(args: Sequence[object], kwargs: dict[str, object]) -> None:
    ints = [a for a in args[:2] if isinstance(a, int)]
    if ints:
        check_elements(ints[0] * (ints[1] if len(ints) > 1 else ints[0]))


def _check_randint(args: Sequence[object], kwargs: dict[str, object]) -> None:
    size = kwargs.get("size", args[-1] if args else None)
    if isinstance(size, list | tuple):
        _check_size((size,), {})


def _check_expand(args: Sequence[object], kwargs: dict[str, object]) -> None:
    base, sizes = shape_of(args[0]) if args else None, _size_from(args[1:], kwargs)
    if base is None or sizes is None:
        return
    padded = (1,) * (len(sizes) - len(base)) + base
    if len(padded) == len(sizes):
        check_elements(math.prod(p if s == -1 else s for p, s in zip(padded, sizes, strict=True)))


def _check_repeat(args: Sequence[object], kwargs: dict[str, object]) -> None:
    base, sizes = shape_of(args[0]) if args else None, _size_from(args[1:], kwargs)
    if base is not None and sizes is not None and all(s >= 0 for s in sizes):
        check_elements(math.prod(base) * math.prod(sizes))


def _check_new(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_size(args[1:], kwargs)


def _check_new_full(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_size(args[1:2], {k: v for k, v in kwargs.items() if k == "size"})


def _check_pair(args: Sequence[object], kwargs: dict[str, object]) -> None:
    first, other = _operand(args, kwargs, 0, "input"), _operand(args, kwargs, 1, *_SECOND)
    if first is not None:
        check_binary(first, other if other is not None else 0)


def _check_pair_matmul(args: Sequence[object], kwargs: dict[str, object]) -> None:
    first, other = _operand(args, kwargs, 0, "input"), _operand(args, kwargs, 1, *_SECOND)
    if first is not None and other is not None:
        check_matmul(first, other)


def _check_linear(args: Sequence[object], kwargs: dict[str, object]) -> None:
    first, weight = _operand(args, kwargs, 0, "input"), _operand(args, kwargs, 1, "weight")
    x, w = shape_of(first), shape_of(weight)
    if x and w and len(w) == 2:
        count = math.prod(x[:-1]) * w[0]
        check_elements(count, "the result", count * w[1])


def _check_joined(args: Sequence[object], kwargs: dict[str, object]) -> None:
    tensors = kwargs.get("tensors", args[0] if args else None)
    if isinstance(tensors, list | tuple):
        shapes = [shape_of(t) for t in tensors]
        check_elements(sum(math.prod(s) for s in shapes if s is not None), "the result")


CALL_GUARDS: dict[str, Callable[[Sequence[object], dict[str, object]], None]] = {
    **dict.fromkeys(
        _names(
            "Tensor ones zeros empty rand randn FloatTensor DoubleTensor LongTensor IntTensor BoolTensor"
        ),
        _check_size,
    ),
    "full": _check_full,
    **dict.fromkeys(("tensor", "array", "as_tensor"), _check_data),
    "where": _check_where,
    "arange": _check_arange,
    "linspace": _check_linspace,
    "eye": _check_eye,
    "randint": _check_randint,
    "expand": _check_expand,
    "repeat": _check_repeat,
    **dict.fromkeys(_names("new_ones new_zeros new_empty"), _check_new),
    "new_full": _check_new_full,
    **dict.fromkeys(
        _names(
            "add add_ sub sub_ mul mul_ div div_ pow pow_ maximum minimum eq ne lt le gt ge "
            "mse_loss l1_loss binary_cross_entropy"
        ),
        _check_pair,
    ),
    **dict.fromkeys(_names("matmul mm mv dot bmm"), _check_pair_matmul),
    "linear": _check_linear,
    **dict.fromkeys(("cat", "stack"), _check_joined),
    **PYTHON_MODULE_GUARDS,
}

# methods of tensors receive the tensor itself as the first guard argument
METHOD_SELF_GUARDS = _names(
    "expand repeat new_ones new_zeros new_empty new_full add add_ sub sub_ mul mul_ div div_ "
    "pow pow_ maximum minimum eq ne lt le gt ge matmul mm mv dot bmm"
)


def check_call(name: str, args: Sequence[object], kwargs: dict[str, object]) -> None:
    guard = CALL_GUARDS.get(name)
    if guard is not None:
        guard(args, kwargs)


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_int_size(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise Refusal(f"an integer result would exceed {MAX_INT_DIGITS:,} digits")


def _check_length(length: int) -> None:
    if length > MAX_SEQUENCE_LENGTH:
        raise Refusal(
            f"a sequence of {length:,} items is over the limit of {MAX_SEQUENCE_LENGTH:,}"
        )


def check_binop(op: Callable[[object, object], object], a: object, b: object) -> None:
    """Refuse a Python binary operation whose result would be too large, before computing it."""
    kind_a, kind_b = type(a), type(b)
    if kind_a is int and kind_b is int:
        _check_int_op(op, a, b)  # type: ignore[arg-type]
    elif kind_a in _SEQUENCES or kind_b in _SEQUENCES:
        _check_sequence_op(op, a, b)
    elif hasattr(a, "shape") and hasattr(b, "shape"):
        if op in (operator.matmul, operator.imatmul):
            check_matmul(a, b)
        else:
            check_binary(a, b)


_SEQUENCES = (str, list, tuple)


def _check_int_op(op: Callable[[object, object], object], a: int, b: int) -> None:
    if op in (operator.pow, operator.ipow) and b > 0 and abs(a) > 1:
        _check_int_size(math.ceil(b * math.log2(abs(a))))
    elif op in (operator.mul, operator.imul):
        _check_int_size(a.bit_length() + b.bit_length())
    elif op in (operator.lshift, operator.ilshift) and a:
        _check_int_size(a.bit_length() + max(b, 0))


def _check_sequence_op(op: Callable[[object, object], object], a: object, b: object) -> None:
    if op in (operator.mul, operator.imul):
        if isinstance(a, str | list | tuple) and _int(b):
            _check_length(len(a) * max(b, 0))  # type: ignore[operator]
        elif isinstance(b, str | list | tuple) and _int(a):
            _check_length(len(b) * max(a, 0))  # type: ignore[operator]
    elif op in (operator.add, operator.iadd):
        if isinstance(a, str | list | tuple) and isinstance(b, str | list | tuple):
            _check_length(len(a) + len(b))
    elif op in (operator.mod, operator.imod) and isinstance(a, str):
        raise Refusal("% string formatting is not supported; use an f-string")


def check_length(length: int) -> None:
    _check_length(length)


def safe_len(value: object) -> int:
    """len(value), or a number over every limit when it does not fit in a machine integer."""
    try:
        return len(value)  # type: ignore[arg-type]
    except OverflowError:
        return 2**63


def loop_over_limit(length: int, already_run: int) -> Refusal:
    """The refusal of a loop of `length` iterations that the program's remaining loop budget
    cannot hold (`already_run` of MAX_LOOP_ITERATIONS spent by earlier loops)."""
    if already_run == 0:
        return Refusal(
            f"a loop of {length:,} iterations is over the limit of "
            f"{MAX_LOOP_ITERATIONS:,} loop iterations"
        )
    return Refusal(
        f"a loop of {length:,} iterations would take the program over its limit of "
        f"{MAX_LOOP_ITERATIONS:,} loop iterations ({already_run:,} already run)"
    )
