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

from pathlib import Path

from tutor.course.problems import Problem, problem
from tutor.course.proving import (
    VALUE_TRIES,
    most_frequent,
    never_drawn,
    prove_answers,
    typical_wrong_answers,
)
from tutor.quiz.load import read_quiz
from tutor.quiz.model import Quiz
from tutor.quiz.variant import MAX_DRAWS, Degenerate, Variant, VariantError, Variants

DEFAULT_VARIANTS = 30
# variant evaluations the values check may spend in all (a bound on its time)
VALUE_EVALUATIONS = 120
CHECK_SECRET = b"tutor quiz check: variants for proving questions, not for students"

__all__ = ["VALUE_TRIES", "check_quiz", "quiz_files", "typical_wrong_answers"]


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
        usable = [v.values for v in seen.values()]
        evaluate = maker.evaluate
        found.extend(
            never_drawn(quiz.path, quiz.params, lambda v: evaluate(v)[1], usable, VALUE_EVALUATIONS)
        )
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
    most = most_frequent(reasons)
    who = f"question `{most.question_id}`: " if most.question_id else ""
    return problem(
        quiz.path,
        most.line,
        f"{who}no usable variant in {MAX_DRAWS} draws for {failed} of {total} students; "
        f"most often: {most.reason}",
    )


def _prove(quiz: Quiz, variant: Variant) -> list[Problem]:
    questions = [q.question for q in quiz.questions()]
    return prove_answers(quiz.path, questions, variant.expected, variant.values)
