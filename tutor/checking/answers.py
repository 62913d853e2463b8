"""Provides the parsing of typed numbers and tensors in the forms people write and PyTorch prints."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from tutor.text import Text

MAX_CHARS = 10_000
MAX_NUMBERS = 10_000
MAX_DEPTH = 32

# Possessive quantifiers: a long run of digits must not be re-read quadratically.
_DIGITS = r"(?>\d++(?:\.\d*+)?+|\.\d++)"
_NUMBER = re.compile(
    rf"(?P<sign>[+-]?)(?:(?P<mant>{_DIGITS})(?:[eE](?P<exp>[+-]?\d++))?+"
    rf"(?:\s*+/\s*+(?P<den>[+-]?{_DIGITS}(?:[eE][+-]?\d++)?+))?+"
    r"|(?P<word>inf(?:inity)?|nan|true|false))(?![\w.])",
    re.IGNORECASE,
)
_WRAPPER = re.compile(
    r"\s*(?:torch\.|np\.|numpy\.)?(?:tensor|array|Size|Tensor|FloatTensor)\s*\(", re.IGNORECASE
)
_ASSIGNMENT = re.compile(r"\s*[A-Za-z_][\w.]*\s*=(?!=)")
_KEYWORD_TAIL = re.compile(
    r",\s*[A-Za-z_]\w*\s*=\s*(?:<[^<>]*>|'[^']*'|\"[^\"]*\"|[\w.:]+)\s*$", re.DOTALL
)
_CLOSER = {"[": "]", "(": ")"}


class AnswerError(ValueError):
    """A typed answer that cannot be read; `text` is the one-line problem in both languages."""

    def __init__(self, text: Text, column: int | None = None):
        super().__init__(text.en)
        self.text = text
        self.column = column


@dataclass(frozen=True)
class TypedNumbers:
    """Numbers as typed: values in the typed shape and, per number, what its digits say.

    `half_step` is half the place value of the last digit typed (0.0005 for `0.817`, 0.05 for
    `1.2e-1`; 0 for exact forms such as `1/4`, `inf`); `digits` counts its significant digits
    (0 for any zero); `decimals` counts the digits after the point as written (1 for `1.2e-1`). Whether rounding is forgiven is decided against the expected value
    (tutor.checking.tolerance), never here.
    """

    values: np.ndarray  # float64
    half_step: np.ndarray
    digits: np.ndarray
    decimals: np.ndarray
    bracketed: bool  # the shape was spelled with brackets (not `a b; c d` rows)
    logical: bool = False  # some number was typed as True or False

    def reshaped(self, shape: tuple[int, ...]) -> TypedNumbers:
        return TypedNumbers(
            self.values.reshape(shape),
            self.half_step.reshape(shape),
            self.digits.reshape(shape),
            self.decimals.reshape(shape),
            self.bracketed,
            self.logical,
        )


def check_length(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise AnswerError(
            Text(
                f"That answer is too long (over {MAX_CHARS:,} characters).",
                f"답이 너무 깁니다 ({MAX_CHARS:,}자 초과).",
            )
        )


def _at(column: int, en: str, ko: str) -> AnswerError:
    return AnswerError(Text(f"{en} (column {column}).", f"{ko} ({column}번째 칸)."), column)


def _unexpected(text: str, pos: int) -> AnswerError:
    char = text[pos]
    if text.startswith("...", pos) or char == "…":
        return _at(
            pos + 1,
            "The printout is abbreviated with '...'; type every number",
            "'...'로 줄인 출력입니다. 숫자를 모두 입력하세요",
        )
    if char.isdigit() or (char in "+-." and text[pos + 1 : pos + 2].isdigit()):
        return _at(pos + 1, "Can't read the number here", "여기의 숫자를 읽을 수 없습니다")
    return _at(
        pos + 1,
        f"Unexpected {char!r}: expected a number",
        f"예상하지 못한 {char!r}: 숫자가 와야 합니다",
    )


def _read_number(text: str, pos: int, end: int) -> tuple[float, float, int, int, int] | None:
    """The number at `pos`: (value, half step, significant digits, decimals, end of it), or None."""
    m = _NUMBER.match(text, pos, end)
    if m is None:
        return None
    sign = -1.0 if m["sign"] == "-" else 1.0
    word = (m["word"] or "").lower()
    if word in _LOGICAL:
        return (_LOGICAL[word] if not m["sign"] else float("nan")), 0.0, -1, 0, m.end()
    if word:
        value = float("nan") if word == "nan" else float("inf")
        return sign * value, 0.0, 0, 0, m.end()
    exponent_text = m["exp"] or "0"
    exponent = (
        int(exponent_text)
        if len(exponent_text) <= 7
        else (10**7 if exponent_text[0] != "-" else -(10**7))
    )
    value = _float(m["mant"], exponent)
    if m["den"]:
        denominator = float(m["den"])
        if denominator == 0:
            raise _at(pos + 1, "Division by zero", "0으로 나눌 수 없습니다")
        return sign * value / denominator, 0.0, 0, 0, m.end()
    whole, _, decimals = m["mant"].partition(".")
    digits = len((whole + decimals).lstrip("0")) if value != 0 else 0
    half_step = float(f"5e{exponent - len(decimals) - 1}") if math.isfinite(value) else 0.0
    return sign * value, half_step, digits, len(decimals), m.end()


_LOGICAL = {"true": 1.0, "false": 0.0}


def _float(mantissa: str, exponent: int) -> float:
    """mantissa × 10^exponent, without building a huge string for an absurd exponent."""
    if float(mantissa) == 0:
        return 0.0
    if exponent > 400:
        return float("inf")
    if exponent < -400:
        return 0.0
    return float(f"{mantissa}e{exponent}")


def _unwrap(text: str) -> tuple[int, int]:
    """The span inside `tensor(…)`/`array(…)`, without `grad_fn=<…>`-style keyword arguments."""
    start, end = 0, len(text)
    assignment = _ASSIGNMENT.match(text)
    if assignment:
        start = assignment.end()
    wrapper = _WRAPPER.match(text, start)
    if wrapper:
        start = wrapper.end()
        close = text.rfind(")")
        if close < start:
            raise _at(len(text), "Missing ')'", "')'가 빠졌습니다")
        if text[close + 1 :].strip():
            raise _unexpected(
                text, close + 1 + (len(text[close + 1 :]) - len(text[close + 1 :].lstrip()))
            )
        end = close
    while True:
        tail = _KEYWORD_TAIL.search(text, start, end)
        if tail is None:
            return start, end
        end = tail.start()


class _Reader:
    """Collects numbers in reading order with what their digits say, refusing too many."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.half_steps: list[float] = []
        self.digits: list[int] = []
        self.decimals: list[int] = []

    def add(self, text: str, pos: int, end: int) -> int:
        number = _read_number(text, pos, end)
        if number is None:
            raise _unexpected(text, pos)
        if len(self.values) >= MAX_NUMBERS:
            raise AnswerError(
                Text(
                    f"Too many numbers (over {MAX_NUMBERS:,}).",
                    f"숫자가 너무 많습니다 ({MAX_NUMBERS:,}개 초과).",
                )
            )
        value, half_step, digits, decimals, after = number
        self.values.append(value)
        self.half_steps.append(half_step)
        self.digits.append(digits)
        self.decimals.append(decimals)
        return after

    def numbers(self, shape: tuple[int, ...], bracketed: bool) -> TypedNumbers:
        digits = np.array(self.digits, dtype=np.int64).reshape(shape)
        return TypedNumbers(
            np.array(self.values, dtype=np.float64).reshape(shape),
            np.array(self.half_steps, dtype=np.float64).reshape(shape),
            np.maximum(digits, 0),
            np.array(self.decimals, dtype=np.int64).reshape(shape),
            bracketed,
            bool(np.any(digits < 0)),
        )


