"""Provides template parameters: their declared values read and checked, and programs rendered.

A program template names a parameter as `{name}`; rendering replaces exactly those tokens by a
value drawn from the declared set (an int, a float, a shape like `[2, 3]`, an identifier such
as `relu`, or an operator), so no text from outside that set ever reaches the program.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction

from tutor.quiz.model import Param

MAX_VALUES = 10_000
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
OPERATORS = ("+", "-", "*", "/", "**", "@")
_KINDS = ("int", "halves", "choice")


class ParamError(ValueError):
    """A parameter declaration that cannot be used; the message is one line."""


def declared_values(name: str, spec: object) -> tuple[object, ...]:
    """The values `name = spec` may take, in order; ParamError says what is wrong."""
    if not _NAME.match(name):
        raise ParamError(f"parameter name `{name}` must be a Python identifier")
    if not isinstance(spec, dict):
        raise ParamError(
            f"parameter `{name}` must be a table like {{ int = [1, 5] }}, {{ halves = [-2, 2] }} "
            "or { choice = [2, 3] }"
        )
    kinds = [k for k in spec if k in _KINDS]
    unknown = [k for k in spec if k not in (*_KINDS, "exclude")]
    if unknown:
        raise ParamError(
            f"parameter `{name}` has an unknown key `{unknown[0]}` "
            "(expected int, halves or choice, and optionally exclude)"
        )
    if len(kinds) != 1:
        raise ParamError(f"parameter `{name}` needs exactly one of int, halves or choice")
    kind = kinds[0]
    values = _choices(name, spec[kind]) if kind == "choice" else _range(name, kind, spec[kind])
    excluded = spec.get("exclude", [])
    if not isinstance(excluded, list):
        raise ParamError(f"parameter `{name}`: `exclude` must be a list of values")
    kept = tuple(v for v in values if not any(_same(v, e) for e in excluded))
    if not kept:
        raise ParamError(f"parameter `{name}` has no values left after `exclude`")
    return kept


def _same(a: object, b: object) -> bool:
    b = tuple(b) if isinstance(b, list) else b
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _range(name: str, kind: str, bounds: object) -> tuple[object, ...]:
    if (
        not isinstance(bounds, list)
        or len(bounds) != 2
        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
    ):
        raise ParamError(f"parameter `{name}`: `{kind}` must be [low, high] (two numbers)")
    low, high = bounds
    if low > high:
        raise ParamError(f"parameter `{name}`: low {low} is above high {high}")
    if kind == "int":
        if not all(isinstance(b, int) for b in bounds):
            raise ParamError(f"parameter `{name}`: `int` bounds must be whole numbers")
        count = high - low + 1
        if count > MAX_VALUES:
            raise ParamError(f"parameter `{name}` has {count} values; at most {MAX_VALUES}")
        return tuple(range(low, high + 1))
    steps = [Fraction(b).limit_denominator(1_000_000) * 2 for b in bounds]
    if not all(s.denominator == 1 for s in steps):
        raise ParamError(f"parameter `{name}`: `halves` bounds must be multiples of 0.5")
    start, stop = int(steps[0]), int(steps[1])
    if stop - start + 1 > MAX_VALUES:
        raise ParamError(f"parameter `{name}` has too many values; at most {MAX_VALUES}")
    return tuple(n / 2 for n in range(start, stop + 1))


def _choices(name: str, options: object) -> tuple[object, ...]:
    if not isinstance(options, list) or not options:
        raise ParamError(f"parameter `{name}`: `choice` must be a non-empty list")
    if len(options) > MAX_VALUES:
        raise ParamError(f"parameter `{name}` has too many choices; at most {MAX_VALUES}")
    for option in options:
        if not _allowed_choice(option):
            raise ParamError(
                f"parameter `{name}`: choice {option!r} is not a number, a shape like [2, 3], "
                f"an identifier or one of the operators {' '.join(OPERATORS)}"
            )
    if len({repr(o) for o in options}) != len(options):
        raise ParamError(f"parameter `{name}` lists a choice twice")
    return tuple(tuple(o) if isinstance(o, list) else o for o in options)


def _allowed_choice(option: object) -> bool:
    if isinstance(option, bool):
        return False
    if isinstance(option, int | float):
        return option == option and abs(option) != float("inf")
    if isinstance(option, str):
        return bool(_IDENTIFIER.match(option)) or option in OPERATORS
    if isinstance(option, list):
        return (
            0 < len(option) <= 4
            and all(isinstance(n, int) and not isinstance(n, bool) for n in option)
            and all(1 <= n <= 64 for n in option)
        )
    return False


def token(value: object) -> str:
    """The program text standing for one declared value."""
    if isinstance(value, tuple):
        return "[" + ", ".join(str(n) for n in value) + "]"
    if isinstance(value, int | float):
        text = repr(value)
        return f"({text})" if value < 0 else text
    return str(value)


def placeholders(template: str) -> list[tuple[str, int]]:
    """Each `{name}` in a template with its 1-based line within the template."""
    return [
        (match.group(1), template.count("\n", 0, match.start()) + 1)
        for match in PLACEHOLDER.finditer(template)
    ]


def render(template: str, values: Mapping[str, object]) -> str:
    """The program with each `{name}` replaced by its value's token (names are checked at load);
    a negative number is bracketed unless it opens a list, call, argument or assignment."""

    def replacement(match: re.Match) -> str:
        text = token(values[match.group(1)])
        before = template[: match.start()].rstrip()[-1:]
        bare = text.startswith("(-") and (before == "" or before in "([,=:")
        return text[1:-1] if bare else text

    return PLACEHOLDER.sub(replacement, template)


def values_key(params: tuple[Param, ...], values: Mapping[str, object]) -> tuple[object, ...]:
    """A hashable key of one draw, for caching variants with the same values."""
    return tuple(values[p.name] for p in params)
