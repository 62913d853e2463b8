"""Provides TomlLines: the line of every key and table in TOML source (tomllib keeps none)."""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_KEYS = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_ARRAY_HEADER = re.compile(rf"\s*\[\[\s*({_KEYS})\s*\]\]")
_TABLE_HEADER = re.compile(rf"\s*\[\s*({_KEYS})\s*\]")
_ASSIGNMENT = re.compile(rf"\s*({_KEYS})\s*=")
_PART = re.compile(_KEY)
_INTERESTING = re.compile(r"""#|\"\"\"|'''|["'\[\]{}]""")
_CLOSING = {
    '"': re.compile(r'\\.?|"'),
    '"""': re.compile(r'\\.?|"""'),
    "'": re.compile("'"),
    "'''": re.compile("'''"),
}


def _split_keys(text: str) -> list[str]:
    return [part.strip("\"'") for part in _PART.findall(text)]


class TomlLines:
    """Key paths to 1-based lines; `[[step]]` tables are numbered from 0 as tomllib lists them.

    A path is like ("step", 2, "question", 0, "answer"); `line(path)` answers the nearest line
    known for it or its closest enclosing key or table, so a missing key points at its table.
    """

    def __init__(self, source: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        self._source_lines = source.splitlines()
        self._scan()

    def line(self, path: KeyPath) -> int:
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1

    def text(self, line: int) -> str:
        """The source text of a 1-based line ('' past the end)."""
        return self._source_lines[line - 1] if 0 < line <= len(self._source_lines) else ""

    def _scan(self) -> None:
        arrays: dict[KeyPath, int] = {}
        table: KeyPath = ()
        state = _ValueScanner()
        for number, text in enumerate(self._source_lines, start=1):
            rest = text
            if state.at_top_level():
                header = _ARRAY_HEADER.match(text)
                if header:
                    parent = self._resolve(_split_keys(header.group(1)), arrays)
                    count = arrays.get(parent, 0)
                    arrays[parent] = count + 1
                    table = (*parent, count)
                    self.lines.setdefault(table, number)
                    rest = text[header.end() :]
                elif header := _TABLE_HEADER.match(text):
                    table = self._resolve(_split_keys(header.group(1)), arrays)
                    self.lines.setdefault(table, number)
                    rest = text[header.end() :]
                elif assignment := _ASSIGNMENT.match(text):
                    keys = _split_keys(assignment.group(1))
                    for end in range(1, len(keys) + 1):  # `text.en = …` also places `text`
                        self.lines.setdefault((*table, *keys[:end]), number)
                    rest = text[assignment.end() :]
            state.feed(rest)

    @staticmethod
    def _resolve(keys: list[str], arrays: dict[KeyPath, int]) -> KeyPath:
        """A header's path, each array-of-tables prefix standing for its latest table."""
        path: KeyPath = ()
        for index, key in enumerate(keys):
            path = (*path, key)
            if index < len(keys) - 1 and path in arrays:
                path = (*path, arrays[path] - 1)
        return path


class _ValueScanner:
    """Follows strings, comments and bracket depth across lines, so only real keys are seen."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open string's delimiter: ", ', \"\"\" or '''

    def at_top_level(self) -> bool:
        return self.depth == 0 and self.quote is None

    def feed(self, text: str) -> None:
        i, end = 0, len(text)
        while i < end:
            if self.quote is not None:
                close = _CLOSING[self.quote].search(text, i)
                if close is None:
                    break
                i = close.end()
                if not close.group().startswith("\\"):
                    self.quote = None
                continue
            found = _INTERESTING.search(text, i)
            if found is None:
                break
            token, i = found.group(), found.end()
            if token == "#":
                return
            if token[0] in "\"'":
                self.quote = token
            elif token in "[{":
                self.depth += 1
            else:
                self.depth = max(self.depth - 1, 0)
        if self.quote in ('"', "'"):
            self.quote = None  # single-line strings end with their line
