"""Provides grading of tensor and number answers: shape first, then every element, then why."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tutor.checking.answers import AnswerError, TypedNumbers, parse_number, parse_tensor
from tutor.checking.detectors import detect_shape, detect_values
from tutor.checking.forms import example_for
from tutor.checking.formulas import formula_feedback
from tutor.checking.misconceptions import feedback_for
from tutor.checking.tolerance import accepted, rounded_too_far
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text, clean


def _dims(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


def describe_expected(shape: tuple[int, ...]) -> Text:
    """How an expected shape is named: `a single number`, `a 2×2 tensor`, …"""
    if not shape:
        return Text("a single number (a 0-d tensor)", "숫자 하나 (0차원 텐서)")
    if len(shape) == 1:
        return Text(f"a 1-d tensor of {shape[0]} numbers", f"숫자 {shape[0]}개인 1차원 텐서")
    return Text(f"a {_dims(shape)} tensor", f"{_dims(shape)} 텐서")


def describe_typed(shape: tuple[int, ...]) -> Text:
    """How a typed shape is named: `4 numbers in one row`, `3 rows of 2 numbers`, …"""
    if not shape:
        return Text("one number", "숫자 하나")
    if len(shape) == 1:
        return Text(f"{shape[0]} numbers in one row", f"한 행에 숫자 {shape[0]}개")
    if len(shape) == 2:
        return Text(
            f"{shape[0]} rows of {shape[1]} numbers", f"숫자 {shape[1]}개짜리 행 {shape[0]}개"
        )
    return Text(f"a {_dims(shape)} tensor", f"{_dims(shape)} 텐서")


def _shape_mismatch(expected: tuple[int, ...], typed: tuple[int, ...]) -> Text:
    want, got = describe_expected(expected), describe_typed(typed)
    return Text(
        f"Wrong shape: expected {want.en}; you gave {got.en}.",
        f"모양이 다릅니다: {want.ko}가 필요한데 {got.ko}를 입력했습니다.",
    )


def _fits(typed: TypedNumbers, shape: tuple[int, ...], flatten: bool) -> bool:
    """Whether a typed shape is read as the expected one: rows typed without brackets name no
    leading 1-dims, a single number fits any one-element shape, flattening when the question allows."""
    got = typed.values.shape
    if typed.values.size != int(np.prod(shape)):
        return False
    if typed.values.size == 1 and len(got) <= 1:
        return True
    squeezed = tuple(n for n in got if n != 1) == tuple(n for n in shape if n != 1)
    return (not typed.bracketed and squeezed) or (flatten and len(got) == 1)


def _position(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


NOT_LOGICAL = Text(
    "This question asks for numbers, not True or False.",
    "이 문제는 True/False가 아니라 숫자를 묻습니다.",
)

_ROUNDED = Text(
    " It looks rounded too far: give 4 decimals, as PyTorch prints, or 3 significant digits.",
    " 너무 많이 반올림한 것 같습니다: PyTorch처럼 소수 넷째 자리까지, 또는 유효숫자 3자리 이상 쓰세요.",
)


def _elementwise(typed: TypedNumbers, expected: np.ndarray, ok: np.ndarray) -> Text:
    wrong_at = tuple(int(i) for i in np.argwhere(~ok)[0])
    got = float(typed.values[wrong_at])
    hint = _ROUNDED if rounded_too_far(typed, expected)[wrong_at] else Text("", "")
    if expected.size == 1:
        return Text(f"Not quite.{hint.en}", f"아쉽습니다.{hint.ko}")
    right_count, n, at = int(ok.sum()), ok.size, _position(wrong_at)
    return Text(
        f"{right_count} of {n} numbers are right; the first wrong one is at {at} "
        f"(you typed {got:g}).{hint.en}",
        f"{n}개 중 {right_count}개가 맞습니다. 처음 틀린 곳은 {at}입니다 (입력: {got:g}).{hint.ko}",
    )


def _unreadable_numbers(
    problem: Text, text: str, want: np.ndarray, bindings: Mapping[str, object]
) -> Verdict:
    formula = formula_feedback(text, want, bindings)
    if formula is not None:
        return unreadable(formula)
    form = example_for(want)
    return unreadable(Text(f"{problem.en} {form.en}", f"{problem.ko} {form.ko}"))


def grade_array(
    expected: object,
    text: str,
    alternatives: Mapping[str, object],
    *,
    flatten: bool = False,
    single: bool = False,
    role: str = "value",
    bindings: Mapping[str, object] | None = None,
) -> Verdict:
    """Grade typed numbers against an expected array (or one number when `single`).

    `role` picks the misconceptions that may explain a wrong answer; `bindings` (the program's
    variables) let a formula typed instead of numbers be recognised, at no cost to the learner.
    """
    try:
        want = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return unreadable(
            Text("This question has no numeric answer.", "이 문제에는 숫자 답이 없습니다.")
        )
    try:
        typed = parse_number(text) if single else parse_tensor(text)
    except AnswerError as error:
        return _unreadable_numbers(error.text, clean(text), want, bindings or {})
    if typed.logical and np.asarray(expected).dtype != np.bool_:
        return _unreadable_numbers(NOT_LOGICAL, text, want, {})
    note = None
    if typed.values.shape != want.shape:
        if not _fits(typed, want.shape, flatten or single):
            mid = detect_shape(typed, want, alternatives, role)
            if mid is not None:
                return wrong(feedback_for(mid), 0.0, mid)
            return wrong(_shape_mismatch(want.shape, typed.values.shape))
        if typed.bracketed and not want.shape and not single:
            note = Text(
                "PyTorch shows it as a 0-d tensor, without brackets.",
                "PyTorch는 이것을 괄호 없는 0차원 텐서로 보여 줍니다.",
            )
        typed = typed.reshaped(want.shape)
    ok = accepted(typed, want)
    if ok.all():
        return right(note)
    score = float(ok.mean())
    mid = detect_values(typed, want, alternatives, role)
    if mid is not None:
        return wrong(feedback_for(mid), score, mid)
    return wrong(_elementwise(typed, want, ok), score)
