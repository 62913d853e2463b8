"""Provides python_source: typed tokens as Python text, values as placeholders, products explicit."""

from __future__ import annotations

import sympy

from tutor.symbolic.expression_error import ExpressionError
from tutor.symbolic.tokens import REDUCTIONS, Token

_VALUE_END = ("number", "name", ")", "sup")
_PLACEHOLDERS = frozenset(("number", "name", "function"))
_VALUE_START = ("number", "name", "function", "(")


def python_source(
    tokens: list[Token],
) -> tuple[str, list[tuple[str, int]], dict[str, tuple[object, int]]]:
    """Python text for the tokens, its pieces with their source columns, and what each
    placeholder name stands for (value, column).

    An implicit product is `*`, or `@` right after a sum or mean's parentheses (and its own
    powers), until an operator, a closing parenthesis or another sum ends that run of factors.
    On the way, refuse operators with nothing on one side, empty parentheses and stray
    superscripts."""
    parts: list[tuple[str, int]] = []
    slots: dict[str, tuple[object, int]] = {}
    previous: Token | None = None
    before: str | None = None
    opened: list[bool] = []  # per open '(': whether it is a sum's or a mean's call
    runs: set[int] = set()  # depths where factors are being taken into a sum
    for token in tokens:
        kind, column = token.kind, token.column
        _check_pair(token, previous)
        if before in _VALUE_END and kind in _VALUE_START:
            taking = bool(runs) and len(opened) in runs
            if taking and kind == "function" and token.value in REDUCTIONS:
                taking = False  # another sum starts a run of its own
                runs.discard(len(opened))
            parts.append(("@" if taking else "*", column))
        if kind in _PLACEHOLDERS:
            if kind == "function" and token.power is not None:
                parts.append(("(", column))  # sin²(x)³ is (sin(x)²)³
            name = f"_{len(slots)}"
            slots[name] = (token.value, column)
            parts.append((name, column))
        elif kind == "op":
            parts.append(("**" if token.value == "^" else str(token.value), column))
            if runs and token.value != "^" and not (before == "op" and previous.value == "^"):
                runs.discard(len(opened))
        elif kind == "sup":
            name = f"_{len(slots)}"
            slots[name] = (sympy.Integer(token.value), column)
            parts.append(("**" + name, column))
        else:
            if kind == "(":
                opened.append(before == "function" and previous.value in REDUCTIONS)
            else:
                if runs:
                    runs.discard(len(opened))
                if opened.pop() and token.power is None:
                    runs.add(len(opened))
            parts.append((kind, column))
            if token.power is not None:
                power, column = token.power
                name = f"_{len(slots)}"
                slots[name] = (sympy.Integer(power), column)
                parts.append(("**" + name + ")", column))
        previous, before = token, kind
    if previous is not None and before == "op":
        raise ExpressionError(previous.column, "value_after", op=previous.text)
    source = "".join([text for text, _ in parts])
    return source, parts, slots


def _check_pair(token: Token, previous: Token | None) -> None:
    """Refuse `token` where it cannot follow `previous`."""
    kind, before = token.kind, previous.kind if previous else None
    if kind == "op" and token.value in "*/^" and before not in _VALUE_END:
        if before == "op":
            raise ExpressionError(token.column, "value_after", op=previous.text)
        raise ExpressionError(token.column, "value_before", op=token.text)
    if kind == "sup" and before not in ("number", "name", ")"):
        raise ExpressionError(token.column, "superscript")
    if kind == ")" and before == "(":
        raise ExpressionError(token.column, "empty_parentheses")
    if kind == ")" and before == "op":
        raise ExpressionError(token.column, "value_after", op=previous.text)
    if kind == "number" and before in ("number", "sup"):
        raise ExpressionError(token.column, "two_numbers")


def columns(parts: list[tuple[str, int]]) -> list[int]:
    """The source column of each character of the Python text (wanted only to name an error)."""
    return [column for text, column in parts for _ in text]
