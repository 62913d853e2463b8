"""Provides Problem, one `path:line: message` finding in a course, and CourseError carrying them.

Problem is imported on first use (it lives in tutor.course.problem_record): a course that
loads has no problem, and the class (a dataclass with an order) takes a millisecond to build,
before the tutor's first frame."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.problem_record import Problem


class CourseError(Exception):
    """A course that cannot be used; `problems` says every reason found, each with its line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def problem(path: Path | str, line: int, message: str) -> Problem:
    """A Problem with the message kept to one line."""
    from tutor.course.problem_record import Problem

    return Problem(str(path), max(line, 1), " ".join(str(message).split()))


def __getattr__(name: str) -> object:
    if name != "Problem":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from tutor.course.problem_record import Problem

    return Problem
