"""Provides the Python builtins a program may call, bounded so none can run away."""

from __future__ import annotations

import builtins
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.limits import MAX_OUTPUT_CHARS
from tutor.program.pytypes import (
    bounded,
    bounded_sum,
    check_format_spec,
    check_key,
    check_printable,
)
from tutor.program.values import SafeBuiltin
from tutor.program.whitelist import EXCEPTIONS

__all__ = ["Output", "check_format_spec", "check_printable", "make_builtins"]

_KEYED = frozenset({"min", "max", "sorted"})
_TYPES = ("float", "int", "bool", "list", "tuple", "dict", "set", "range", "object")


def _consumer(function: Any, name: str) -> Any:
    def consume(*args: Any, **kwargs: Any) -> Any:
        if name in _KEYED:
            check_key(kwargs.get("key"))
        if len(args) == 1:
            args = (bounded(args[0]),)
        return function(*args, **kwargs)

    return consume


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
        "object": object,
        "str": _printable(str),
        "repr": _printable(repr),
        "round": round,
        "abs": abs,
        "enumerate": enumerate,
        "zip": zip,
        "reversed": reversed,
    }
    for name in ("min", "max", "list", "tuple", "sorted", "any", "all", "dict", "set"):
        functions[name] = _consumer(getattr(builtins, name), name)
    functions["sum"] = bounded_sum
    classes = {name: getattr(builtins, name) for name in (*_TYPES, "str", "enumerate", "zip")}
    classes["reversed"] = reversed
    table: dict[str, object] = {
        name: SafeBuiltin(name, function, classes.get(name)) for name, function in functions.items()
    }
    for name in EXCEPTIONS:
        kind = getattr(builtins, name)
        table[name] = SafeBuiltin(name, kind, kind)
    table.update({"True": True, "False": False, "None": None, "__name__": "__main__"})
    return table
