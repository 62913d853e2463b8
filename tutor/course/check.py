"""Provides check_course: every problem in a course, as `tutor check` reports them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.course.answer_key import format_answer
from tutor.course.load import COURSE_FILE, read_course
from tutor.course.model import Course, Lesson, Question
from tutor.course.problems import CourseError, Problem, problem

if TYPE_CHECKING:
    from tutor.course.variants import LessonVariants

# a lesson with [params]: fresh draws proven besides its canonical variant, and the variant
# evaluations its values check may spend (a bound on the time `tutor check` takes)
LESSON_DRAWS = 6
LESSON_EVALUATIONS = 40


def check_course(directory: Path | str) -> tuple[list[Problem], int]:
    """All problems found in the course (sorted by file and line) and how many questions were
    proven answerable: loaded, traced, and their computed answer grading correct."""
    course, found = read_course(Path(directory))
    if course is not None and not found:  # cross-checked once every file reads
        found.extend(concept_problems(course))
    proven = 0
    for lesson in course.lessons if course is not None else ():
        lesson_found, lesson_proven = check_lesson(lesson)
        found.extend(lesson_found)
        proven += lesson_proven
    return sorted(set(found)), proven


def check_lesson(lesson: Lesson) -> tuple[list[Problem], int]:
    """The lesson's problems once run: steps reached, answers computed and graded correct;
    a lesson with `[params]` has its variants proven too (variant_problems)."""
    from tutor.course.variants import LessonVariants

    variants = LessonVariants(lesson, random.Random(f"tutor check: {lesson.id}"))
    try:
        trace = variants.canonical().trace
    except CourseError as error:
        return list(error.problems), 0
    found: list[Problem] = []
    proven = 0
    for question in lesson.questions():
        expected = trace.expected[question.id]
        found.extend(misconception_problems(lesson.path, question, expected))
        problem_found = _grades_correct(lesson, question, expected)
        if problem_found is None:
            proven += 1
        else:
            found.append(problem_found)
    if lesson.params and not found:
        found.extend(variant_problems(variants))
    return found, proven


def variant_problems(variants: LessonVariants, draws: int = LESSON_DRAWS) -> list[Problem]:
    """A lesson with `[params]` proven as `tutor quiz check` proves a quiz: its canonical
    variant refuses typical wrong answers; `draws` seeded retries (each a fresh draw, as a
    learner's retry gets) find a usable variant, whose computed answers grade full marks and
    whose typical wrong answers do not; and every value of every parameter can be drawn."""
    from tutor.course.proving import most_frequent, never_drawn, prove_answers
    from tutor.course.variants import MAX_DRAWS, NoVariant

    lesson = variants.lesson
    try:
        canonical = variants.canonical()
    except CourseError as error:
        return list(error.problems)
    found = prove_answers(
        lesson.path, lesson.questions(), canonical.trace.expected, canonical.values, right=False
    )
    usable = {repr(dict(canonical.values)): canonical}
    failures: list = []
    failed = 0
    current = canonical.values
    for _ in range(draws):
        try:
            drawn = variants.draw(avoid=current)
        except NoVariant as error:
            failed += 1
            failures.extend(error.reasons)
            continue
        current = drawn.values
        key = repr(dict(drawn.values))
        if key not in usable:
            usable[key] = drawn
            found.extend(
                prove_answers(
                    lesson.path, drawn.lesson.questions(), drawn.trace.expected, drawn.values
                )
            )
    if failed:
        most = most_frequent(failures)
        who = f"question `{most.question_id}`: " if most.question_id else ""
        found.append(
            problem(
                lesson.path,
                most.line,
                f"{who}no usable variant in {MAX_DRAWS} draws for {failed} of {draws} retries; "
                f"most often: {most.reason}",
            )
        )
    values = [drawn.values for drawn in usable.values()]
    found.extend(
        never_drawn(lesson.path, lesson.params, variants.evaluate, values, LESSON_EVALUATIONS)
    )
    return found


def concept_problems(course: Course) -> list[Problem]:
    """What ties questions to concepts: the course declares concepts, every question names
    declared ones, every concept is named by a question, and every misconception a question
    names belongs to a concept (and those a concept lists exist)."""
    from tutor.checking import MISCONCEPTIONS

    course_file = course.path / COURSE_FILE
    if not course.concepts:
        return [
            problem(
                course_file,
                1,
                "no [[concept]]: declare the ideas the course teaches, and name them in each "
                "question's `concepts`",
            )
        ]
    declared = {concept.id for concept in course.concepts}
    owners = course.misconception_concepts()
    named: set[str] = set()
    told: set[str] = set()  # a misconception without a concept is told where first named
    found = []
    for lesson in course.lessons:
        for question in lesson.questions():
            where = f"question `{question.id}`"
            messages = []
            if not question.concepts:
                messages.append(
                    f"{where} names no concept: add `concepts = [...]` with ids of "
                    "course.toml's [[concept]] tables"
                )
            messages += [
                f"{where}: concept `{concept_id}` is not declared in course.toml"
                for concept_id in question.concepts
                if concept_id not in declared
            ]
            for name in question.misconceptions:
                if name in MISCONCEPTIONS and name not in owners and name not in told:
                    told.add(name)
                    messages.append(
                        f"{where}: misconception `{name}` belongs to no concept: list it under "
                        "one [[concept]] of course.toml"
                    )
            named.update(question.concepts)
            found += [problem(lesson.path, question.line, message) for message in messages]
    for concept in course.concepts:
        messages = [] if concept.id in named else [f"concept `{concept.id}`: no question names it"]
        messages += [
            f"concept `{concept.id}`: misconception `{name}` is unknown"
            for name in concept.misconceptions
            if name not in MISCONCEPTIONS
        ]
        found += [problem(course_file, concept.line, message) for message in messages]
    return found


def misconception_problems(path: Path, question: Question, expected: Any) -> list[Problem]:
    """A named misconception that is unknown, cannot explain this kind of question, or whose
    wrong answer is the right one (it could never fire)."""
    from tutor.checking import MISCONCEPTIONS
    from tutor.checking.misconceptions import fits

    found = []
    for name in question.misconceptions:
        where = f"question `{question.id}`: misconception `{name}`"
        if name not in MISCONCEPTIONS:
            found.append(problem(path, question.line, f"{where} is unknown"))
        elif not fits(name, expected.asks):
            roles = ", ".join(sorted(MISCONCEPTIONS[name].roles))
            found.append(
                problem(
                    path,
                    question.line,
                    f"{where} explains {roles} questions, not {expected.asks} questions",
                )
            )
        elif name in expected.alternatives and same_answer(expected, expected.alternatives[name]):
            found.append(
                problem(path, question.line, f"{where} gives the right answer, so it never fires")
            )
    return found


def same_answer(expected: Any, alternative: object) -> bool:
    """Whether a misconception's computed answer is the right answer itself."""
    import numpy as np

    kind, value = expected.kind, expected.value
    if kind == "expression":
        from tutor.symbolic.equivalence import equivalent

        return equivalent(alternative, value, expected.variables).equal
    if kind in ("tensor", "number", "backward-node"):
        from tutor.checking.detectors import same

        try:
            a, b = np.asarray(alternative, dtype=np.float64), np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return same(a, b)
    return alternative == value


def _grades_correct(lesson: Lesson, question: Question, expected: object) -> Problem | None:
    from tutor.checking import grade

    text = format_answer(expected)
    try:
        verdict = grade(question, expected, text)
    except Exception as error:  # a grading fault is reported as the question's problem
        return problem(
            lesson.path,
            question.line,
            f"question `{question.id}`: grading the computed answer `{text}` failed: "
            f"{type(error).__name__}: {error}",
        )
    if verdict.correct:
        return None
    return problem(
        lesson.path,
        question.line,
        f"question `{question.id}`: the computed answer `{text}` does not grade correct "
        f"({verdict.feedback.en})",
    )
