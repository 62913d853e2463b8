"""Provides tokenize: typed math text into tokens, each knowing its column, with names resolved.

Names.  The tutor's variables are PyTorch names that are one letter with an optional subscript
(`x`, `x1`, `w`, `b`), so letters written side by side mean a product, as on paper and in
WeBWorK.  A run of letters, digits and underscores starting with a letter is read as follows:

- a known function (`exp log ln sqrt abs sin cos tan tanh sigmoid σ relu sum Σ mean`),
  constant (`pi π e`), or a name in `variables` is that;
- `nan`, `inf` and `infinity` (any case) are refused: they are not numbers to compute with;
- one letter with an optional subscript — digits (`x1`, `w12`) or `_` and the rest of the run
  (`x_1`, `w_hat`) — is one variable, named exactly as written (`x1` and `x_1` differ);
- any other run is a product, read left to right: known names first, longest first, else
  one letter with its subscript.  So `xy` is x·y, `2xy1` is 2·x·y1, `xe` is x·e and
  `2xsin(x)` is 2·x·sin(x).  Declare a multi-letter variable (`loss`) through `variables`.
- a function needs parentheses (`sinx` and `sin x` are refused); a run followed by `(` that
  does not end in a known function is refused as an unknown function (`foo(x)`, `xy(x)`),
  while a single variable before `(` multiplies (`x(x+1)`).

Python keywords (`lambda`, `import`, …) are refused.  A number followed directly by `e` and
digits is scientific notation (`1.5e-3`); otherwise `e` is Euler's number (`2e`, `2e^x`).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

import sympy

from tutor.symbolic.expression_error import ExpressionError
from tutor.symbolic.functions import symbol
from tutor.symbolic.wording import josa

MAX_NESTING = 50
MAX_EXPONENT = 1000

FUNCTIONS: dict[str, str] = {
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "sqrt": "sqrt",
    "abs": "abs",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "σ": "sigmoid",
    "relu": "relu",
    "sum": "sum",
    "Σ": "sum",
    "∑": "sum",
    "mean": "mean",
    "√": "sqrt",
}
REDUCTIONS = frozenset(("sum", "mean"))
KNOWN_FUNCTIONS = "exp, log, ln, sqrt, abs, sin, cos, tan, tanh, sigmoid, relu, sum, mean"
NON_FINITE = frozenset(("nan", "inf", "infinity"))
CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "π": sympy.pi, "e": sympy.E}

_SPACES = frozenset(" \t\r\n\u00a0\u2009\u202f\u3000")
_OPERATORS = {
    "+": "+",
    "-": "-",
    "\u2212": "-",
    "\u2013": "-",
    "*": "*",
    "\u00b7": "*",
    "\u00d7": "*",
    "\u22c5": "*",
    "\u2219": "*",
    "/": "/",
    "\u00f7": "/",
    "^": "^",
}
_SUPERSCRIPTS = {
    **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")},
    "⁻": "-",
    "⁺": "+",
}
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SCIENTIFIC_EXPONENT = re.compile(r"[eE]([+-]?\d+)$", re.ASCII)
_CALL_POWER = re.compile(r"(?:\^|\*\*)[ \t]*([-\u2212]?)[ \t]*([0-9]+)")
# a run of letters (as _is_letter reads them), digits and underscores
_RUN = re.compile(r"[A-Za-z0-9_\u0391-\u03a1\u03a3-\u03c9]*")
_SINGLE_VARIABLE = re.compile(r"^[^\W\d_](?:[0-9]*|_\w*)$")
_REFUSED = {
    "'": "string",
    '"': "string",
    ".": "dot",
    "[": "brackets",
    "]": "brackets",
    "{": "brackets",
    "}": "brackets",
    "=": "equals",
    "|": "pipe",
    "_": "underscore",
}


class Token(NamedTuple):
    """One piece of the expression. `kind` is number, name, function, op, sup, ( or )."""

    kind: str
    column: int
    text: str
    value: object = None
    power: tuple[int, int] | None = None  # (exponent, column) for sin²(x): applies at ')'


def _is_letter(char: str) -> bool:
    return ("a" <= char <= "z") or ("A" <= char <= "Z") or ("Α" <= char <= "ω" and char != "΢")


def _is_digit(char: str) -> bool:
    return len(char) == 1 and "0" <= char <= "9"


def _normalize(text: str) -> str:
    """Full-width forms (as Korean input methods type them) to ASCII, one character each."""
    if text.isascii():
        return text
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)


class _Lexer:
    def __init__(self, text: str, variables: Iterable[str]) -> None:
        self.text = _normalize(text)
        self.variables = {name for name in variables if name}
        self.tokens: list[Token] = []
        # per open '(': its column and the function it belongs to, if any
        self.stack: list[tuple[int, Token | None]] = []

    def run(self) -> list[Token]:
        text, i, length = self.text, 0, len(self.text)
        while i < length:
            char = text[i]
            if char in _SPACES:
                i += 1
            elif (
                char == "." and i > 0 and (_is_letter(text[i - 1]) or text[i - 1] in "0123456789_)")
            ):
                raise ExpressionError(i + 1, "dot")
            elif "0" <= char <= "9" or (char == "." and _is_digit(text[i + 1 : i + 2])):
                i = self._number(i)
            elif _is_letter(char):
                i = self._run(i)
            elif char in _SUPERSCRIPTS:
                i = self._superscript(i)
            elif char == "*" and text[i + 1 : i + 2] == "*":
                self.tokens.append(Token("op", i + 1, "**", "^"))
                i += 2
            elif char in _OPERATORS:
                self.tokens.append(Token("op", i + 1, char, _OPERATORS[char]))
                i += 1
            elif char in "√∑":
                i = self._function(i, i + 1, FUNCTIONS[char], char)
            elif char == "(":
                self._open(i)
                i += 1
            elif char == ")":
                self._close(i)
                i += 1
            elif char == ",":
                in_call = bool(self.stack) and self.stack[-1][1] is not None
                raise ExpressionError(i + 1, "comma_call" if in_call else "comma")
            else:
                raise ExpressionError(i + 1, _REFUSED.get(char, "character"), char=char)
        if self.stack:
            raise ExpressionError(self.stack[-1][0], "unclosed")
        return self.tokens

    def _open(self, i: int) -> None:
        previous = self.tokens[-1] if self.tokens else None
        owner = previous if previous is not None and previous.kind == "function" else None
        self.stack.append((i + 1, owner))
        if len(self.stack) > MAX_NESTING:
            raise ExpressionError(i + 1, "nesting", limit=MAX_NESTING)
        self.tokens.append(Token("(", i + 1, "("))

    def _close(self, i: int) -> None:
        if not self.stack:
            raise ExpressionError(i + 1, "unmatched_close")
        owner = self.stack.pop()[1]
        power = owner.power if owner is not None else None
        self.tokens.append(Token(")", i + 1, ")", power=power))

    def _number(self, i: int) -> int:
        match = _NUMBER.match(self.text, i)
        assert match is not None
        literal = match.group()
        if literal.isdigit():
            number = _integer(literal)
        else:
            scientific = _SCIENTIFIC_EXPONENT.search(literal)
            if scientific and abs(int(scientific.group(1))) > MAX_EXPONENT:
                raise ExpressionError(
                    i + 1, "exponent", value=int(scientific.group(1)), limit=MAX_EXPONENT
                )
            value = Fraction(literal)
            number = sympy.Rational(value.numerator, value.denominator)
        self.tokens.append(Token("number", i + 1, literal, number))
        return match.end()

    def _superscript(self, i: int) -> int:
        end = i
        while end < len(self.text) and self.text[end] in _SUPERSCRIPTS:
            end += 1
        value = self._superscript_value(i, end)
        self.tokens.append(Token("sup", i + 1, self.text[i:end], value))
        return end

    def _superscript_value(self, start: int, end: int) -> int:
        digits = "".join(_SUPERSCRIPTS[c] for c in self.text[start:end])
        if not re.fullmatch(r"[+-]?[0-9]+", digits):
            raise ExpressionError(start + 1, "bad_superscript")
        return int(digits)

    def _run(self, i: int) -> int:
        text = self.text
        end = _RUN.match(text, i).end()
        run = text[i:end]
        if keyword.iskeyword(run):
            raise ExpressionError(i + 1, "keyword", name=run)
        if run.lower() in NON_FINITE and run not in self.variables:
            raise ExpressionError(i + 1, "non_finite", name=run, particle=josa(run, "은는"))
        called = text[end : end + 1] == "("
        pieces = self._split(run)
        if called and len(pieces) > 1 and pieces[-1][1] not in FUNCTIONS:
            raise ExpressionError(i + 1, "unknown_function", name=run, known=KNOWN_FUNCTIONS)
        for offset, piece in pieces[:-1]:
            if piece in FUNCTIONS:
                raise ExpressionError(i + offset + 1, "needs_parentheses", name=piece)
        last_offset, last = pieces[-1]
        if last in FUNCTIONS:
            for offset, piece in pieces[:-1]:
                self._name(i + offset, piece)
            return self._function(i + last_offset, end, FUNCTIONS[last], last)
        for offset, piece in pieces:
            self._name(i + offset, piece)
        return end

    def _split(self, run: str) -> list[tuple[int, str]]:
        """The run as (offset, name) pieces, by the rule in the module docstring."""
        if run in FUNCTIONS or run in CONSTANTS or run in self.variables:
            return [(0, run)]
        if _SINGLE_VARIABLE.match(run):
            return [(0, run)]
        known = sorted({*FUNCTIONS, *CONSTANTS, *self.variables}, key=len, reverse=True)
        pieces, at = [], 0
        while at < len(run):
            name = next((k for k in known if len(k) > 1 and self._starts(run, at, k)), None)
            if name is None:
                stop = at + 1
                if run[stop : stop + 1] == "_":
                    stop = len(run)
                while stop < len(run) and _is_digit(run[stop]):
                    stop += 1
                name = run[at:stop]
            pieces.append((at, name))
            at += len(name)
        return pieces

    @staticmethod
    def _starts(run: str, at: int, name: str) -> bool:
        after = run[at + len(name) : at + len(name) + 1]
        return run.startswith(name, at) and not (_is_digit(after) or after == "_")

    def _name(self, i: int, name: str) -> None:
        value = (
            CONSTANTS[name] if name in CONSTANTS and name not in self.variables else _variable(name)
        )
        self.tokens.append(Token("name", i + 1, name, value))

    def _function(self, i: int, end: int, name: str, written: str) -> int:
        called, power, after = self._peek_call(end)
        if not called:
            if power is not None and power[0] < 0:
                raise ExpressionError(i + 1, "inverse", name=written)
            raise ExpressionError(i + 1, "needs_parentheses", name=written)
        if power is not None and power[0] < 0:
            raise ExpressionError(i + 1, "inverse", name=written)
        if power is not None and abs(power[0]) > MAX_EXPONENT:
            raise ExpressionError(power[1], "exponent", value=power[0], limit=MAX_EXPONENT)
        self.tokens.append(Token("function", i + 1, written, name, power=power))
        return after

    def _peek_call(self, at: int) -> tuple[bool, tuple[int, int] | None, int]:
        """Whether `(` follows (after an optional power as in sin²(x) or sin^2(x)): the
        answer, that power with its column, and where the '(' is."""
        text = self.text

        def skip(k: int) -> int:
            while k < len(text) and text[k] in _SPACES:
                k += 1
            return k

        k = skip(at)
        if text[k : k + 1] == "(":
            return True, None, k
        start, power = k, None
        if text[k : k + 1] in _SUPERSCRIPTS:
            while k < len(text) and text[k] in _SUPERSCRIPTS:
                k += 1
            power = (self._superscript_value(start, k), start + 1)
        else:
            match = _CALL_POWER.match(text, k)
            if match is None:
                return False, None, at
            sign = -1 if match.group(1) else 1
            power, k = (sign * int(match.group(2)), match.start(2) + 1), match.end()
        k = skip(k)
        return text[k : k + 1] == "(", power, k


@lru_cache(maxsize=256)
def _variable(name: str) -> sympy.Symbol:
    return symbol(name)


@lru_cache(maxsize=256)
def _integer(literal: str) -> sympy.Integer:
    return sympy.Integer(int(literal))


def tokenize(text: str, variables: Iterable[str] = ()) -> list[Token]:
    """The tokens of `text` (already known to be non-empty and within the length limit)."""
    return _Lexer(text, variables).run()


def log10_magnitude(number: int | sympy.Integer) -> float:
    """log10 of a positive integer of any size."""
    return math.log10(int(number))
