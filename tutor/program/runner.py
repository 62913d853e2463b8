"""Provides run_program: a whole program run to an Outcome (stdout, error line or refusal, status)."""

from __future__ import annotations

import traceback
import warnings
from dataclasses import dataclass
from typing import Any

from tutor.program.errors import Refusal
from tutor.program.interpreter import Interpreter
from tutor.program.tracebacks import program_traceback


@dataclass(frozen=True)
class Outcome:
    """What `tutor exec` reports: status 0 ran, 1 the program raised, 2 refused; `line` is
    where the program raised or was refused (inside a called function, the function's line).

    `error` is the last line of the traceback Python would print; `traceback` the lines above
    it (`Traceback (most recent call last):` and the program's frames), "" when none."""

    stdout: str
    status: int
    error: str | None = None
    refusal: str | None = None
    warnings: tuple[str, ...] = ()
    line: int | None = None
    traceback: str = ""


def error_line(exc: BaseException) -> str:
    """The last lines of the traceback Python would print for this exception."""
    return "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")


def run_program(
    source: str | bytes, filename: str = "<program>", torch_module: Any = None
) -> Outcome:
    """Check and run a program; a refusal discards whatever it printed."""
    interpreter: Interpreter | None = None
    # each warning with the program line that was running when it was raised
    caught: list[tuple[int, str]] = []

    def note(message, category, path, lineno, file=None, line=None) -> None:  # noqa: ANN001
        where = interpreter.line if interpreter is not None else 1
        caught.append((where, f"{category.__name__}: {message}"))

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = note
        try:
            interpreter = Interpreter(source, filename, torch_module)
            interpreter.run()
        except Refusal as refusal:
            return Outcome("", 2, refusal=refusal.render(filename), line=refusal.line)
        except MemoryError:
            line = interpreter.line if interpreter else 1
            return Outcome(
                "", 2, refusal=Refusal("the program ran out of memory", line).render(filename)
            )
        except RecursionError as exc:
            return Outcome(
                interpreter.output.text() if interpreter else "",
                1,
                error=error_line(exc),
                line=interpreter.line if interpreter else None,
                traceback=program_traceback(exc, filename, source),
            )
        except Exception as exc:
            if interpreter is None:
                return Outcome(
                    "", 2, refusal=f"tutor: {filename}: the engine failed to start: {exc}"
                )
            frames = program_traceback(exc, filename, source)
            return _finished(interpreter, caught, filename, error_line(exc), frames)
        return _finished(interpreter, caught, filename, None)


def _finished(
    interpreter: Interpreter,
    caught: list[tuple[int, str]],
    filename: str,
    error: str | None,
    frames: str = "",
) -> Outcome:
    notes = tuple(f"{filename}:{line}: {text}" for line, text in caught)
    return Outcome(
        interpreter.output.text(),
        1 if error else 0,
        error=error,
        warnings=notes,
        line=interpreter.line if error else None,
        traceback=frames,
    )
