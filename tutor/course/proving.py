"""Provides what proves a template's variants, for `tutor check` on lessons and quizzes alike:
each variant's computed answers grade correct and typical wrong answers do not
(prove_answers), and every value of every parameter can be drawn (never_drawn).

A value no usable variant has is tried with values of the other parameters (all their
combinations when there are at most VALUE_TRIES, else VALUE_TRIES of them: the usable variants'
values with this value in place, then seeded random ones) until one makes a usable variant; a
value with none is reported at its parameter's line, since no learner ever gets it: every draw
of it is redrawn. The values check spends at most `bound` variant evaluations in all, on the
numbers nearest 0 first; the values of a very large range left over after that are not tried.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.course.answer_key import format_answer
from tutor.course.check import misconception_problems
from tutor.course.degenerate import Degenerate
from tutor.course.model import Question
from tutor.course.params import Param
from tutor.course.problems import Problem, problem

# combinations of the other parameters tried with a value no usable variant has
VALUE_TRIES = 20
_OTHER_NODES = ("AddBackward0", "MulBackward0", "SumBackward0")

# what a variant's values make: its answers by question id, or why it cannot be used
Evaluate = Callable[[Mapping[str, object]], object]


def prove_answers(
    path: Path,
    questions: Sequence[Question],
    expected: Mapping[str, Any],
    values: Mapping[str, object],
    *,
    right: bool = True,
) -> list[Problem]:
    """The problems of one variant: a named misconception that cannot fire, a computed answer
    that does not grade full marks (both unless `right` is False: already proven), a typical
    wrong answer that grades correct."""
    from tutor.checking import grade

    found = []
    shown = ", ".join(f"{k} = {v!r}" for k, v in values.items())
    for question in questions:
        value = expected[question.id]
        answer = format_answer(value)
        where = f"question `{question.id}` (with {shown}): "
        if right:
            found.extend(misconception_problems(path, question, value))
            try:
                verdict = grade(question, value, answer)
            except Exception as error:  # a grading fault is the question's problem, not a crash
                verdict = None
                found.append(
                    problem(path, question.line, f"{where}grading `{answer}` failed: {error}")
                )
            if verdict is not None and not verdict.correct:
                found.append(
                    problem(
                        path,
                        question.line,
                        f"{where}the computed answer `{answer}` does not grade full marks "
                        f"({verdict.feedback.en})",
                    )
                )
        for label, text in typical_wrong_answers(value):
            if text == answer:
                continue
            if grade(question, value, text).correct:
                found.append(
                    problem(
                        path,
                        question.line,
                        f"{where}the wrong answer `{text}` ({label}) grades correct",
                    )
                )
    return found


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


def most_frequent(reasons: Sequence[Degenerate]) -> Degenerate:
    """The reason given most often (question, line and reason alike), the first on a tie."""
    counts = Counter((r.question_id, r.line, r.reason) for r in reasons)
    (question_id, line, reason), _ = counts.most_common(1)[0]
    return Degenerate(question_id, line, reason)


def never_drawn(
    path: Path,
    params: Sequence[Param],
    evaluate: Evaluate,
    usable: list[Mapping[str, object]],
    bound: int,
) -> list[Problem]:
    """A problem for each parameter value with which every variant tried is degenerate
    (`evaluate` gives a Degenerate for such values; `usable`: the values of usable variants,
    which prove their own values drawable; `bound`: the evaluations allowed in all)."""
    pending: list[list[_Value]] = []
    for number, param in enumerate(params):
        drawn = {repr(values[param.name]) for values in usable}
        pending.append(
            [
                _Value(param, value, _tries(params, param, value, usable, (number, index)))
                for index, value in _simplest_first(param.values)
                if repr(value) not in drawn
            ]
        )
    # the parameters in turn, each value tried until it is proven either way
    left = bound
    order = [v for v in itertools.chain(*itertools.zip_longest(*pending)) if v is not None]
    for value in order:
        while left and value.usable is None:
            left -= 1
            value.try_next(evaluate)
    return [value.problem(path) for value in order if value.usable is False]


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

    def try_next(self, evaluate: Evaluate) -> None:
        values = next(self.combinations, None)
        if values is None:
            self.usable = False
            return
        self.tried += 1
        result = evaluate(values)
        if not isinstance(result, Degenerate):
            self.usable = True
            return
        self.reasons.append(result)
        if self.tried == self.count:
            self.usable = False

    def problem(self, path: Path) -> Problem:
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
            path,
            self.param.line,
            f"value {shown(self.value)} of parameter `{self.param.name}` can never be drawn: "
            f"{which} is degenerate ({why})",
        )


def _tries(
    params: Sequence[Param],
    param: Param,
    value: object,
    usable: list[Mapping[str, object]],
    seed: tuple[int, int],
) -> tuple[Iterator[dict[str, object]], int, int]:
    """The values to try `value` of `param` with, how many, and how many combinations of
    values the other parameters have (all of them are tried when there are VALUE_TRIES or
    fewer)."""
    others = [p for p in params if p is not param]
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


def shown(value: object) -> str:
    """A parameter value as a file writes it: 0, 1.5, "relu", [2, 3]."""
    return json.dumps(list(value) if isinstance(value, tuple) else value)
