"""Provides the bounded forms of Python's own operations on plain values: consuming iterables,
printing containers, format specs, `str.format`, `"sep".join` and the growing str/list methods."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from typing import Any

from tutor.program.callables import Function, is_safe_callable
from tutor.program.errors import Refusal
from tutor.program.guards import check_length, safe_len
from tutor.program.limits import MAX_FORMAT_WIDTH, MAX_SEQUENCE_LENGTH

_LAZY = (zip, enumerate, reversed, map, filter, type(iter(())), type(iter([])))
_CONTAINERS = (list, tuple, dict, set, frozenset)


def bounded(value: Any) -> Any:
    """The iterable itself if its length is within bounds; lazy ones are counted as consumed."""
    if isinstance(value, _LAZY) or getattr(type(value), "lazy", False):
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


# element copies a sum of lists or tuples may make (each addition copies what it has so far)
MAX_SUM_COPIES = 10_000_000


def bounded_sum(iterable: Any, /, start: Any = 0) -> Any:
    """`sum`, with a sum of sequences refused before its copying grows quadratic."""
    items = bounded(iterable)
    if not isinstance(start, list | tuple):
        return sum(items, start)
    total, copies = start, 0
    for item in items:
        copies += len(total) + (len(item) if isinstance(item, list | tuple) else 0)
        if copies > MAX_SUM_COPIES:
            raise Refusal(
                f"sum() of sequences copying over {MAX_SUM_COPIES:,} items is over the limit"
            )
        total = total + item
    return total


def check_key(key: Any) -> None:
    """A `key=` must be something the program itself could call."""
    if key is not None and not is_safe_callable(key):
        raise Refusal(f"a {type(key).__name__} value cannot be used as key= in lesson programs")


def check_format_spec(spec: str) -> None:
    """Refuse format specs that would pad or round to huge widths (f"{x:>999999999}")."""
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 6 or int(digits) > MAX_FORMAT_WIDTH:
            raise Refusal(f"a format width or precision over {MAX_FORMAT_WIDTH} is not supported")


def check_printable(value: Any) -> None:
    """Refuse printing nested containers whose text would be huge ([[0] * 10**6] * 10**6)."""
    if not isinstance(value, _CONTAINERS):
        return
    budget = MAX_SEQUENCE_LENGTH * 10
    stack, count = [value], 0
    while stack:
        items = stack.pop()
        count += len(items)
        if count > budget:
            raise Refusal(f"a value of over {budget:,} items is too large to print or compare")
        if isinstance(items, dict):
            items = (*items.keys(), *items.values())
        stack.extend(item for item in items if isinstance(item, _CONTAINERS))


_CONVERT: dict[str | None, Callable[[Any], Any]] = {
    None: lambda v: v,
    "s": str,
    "r": repr,
    "a": ascii,
}


def format_text(template: str, *args: Any, **kwargs: Any) -> str:
    """`template.format(*args, **kwargs)`, field by field, within the output bounds; look-ups
    inside fields (`{0.attr}`, `{0[1]}`) would bypass the attribute whitelist and are refused."""
    parts: list[str] = []
    total, automatic, index = 0, None, 0
    for literal, field, spec, conversion in string.Formatter().parse(template):
        parts.append(literal)
        total += len(literal)
        if field is None:
            continue
        if "." in field or "[" in field:
            raise Refusal("look-ups inside format fields ({0.x}, {0[1]}) are not supported")
        if "{" in (spec or ""):
            raise Refusal("nested format fields ({:{width}}) are not supported")
        if field == "":
            if automatic is False:
                raise ValueError(
                    "cannot switch from manual field specification to automatic field numbering"
                )
            automatic, key = True, index
            index += 1
        elif field.isdigit():
            if automatic is True:
                raise ValueError(
                    "cannot switch from automatic field numbering to manual field specification"
                )
            automatic, key = False, int(field)
        else:
            key = field
        value = _field(key, args, kwargs)
        if conversion not in _CONVERT:
            raise ValueError(f"Unknown conversion specifier {conversion}")
        check_printable(value)
        check_format_spec(spec or "")
        text = format(_CONVERT[conversion](value), spec or "")
        total += len(text)
        check_length(total)
        parts.append(text)
    return "".join(parts)


def _field(key: int | str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if isinstance(key, int):
        if key >= len(args):
            raise IndexError(f"Replacement index {key} out of range for positional args tuple")
        return args[key]
    if key not in kwargs:
        raise KeyError(key)
    return kwargs[key]


def _join(separator: str, iterable: Any) -> str:
    items = list(bounded(iterable))
    total = sum(len(item) for item in items if isinstance(item, str))
    check_length(total + len(separator) * max(len(items) - 1, 0))
    return separator.join(items)


def _replace(text: str, old: Any, new: Any, count: Any = -1) -> str:
    if isinstance(old, str) and isinstance(new, str) and isinstance(count, int):
        found = text.count(old) if old else len(text) + 1
        if count >= 0:
            found = min(found, count)
        check_length(len(text) + found * (len(new) - len(old)))
    return text.replace(old, new, count)


def _padding(method: Callable[..., str]) -> Callable[..., str]:
    def pad(text: str, width: Any, *rest: Any) -> str:
        if isinstance(width, int):
            check_length(width)
        return method(text, width, *rest)

    return pad


def _extend(items: list, iterable: Any) -> None:
    more = list(bounded(iterable))
    check_length(len(items) + len(more))
    items.extend(more)


def _sort(items: list, *, key: Any = None, reverse: Any = False) -> None:
    check_key(key)
    items.sort(key=key, reverse=reverse)


def _accessor(method: Callable[..., Any]) -> Callable[..., Any]:
    def replace(prop: property, function: Any) -> property:
        if not isinstance(function, Function):
            raise Refusal("a property's setter, getter and deleter are the program's own functions")
        return method(prop, function)

    return replace


# (type, method name) → the bounded implementation, called with the value first
PYTHON_METHODS: dict[tuple[type, str], Callable[..., Any]] = {
    (str, "format"): format_text,
    (str, "join"): _join,
    (str, "replace"): _replace,
    (str, "ljust"): _padding(str.ljust),
    (str, "rjust"): _padding(str.rjust),
    (str, "center"): _padding(str.center),
    (str, "zfill"): _padding(str.zfill),
    (list, "extend"): _extend,
    (list, "sort"): _sort,
    (property, "setter"): _accessor(property.setter),
    (property, "getter"): _accessor(property.getter),
    (property, "deleter"): _accessor(property.deleter),
}
