"""Provides parse_program and parse_expression: a program's text read (size, encoding, bracket
nesting), parsed with `ast`, and checked whole (syntax.check_tree, forms.check_placement) before
any of it runs."""

from __future__ import annotations

import ast

from tutor.program.errors import Refusal
from tutor.program.forms import Bindings, check_placement
from tutor.program.limits import MAX_NESTING, MAX_SOURCE_BYTES
from tutor.program.syntax import check_tree

__all__ = ["check_tree", "parse_expression", "parse_program"]


def parse_program(source: str | bytes, filename: str = "<program>") -> ast.Module:
    """Parse and check a whole program; raise Refusal (with its line) if any of it is refused."""
    text = _decode(source)
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as exc:
        raise Refusal(f"SyntaxError: {exc.msg}", exc.lineno or 1) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise Refusal(f"the program cannot be parsed: {_reason(exc)}", 1) from None
    check_tree(tree)
    check_placement(tree, text, filename)
    return tree


def parse_expression(text: str, program: Bindings | None = None) -> ast.Expression:
    """Parse and check one expression (the course evaluates these on a Stepper's live state);
    `program` adds the names and attributes the running program binds."""
    if len(text.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise Refusal(f"the expression is over {MAX_SOURCE_BYTES:,} bytes", 1)
    if _bracket_depth(text) > MAX_NESTING:
        raise Refusal(f"nesting over {MAX_NESTING} deep", 1)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise Refusal(f"SyntaxError: {exc.msg}", exc.lineno or 1) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise Refusal(f"the expression cannot be parsed: {_reason(exc)}", 1) from None
    check_tree(tree, program)
    return tree


def _decode(source: str | bytes) -> str:
    if isinstance(source, bytes):
        if len(source) > MAX_SOURCE_BYTES:
            raise Refusal(f"the source is over {MAX_SOURCE_BYTES:,} bytes", 1)
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Refusal(f"the source is not UTF-8 ({exc.reason})", 1) from None
    if len(source.encode("utf-8", "replace")) > MAX_SOURCE_BYTES:
        raise Refusal(f"the source is over {MAX_SOURCE_BYTES:,} bytes", 1)
    if "\x00" in source:
        raise Refusal("the source contains a NUL byte", 1)
    if _bracket_depth(source) > MAX_NESTING:
        raise Refusal(f"nesting over {MAX_NESTING} deep", _deepest_line(source))
    return source


def _reason(exc: BaseException) -> str:
    return "nesting too deep" if isinstance(exc, RecursionError | MemoryError) else str(exc)


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _deepest_line(text: str) -> int:
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_NESTING:
                return number
    return 1
