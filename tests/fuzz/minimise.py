"""Provides minimise: a failing program cut down, statement by statement, while it still fails alike.

A candidate is kept when the tutor still gets the same class (`mismatch` or `crash`) and torch
still behaves alike: it runs clean if it ran clean, or raises the same exception type. Steps, to
a fixed point: drop chunks of lines (halving sizes down to one line), unwrap a block (its header
dropped, its body dedented), keep one argument of a many-argument `print`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from .compare import Verdict, compare

MAX_RUNS = 400


@dataclass(frozen=True)
class Minimised:
    source: str
    verdict: Verdict
    runs: int


def minimise(
    source: str,
    verdict: Verdict,
    max_runs: int = MAX_RUNS,
    judge: Callable[[str], Verdict] = compare,
) -> Minimised:
    lines = source.splitlines()
    state = _Search(verdict, judge)
    changed = True
    while changed and state.runs < max_runs:
        changed = False
        for candidates in (_chunks, _unwrapped, _single_prints):
            for candidate in candidates(lines):
                if state.runs >= max_runs:
                    break
                found = state.still_fails(candidate)
                if found:
                    lines, changed = candidate, True
                    break
    return Minimised("\n".join(lines) + "\n", state.best or verdict, state.runs)


class _Search:
    def __init__(self, verdict: Verdict, judge: Callable[[str], Verdict]) -> None:
        self.kind = verdict.kind
        self.error_type = _error_type(verdict.torch.error)
        self.judge = judge
        self.best: Verdict | None = None
        self.runs = 0

    def still_fails(self, lines: list[str]) -> bool:
        text = "\n".join(lines) + "\n"
        try:
            ast.parse(text)
        except SyntaxError:
            return False
        self.runs += 1
        verdict = self.judge(text)
        if verdict.kind != self.kind or _error_type(verdict.torch.error) != self.error_type:
            return False
        self.best = verdict
        return True


def _error_type(error: str | None) -> str | None:
    return None if error is None else error.split(":", 1)[0]


def _chunks(lines: list[str]):  # noqa: ANN202 - yields candidate line lists
    """Without a run of `size` lines, for sizes halving from half the program down to one."""
    size = max(len(lines) // 2, 1)
    while True:
        for start in range(1, len(lines), size):
            yield lines[:start] + lines[start + size :]
        if size == 1:
            return
        size //= 2


def _unwrapped(lines: list[str]):  # noqa: ANN202
    """A block's body in place of the block (a `for`, `with` or `if` header dropped)."""
    for i, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        indent = _indent(line)
        end = i + 1
        while end < len(lines) and _indent(lines[end]) > indent:
            end += 1
        body = [body_line[4:] for body_line in lines[i + 1 : end]]
        yield lines[:i] + body + lines[end:]


def _single_prints(lines: list[str]):  # noqa: ANN202
    """`print(a, b, c)` as `print(b)`, one argument at a time."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("print("):
            continue
        try:
            call = ast.parse(stripped).body[0].value  # type: ignore[attr-defined]
        except (SyntaxError, AttributeError):
            continue
        if not isinstance(call, ast.Call) or len(call.args) < 2:
            continue
        for arg in call.args:
            segment = ast.get_source_segment(stripped, arg)
            yield lines[:i] + [f"{' ' * _indent(line)}print({segment})"] + lines[i + 1 :]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) if line.strip() else 1 << 30
