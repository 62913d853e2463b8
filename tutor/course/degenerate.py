"""Provides degenerate(): why a draw of parameter values makes a bad variant, for lessons and
quizzes alike.

A variant is degenerate when an answer is nan or inf, a gradient is zero everywhere, a
derivative is zero, a misconception gives the right answer, or two questions have the same
answer. A lesson's canonical variant may have such a fault on purpose (a gradient zeroed to
show `zero_()`, two nodes passing on the same gradient): the faults it has are `allowed` in its
other variants, which are degenerate only by a fault of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.course.answer_key import format_answer
from tutor.course.model import Question

_GRADIENT = re.compile(r"\.\s*grad\b(?!_fn)")
_NUMERIC = ("tensor", "number", "backward-node")


@dataclass(frozen=True)
class Degenerate:
    """Why a draw cannot be used: the question (or None for the program), its line and the
    reason; `rule` names the fault without the values (what a canonical variant may allow)."""

    question_id: str | None
    line: int
    reason: str
    rule: str = ""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.question_id, self.rule or self.reason)


def degenerate(
    questions: Iterable[Question],
    expected: Mapping[str, Any],
    allowed: frozenset[tuple[str | None, str]] = frozenset(),
) -> Degenerate | None:
    """The first fault of these answers not `allowed` (by key), or None when they are fine."""
    return next((f for f in faults(questions, expected) if f.key not in allowed), None)


def faults(questions: Iterable[Question], expected: Mapping[str, Any]) -> Iterator[Degenerate]:
    """Every fault of these answers, question by question, in order."""
    seen: dict[tuple[str, str], str] = {}
    for question in questions:
        value = expected[question.id]
        for rule, reason in _bad_values(question, value):
            yield Degenerate(question.id, question.line, reason, rule)
        if question.kind in (*_NUMERIC, "expression"):
            group = "expression" if question.kind == "expression" else "numeric"
            signature = (group, format_answer(value))
            if signature in seen:
                yield Degenerate(
                    question.id,
                    question.line,
                    f"same answer as question `{seen[signature]}` ({signature[1]})",
                    f"same-answer:{seen[signature]}",
                )
            else:
                seen[signature] = question.id


def _bad_values(question: Question, expected: Any) -> Iterator[tuple[str, str]]:
    """(rule, reason) of each fault of one answer."""
    kind, value = question.kind, expected.value
    if kind in _NUMERIC:
        array = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(array)):
            yield "not-finite", "the answer has nan or inf"
            return
        gradient = kind == "backward-node" or _GRADIENT.search(question.answer or "")
        if gradient and np.all(np.abs(array) <= 1e-12):
            yield "zero-gradient", "the gradient is zero everywhere"
        for name, alternative in expected.alternatives.items():
            other = np.asarray(alternative, dtype=np.float64)
            if other.shape == array.shape and np.allclose(other, array, rtol=1e-5, atol=1e-8):
                yield f"misconception:{name}", f"the misconception `{name}` gives the right answer"
    if kind == "expression":
        if value == 0:
            yield "zero-derivative", "the derivative is zero"
        for name, alternative in expected.alternatives.items():
            if alternative == value:
                yield f"misconception:{name}", f"the misconception `{name}` gives the right answer"
