"""Provides Problem, one `path:line: message` finding in a course, and CourseError carrying them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a course file, at the line an author should open."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CourseError(Exception):
    """A course that cannot be used; `problems` says every reason found, each with its line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def problem(path: Path | str, line: int, message: str) -> Problem:
    """A Problem with the message kept to one line."""
    return Problem(str(path), max(line, 1), " ".join(str(message).split()))
