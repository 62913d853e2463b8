"""Provides the small pieces of wording derivations share: Korean particles and the output's name."""

from __future__ import annotations

import sympy

# Read aloud, these end in a consonant: 영 일 삼 육 칠 팔 (0 1 3 6 7 8); 엘 엠 엔 알 (l m n r);
# a superscript is read …제곱, also a consonant.
_CONSONANT_ENDINGS = set("013678lmnrLMNR⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ")
# ...and of those, these end in ㄹ: 일 칠 팔 (1 7 8), 엘 알 (l r); …제곱 does not.
_RIEUL_ENDINGS = set("178lrLR")
_SKIPPED = set(" )]|}'′")
_RIEUL = 8  # the final-consonant index of ㄹ in a Hangul syllable


def _final_sound(text: str) -> str:
    """ "" for a vowel, "ㄹ" for ㄹ, "c" for any other consonant, in the last sound of `text`."""
    for char in reversed(text):
        if char in _SKIPPED:
            continue
        if "가" <= char <= "힣":
            final = (ord(char) - ord("가")) % 28
            return "" if final == 0 else "ㄹ" if final == _RIEUL else "c"
        if char in _RIEUL_ENDINGS:
            return "ㄹ"
        return "c" if char in _CONSONANT_ENDINGS else ""
    return ""


def josa(word: str, pair: str) -> str:
    """The particle of `pair` ("은는", "을를", "이가", "과와", or "으로") that follows `word`
    read aloud; 으로 becomes 로 after a vowel or ㄹ."""
    sound = _final_sound(word)
    if pair == "으로":
        return "으로" if sound == "c" else "로"
    return pair[0] if sound else pair[1]


def output_name(expr: sympy.Expr, var: sympy.Symbol, *, loss: bool = False) -> str:
    """What the differentiated expression is called: y (L for a loss), unless that name is
    already taken."""
    taken = {s.name for s in expr.free_symbols} | {var.name}
    names = ("L", "y", "f", "F", "output") if loss else ("y", "f", "L", "F", "output")
    return next(name for name in names if name not in taken)
