"""Provides grading of multiple-choice answers typed as the choice's number or its whole text.

A choice is picked by its number in the usual spellings (`2`, `(2)`, `2.`, `2번`, `option 2`,
`②`, `second`, `두 번째`), by its whole text in either language, or by its leading label
(`Yes` for "Yes: detach() returns …"). A fragment, or a word that merely occurs in a choice,
never picks one: what picks none or several is unreadable and costs no attempt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from tutor.checking.answers import check_length
from tutor.checking.misconceptions import feedback_for, fits
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text

_ORDINALS = {
    **dict.fromkeys(("first", "1st", "첫", "첫째", "첫번째", "첫 번째"), 1),
    **dict.fromkeys(("second", "2nd", "둘째", "두번째", "두 번째"), 2),
    **dict.fromkeys(("third", "3rd", "셋째", "세번째", "세 번째"), 3),
    **dict.fromkeys(("fourth", "4th", "넷째", "네번째", "네 번째"), 4),
    **dict.fromkeys(("fifth", "5th", "다섯째", "다섯번째", "다섯 번째"), 5),
}
_NUMBERED = re.compile(
    r"(?:(?:option|choice|answer|number|no\.?|보기|답|선택)\s*)?[#(\[]?\s*(\d{1,3})\s*[.)\]]?"
    r"\s*(?:번|번째)?(?:\s*(?:보기|선택지|이요|입니다|이다))?(?:\s+(?P<rest>.*))?",
    re.IGNORECASE | re.DOTALL,
)
_THE = re.compile(r"^(?:the\s+)?(.*?)(?:\s+(?:one|choice|option))?$")
_LABEL = re.compile(r"^\s*([^:—–\-]{1,20}?)\s*[:—–]\s*\S")


_SAME_WORD = {
    **dict.fromkeys(("yes", "y", "예", "네", "응", "그렇다", "맞다"), "yes"),
    **dict.fromkeys(("no", "n", "아니오", "아니요", "아니", "아니다"), "no"),
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    plain = " ".join(re.sub(r"[`'\"“”‘’.,!?;()\[\]]", " ", text).split())
    return _SAME_WORD.get(plain, plain)


def _circled(text: str) -> int | None:
    stripped = text.strip()
    if len(stripped) == 1 and "①" <= stripped <= "⑳":
        return ord(stripped) - ord("①") + 1
    return None


def _number(text: str) -> tuple[int, str] | None:
    """The choice number typed, and any text after it ('' if none)."""
    circled = _circled(text)
    if circled is not None:
        return circled, ""
    plain = " ".join(unicodedata.normalize("NFKC", text).split())
    ordinal = _THE.match(plain.casefold().rstrip(".!"))
    if ordinal and ordinal.group(1) in _ORDINALS:
        return _ORDINALS[ordinal.group(1)], ""
    m = _NUMBERED.fullmatch(plain)
    if m is None:
        return None
    return int(m[1]), (m["rest"] or "").strip()


def _labels(choice: Text) -> set[str]:
    """A choice's whole texts and its leading labels (`yes` in "Yes: …"), plain."""
    found = {_plain(choice.en), _plain(choice.ko)}
    for text in (choice.en, choice.ko):
        label = _LABEL.match(text)
        if label:
            found.add(_plain(label.group(1)))
    return found - {""}


def read_choice(choices: tuple[Text, ...], text: str) -> int:
    """The 0-based index of the choice typed; raises ValueError with a Text saying why none
    (or several) was read."""
    n = len(choices)
    pick = Text(f"type a number from 1 to {n}", f"1부터 {n}까지의 번호를 입력하세요")
    numbered = _number(text)
    if numbered is not None:
        number, rest = numbered
        if not 1 <= number <= n:
            raise ValueError(
                Text(
                    f"There is no choice {number}: {pick.en}.",
                    f"{number}번 보기는 없습니다: {pick.ko}.",
                )
            )
        if rest and not _agrees(choices[number - 1], rest):
            raise ValueError(
                Text(
                    f"The number and the text name different choices; {pick.en}.",
                    f"번호와 내용이 다른 보기를 가리킵니다. {pick.ko}.",
                )
            )
        return number - 1
    typed = _plain(text)
    if not typed:
        raise ValueError(Text(f"Choose one: {pick.en}.", f"하나를 고르세요: {pick.ko}."))
    found = {i for i, choice in enumerate(choices) if typed in _labels(choice)}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValueError(
            Text(f"That fits several choices; {pick.en}.", f"여러 보기에 해당합니다. {pick.ko}.")
        )
    raise ValueError(
        Text(
            f"Type a choice's number or its whole text; {pick.en}.",
            f"보기의 번호나 보기 전체를 입력하세요. {pick.ko}.",
        )
    )


def _agrees(choice: Text, rest: str) -> bool:
    """Whether text typed after a number is that choice's label or the start of its text."""
    typed = _plain(rest)
    if typed in _labels(choice):
        return True
    return any(
        _plain(t) == typed or _plain(t).startswith(typed + " ") for t in (choice.en, choice.ko)
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
        if fits(mid, "choice") and isinstance(value, int) and value == index:
            return wrong(feedback_for(mid), 0.0, mid)
    return wrong(Text("Not that one.", "그 보기가 아닙니다."))
