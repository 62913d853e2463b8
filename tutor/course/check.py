"""Provides check_course: every problem in a course, as `tutor check` reports them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.course.answer_key import format_answer
from tutor.course.load import read_course
from tutor.course.model import Lesson, Question
from tutor.course.problems import CourseError, Problem, problem
from tutor.course.trace import build_trace


def check_course(directory: Path | str) -> tuple[list[Problem], int]:
    """All problems found in the course (sorted by file and line) and how many questions were
    proven answerable: loaded, traced, and their computed answer grading correct."""
    course, found = read_course(Path(directory))
    proven = 0
    for lesson in course.lessons if course is not None else ():
        lesson_found, lesson_proven = check_lesson(lesson)
        found.extend(lesson_found)
        proven += lesson_proven
    return sorted(set(found)), proven


def check_lesson(lesson: Lesson) -> tuple[list[Problem], int]:
    """The lesson's problems once run: steps reached, answers computed and graded correct."""
    try:
        trace = build_trace(lesson)
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
    return found, proven


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
