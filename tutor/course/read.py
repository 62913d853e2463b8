"""Provides read_toml: one course file read safely, as data plus the line of every key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from tutor.course.problems import CourseError, problem
from tutor.course.toml_lines import TomlLines
from tutor.text import clean

MAX_FILE_BYTES = 1_000_000

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_toml(path: Path) -> tuple[dict[str, Any], TomlLines]:
    """The file's table and its key lines; CourseError (one problem) if it cannot be used."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CourseError([problem(path, 1, "file not found")]) from None
    except IsADirectoryError:
        raise CourseError([problem(path, 1, "is a directory, not a file")]) from None
    except OSError as error:
        raise CourseError([problem(path, 1, f"cannot read: {error.strerror or error}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise CourseError([problem(path, 1, f"file is larger than {MAX_FILE_BYTES} bytes")])
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CourseError([problem(path, line, "not UTF-8 text")]) from None
    source = source.removeprefix("\ufeff")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise CourseError([_syntax_problem(path, source, str(error))]) from None
    return _cleaned(data), TomlLines(source)


def _cleaned(value: Any) -> Any:
    """Every string in the parsed file without control or bidi characters (an escape such as
    \\u202e in a TOML string would otherwise reach the screen, or hide code in a program)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(key): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def _syntax_problem(path: Path, source: str, message: str):
    if match := _AT_LINE.search(message):
        return problem(path, int(match.group(1)), f"TOML syntax: {message[: match.start()]}")
    if match := _AT_END.search(message):
        return problem(path, source.count("\n") + 1, f"TOML syntax: {message[: match.start()]}")
    return problem(path, 1, f"TOML syntax: {message}")
