"""Provides program_traceback: the frames Python would print above a program's uncaught error.

The interpreter runs a program's code in its own Python frames; the program's frames (the
module, each call of a program function, a class body, a comprehension in Python 3.11) and the
line and expression each was at are read back from those frames, in the traceback's order.
The text is the running Python's own `traceback` formatting, carets included.
"""

from __future__ import annotations

import ast
import sys
import traceback
from dataclasses import dataclass
from types import FrameType, TracebackType

from tutor.program.assignments import Assignments
from tutor.program.comprehensions import Comprehensions
from tutor.program.control import Control
from tutor.program.expressions import Evaluator
from tutor.program.interpreter import Interpreter

# Python 3.12 inlines list, set and dict comprehensions (PEP 709): only a generator has a frame
_COMPREHENSION_FRAMES = (
    (ast.GeneratorExp,)
    if sys.version_info >= (3, 12)
    else (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)
)
_COMPREHENSION_NAMES = {
    ast.ListComp: "<listcomp>",
    ast.SetComp: "<setcomp>",
    ast.DictComp: "<dictcomp>",
    ast.GeneratorExp: "<genexpr>",
}

# the interpreter's methods that hold the statement (or loop) being run in a local variable
_STATEMENTS = {
    Interpreter._steps.__code__: "statement",
    Interpreter.execute.__code__: "statement",
    Interpreter._backward.__code__: "statement",
    Interpreter.for_iterations.__code__: "node",
    Control.while_iterations.__code__: "node",
    Control._returned.__code__: "statement",
}
# ... and those that hold the expression being evaluated or assigned to
_EXPRESSIONS = {
    Evaluator.eval.__code__: "node",
    Assignments.assign.__code__: "target",
    Assignments._delete.__code__: "target",
}
_CALL = Control.call_function.__code__
_CLASS = Control._class_def.__code__
_RAISE = Control._raise.__code__
_COMPREHENSION = Comprehensions._produce.__code__


@dataclass
class _Entry:
    """One line of the traceback: a program frame, the statement and expression it was at."""

    name: str
    line: int
    node: ast.expr | None = None


def program_traceback(exc: BaseException, filename: str, source: str | bytes) -> str:
    """What Python prints above the exception's last line: the exceptions it was raised from
    or while handling, each with its frames, then `Traceback (most recent call last):` and the
    program's frames; "" when no frame of the program is known."""
    text = source.decode("utf-8-sig", "replace") if isinstance(source, bytes) else source
    # Python shows source lines of files it can read, none for <stdin> or <string>
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [] if filename.startswith("<") else [row + "\n" for row in rows]
    return _chained(exc, filename, lines, {id(exc)}) + _frames(exc, filename, lines)


def _chained(exc: BaseException, filename: str, lines: list[str], seen: set[int]) -> str:
    """The exception `exc` was raised from (`raise … from`) or while handling, as Python
    prints them before it; an error the engine handled inside itself is not the program's."""
    cause, context = exc.__cause__, exc.__context__
    if cause is not None:
        earlier, joint = cause, _CAUSE
    elif context is not None and not exc.__suppress_context__:
        earlier, joint = context, _CONTEXT
    else:
        return ""
    frames = _frames(earlier, filename, lines)
    if id(earlier) in seen or (earlier.__traceback__ is not None and not frames):
        return ""
    seen.add(id(earlier))
    shown = "".join(traceback.format_exception_only(type(earlier), earlier))
    return _chained(earlier, filename, lines, seen) + frames + shown + joint


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _frames(exc: BaseException, filename: str, lines: list[str]) -> str:
    entries = _entries(exc.__traceback__)
    if not entries:
        return ""
    summaries = traceback.StackSummary.from_list(
        [_summary(entry, filename, lines) for entry in entries]
    )
    return "Traceback (most recent call last):\n" + "".join(summaries.format())


def _entries(tb: TracebackType | None) -> list[_Entry]:
    """The program's frames in a traceback, outermost first, each at its line and expression."""
    entries: list[_Entry] = []
    current: _Entry | None = None
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        opened = _opened(frame)
        if opened is not None:
            current = opened
            entries.append(current)
        elif code in _EXPRESSIONS or code in _STATEMENTS:
            node = frame.f_locals.get(_EXPRESSIONS.get(code) or _STATEMENTS[code])
            if current is None and isinstance(node, ast.stmt):
                # a traceback that starts where an error was caught: inside the program
                # frame that caught it
                current = _Entry(_enclosing(frame.f_back), node.lineno)
                entries.append(current)
            if current is not None and isinstance(node, ast.stmt):
                current.node, current.line = None, node.lineno
            elif current is not None and isinstance(node, ast.expr) and hasattr(node, "lineno"):
                current.node, current.line = node, node.lineno
        elif code is _RAISE and current is not None and tb.tb_next is not None:
            # `raise error` of an error raised before: Python lists this frame, then the
            # frames the error was first raised in (a bare `raise` adds no line of its own)
            raised = frame.f_locals.get("node")
            if isinstance(raised, ast.Raise) and raised.exc is not None:
                current = None
        tb = tb.tb_next
    return entries


def _opened(frame: FrameType) -> _Entry | None:
    """The program frame this frame of the interpreter opens, if it opens one."""
    code = frame.f_code
    if code is _CALL:
        function = frame.f_locals.get("function")
        node = getattr(function, "node", None)
        if isinstance(node, ast.FunctionDef | ast.Lambda):
            return _Entry(function.__name__, node.lineno)
    elif code is _CLASS:
        node = frame.f_locals.get("node")
        if "frame" in frame.f_locals and isinstance(node, ast.ClassDef):
            return _Entry(node.name, node.lineno)
    elif code is _COMPREHENSION:
        node = frame.f_locals.get("node")
        if isinstance(node, _COMPREHENSION_FRAMES):
            return _Entry(_COMPREHENSION_NAMES[type(node)], node.lineno)
    return None


def _enclosing(frame: FrameType | None) -> str:
    """The name of the program frame a frame of the interpreter runs in."""
    while frame is not None:
        opened = _opened(frame)
        if opened is not None:
            return opened.name
        frame = frame.f_back
    return "<module>"


def _summary(entry: _Entry, filename: str, lines: list[str]) -> traceback.FrameSummary:
    text = lines[entry.line - 1] if 0 < entry.line <= len(lines) else ""
    node = entry.node
    if node is None or not text:
        return traceback.FrameSummary(
            filename, entry.line, entry.name, lookup_line=False, line=text
        )
    return traceback.FrameSummary(
        filename,
        entry.line,
        entry.name,
        lookup_line=False,
        line=text,
        end_lineno=node.end_lineno,
        colno=node.col_offset,
        end_colno=node.end_col_offset,
    )
