"""Provides the Python modules a program may import besides torch and numpy: `math`, and
`random` as one `random.Random` of the program's own, so a run repeats and touches nothing else."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.limits import MAX_INT_DIGITS, MAX_SEQUENCE_LENGTH

# a program that never calls random.seed() still gets the same numbers on every run
DEFAULT_SEED = 0
# factorial(3248) is the last under 10,000 digits
MAX_FACTORIAL = 3_248


def python_modules() -> dict[str, Any]:
    """Fresh module objects for one program: `random` is a generator nobody else draws from."""
    return {"math": math, "random": random.Random(DEFAULT_SEED)}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_factorial(args: Sequence[object], kwargs: dict[str, object]) -> None:
    if args and _is_int(args[0]) and args[0] > MAX_FACTORIAL:  # type: ignore[operator]
        raise Refusal(f"an integer result would exceed {MAX_INT_DIGITS:,} digits")


def _check_count(count: object) -> None:
    if _is_int(count) and count > MAX_SEQUENCE_LENGTH:  # type: ignore[operator]
        raise Refusal(f"a sequence of {count:,} items is over the limit of {MAX_SEQUENCE_LENGTH:,}")


def _check_choices(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_count(kwargs.get("k", 1))


def _check_sample(args: Sequence[object], kwargs: dict[str, object]) -> None:
    _check_count(kwargs.get("k", args[1] if len(args) > 1 else 0))


def _check_fsum(args: Sequence[object], kwargs: dict[str, object]) -> None:
    """fsum walks its iterable in C: a sized one within bounds, or a generator expression
    (whose items count as loop iterations)."""
    items = args[0] if args else None
    if hasattr(items, "__len__"):
        try:
            _check_count(len(items))  # type: ignore[arg-type]
        except OverflowError:
            _check_count(2**63)
    elif not getattr(type(items), "lazy", False):
        raise Refusal("math.fsum is supported on lists, tuples, ranges and generator expressions")


# guards run before a call, by function name (see guards.CALL_GUARDS)
PYTHON_MODULE_GUARDS: dict[str, Callable[[Sequence[object], dict[str, object]], None]] = {
    "factorial": _check_factorial,
    "choices": _check_choices,
    "sample": _check_sample,
    "fsum": _check_fsum,
}
