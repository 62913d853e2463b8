"""Provides Text: one learner-facing message in English and Korean, always both."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class Text:
    en: str
    ko: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def format(self, **values: object) -> Text:
        return Text(self.en.format(**values), self.ko.format(**values))