def _ragged(lengths: tuple[int, int]) -> AnswerError:
    a, b = lengths
    return AnswerError(
        Text(
            f"The rows differ in length ({a} and {b} numbers): a tensor is rectangular.",
            f"행의 길이가 다릅니다 (숫자 {a}개와 {b}개): 텐서는 직사각형이어야 합니다.",
        )
    )


def _shape(node: list | int) -> tuple[int, ...]:
    if isinstance(node, int):
        return ()
    shapes = [_shape(child) for child in node]
    for shape in shapes[1:]:
        if shape != shapes[0]:
            if not shape or not shapes[0]:
                raise AnswerError(
                    Text(
                        "Numbers and lists are mixed at the same level.",
                        "같은 단계에 숫자와 리스트가 섞여 있습니다.",
                    )
                )
            raise _ragged((shapes[0][0], shape[0]))
    return (len(node), *(shapes[0] if shapes else ()))


def _bracketed(text: str, start: int, end: int) -> TypedNumbers:
    reader = _Reader()
    root: list = []
    stack: list[list] = [root]
    closers: list[str] = []
    pos = start
    while pos < end:
        char = text[pos]
        if char.isspace() or char == "," or (char == ";" and not closers):
            pos += 1
        elif char in _CLOSER:
            if len(closers) >= MAX_DEPTH:
                raise _at(
                    pos + 1,
                    f"Nested more than {MAX_DEPTH} levels deep",
                    f"{MAX_DEPTH}단계보다 깊게 중첩되었습니다",
                )
            child: list = []
            stack[-1].append(child)
            stack.append(child)
            closers.append(_CLOSER[char])
            pos += 1
        elif char in "])":
            if not closers or closers[-1] != char:
                raise _at(pos + 1, f"Unmatched {char!r}", f"짝이 맞지 않는 {char!r}")
            stack.pop()
            closers.pop()
            pos += 1
        else:
            stack[-1].append(len(reader.values))
            pos = reader.add(text, pos, end)
    if closers:
        raise _at(end, f"Missing {closers[-1]!r}", f"{closers[-1]!r}가 빠졌습니다")
    if not root:
        raise AnswerError(Text("There are no numbers in that answer.", "답에 숫자가 없습니다."))
    # Several top-level lists (`[1, 2], [3, 4]`, one per line) are rows of one tensor.
    node = root[0] if len(root) == 1 else root
    return reader.numbers(_shape(node), bracketed=True)


