"""Provides check_course: every problem in a course, as `tutor check` reports them."""

from __future__ import annotations

from pathlib import Path

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
        found.extend(_misconception_ids(lesson, question))
        problem_found = _grades_correct(lesson, question, expected)
        if problem_found is None:
            proven += 1
        else:
            found.append(problem_found)
    return found, proven


def _misconception_ids(lesson: Lesson, question: Question) -> list[Problem]:
    from tutor.checking import MISCONCEPTIONS

    return [
        problem(
            lesson.path, question.line, f"question `{question.id}`: unknown misconception `{name}`"
        )
        for name in question.misconceptions
        if name not in MISCONCEPTIONS
    ]


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
