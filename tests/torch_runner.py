"""Provides run_with_torch: a corpus program run by real Python and PyTorch, the reference side;
and same_as_python, the interpreter bound to real torch compared with it.

Test infrastructure only: it compiles and executes the program as Python would (the tutor never
does), in a fresh namespace, with stdout captured and the last traceback lines recorded.
"""

from __future__ import annotations

import contextlib
import io
import re
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


@dataclass(frozen=True)
class Reference:
    stdout: str
    status: int
    error: str | None


def mask(text: str | None) -> str | None:
    """Hide object addresses (`<MulBackward0 object at 0x7f…>`), which differ run to run."""
    return None if text is None else _ADDRESS.sub("0x…", text)


def run_with_torch(source: str, filename: str) -> Reference:
    import torch

    out = io.StringIO()
    namespace: dict[str, object] = {"__name__": "__main__"}
    error = None
    with warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        try:
            exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the reference side
        except Exception as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    torch.set_grad_enabled(True)
    return Reference(out.getvalue(), 1 if error else 0, error)


def corpus() -> list[Path]:
    return sorted(PROGRAMS.glob("*.py"))


def same_as_python(source: str, torch_module) -> None:
    """The interpreter bound to real torch prints what Python prints, and fails the same way."""
    from tutor.program import run_program

    reference = run_with_torch(source, "p.py")
    outcome = run_program(source, "p.py", torch_module=torch_module)
    assert outcome.refusal is None, outcome.refusal
    assert mask(outcome.stdout) == mask(reference.stdout)
    assert mask(outcome.error) == mask(reference.error)
