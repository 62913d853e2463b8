"""Provides the Python builtins a program may call, bounded so none can run away."""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.guards import check_length, safe_len
from tutor.program.limits import MAX_FORMAT_WIDTH, MAX_OUTPUT_CHARS, MAX_SEQUENCE_LENGTH
from tutor.program.values import SafeBuiltin

_LAZY = (zip, enumerate, reversed, map, filter, type(iter(())), type(iter([])))


def bounded(value: Any) -> Any:
    """The iterable itself if its length is within bounds; lazy ones are counted as consumed."""
    if isinstance(value, _LAZY):
        return _counted(value)
    if not hasattr(value, "__len__"):
        return value
    check_length(safe_len(value))
    # a copy, so nothing the consumer calls can grow the list it walks
    return tuple(value) if isinstance(value, list) else value


def _counted(iterable: Any) -> Iterator[Any]:
    for count, item in enumerate(iterable, 1):
        if count > MAX_SEQUENCE_LENGTH:
            raise Refusal(f"a sequence of over {MAX_SEQUENCE_LENGTH:,} items is over the limit")
        yield item


def _consumer(function: Any) -> Any:
    def consume(*args: Any, **kwargs: Any) -> Any:
        if "key" in kwargs:
            raise Refusal("key= functions are not supported in lesson programs")
        if len(args) == 1:
            args = (bounded(args[0]),)
        return function(*args, **kwargs)

    return consume


def check_format_spec(spec: str) -> None:
    """Refuse format specs that would pad or round to huge widths (f"{x:>999999999}")."""
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 6 or int(digits) > MAX_FORMAT_WIDTH:
            raise Refusal(f"a format width or precision over {MAX_FORMAT_WIDTH} is not supported")


def check_printable(value: Any) -> None:
    """Refuse printing nested lists whose text would be huge ([[0] * 10**6] * 10**6)."""
    if not isinstance(value, list | tuple):
        return
    budget = MAX_SEQUENCE_LENGTH * 10
    stack, count = [value], 0
    while stack:
        items = stack.pop()
        count += len(items)
        if count > budget:
            raise Refusal(f"a value of over {budget:,} items is too large to print or compare")
        stack.extend(item for item in items if isinstance(item, list | tuple))


def _printable(function: Any) -> Any:
    def convert(*args: Any, **kwargs: Any) -> Any:
        for arg in args:
            check_printable(arg)
        return function(*args, **kwargs)

    return convert


class Output:
    """What the program has printed, kept in memory until the program ends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.size += len(text)
        if self.size > MAX_OUTPUT_CHARS:
            raise Refusal(f"the program printed over {MAX_OUTPUT_CHARS:,} characters")
        self.parts.append(text)

    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""


def make_builtins(output: Output) -> dict[str, object]:
    """The safe builtins, their `print` writing to `output`."""

    def print_(*args: Any, sep: Any = " ", end: Any = "\n", flush: bool = False) -> None:
        for label, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):
                kind = type(value).__name__
                raise TypeError(f"{label} must be None or a string, not {kind}")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        for arg in args:
            check_printable(arg)
        output.write(sep.join(str(a) for a in args) + end)

    functions: dict[str, Any] = {
        "print": print_,
        "len": len,
        "range": range,
        "float": float,
        "int": int,
        "bool": bool,
        "str": _printable(str),
        "repr": _printable(repr),
        "round": round,
        "abs": abs,
        "enumerate": enumerate,
        "zip": zip,
        "reversed": reversed,
    }
    for name in ("min", "max", "sum", "list", "tuple", "sorted", "any", "all"):
        functions[name] = _consumer(getattr(builtins, name))
    table: dict[str, object] = {n: SafeBuiltin(n, f) for n, f in functions.items()}
    table.update({"True": True, "False": False, "None": None})
    return table