def _rows(text: str, start: int, end: int) -> TypedNumbers:
    reader = _Reader()
    lengths: list[int] = []
    count = 0
    pos = start
    while pos <= end:
        char = text[pos] if pos < end else "\n"
        if char in ";\n":
            if count:
                lengths.append(count)
            count = 0
            pos += 1
        elif char.isspace() or char == ",":
            pos += 1
        else:
            pos = reader.add(text, pos, end)
            count += 1
    if not lengths:
        raise AnswerError(Text("There are no numbers in that answer.", "답에 숫자가 없습니다."))
    for length in lengths[1:]:
        if length != lengths[0]:
            raise _ragged((lengths[0], length))
    if len(lengths) == 1:
        shape: tuple[int, ...] = () if lengths[0] == 1 else (lengths[0],)
    else:
        shape = (len(lengths), lengths[0])
    return reader.numbers(shape, bracketed=False)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_POWER_OF_TEN = re.compile(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_TIMES_TEN = re.compile(r"(\d\.?)\s*[×xX*·]\s*10\s*(?:\^|\*\*)\s*\(?\s*([+-]?\d+)\s*\)?")
_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-"})


def normalise(text: str) -> str:
    """The same text as plain ASCII where it matters: full-width (Korean IME) digits, signs and
    brackets, typographic minus signs, and `1.5×10⁻³` as `1.5e-3`."""
    text = _POWER_OF_TEN.sub(lambda m: "10^" + m[1].translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).translate(_MINUS)
    return _TIMES_TEN.sub(lambda m: f"{m[1]}e{m[2]}", text)


def parse_tensor(text: str) -> TypedNumbers:
    """Numbers in any usual form: `[[3,4],[5,6]]`, `3 4; 5 6`, rows per line, PyTorch or numpy printouts."""
    check_length(text)
    text = normalise(text)
    if not text.strip():
        raise AnswerError(Text("Type an answer first.", "먼저 답을 입력하세요."))
    start, end = _unwrap(text)
    if any(c in "[(" for c in text[start:end]):
        return _bracketed(text, start, end)
    return _rows(text, start, end)


def parse_number(text: str) -> TypedNumbers:
    """One number: `14`, `14.`, `1/4`, `-2.5e-1`, or a one-element tensor such as `tensor(14.)`."""
    numbers = parse_tensor(text)
    if numbers.values.size != 1:
        n = numbers.values.size
        raise AnswerError(
            Text(
                f"Expected one number; you gave {n}.",
                f"숫자 하나를 입력해야 하는데 {n}개를 입력했습니다.",
            )
        )
    return numbers.reshaped(())
