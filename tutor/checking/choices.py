"""Provides grading of multiple-choice answers typed as a number or as the choice's text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tutor.checking.answers import check_length
from tutor.checking.misconceptions import MISCONCEPTIONS, feedback_for
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text

_NUMBER = re.compile(r"\(?\s*(\d{1,4})\s*[.)]?")
_MIN_PART = 2


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[`'\".,!?:;()]", " ", text).casefold().split())


def read_choice(choices: tuple[Text, ...], text: str) -> int:
    """The 0-based index of the choice typed as its number (1-based, as shown) or its text in
    either language; raises ValueError with a Text explaining why none was read."""
    n = len(choices)
    pick = Text(f"type a number from 1 to {n}", f"1부터 {n}까지의 번호를 입력하세요")
    m = _NUMBER.fullmatch(text.strip())
    if m:
        number = int(m[1])
        if 1 <= number <= n:
            return number - 1
        raise ValueError(
            Text(
                f"There is no choice {number}: {pick.en}.",
                f"{number}번 보기는 없습니다: {pick.ko}.",
            )
        )
    typed = _plain(text)
    if not typed:
        raise ValueError(Text(f"Choose one: {pick.en}.", f"하나를 고르세요: {pick.ko}."))
    texts = [(i, _plain(t)) for i, c in enumerate(choices) for t in (c.en, c.ko)]
    exact = {i for i, t in texts if t == typed}
    partial = {i for i, t in texts if len(typed) >= _MIN_PART and typed in t}
    found = exact or partial
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValueError(
            Text(f"That fits several choices; {pick.en}.", f"여러 보기에 해당합니다. {pick.ko}.")
        )
    raise ValueError(
        Text(f"That is none of the choices; {pick.en}.", f"보기 중에 없는 답입니다. {pick.ko}.")
    )


def grade_choice(
    expected: int, choices: tuple[Text, ...], text: str, alternatives: Mapping[str, object]
) -> Verdict:
    """Grade a typed choice against the right one's index."""
    check_length(text)
    try:
        index = read_choice(choices, text)
    except ValueError as error:
        (problem,) = error.args
        return unreadable(problem)
    if index == expected:
        return right()
    for mid, value in alternatives.items():
        if mid in MISCONCEPTIONS and isinstance(value, int) and value == index:
            return wrong(feedback_for(mid), 0.0, mid)
    return wrong(Text("Not that one.", "그 보기가 아닙니다."))
