"""Provides the small pieces of wording derivations share: Korean particles and the output's name."""

from __future__ import annotations

import sympy

# Read aloud, these end in a consonant: 영 일 삼 육 칠 팔 (0 1 3 6 7 8); 엘 엠 엔 알 (l m n r);
# a superscript is read …제곱, also a consonant.
_CONSONANT_ENDINGS = set("013678lmnrLMNR⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ")
_SKIPPED = set(" )]|}'′")


def _ends_in_consonant(text: str) -> bool:
    for char in reversed(text):
        if char in _SKIPPED:
            continue
        if "가" <= char <= "힣":
            return (ord(char) - ord("가")) % 28 != 0
        return char in _CONSONANT_ENDINGS
    return False


def josa(word: str, pair: str) -> str:
    """The particle of `pair` ("은는", "을를", "이가", "과와") that follows `word` read aloud."""
    return pair[0] if _ends_in_consonant(word) else pair[1]


def output_name(expr: sympy.Expr, var: sympy.Symbol) -> str:
    """What the differentiated expression is called: y, unless that name is already taken."""
    taken = {s.name for s in expr.free_symbols} | {var.name}
    return next(name for name in ("y", "f", "L", "F", "output") if name not in taken)
