"""The Python subset behaves as Python: same output, same last traceback line, for small programs."""

from __future__ import annotations

import contextlib
import io
import traceback

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.program import run_program

PROGRAMS = [
    "a = [1, 2, 3]\nb = a\nb += [4]\nprint(a, a[1:], a[::-1], a[-1])",
    "x, (y, z) = 1, (2, 3)\nprint(x, y, z)",
    "a, b = 1, 2, 3",
    "a, b = [1]",
    "a, b = 5",
    "print(1 if [] else 2, [] or 'x', 0 and 1, not 0)",
    "print(3 in [1, 2, 3], 'a' not in 'bcd', None is None, 1 < 2 < 3 > 4)",
    "print(10 / 0)",
    "print(int('x'))",
    "x = [1]\nx[0] += 5\nprint(x)",
    "for i in range(3):\n    for j in range(3):\n        if j == 1:\n            break\n        print(i, j)",
    "for i in range(4):\n    if i % 2:\n        continue\n    print(i)",
    "print(round(2.5), round(3.14159, 3), min(3, 1, 2), max([1, 5]), sum([1.5, 2]))",
    "print('a', end='')\nprint('b', sep=None)\nprint(1, 2, sep=3)",
    "print(f'{3.14159:.2f} {\"q\"!r} {10:>5}|{1e-3:e}')",
    "print(print, len)",
    "print(-2 ** 2, 2 ** -1, 7 // -2, -7 % 3, 1 << 3, 5 & 3, 5 | 3, 5 ^ 3, ~5)",
    "x = 5\ndel x\nprint(x)",
    "del y",
    "print(len(5))",
    "x = 3\nx()",
    "print(list(enumerate('ab')), tuple(zip([1], [2])), sorted([2, 1]), list(reversed('ab')))",
    "print('a b'.split(), 'Ab'.lower(), ' x '.strip(), 'ab'.startswith('a'))",
    "a = [3, 1]\na.append(2)\nprint(a.pop(), a.index(1), a.count(3), a)",
    "print([1, 2][5])",
    "print(max([]))",
    "print((1).real, 2.0.is_integer())",
]


def run_with_python(source: str) -> tuple[str, str | None]:
    out, error = io.StringIO(), None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "p.py", "exec"), {})  # the reference side of the comparison
        except Exception as exc:
            error = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    return out.getvalue(), error


@pytest.mark.parametrize("source", PROGRAMS)
def test_subset_program_behaves_as_python(source):
    outcome = run_program(source, "p.py")
    stdout, error = run_with_python(source)
    assert outcome.refusal is None
    assert (outcome.stdout, outcome.error) == (stdout, error)
    assert outcome.status == (1 if error else 0)


_numbers = st.integers(-20, 20).map(str) | st.floats(-5, 5, allow_nan=False).map(repr)


@st.composite
def expressions(draw, depth=0):
    if depth > 3 or draw(st.booleans()):
        return draw(_numbers)
    op = draw(st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "<", "==", "and", "or"]))
    return f"({draw(expressions(depth + 1))} {op} {draw(expressions(depth + 1))})"


@settings(max_examples=60, deadline=None)
@given(expressions())
def test_arithmetic_agrees_with_python(expression):
    source = f"print({expression})\n"
    outcome = run_program(source, "p.py")
    if outcome.refusal is not None:  # only an integer result over the digit limit may refuse
        assert "digits" in outcome.refusal
        return
    stdout, error = run_with_python(source)
    assert (outcome.stdout, outcome.error) == (stdout, error)
