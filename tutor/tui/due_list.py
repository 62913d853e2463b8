"""Provides due_in: the questions of a course due for review now, as the home screen counts
them and a review session asks them (light: imported before the first frame)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.model import Course
    from tutor.progress import Due, Store


def due_in(course: Course, store: Store) -> list[Due]:
    """The questions of `course` due now, oldest first (not those the course no longer has)."""
    asked = {(lesson.id, q.id) for lesson in course.lessons for q in lesson.questions()}
    return [d for d in store.due(course.id) if (d.lesson_id, d.question_id) in asked]
