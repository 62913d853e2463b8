"""Provides compare: one program run under real PyTorch and under the tutor, and the class of the pair.

Classes, decided in this order:
- `refused`: the tutor refused a construct (status 2) — nothing of the program ran;
- `exact`: stdout and the error line (the traceback's last line, or none) are identical once
  object addresses (`0x…`) are masked;
- `noise`: not exact, but the two texts split into the same tokens except floats, where every
  differing pair is two floats printed alike (same number of decimals, both or neither in
  scientific notation) that differ by at most one unit in the last printed digit (of the coarser
  of the two) — except whole-number prints (`2.`, no decimals), which may differ only in the
  sign of a zero; whitespace counts only by its newlines (column padding follows a number's
  width);
- `crash`: the tutor raised an exception torch did not, and it came from the tutor's own code
  failing — raised implicitly (not by a `raise` statement in tutor/), from numpy or the standard
  library, or an AttributeError saying the engine lacks a name;
- `mismatch`: anything else.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import re
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import tutor
from tutor.program import run_program

FILENAME = "fuzz.py"
TORCH_DEFAULT_SEED = 67280421310721
CLASSES = ("exact", "noise", "mismatch", "refused", "crash")
_TUTOR_DIR = Path(tutor.__file__).resolve().parent
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TOKEN = re.compile(
    r"(?P<float>-?(?:\d+\.\d*(?:e[+-]?\d+)?|\d+e[+-]?\d+))|(?P<space>\s+)|(?P<other>\w+|.)"
)
_FLOAT_PARTS = re.compile(r"-?\d+\.?(\d*)(?:e([+-]?\d+))?")


@dataclass(frozen=True)
class Run:
    """One side's result: what it printed, its error line, and (tutor only) refusal or crash."""

    stdout: str
    error: str | None
    refusal: str | None = None
    crash: str | None = None

    def text(self) -> str:
        tail = self.refusal or self.error
        return mask(self.stdout) + (f"{mask(tail)}\n" if tail else "")


@dataclass(frozen=True)
class Verdict:
    kind: str
    torch: Run
    tutor: Run


def mask(text: str) -> str:
    return _ADDRESS.sub("0x…", text)


def _torch():  # noqa: ANN202 - the torch module, imported only on the reference side
    import torch

    torch.set_num_threads(1)
    return torch


def run_torch(source: str) -> Run:
    """Execute the program as Python would, in a fresh namespace, grad mode and seed reset."""
    torch = _torch()
    torch.set_grad_enabled(True)
    torch.manual_seed(TORCH_DEFAULT_SEED)
    out = io.StringIO()
    error = None
    with warnings.catch_warnings(), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        try:
            code = compile(source, FILENAME, "exec")
            exec(code, {"__name__": "__main__"})  # noqa: S102 - the reference side
        except Exception as exc:
            error = _error_line(exc)
    torch.set_grad_enabled(True)
    return Run(out.getvalue(), error)


def run_tutor(source: str) -> Run:
    """Run the program through `run_program`; on an error, find whether the tutor itself failed."""
    _reset_engine()
    outcome = run_program(source, FILENAME)
    _reset_engine()
    if outcome.refusal is not None:
        return Run(outcome.stdout, None, refusal=outcome.refusal)
    crash = _rerun_for_origin(source, outcome.error) if outcome.error is not None else None
    return Run(outcome.stdout, outcome.error, crash=crash)


def compare(source: str) -> Verdict:
    reference, ours = run_torch(source), run_tutor(source)
    return Verdict(classify(reference, ours), reference, ours)


def classify(reference: Run, ours: Run) -> str:
    if ours.refusal is not None:
        return "refused"
    expected, actual = reference.text(), ours.text()
    if expected == actual:
        return "exact"
    if within_noise(expected, actual):
        return "noise"
    if ours.crash is not None and mask(ours.error or "") != mask(reference.error or ""):
        return "crash"
    return "mismatch"


def within_noise(expected: str, actual: str) -> bool:
    """True when the texts differ only in floats' last printed digits (see the module's rules)."""
    a, b = _tokens(expected), _tokens(actual)
    if len(a) != len(b):
        return False
    for (kind_a, x), (kind_b, y) in zip(a, b, strict=True):
        if x == y:
            continue
        if kind_a != kind_b or kind_a != "float" or not _one_unit_apart(x, y):
            return False
    return True


def _tokens(text: str) -> list[tuple[str, str]]:
    """Floats and other tokens; of whitespace, only its newlines count (padding is free)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup or "other", match.group()
        if kind == "space":
            tokens.extend([("other", "\n")] * token.count("\n"))
        else:
            tokens.append((kind, token))
    return tokens


def _one_unit_apart(x: str, y: str) -> bool:
    (dx, ex), (dy, ey) = _layout(x), _layout(y)
    if dx != dy or (ex is None) != (ey is None):
        return False
    if dx == 0:
        return float(x) == float(y)
    unit = max(10.0 ** ((ex or 0) - dx), 10.0 ** ((ey or 0) - dy))
    return abs(float(x) - float(y)) <= unit * (1 + 1e-9)


def _layout(number: str) -> tuple[int, int | None]:
    """(digits after the point, exponent or None)."""
    match = _FLOAT_PARTS.fullmatch(number)
    assert match is not None, number
    decimals, exponent = match.groups()
    return len(decimals), None if exponent is None else int(exponent)


def _error_line(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")


def _reset_engine() -> None:
    """Grad mode on and the seed PyTorch starts with; an engine that cannot even be imported is
    left to `run_program`, which reports it as a refusal."""
    try:
        import tutor.autograd as engine
    except Exception:
        return
    for name, argument in (("set_grad_enabled", True), ("manual_seed", TORCH_DEFAULT_SEED)):
        function = getattr(engine, name, None)
        if callable(function):
            function(argument)


def _rerun_for_origin(source: str, error: str) -> str | None:
    """Where the tutor's exception came from, when its own code failed; None if deliberate.

    `run_program` keeps only the error line, so the program is run once more through the
    interpreter itself to see the traceback (if that run ends in another error, None).
    """
    from tutor.program.interpreter import Interpreter

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Interpreter(source, FILENAME).run()
    except Exception as exc:
        return crash_origin(exc) if _error_line(exc) == error else None
    finally:
        _reset_engine()
    return None


def crash_origin(exc: BaseException) -> str | None:
    """Where an exception came from, when the tutor's own code failed; None if raised on purpose."""
    tb = exc.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    path = Path(tb.tb_frame.f_code.co_filename).resolve()
    line = linecache.getline(str(path), tb.tb_lineno).strip()
    where = f"{path.name}:{tb.tb_lineno}"
    if not path.is_relative_to(_TUTOR_DIR):
        return f"{type(exc).__name__} inside {where} ({path.parent.name})"
    if isinstance(exc, AttributeError) and "has no attribute" in str(exc):
        return f"the engine lacks a name ({where})"
    if not line.startswith("raise"):
        return f"{type(exc).__name__} at {where}: {line}"
    return None
