"""Provides due_in: the questions of a course due for review now, as a review session asks them,
and due_count_in, how many, as the home screen says in its first frame (without fsrs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.model import Course
    from tutor.progress import Due, Store


def due_in(course: Course, store: Store) -> list[Due]:
    """The questions of `course` due now, oldest first (not those the course no longer has)."""
    asked = _asked(course)
    return [d for d in store.due(course.id) if (d.lesson_id, d.question_id) in asked]


def due_count_in(course: Course, store: Store) -> int:
    """How many of `course`'s questions are due now (the card table alone: fsrs not imported)."""
    asked = _asked(course)
    return sum(key in asked for key in store.due_keys(course.id))


def _asked(course: Course) -> set[tuple[str, str]]:
    return {(lesson.id, q.id) for lesson in course.lessons for q in lesson.questions()}
