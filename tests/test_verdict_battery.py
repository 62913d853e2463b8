"""A battery over every shipped question: right answers in the forms learners type are right,
wrong ones (misconceptions, negated, scaled, shifted, zeros, other choices, other errors) are
never right. Every expected value comes from the engine, sympy or the lesson itself."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from tutor.autograd.printing import format_tensor
from tutor.checking import grade
from tutor.course import build_trace, default_course_dir, format_answer, load_course

FULL_WIDTH = str.maketrans("0123456789.-,[]", "０１２３４５６７８９．－，［］")


@cache
def questions() -> list[tuple[str, object, object]]:
    found = []
    for lesson in load_course(default_course_dir()).lessons:
        trace = build_trace(lesson)
        found += [(f"{lesson.id}/{q.id}", q, trace.expected[q.id]) for q in lesson.questions()]
    return found


def _numeric_right(value: np.ndarray) -> list[str]:
    array = np.asarray(value, dtype=np.float32)
    printed = format_tensor(array, dtype="float32")
    three = np.vectorize(lambda v: f"{v:#.3g}".rstrip("."), otypes=[object])(
        array.astype(np.float64)
    )
    forms = [printed, printed.translate(FULL_WIDTH), printed.replace("-", "−")]
    forms += [
        str(np.asarray(three).tolist()).replace("'", ""),
        repr(array.astype(np.float64).tolist()),
    ]
    forms.append(str(np.vectorize(lambda v: f"{v:.6e}")(array).tolist()).replace("'", ""))
    return forms if array.ndim else [f.removeprefix("[").removesuffix("]") for f in forms]


def right_forms(expected) -> list[str]:
    kind, value = expected.kind, expected.value
    forms = [format_answer(expected)]
    if kind in ("tensor", "number", "backward-node"):
        forms += _numeric_right(value)
    elif kind == "grad_fn":
        forms += [f"grad_fn=<{value}>", str(value).lower(), f"<{value} object at 0x7f3a2c1d>"]
    elif kind == "choice":
        forms += [f"({value + 1})", f"{value + 1}번", f"option {value + 1}"]
        forms += [expected.choices[value].en, expected.choices[value].ko]
    elif kind == "outcome" and value.error is not None:
        forms += [
            value.error,
            f"it raises {value.error}",
            f"{value.error} 발생",
            f"{value.error}: {value.message}",
        ]
    elif kind == "expression":
        forms += [str(value).replace("**", "^"), str(2 * value / 2)]
    return forms


def wrong_forms(expected) -> list[str]:
    kind, value = expected.kind, expected.value
    others: list[object] = [alt for alt in expected.alternatives.values()]
    texts: list[str] = []
    if kind in ("tensor", "number", "backward-node"):
        array = np.asarray(value, dtype=np.float64)
        scale = np.abs(array).max() if array.size else 0
        if scale > 0:
            others += [-array, 2 * array, array * 1.01, array + scale * 0.01, np.zeros_like(array)]
        others.append(array + 1)
        if scale > 0:
            zeros = np.full(array.shape, "0.0000e9", dtype=object)
            texts.append("0.0000e9" if array.ndim == 0 else str(zeros.tolist()).replace("'", ""))
    elif kind == "choice":
        others += [i for i in range(len(expected.choices)) if i != value]
    elif kind == "grad_fn":
        others += [n for n in (*expected.neighbours, "AddBackward0", "MulBackward0") if n != value]
    elif kind == "outcome" and value.error is not None:
        texts += ["no error", "it does not raise an error", "It doesn't fail", "오류가 나지 않는다"]
        texts += [e for e in ("ValueError", "TypeError", "IndexError") if e != value.error]
        texts += [f"It raises a {e}" for e in ("ValueError", "TypeError") if e != value.error]
    elif kind == "outcome":
        texts += ["RuntimeError", "it raises an error", "에러가 난다"]
    elif kind == "expression":
        others += [2 * value, -value, value + 1]
    for other in others:
        try:
            texts.append(format_answer(replace(expected, value=other)))
        except Exception:
            continue
    return texts


@pytest.mark.parametrize("where", [w for w, _, _ in questions()])
def test_right_answers_in_every_form_are_right(where):
    ((_, question, expected),) = [q for q in questions() if q[0] == where]
    for text in right_forms(expected):
        verdict = grade(question, expected, text)
        assert verdict.correct, (text, verdict.feedback.en)


@pytest.mark.parametrize("where", [w for w, _, _ in questions()])
def test_wrong_answers_are_never_right(where):
    ((_, question, expected),) = [q for q in questions() if q[0] == where]
    right = format_answer(expected)
    for text in wrong_forms(expected):
        if text == right:
            continue
        verdict = grade(question, expected, text)
        assert not verdict.correct, (text, verdict.feedback.en)
