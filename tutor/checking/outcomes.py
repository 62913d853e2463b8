"""Provides grading of outcome answers: what a line gives, or which error it raises.

What counts: when the line raises, naming the error type (`RuntimeError`, with or without its
message) or saying it fails (`error`, `raises`, `오류`) is right, and the feedback shows the full
error; another error type earns half. When the line runs, its value is graded like any answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from tutor.checking.answers import check_length
from tutor.checking.expected import Outcome
from tutor.checking.misconceptions import feedback_for
from tutor.checking.tensors import grade_array
from tutor.checking.verdict import Verdict, right, wrong
from tutor.text import Text

_ERROR_NAME = re.compile(r"\s*(?:[\w.]+\.)?(\w+(?:Error|Exception))\b", re.IGNORECASE)
_GIST = re.compile(
    r"\b(?:error|errors|raise|raises|exception|fails?|crash(?:es)?|throws?)\b|에러|오류|예외|실패",
    re.IGNORECASE,
)
_TRUE = {"true", "yes", "참", "예", "네"}
_FALSE = {"false", "no", "거짓", "아니오", "아니요"}


def says_error(text: str) -> tuple[bool, str | None]:
    """Whether a typed answer says the line raises, and the error type it names, if any."""
    m = _ERROR_NAME.match(text)
    if m:
        return True, m[1]
    return bool(_GIST.search(text)), None


def _shown(outcome: Outcome) -> str:
    return f"{outcome.error}: {outcome.message}" if outcome.message else str(outcome.error)


def _grade_error(outcome: Outcome, named: str | None) -> Verdict:
    shown = _shown(outcome)
    if named is None:
        return right(Text(f"It raises {shown}", f"다음 오류가 납니다: {shown}"))
    if named.lower() == str(outcome.error).lower():
        return right(Text(f"The full error: {shown}", f"전체 오류: {shown}"))
    return wrong(
        Text(
            f"It does raise, but not {named}: the error type is what counts.",
            f"오류는 나지만 {named}는 아닙니다: 오류의 종류를 맞혀야 합니다.",
        ),
        0.5,
    )


def _plain(text: str) -> str:
    return " ".join(text.strip().strip("`'\"").split()).casefold()


def _grade_value(value: object, text: str, alternatives: Mapping[str, object]) -> Verdict:
    typed = _plain(text)
    if value is None:
        if typed == "none":
            return right()
        return wrong(Text("Not quite: it gives None.", "아쉽습니다: 결과는 None입니다."))
    if isinstance(value, bool | np.bool_):
        if typed not in _TRUE | _FALSE:
            return wrong(Text("Answer True or False.", "True 또는 False로 답하세요."))
        if (typed in _TRUE) == bool(value):
            return right()
        return wrong(Text("The opposite: check again.", "반대입니다. 다시 확인해 보세요."))
    if isinstance(value, str):
        want = _plain(value)
        if typed == want:
            return right()
        if typed and want.endswith("." + typed):
            return right(Text(f"In full: {value}.", f"전체 이름: {value}."))
        return wrong(Text("Not quite.", "아쉽습니다."))
    single = isinstance(value, int | float | np.number)
    return grade_array(value, text, alternatives, single=single)


def grade_outcome(outcome: Outcome, text: str, alternatives: Mapping[str, object]) -> Verdict:
    """Grade a typed outcome: an error named or described, or the value the line produces."""
    check_length(text)
    raises, named = says_error(text)
    if outcome.error is not None:
        if raises:
            return _grade_error(outcome, named)
        return wrong(feedback_for("no-error-expected"), 0.0, "no-error-expected")
    if raises:
        return wrong(feedback_for("error-expected"), 0.0, "error-expected")
    return _grade_value(outcome.value, text, alternatives)
