"""Provides Refusal: a program construct outside the subset or over a limit, told in one line."""

from __future__ import annotations


class Refusal(Exception):
    """The program was refused: `tutor: FILE:LINE: what and why`, exit status 2.

    `line` is None when the refusal was raised below the statement level (a guard); the
    interpreter fills in the line of the statement it was running.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def at(self, line: int) -> Refusal:
        if self.line is None:
            self.line = line
        return self

    def render(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line is not None else filename
        return f"tutor: {where}: {self.message}"
