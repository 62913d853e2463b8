"""Provides grade(): one typed answer checked against its expected value, whatever its kind."""

from __future__ import annotations

import os

import numpy as np

from tutor.checking.answers import MAX_CHARS, AnswerError, check_length
from tutor.checking.choices import grade_choice
from tutor.checking.expected import Expected, Outcome
from tutor.checking.expressions import grade_expression
from tutor.checking.names import grade_grad_fn
from tutor.checking.outcomes import grade_outcome
from tutor.checking.tensors import grade_array
from tutor.checking.verdict import Verdict, unreadable
from tutor.text import Text, clean

STRICT_ENV = "TUTOR_STRICT_GRADING"


def strict() -> bool:
    """Whether an internal grading error raises (tests) instead of becoming a learner's line."""
    return os.environ.get(STRICT_ENV) == "1"


def _dispatch(question: object, expected: Expected, text: str) -> Verdict:
    kind, value, alternatives = expected.kind, expected.value, expected.alternatives
    if kind in ("tensor", "backward-node", "number"):
        flatten = bool(getattr(question, "flatten", False))
        return grade_array(
            value,
            text,
            alternatives,
            flatten=flatten,
            single=kind == "number",
            role=expected.asks,
            bindings=expected.bindings,
        )
    if kind == "expression":
        return grade_expression(value, expected.variables, text, alternatives)
    if kind == "choice" and isinstance(value, int | np.integer):
        return grade_choice(int(value), expected.choices, text, alternatives)
    if kind == "grad_fn":
        name = "None" if value is None else str(value)
        return grade_grad_fn(name, text, expected.neighbours, alternatives)
    if kind == "outcome" and isinstance(value, Outcome):
        return grade_outcome(value, text, alternatives)
    return unreadable(
        Text(
            f"This question cannot be graded (kind {kind!r}).",
            f"이 문제는 채점할 수 없습니다 (종류 {kind!r}).",
        )
    )


def grade(question: object, expected: Expected, text: str) -> Verdict:
    """Check what a learner typed; never raises on anything typed."""
    if not isinstance(text, str):
        return unreadable(Text("The answer must be text.", "답은 글자로 입력해야 합니다."))
    if len(text) > MAX_CHARS:
        return unreadable(
            Text(
                f"That answer is too long (over {MAX_CHARS:,} characters).",
                f"답이 너무 깁니다 ({MAX_CHARS:,}자 초과).",
            )
        )
    text = clean(text)
    if not text.strip():
        return unreadable(Text("Type an answer first.", "먼저 답을 입력하세요."))
    try:
        check_length(text)
        return _dispatch(question, expected, text)
    except AnswerError as error:
        return unreadable(error.text)
    except RecursionError:
        return unreadable(
            Text("That answer is nested too deeply.", "답이 너무 깊게 중첩되어 있습니다.")
        )
    except Exception:
        if strict():
            raise
        # The last guard of the boundary: a learner never sees a traceback for what they typed.
        return unreadable(
            Text(
                "That answer could not be checked; try writing it another way.",
                "이 답은 확인할 수 없습니다. 다른 방식으로 써 보세요.",
            )
        )
