"""Provides Verdict, the graded result of one typed answer, and the few ways one is made."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.text import Text

VERDICTS = ("correct", "partial", "wrong", "unreadable")


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right, how much of it (0..1), what to tell the learner and why.

    An unreadable answer (`readable` False) could not be read as the kind asked: it costs the
    learner no attempt and is never stored as a score.
    """

    correct: bool
    score: float
    feedback: Text
    misconception: str | None = None
    readable: bool = True

    @property
    def outcome(self) -> str:
        """One of VERDICTS: correct, partial (some credit), wrong or unreadable."""
        if not self.readable:
            return "unreadable"
        if self.correct:
            return "correct"
        return "partial" if self.score > 0 else "wrong"


CORRECT = Text("Correct.", "정답입니다.")


def right(note: Text | None = None) -> Verdict:
    """A correct answer, with an optional note on how it was read."""
    if note is None:
        return Verdict(True, 1.0, CORRECT)
    return Verdict(True, 1.0, Text(f"Correct. {note.en}", f"정답입니다. {note.ko}"))


def wrong(feedback: Text, score: float = 0.0, misconception: str | None = None) -> Verdict:
    """A wrong (or partly right) answer; the score is clipped into [0, 1]."""
    return Verdict(False, min(1.0, max(0.0, float(score))), feedback, misconception)


def unreadable(problem: Text) -> Verdict:
    """An answer that could not be read as the kind asked: no score, no attempt used."""
    return Verdict(False, 0.0, problem, readable=False)
