"""Provides grading of outcome answers: whether a line raises and what, or the value it gives.

When the line raises: naming its type (`RuntimeError`, `런타임 에러`, with or without the
message) or saying what its message says is right, and only then is the full error shown;
another type is wrong; `it raises an error` with nothing to tell which earns half. When the line
runs: `no error` and the value, or the value alone, is graded like any answer. Saying it raises
when it runs, or the reverse, names the misconception. What cannot be read is asked again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from tutor.checking.answers import AnswerError, check_length, parse_tensor
from tutor.checking.error_names import canonical
from tutor.checking.expected import Outcome
from tutor.checking.misconceptions import feedback_for, fits
from tutor.checking.statements import Statement, read_statement
from tutor.checking.tensors import grade_array
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text, clean

_TRUE = {"true", "yes", "y", "참", "예", "네", "맞다", "맞음", "맞", "그렇다", "그렇"}
_FALSE = {"false", "no", "n", "거짓", "아니오", "아니요", "아니다", "아니", "아님"}
_NONE = {"none", "nothing", "없음", "아무것도"}
_LITERALS = {"true", "false", "none", "참", "거짓"}
_NUMERIC = re.compile(r"[-+−.\d\[(]|(?:tensor|array|torch\.|np\.|numpy\.|nan|inf|true|false)", re.I)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"[a-z0-9_]+")
_STOP = (
    "a an the of on in to that this it its is are be been being was were and or for with by as "
    "at can could cannot not no does do did has have had use used using instead if you your they "
    "them their there when then than after before only so because saying says said say about "
    "which what why how error raise exception tensor call value true false will would should may "
    "might must need also any just one"
)

SAY_WHICH = Text(
    "Say whether the line raises: name the error (its type, `…Error`, or what its message says), "
    "or type `no error` and what it gives.",
    "이 줄이 오류를 내는지 답하세요: 오류의 종류(`…Error`)나 메시지 내용을 쓰거나, "
    "`오류 없음`과 그 결과를 쓰세요.",
)
_BOTH = Text(
    f"You said both that it raises and that it does not. {SAY_WHICH.en}",
    f"오류가 난다는 말과 나지 않는다는 말이 함께 있습니다. {SAY_WHICH.ko}",
)
_SEVERAL = Text(
    "Name one error: that answer names several types.",
    "오류를 하나만 답하세요: 여러 종류를 적었습니다.",
)
_WHICH_ERROR = Text(
    "Yes, it raises an error — but which one? Name its type or say what its message says.",
    "네, 오류가 납니다. 그런데 어떤 오류일까요? 오류의 종류나 메시지 내용을 적어 보세요.",
)
_WHAT_VALUE = Text(
    "Right, it runs without an error. What does it give?",
    "맞습니다, 오류 없이 실행됩니다. 결과는 무엇일까요?",
)
_NOT_AS_SAID = Text(
    "It does raise an error, but not as you describe it: which error is it?",
    "오류는 나지만 말한 것과는 다릅니다. 어떤 오류일까요?",
)
_NOT_QUITE = Text("Not quite: that is not what it gives.", "아쉽습니다: 그 결과가 아닙니다.")
_TRUE_OR_FALSE = Text("Answer True or False.", "True 또는 False로 답하세요.")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    word = word[:5]
    return "grad" if word == "gradi" else word


_STOP_STEMS = frozenset(_stem(w) for w in _STOP.split())


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if len(w) >= 2} - _STOP_STEMS


def describes(message: str | None, text: str) -> bool:
    """Whether `text` says what an error message says: at least two of its distinctive words
    (all of them when it has fewer), in any order and form (`requires`/`required`)."""
    distinctive = _stems(message or "")
    return bool(distinctive) and len(distinctive & _stems(text)) >= min(2, len(distinctive))


def copies(message: str | None, text: str) -> bool:
    """Whether `text` has the message itself in it: four of its words in a row (all of them
    when it has fewer), whatever the case and punctuation."""
    words = _TOKEN.findall((message or "").lower())
    n = min(4, len(words))
    runs = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    typed = _TOKEN.findall(text.lower())
    return n > 0 and any(tuple(typed[i : i + n]) in runs for i in range(len(typed) - n + 1))


def _shown(outcome: Outcome) -> str:
    return f"{outcome.error}: {outcome.message}" if outcome.message else str(outcome.error)


def _same(named: str, error: str | None) -> bool:
    return error is not None and named.lower() == canonical(error).lower()


def _outcome_alternatives(alternatives: Mapping[str, object]) -> dict[str, Outcome]:
    return {
        mid: alt
        for mid, alt in alternatives.items()
        if isinstance(alt, Outcome) and fits(mid, "outcome")
    }


def _plain(text: str) -> str:
    return " ".join(text.strip().strip("`'\"").split()).casefold()


def _is_value(text: str) -> bool:
    """Whether `text` reads as a value: numbers, a tensor, True/False/None or a dotted name."""
    plain = _plain(text)
    parts = text.strip().split(".")
    if plain in _LITERALS or (len(parts) > 1 and all(p.isidentifier() for p in parts)):
        return True
    try:
        parse_tensor(text)
    except (AnswerError, RecursionError):
        return False
    return True


def _gives(value: object, text: str) -> bool:
    """Whether `text` reads as an answer of the kind `value` is (a bool, a name, numbers…)."""
    typed = _plain(text)
    if not typed:
        return False
    if value is None:
        return typed in _NONE or _is_value(text)
    if isinstance(value, bool | np.bool_):
        return typed in _TRUE | _FALSE
    if isinstance(value, str):
        return len(typed.split()) == 1
    return bool(_NUMERIC.match(text))


def _grade_value(value: object, text: str, alternatives: Mapping[str, Outcome]) -> Verdict:
    """Grade a value answer `text`, which `_gives` a value of the kind asked."""
    typed = _plain(text)
    if value is None:
        return right() if typed in _NONE else wrong(_NOT_QUITE)
    if isinstance(value, bool | np.bool_):
        if (typed in _TRUE) == bool(value):
            return right()
        return wrong(Text("The opposite: check again.", "반대입니다. 다시 확인해 보세요."))
    if isinstance(value, str):
        want = _plain(value)
        if typed == want:
            return right()
        if want.endswith("." + typed):
            return right(Text(f"In full: {value}.", f"전체 이름: {value}."))
        return wrong(Text("Not quite.", "아쉽습니다."))
    numeric = {
        mid: alt.value
        for mid, alt in alternatives.items()
        if alt.error is None and alt.value is not None
    }
    single = isinstance(value, int | float | np.number)
    verdict = grade_array(value, text, numeric, single=single)
    if verdict.misconception is not None and not fits(verdict.misconception, "outcome"):
        return wrong(_NOT_QUITE, verdict.score)
    return verdict


def _named_alternative(
    said: Statement, alternatives: Mapping[str, Outcome], value: bool
) -> str | None:
    """The misconception whose own outcome the answer gives (its value when `value`, else its
    error), if one does."""
    for mid, alt in alternatives.items():
        if value and alt.error is None:
            fits_value = _gives(alt.value, said.rest)
            if fits_value and _grade_value(alt.value, said.rest, {}).correct:
                return mid
        named = said.error is None or _same(said.error, alt.error)
        if not value and alt.error is not None and named:
            return mid
    return None


def _grade_raises(
    outcome: Outcome, said: Statement, alternatives: Mapping[str, Outcome]
) -> Verdict:
    shown = _shown(outcome)
    if said.raises is False or (said.raises is None and _is_value(said.rest)):
        mid = _named_alternative(said, alternatives, value=True) or "no-error-expected"
        return wrong(feedback_for(mid), 0.0, mid)
    if said.error is not None:
        if _same(said.error, outcome.error):
            if _tells_another_message(said, outcome.message):
                return wrong(
                    Text(
                        f"Right error type, but its message is another one: {shown}",
                        f"오류의 종류는 맞지만 메시지는 다릅니다: {shown}",
                    ),
                    0.5,
                )
            return right(Text(f"The full error: {shown}", f"전체 오류: {shown}"))
        mid = _named_alternative(said, alternatives, value=False)
        if mid is not None:
            return wrong(feedback_for(mid), 0.0, mid)
        named = clean(said.error)
        named = named if len(named) <= 40 else f"{named[:39]}…"
        return wrong(
            Text(
                f"It does raise, but not {named}: which error is it?",
                f"오류는 나지만 {named}은(는) 아닙니다. 어떤 오류일까요?",
            )
        )
    if copies(outcome.message, said.text) or (
        said.raises and describes(outcome.message, said.text)
    ):
        return right(Text(f"The full error: {shown}", f"전체 오류: {shown}"))
    if any(_same(excluded, outcome.error) for excluded in said.excluded):
        return wrong(_NOT_AS_SAID)
    if said.raises:
        return wrong(_WHICH_ERROR, 0.5)
    return unreadable(SAY_WHICH)


def _tells_another_message(said: Statement, message: str | None) -> bool:
    """Whether, after naming the right type, the answer goes on to quote a message (three or
    more distinctive words) that is not what the error says."""
    found = re.search(re.escape(said.error or ""), said.text, re.I)
    if found is None or not message:
        return False
    typed = said.text[found.end() :].strip(" :-—")
    if len(_stems(typed)) < 3:
        return False
    return not (copies(message, typed) or describes(message, typed))


def _grade_runs(outcome: Outcome, said: Statement, alternatives: Mapping[str, Outcome]) -> Verdict:
    if said.raises:
        mid = _named_alternative(said, alternatives, value=False) or "error-expected"
        return wrong(feedback_for(mid), 0.0, mid)
    if not _gives(outcome.value, said.rest):
        if said.raises is False:
            return right() if outcome.value is None else wrong(_WHAT_VALUE, 0.5)
        if isinstance(outcome.value, bool | np.bool_) and said.rest:
            return unreadable(_TRUE_OR_FALSE)
        return unreadable(SAY_WHICH)
    verdict = _grade_value(outcome.value, said.rest, alternatives)
    if not verdict.correct and verdict.readable:
        mid = _named_alternative(said, alternatives, value=True)
        if mid is not None:
            return wrong(feedback_for(mid), 0.0, mid)
    return verdict


def grade_outcome(outcome: Outcome, text: str, alternatives: Mapping[str, object]) -> Verdict:
    """Grade a typed outcome: whether the line raises and what, or the value it produces."""
    check_length(text)
    said = read_statement(text)
    if said.conflict:
        return unreadable(_BOTH)
    if len(said.errors) > 1:
        return unreadable(_SEVERAL)
    known = _outcome_alternatives(alternatives)
    if outcome.error is not None:
        return _grade_raises(outcome, said, known)
    return _grade_runs(outcome, said, known)
