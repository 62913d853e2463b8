"""Provides Text, one learner-facing message in English and Korean, and clean(), the one way
text from outside (typed answers, files, the database) is made safe to show and store."""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("en", "ko")

# C0/C1 controls but tab and newline; bidi embeddings, overrides, isolates and marks; the
# invisible separators and BOM; lone surrogates (which no encoder can write).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def clean(text: str) -> str:
    """`text` with control and bidi characters removed and lone surrogates replaced by U+FFFD;
    tabs and newlines stay."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


@dataclass(frozen=True)
class Text:
    en: str
    ko: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def format(self, **values: object) -> Text:
        return Text(self.en.format(**values), self.ko.format(**values))
