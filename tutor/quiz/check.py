"""Provides check_quiz: a quiz proven usable, as STACK's question tests do, over many variants.

For each generated student: a usable variant is found within the redraw bound, every question's
computed answer grades full marks, and typical wrong answers (the question's misconceptions, the
answer negated or doubled, the other choices, a neighbouring node) do not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.course.answer_key import format_answer
from tutor.course.check import misconception_problems
from tutor.course.problems import Problem, problem
from tutor.quiz.load import read_quiz
from tutor.quiz.model import Quiz, QuizQuestion
from tutor.quiz.variant import MAX_DRAWS, Degenerate, Variant, VariantError, Variants

DEFAULT_VARIANTS = 30
CHECK_SECRET = b"tutor quiz check: variants for proving questions, not for students"
_OTHER_NODES = ("AddBackward0", "MulBackward0", "SumBackward0")


def quiz_files(directory: Path | str) -> list[Path]:
    """The quiz files of a directory (`*.quiz.toml`), for `tutor check DIR`."""
    return sorted(Path(directory).glob("*.quiz.toml"))


def check_quiz(
    path: Path | str, variants: int = DEFAULT_VARIANTS, secret: bytes | None = None
) -> list[Problem]:
    """Every problem found in the quiz file, sorted, each `path:line: message`."""
    quiz, found = read_quiz(Path(path))
    if quiz is None:
        return sorted(set(found))
    found = list(_misconception_ids(quiz))
    maker = Variants(quiz, secret or CHECK_SECRET)
    failures: list[Degenerate] = []
    failed = 0
    seen: set[tuple] = set()
    for index in range(variants):
        try:
            variant = maker.for_student(f"check-{index}")
        except VariantError as error:
            failed += 1
            failures.extend(error.reasons)
            continue
        key = tuple(repr(v) for v in variant.values.values())
        if key not in seen:
            seen.add(key)
            found.extend(_prove(quiz, variant))
    if failed:
        found.append(_no_variant(quiz, failures, failed, variants))
    return sorted(set(found))


def _misconception_ids(quiz: Quiz) -> list[Problem]:
    from tutor.checking import MISCONCEPTIONS

    return [
        problem(quiz.path, q.question.line, f"question `{q.id}`: misconception `{name}` is unknown")
        for q in quiz.questions()
        for name in q.question.misconceptions
        if name not in MISCONCEPTIONS
    ]


def _no_variant(quiz: Quiz, reasons: list[Degenerate], failed: int, total: int) -> Problem:
    (question_id, line, reason), _ = Counter(
        (r.question_id, r.line, r.reason) for r in reasons
    ).most_common(1)[0]
    who = f"question `{question_id}`: " if question_id else ""
    return problem(
        quiz.path,
        line,
        f"{who}no usable variant in {MAX_DRAWS} draws for {failed} of {total} students; "
        f"most often: {reason}",
    )


def _prove(quiz: Quiz, variant: Variant) -> list[Problem]:
    from tutor.checking import grade

    found = []
    values = ", ".join(f"{k} = {v!r}" for k, v in variant.values.items())
    for question in quiz.questions():
        expected = variant.expected[question.id]
        found.extend(misconception_problems(quiz.path, question.question, expected))
        right = format_answer(expected)
        where = f"question `{question.id}` (with {values}): "
        try:
            verdict = grade(question.question, expected, right)
        except Exception as error:  # a grading fault is the question's problem, not a crash
            verdict = None
            found.append(_at(quiz, question, f"{where}grading `{right}` failed: {error}"))
        if verdict is not None and not verdict.correct:
            found.append(
                _at(
                    quiz,
                    question,
                    f"{where}the computed answer `{right}` does not grade full marks "
                    f"({verdict.feedback.en})",
                )
            )
        for label, text in typical_wrong_answers(expected):
            if text == right:
                continue
            if grade(question.question, expected, text).correct:
                found.append(
                    _at(
                        quiz, question, f"{where}the wrong answer `{text}` ({label}) grades correct"
                    )
                )
    return found


def _at(quiz: Quiz, question: QuizQuestion, message: str) -> Problem:
    return problem(quiz.path, question.question.line, message)


def typical_wrong_answers(expected: Any) -> list[tuple[str, str]]:
    """(label, typed text) of wrong answers a question must not accept."""
    kind, value = expected.kind, expected.value
    wrong: list[tuple[str, object]] = [
        (f"misconception {m}", alt) for m, alt in expected.alternatives.items()
    ]
    if kind in ("tensor", "number", "backward-node"):
        array = np.asarray(value, dtype=np.float64)
        if np.any(np.abs(array) > 1e-6):
            wrong += [("negated", -value), ("doubled", 2 * value)]
    elif kind == "expression":
        wrong.append(("doubled", 2 * value))
    elif kind == "choice":
        wrong += [(f"choice {i + 1}", i) for i in range(len(expected.choices)) if i != value]
    elif kind == "grad_fn":
        names = [*expected.neighbours, *_OTHER_NODES]
        wrong += [(f"node {n}", n) for n in dict.fromkeys(names) if n != value]
    texts = []
    for label, other in wrong:
        try:
            texts.append((label, format_answer(replace(expected, value=other))))
        except Exception:  # an alternative that cannot be written down is not typed by anyone
            continue
    return texts
