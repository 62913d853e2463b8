"""Provides wrap_rows: text wrapped beside a prefix column (line numbers, a tree's branches),
so a long line continues under its own text instead of under the prefix."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

Row = tuple[Text, Text] | tuple[Text, Text, Text]
MIN_ROOM = 8


def wrap_rows(console: Console, rows: Sequence[Row], width: int) -> list[Text]:
    """Each row is (prefix, body[, continuation]): the body's first line after `prefix`, in
    the width it leaves, and the rest after `continuation` (spaces as wide as the prefix
    unless given), in the width that one leaves. A line is wider than `width` only where a
    prefix leaves less than MIN_ROOM cells."""
    lines: list[Text] = []
    for row in rows:
        prefix, body = row[0], row[1]
        continuation = row[2] if len(row) > 2 else Text(" " * prefix.cell_len)
        pieces = _wrap(
            console,
            body,
            max(MIN_ROOM, width - prefix.cell_len),
            max(MIN_ROOM, width - continuation.cell_len),
        )
        for number, piece in enumerate(pieces):
            piece.rstrip()
            line = (prefix if number == 0 else continuation).copy()
            line.append_text(piece)
            lines.append(line)
    return lines


def _wrap(console: Console, body: Text, first: int, rest: int) -> list[Text]:
    """The body in lines: the first at most `first` cells wide, the others at most `rest`."""
    if not body.plain:
        return [Text()]
    pieces = list(body.wrap(console, first, overflow="fold"))
    if len(pieces) == 1 or first == rest:
        return pieces
    head = pieces[0]
    tail = body[len(head.plain) :]
    tail = tail[len(tail.plain) - len(tail.plain.lstrip(" ")) :]
    if not tail.plain:
        return [head]
    return [head, *tail.wrap(console, rest, overflow="fold")]
