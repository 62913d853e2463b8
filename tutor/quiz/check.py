"""Provides check_quiz: a quiz proven usable, as STACK's question tests do, over many variants.

For each generated student: a usable variant is found within the redraw bound, every question's
computed answer grades full marks, and typical wrong answers (the question's misconceptions, the
answer negated or doubled, the other choices, a neighbouring node) do not.

And every value of every parameter can be drawn: a value no usable variant of the students has
is tried with values of the other parameters (all their combinations when there are at most
VALUE_TRIES, else VALUE_TRIES of them: the students' usable variants with this value in place,
then seeded random ones) until one makes a usable variant; a value with none is reported at its
parameter's line, since a student never gets it: every draw of it is redrawn. This costs at
most VALUE_EVALUATIONS variant evaluations in all, spent on the numbers nearest 0 first; the
values of a very large range left over after that are not tried.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.course.answer_key import format_answer
from tutor.course.check import misconception_problems
from tutor.course.problems import Problem, problem
from tutor.quiz.load import read_quiz
from tutor.quiz.model import Param, Quiz, QuizQuestion
from tutor.quiz.variant import MAX_DRAWS, Degenerate, Variant, VariantError, Variants

DEFAULT_VARIANTS = 30
# combinations of the other parameters tried with a value no student's variant has
VALUE_TRIES = 20
# variant evaluations the values check may spend in all (a bound on its time)
VALUE_EVALUATIONS = 120
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
    seen: dict[tuple, Variant] = {}
    for index in range(variants):
        try:
            variant = maker.for_student(f"check-{index}")
        except VariantError as error:
            failed += 1
            failures.extend(error.reasons)
            continue
        key = tuple(repr(v) for v in variant.values.values())
        if key not in seen:
            seen[key] = variant
            found.extend(_prove(quiz, variant))
    if failed:
        found.append(_no_variant(quiz, failures, failed, variants))
    if seen:  # with no usable variant at all, the problem above says it for every value
        found.extend(never_drawn(quiz, maker, [v.values for v in seen.values()]))
    return sorted(set(found))


def never_drawn(quiz: Quiz, maker: Variants, usable: list[Mapping[str, object]]) -> list[Problem]:
    """A problem for each parameter value with which every variant tried is degenerate
    (`usable`: the values of usable variants, which prove their own values drawable)."""
    pending: list[list[_Value]] = []
    for number, param in enumerate(quiz.params):
        drawn = {repr(values[param.name]) for values in usable}
        pending.append(
            [
                _Value(param, value, _tries(quiz, param, value, usable, (number, index)))
                for index, value in _simplest_first(param.values)
                if repr(value) not in drawn
            ]
        )
    # the parameters in turn, each value tried until it is proven either way
    left = VALUE_EVALUATIONS
    order = [v for v in itertools.chain(*itertools.zip_longest(*pending)) if v is not None]
    for value in order:
        while left and value.usable is None:
            left -= 1
            value.try_next(maker)
    return [value.problem(quiz) for value in order if value.usable is False]


def _simplest_first(values: tuple[object, ...]) -> list[tuple[int, object]]:
    """(index, value) with the numbers nearest 0 first (0, 1, -1, 2 …: the values that make a
    variant degenerate most often, tried first when a parameter has more values than the
    bound allows), then the others in their order."""

    def key(item: tuple[int, object]) -> tuple:
        index, value = item
        if isinstance(value, int | float):
            return (0, abs(value), value < 0, index)
        return (1, index)

    return sorted(enumerate(values), key=key)


class _Value:
    """One parameter value being tried: `usable` is True once a usable variant has it, False
    once every try was degenerate, None while tries are left."""

    def __init__(self, param: Param, value: object, tries: tuple[Iterator, int, int]) -> None:
        self.param, self.value = param, value
        # the draws to try, how many there are, and how many combinations the others have
        self.combinations, self.count, self.total = tries
        self.tried = 0
        self.usable: bool | None = None
        self.reasons: list[Degenerate] = []

    def try_next(self, maker: Variants) -> None:
        values = next(self.combinations, None)
        if values is None:
            self.usable = False
            return
        self.tried += 1
        result = maker.evaluate(values)[1]
        if not isinstance(result, Degenerate):
            self.usable = True
            return
        self.reasons.append(result)
        if self.tried == self.count:
            self.usable = False

    def problem(self, quiz: Quiz) -> Problem:
        (question_id, reason), _ = Counter(
            (r.question_id, r.reason) for r in self.reasons
        ).most_common(1)[0]
        why = f"question `{question_id}`: {reason}" if question_id else reason
        which = (
            "every variant with it"
            if self.tried == self.total
            else f"every variant tried with it ({self.tried} of {self.total})"
        )
        return problem(
            quiz.path,
            self.param.line,
            f"value {_shown(self.value)} of parameter `{self.param.name}` can never be drawn: "
            f"{which} is degenerate ({why})",
        )


def _tries(
    quiz: Quiz,
    param: Param,
    value: object,
    usable: list[Mapping[str, object]],
    seed: tuple[int, int],
) -> tuple[Iterator[dict[str, object]], int, int]:
    """The values to try `value` of `param` with, how many, and how many combinations of
    values the other parameters have (all of them are tried when there are VALUE_TRIES or
    fewer)."""
    others = [p for p in quiz.params if p is not param]
    total = math.prod(len(p.values) for p in others)
    if total <= VALUE_TRIES:
        every = (
            {param.name: value, **{p.name: v for p, v in zip(others, combo, strict=True)}}
            for combo in itertools.product(*(p.values for p in others))
        )
        return every, total, total
    return _sampled(param, value, others, usable, seed), VALUE_TRIES, total


def _sampled(
    param: Param,
    value: object,
    others: list[Param],
    usable: list[Mapping[str, object]],
    seed: tuple[int, int],
) -> Iterator[dict[str, object]]:
    """VALUE_TRIES distinct draws with `value`: the usable variants' values with `value` in
    place, then random values of the other parameters (a generator seeded by `seed`)."""
    given: set[tuple[str, ...]] = set()

    def fresh(draw: dict[str, object]) -> bool:
        key = tuple(repr(draw[p.name]) for p in others)
        if key in given:
            return False
        given.add(key)
        return True

    for values in usable:
        draw = {**values, param.name: value}
        if fresh(draw):
            yield draw
            if len(given) == VALUE_TRIES:
                return
    rng = np.random.default_rng(seed)
    for _ in range(VALUE_TRIES * 10):  # distinct draws are many (total > VALUE_TRIES)
        draw = {p.name: p.values[int(rng.integers(len(p.values)))] for p in others}
        if fresh(draw):
            yield {param.name: value, **draw}
            if len(given) == VALUE_TRIES:
                return


def _shown(value: object) -> str:
    """A parameter value as the quiz file writes it: 0, 1.5, "relu", [2, 3]."""
    return json.dumps(list(value) if isinstance(value, tuple) else value)


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
