"""Provides read_statement: what a typed outcome answer says — whether the line raises, which
exception it names, the message it quotes and the value it gives — in English or Korean.

Negation is scoped to the words about erroring: `doesn't raise`, `no error`, `오류가 나지
않는다` say the line runs; `Can't call numpy() …` or `…할 수 없다는 오류가 난다` do not.
A type named inside a negation (`not a ValueError`) is ruled out, not a claim that nothing raises
— unless nothing else is said to be raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.checking.error_names import named_types
from tutor.text import clean

_B, _E = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"
_LEADING_ERROR = re.compile(r"\s*(?:an?\s+)?(?:error|exception|에러|오류|예외)\s*:", re.I)
_QUOTED = re.compile(
    r"\"[^\"\n]*\"|`[^`\n]*`|(?<![A-Za-z0-9])'(?:[^'\n]|'(?=[A-Za-z])){0,600}+'(?![A-Za-z0-9])"
)
_COLON = re.compile(r"\s*:")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "＂": '"'})
_GONE = "\ue001"  # what was read already: neither a word nor a space, so no phrase spans it
_TYPE = "\ue000"  # a named type, once found, stands in the text as a run of this character

_T = f"(?<!{_TYPE}){_TYPE}++"
_NOUN = rf"(?:{_B}(?:errors?|exceptions?|failures?|crash(?:es)?|problems?|issues?|tracebacks?){_E}|{_T})"
_VERB = (
    rf"{_B}(?:rais(?:e|es|ed|ing)|throw(?:s|n|ing)?|threw|fail(?:s|ed|ing)?|"
    rf"crash(?:es|ed|ing)?|error(?:s|ed|ing)?|complain(?:s|ed)?){_E}"
)
_NOT = (
    rf"{_B}(?:(?:do|does|did|would|should|could|is|are|was|were|has|have|had|must|might|need)"
    rf"(?:\s+not|n'?t)|will\s+not|won'?t|can'?t|cannot|can\s+not|never|not){_E}"
)
_GAP = (
    rf"(?:{_B}(?:an?|any|the|ever|even|really|actually|at\s+all|cause|causes|give|produce|"
    rf"result\s+in|lead\s+to|get|be|been|throw|raise|going\s+to){_E}\s+)"
)
_ARTICLE = rf"(?:{_B}(?:an?|any|the){_E}\s+)?"
_HAPPENS = r"(?:raised|thrown|occurs?|occurred|happens?|happened|appears?|shown|produced|generated)"
_K_NOUN = rf"(?:오류|에러|예외|문제|실패|이상|{_T})"
_K_DOING = r"(?:실행|작동|동작|수행|변환|계산)"


def _pattern(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I)


# Applied in this order; each match is blanked before the next table is read.
_SAYS_FAILS = _pattern(
    rf"{_NOT}\s+{_GAP}{{0,3}}(?:work|works|run|runs|execute|succeed|complete|finish|done|"
    rf"allowed|possible|permitted|valid|legal|supported|ok|okay|fine){_E}",
    rf"{_K_DOING}\s*(?:[이가은는도]\s*)?(?:(?:되|하)(?:지|질)\s*(?:[는도]\s*)?않|안\s*(?:된|됨|돼|되|함|한|해)|불가|못)[가-힣]*",
    r"(?<![가-힣])안\s*(?:된다|됨|돼요|돼|됩니다|되요)|불가능",
)
_SAYS_RUNS = _pattern(
    rf"{_ARTICLE}{_NOUN}\s+(?:(?:is|are|was|were|will|would|does|do|did|should|gets?|got)"
    rf"(?:\s+not|n'?t)|won'?t|never)\s+(?:be\s+|get\s+)?(?:{_HAPPENS}|occur|happen|appear){_E}",
    rf"(?:{_B}(?:raises?|raised|throws?|gives?|produces?|causes?|shows?|gets?|there\s+(?:is|are|"
    rf"will\s+be|was)|there'?s|with|results?\s+in){_E}\s+)?{_B}(?:no|zero|not\s+an?|not\s+any|"
    rf"not){_E}\s+(?:{_B}(?:such|single|kind\s+of|other|more){_E}\s+)?{_NOUN}(?:\s+(?:(?:is|are|"
    rf"was|were|will\s+be|gets?|got)\s+)?(?:{_HAPPENS}|at\s+all|whatsoever){_E})?",
    rf"{_NOT}\s+{_GAP}{{0,3}}(?:{_VERB}|{_NOUN})(?:\s+{_ARTICLE}{_NOUN})?",
    rf"{_B}without\s+{_GAP}{{0,3}}(?:{_NOUN}|{_B}(?:raising|throwing|failing|crashing|erroring|"
    rf"complaint|complaining){_E})(?:\s+{_ARTICLE}{_NOUN})?",
    rf"{_B}(?:nothing|none)\s+(?:(?:is|was|gets?|will\s+be|will)\s+)?(?:raised|thrown|fails|"
    rf"failed|goes\s+wrong|went\s+wrong|breaks|crashes|refuses|complains|stops|prevents|"
    rf"blocks|forbids|happens|happened){_E}",
    rf"{_B}(?:raises?|throws?|raised|threw)\s+(?:nothing|none){_E}",
    rf"{_B}(?:errors?|exceptions?)[\s-]*free{_E}",
    rf"{_K_NOUN}\s*(?:[이가은는도를을]\s*)?(?:전혀\s*|하나도\s*|아무\s*|절대\s*)?"
    r"(?:[가-힣]{0,4}지\s*(?:[는도]\s*)?않|(?:발생\s*)?(?:안|못)\s*|없|아니|아님|아닌)[가-힣]*",
    rf"{_B}(?:works?|worked|succeeds?|succeeded|success|successful(?:ly)?){_E}",
    rf"{_B}(?:runs?|ran|executes?|executed|completes?|completed|goes|went|passes|passed|"
    rf"finishes|finished|evaluates|evaluated|proceeds|converts|converted)\s+(?:(?:just|all|perfectly|completely)\s+)?"
    rf"(?:fine|ok|okay|normally|successfully|well|smoothly|perfectly|correctly|cleanly|through|"
    rf"and|to\s+(?:the\s+)?end|to\s+completion|as\s+expected){_E}",
    rf"{_B}(?:it|this|that|the\s+(?:line|code|call))\s+(?:runs|ran|executes|executed){_E}",
    rf"{_B}(?:it'?s|it\s+is|that'?s|that\s+is|everything'?s|everything\s+is|all\s+is)\s+"
    rf"(?:fine|ok|okay|good|allowed|valid|legal|permitted){_E}",
    r"정상\s*(?:적으로\s*)?(?:실행|작동|동작|수행|처리|종료|완료|진행)[가-힣]*",
    r"잘\s*(?:된|됨|돼|되|실행|작동|동작|돌아|돌|수행|나온|나와)[가-힣]*",
    rf"{_K_DOING}\s*(?:[이은는도]\s*)?(?:잘\s*)?(?:된다|됨|됩니다|돼요|돼|되고|되며|되어|한다|"
    r"함(?![가-힣])|합니다|해요|성공)[가-힣]*",
    r"성공[가-힣]*|괜찮[가-힣]*|반환(?:된다|됨|한다|함|합니다|돼요|해요)|(?<![가-힣])(?:된다|됩니다|돼요)",
    rf"{_B}(?:returns?|returned|gives?|gave|produces?|produced|outputs?|prints?|printed|yields?|get|gets|got|"
    rf"evaluates\s+to)\s+(?!(?:an?\s+|the\s+|some\s+)?(?:errors?|exceptions?|{_TYPE}))",
)
_SAYS_RAISES = _pattern(
    rf"{_B}(?:errors?|exceptions?|failures?|crash(?:es|ed|ing)?|tracebacks?|rais(?:e|es|ed|ing)|"
    rf"throw(?:s|n|ing)?|threw|fail(?:s|ed|ing)?|error(?:ed|ing)|abort(?:s|ed)?|refuse[sd]?|"
    rf"forbidden|disallowed|impossible|illegal){_E}",
    r"(?:오류|에러|예외|실패)[가-힣]*",
)


_FILLER = (
    r"and|so|but|then|instead|it|it's|its|this|that|which|there|is|are|was|will|be|just|simply|"
    r"only|the|a|an|result|output|value|answer|line|code|call|statement|gives?|gave|returns?|"
    r"returned|produces?|outputs?|prints?|printed|shows?|yields?|evaluates?|to|in|results?|of|"
    r"with|at\s+all|whatsoever|here|fine|ok|okay|normally|also|i\s+think|probably|array|tensor|"
    r"ndarray|numpy|list|now|again|this\s+time|이제는|이제|실행|작동|동작|수행|결과는|결과값은|결과값|결과|"
    r"값은|반환값은|반환값|출력은|출력|그리고|하고|그냥|넘파이|배열|텐서"
)
_EMPTIED = re.compile(r"(?<![\w)\]])[(\[]\s*[)\]]")
_LEAD = re.compile(rf"[\s,;:=>→—–!]+|->|(?:{_FILLER})(?![\w(.\['])", re.I)
_TRAIL = re.compile(
    r"(?:[\s,;!。]+|(?<=[A-Za-z0-9)\]'\"`])\.|\s*(?:을|를|이|가|은|는|으로|로)?\s*(?:반환(?:한다|함|합니다|"
    r"해요|됨|된다)?|돌려(?:준다|줌|줍니다)|준다|줌|줍니다|나온다|나옴|나와요|나옵니다|출력(?:한다|된다|됨|"
    r"합니다)?|이다|입니다|이에요|예요|다|됨|된다|가\s*된다|이\s*된다|얻는다|얻음)|(?<![가-힣])(?:을|를|이|가|은|는)"
    r"|\s*(?:넘파이\s*|numpy\s*)?(?:배열|텐서|값|결과|숫자)(?:[이가을를은는])?)$"
)


def _value_part(text: str) -> str:
    """`text` without the connecting words around a value: `it gives`, `를 반환한다`, `.`"""
    start = 0
    while (m := _LEAD.match(text, start)) and m.end() > start:
        start = m.end()
    text = _EMPTIED.sub(" ", text[start:]).strip()
    while text and (m := _TRAIL.search(text, max(0, len(text) - 24))):
        text = text[: m.start()]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "`\"'":
        text = text[1:-1].strip()
    return text


@dataclass(frozen=True)
class Statement:
    """What an outcome answer says.

    `raises` is True, False or None (it says neither); `conflict` when it says both. `errors`
    are the exception types named as raised (canonical names, in order), `excluded` those named
    as not raised; `message` is text after `SomeError:` or quoted; `rest` is what remains once the
    words about raising are taken out — a value, if one was typed; `text` is the answer as read
    (cleaned, curly quotes made plain).
    """

    raises: bool | None
    errors: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    message: str | None = None
    rest: str = ""
    conflict: bool = False
    text: str = ""

    @property
    def error(self) -> str | None:
        """The one exception type named as raised, if exactly one was."""
        return self.errors[0] if len(self.errors) == 1 else None


def _blank(chars: list[str], start: int, end: int, fill: str = _GONE) -> None:
    chars[start:end] = fill * (end - start)


def _message(text: str, types: list, scan: list[str]) -> tuple[str | None, int, list]:
    """The message typed after `SomeError:` (or a leading `error:`) and in long quotes, blanked
    from `scan`; where the statement ends; the types named before the message."""
    message, end = None, len(text)
    colon = next((text.index(":", e) for _, e, _ in types if _COLON.match(text, e)), None)
    if colon is not None:
        types = [t for t in types if t[0] < colon]
    elif leading := _LEADING_ERROR.match(text):
        colon = leading.end() - 1
    if colon is not None:
        message, end = text[colon + 1 :].strip() or None, colon
        _blank(scan, colon, len(text))
    for m in _QUOTED.finditer(text, 0, end):
        if len(m[0].split()) >= 4:
            message = message or m[0][1:-1].strip()
            _blank(scan, m.start(), m.end())
    return message, end, types


def read_statement(text: str) -> Statement:
    """Read what a typed outcome answer says; never raises on what was typed."""
    text = clean(text).translate(_QUOTES).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "`\"'" and text.count(text[0]) == 2:
        text = text[1:-1].strip()
    scan = list(text)
    message, end, types = _message(text, named_types(text), scan)
    for start, stop, _ in types:
        _blank(scan, start, stop, _TYPE)
    spans: dict[str, list[tuple[int, int]]] = {"fails": [], "runs": [], "raises": []}
    for key, regex in (("fails", _SAYS_FAILS), ("runs", _SAYS_RUNS), ("raises", _SAYS_RAISES)):
        for m in regex.finditer("".join(scan)):
            spans[key].append(m.span())
            _blank(scan, *m.span())
    ruled_out = [any(s <= t[0] and t[1] <= e for s, e in spans["runs"]) for t in types]
    errors = tuple(dict.fromkeys(t[2] for t, out in zip(types, ruled_out, strict=True) if not out))
    excluded = tuple(dict.fromkeys(t[2] for t, out in zip(types, ruled_out, strict=True) if out))
    says_runs = any(not any(s <= t[0] < e for t in types) for s, e in spans["runs"])
    says_raises = bool(errors or spans["fails"] or spans["raises"])
    kept = list(text[:end])
    for s, e in spans["runs"] + spans["fails"] + spans["raises"]:
        _blank(kept, s, min(e, end), " ")
    return Statement(
        raises=True if says_raises else (False if says_runs or excluded else None),
        errors=errors,
        excluded=excluded,
        message=message,
        rest=_value_part(" ".join("".join(kept).split())),
        conflict=says_raises and says_runs,
        text=text,
    )
