"""Provides the names of exception types as learners type them — `RuntimeError`,
`torch.RuntimeError`, `runtime error`, `RuntimeException`, `런타임 에러`, `값 오류` — read to
Python's own name (`canonical`)."""

from __future__ import annotations

import re

_BUILTIN = tuple(
    f"{base}Error"
    for base in (
        "Runtime",
        "Type",
        "Value",
        "Index",
        "Attribute",
        "Key",
        "Name",
        "ZeroDivision",
        "NotImplemented",
        "Assertion",
        "Overflow",
        "Memory",
        "Lookup",
        "Arithmetic",
        "Import",
        "ModuleNotFound",
        "Recursion",
        "Syntax",
        "OS",
        "FileNotFound",
        "Permission",
        "Unicode",
        "FloatingPoint",
        "UnboundLocal",
    )
)
_BY_BASE = {name.removesuffix("Error").lower(): name for name in _BUILTIN}
_ENGLISH_NAMES = {
    r"run[\s_-]*time": "RuntimeError",
    r"zero[\s_-]*division": "ZeroDivisionError",
    r"not[\s_-]*implemented": "NotImplementedError",
    r"file[\s_-]*not[\s_-]*found": "FileNotFoundError",
    **{base: name for base, name in _BY_BASE.items() if base.isalpha()},
}
_KOREAN_NAMES = {
    "런타임": "RuntimeError",
    r"실행\s*시간": "RuntimeError",
    "실행": "RuntimeError",
    "타입": "TypeError",
    "자료형": "TypeError",
    "형식": "TypeError",
    "값": "ValueError",
    "밸류": "ValueError",
    "인덱스": "IndexError",
    "색인": "IndexError",
    "어트리뷰트": "AttributeError",
    "애트리뷰트": "AttributeError",
    "속성": "AttributeError",
    "키": "KeyError",
    "네임": "NameError",
    "이름": "NameError",
    "메모리": "MemoryError",
    "임포트": "ImportError",
    "재귀": "RecursionError",
}
_B, _E = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"
_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)*+", re.A)
_SPACED = re.compile(
    rf"{_B}({'|'.join(_ENGLISH_NAMES)})[\s_-]+(?:error|exception)s?{_E}(?![\s-]*free)", re.I
)
_KOREAN = re.compile(rf"(?<![가-힣])({'|'.join(_KOREAN_NAMES)})\s*(?:에러|오류|예외)")


def canonical(name: str) -> str:
    """`RuntimeError` for `runtimeerror`, `RuntimeException` or `torch.RuntimeError`."""
    name = name.strip()
    return (_IDENTIFIER.fullmatch(name) and _type_of(name)) or name


def _type_of(word: str) -> str | None:
    """The exception type an identifier names, if it names one: known names in any case,
    others when written `SomethingError`."""
    last = word.rpartition(".")[2]
    for suffix in ("errors", "exceptions", "error", "exception"):
        base, typed = last[: -len(suffix)], last[-len(suffix) :]
        if base and typed.lower() == suffix:
            known = _BY_BASE.get(base.replace("_", "").lower())
            if known or not typed[0].isupper():
                return known
            return f"{base}{typed.removesuffix('s')}"
    return None


def named_types(text: str) -> list[tuple[int, int, str]]:
    """Every exception type named in `text`, as (start, end, canonical name), in order."""
    found: list[tuple[int, int, str]] = []
    for m in _IDENTIFIER.finditer(text):
        if name := _type_of(m[0]):
            found.append((m.start(), m.end(), name))
    for regex, table in ((_SPACED, _ENGLISH_NAMES), (_KOREAN, _KOREAN_NAMES)):
        for m in regex.finditer(text):
            name = next(n for key, n in table.items() if re.fullmatch(key, m[1], re.I))
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), name))
    return sorted(found)
