"""Provides Fields: typed reads of one TOML table that record a located Problem for each fault."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tutor.course.model import Choice, Derivative
from tutor.course.problems import CourseError, Problem, problem
from tutor.course.read import read_toml
from tutor.course.toml_lines import KeyPath, TomlLines
from tutor.text import LANGUAGES, Text

_SCALARS = (bool, int, float, str)


def _name(path: KeyPath) -> str:
    """A key path as an author would write it: step[2].question[0].answer (1-based for people)."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts[-1] += f"[{part + 1}]"
        else:
            parts.append(part)
    return ".".join(parts) or "file"


def read_fields(
    path: Path, keys: Iterable[str], format_version: int | None = None
) -> tuple[Fields | None, list[Problem]]:
    """A TOML file's top-level table as Fields allowing only `keys` (and checking `format`
    when given), with the list its problems go to; (None, problems) if it cannot be parsed."""
    try:
        data, lines = read_toml(path)
    except CourseError as error:
        return None, list(error.problems)
    fields = Fields(data, (), lines, path, [])
    fields.only_keys(keys)
    if format_version is not None and data.get("format", format_version) != format_version:
        fields.report("format", f"`format` must be {format_version}")
    return fields, fields.found


class Fields:
    """Reads keys of the table at `where` in a file; every fault becomes a Problem at its line."""

    def __init__(
        self, table: dict[str, Any], where: KeyPath, lines: TomlLines, file: Path, found: list
    ) -> None:
        self.table = table
        self.where = where
        self.lines = lines
        self.file = file
        self.found: list[Problem] = found

    def at(self, key: str | int, table: dict[str, Any]) -> Fields:
        return Fields(table, (*self.where, key), self.lines, self.file, self.found)

    def report(self, key: str | int | None, message: str) -> None:
        path = self.where if key is None else (*self.where, key)
        self.found.append(problem(self.file, self.lines.line(path), message))

    def line(self, key: str | None = None) -> int:
        return self.lines.line(self.where if key is None else (*self.where, key))

    def label(self, key: str) -> str:
        return f"`{_name((*self.where, key))}`"

    def only_keys(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.table:
            if key not in allowed:
                self.report(
                    key,
                    f"unknown key {self.label(key)} (expected one of: "
                    f"{', '.join(sorted(allowed))})",
                )

    def string(self, key: str, required: bool = True) -> str | None:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(None, f"missing {self.label(key)}")
            return None
        if not isinstance(value, str) or not value.strip():
            self.report(key, f"{self.label(key)} must be a non-empty string")
            return None
        return value

    def integer(self, key: str, default: int, minimum: int = 1) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.report(key, f"{self.label(key)} must be a whole number ≥ {minimum}")
            return default
        return value

    def tables(self, key: str) -> list[tuple[Fields, dict[str, Any]]]:
        """The tables of an array of tables ([[key]]), each with its own Fields."""
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.report(
                key, f"{self.label(key)} must be written as [[{_name((*self.where, key))}]] tables"
            )
            return []
        return [(self.at(key, {}).at(index, item), item) for index, item in enumerate(value)]

    def text(self, key: str, required: bool = True) -> Text | None:
        """`key = { en = "…", ko = "…" }`: both languages, non-empty."""
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(None, f"missing {self.label(key)} (a table with `en` and `ko`)")
            return None
        return self._text_of(key, value, self.label(key))

    def _text_of(
        self, key: str, value: object, label: str, extra: Iterable[str] = ()
    ) -> Text | None:
        if not isinstance(value, dict):
            self.report(key, f'{label} must be a table like {{ en = "…", ko = "…" }}')
            return None
        ok = True
        for lang in LANGUAGES:
            item = value.get(lang)
            if item is None:
                self.report(key, f"{label} has no `{lang}` translation")
                ok = False
            elif not isinstance(item, str) or not item.strip():
                self.report(key, f"{label}.{lang} must be a non-empty string")
                ok = False
        for other in value:
            if other not in (*LANGUAGES, *extra):
                self.report(key, f"{label} has an unknown key `{other}`")
                ok = False
        return Text(value["en"], value["ko"]) if ok else None

    def hints(self, key: str) -> tuple[Text, ...]:
        """`hints = { en = [...], ko = [...] }`, the same number in each language, at least one."""
        value = self.table.get(key)
        label = self.label(key)
        if value is None:
            self.report(None, f"missing {label} (at least one, in `en` and `ko`)")
            return ()
        if not isinstance(value, dict):
            self.report(key, f'{label} must be a table like {{ en = ["…"], ko = ["…"] }}')
            return ()
        lists: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            items = value.get(lang)
            if items is None:
                self.report(key, f"{label} has no `{lang}` translation")
            elif (
                not isinstance(items, list)
                or not items
                or not all(isinstance(i, str) and i.strip() for i in items)
            ):
                self.report(key, f"{label}.{lang} must be a list of non-empty strings")
            else:
                lists[lang] = items
        for other in value:
            if other not in LANGUAGES:
                self.report(key, f"{label} has an unknown key `{other}`")
        if len(lists) < len(LANGUAGES):
            return ()
        if len(lists["en"]) != len(lists["ko"]):
            self.report(
                key,
                f"{label} has {len(lists['en'])} hints in `en` but {len(lists['ko'])} in `ko`",
            )
            return ()
        return tuple(Text(en, ko) for en, ko in zip(lists["en"], lists["ko"], strict=True))

    def choices(self, key: str) -> tuple[Choice, ...]:
        """`choices = [ { en = "…", ko = "…", value = … }, … ]`, at least two."""
        value = self.table.get(key)
        label = self.label(key)
        if not isinstance(value, list) or len(value) < 2:
            where = None if value is None else key
            self.report(where, f"{label} must list at least two options with `en`, `ko`, `value`")
            return ()
        result = []
        for index, item in enumerate(value, start=1):
            item_label = f"{label[:-1]}[{index}]`"
            text = self._text_of(key, item, item_label, extra=("value",))
            if isinstance(item, dict) and not isinstance(item.get("value"), _SCALARS):
                self.report(key, f"{item_label} needs a `value` (true/false, number or string)")
                text = None
            if text is not None:
                result.append(Choice(text, item["value"]))
        return tuple(result) if len(result) == len(value) else ()

    def string_table(self, key: str) -> dict[str, str]:
        """`key = { name = "expression", … }` with string values."""
        value = self.table.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(v, str) and v.strip() for v in value.values()
        ):
            self.report(key, f"{self.label(key)} must be a table of names to expressions (strings)")
            return {}
        return dict(value)


def derivative_field(fields: Fields, table: dict[str, Any]) -> Derivative | None:
    """A question's `derivative = { of = …, wrt = … }` table, checked."""
    value = table.get("derivative")
    if value is None:
        return None
    if not isinstance(value, dict):
        fields.report("derivative", '`derivative` must be a table like { of = "…", wrt = "x" }')
        return None
    inner = fields.at("derivative", value)
    inner.only_keys(("of", "wrt"))
    of, wrt = inner.string("of"), inner.string("wrt")
    return None if of is None or wrt is None else Derivative(of, wrt)


def program_first_line(fields: Fields) -> int:
    """The file line of the program's first line (a newline right after the opening quotes is
    not part of the string)."""
    lines: TomlLines = fields.lines
    line = fields.line("program")
    text = lines.text(line)
    for quotes in ('"""', "'''"):
        start = text.find(quotes)
        if start >= 0:
            return line + 1 if not text[start + 3 :].strip() else line
    return line
