"""Provides wrap_rows: text wrapped beside a prefix column (line numbers, a tree's branches),
so a long line continues under its own text instead of under the prefix."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

Row = tuple[Text, Text] | tuple[Text, Text, Text]


def wrap_rows(console: Console, rows: Sequence[Row], width: int) -> list[Text]:
    """Each row is (prefix, body[, continuation]): the body wrapped to the width left after
    the prefix; its first line after `prefix`, the others after `continuation` (spaces as
    wide as the prefix unless given)."""
    lines: list[Text] = []
    for row in rows:
        prefix, body = row[0], row[1]
        continuation = row[2] if len(row) > 2 else Text(" " * prefix.cell_len)
        room = max(8, width - prefix.cell_len)
        pieces = body.wrap(console, room, overflow="fold") if body.plain else [Text()]
        for number, piece in enumerate(pieces):
            piece.rstrip()
            line = (prefix if number == 0 else continuation).copy()
            line.append_text(piece)
            lines.append(line)
    return lines
