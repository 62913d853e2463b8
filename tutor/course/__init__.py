"""Provides the course: lesson files loaded into frozen data, traced, and checked.

The API the interface uses:
- `load_course(dir) -> Course` (CourseError lists every `path:line: message` problem);
  `default_course_dir()` is the shipped course.
- `Course` (id, title, lessons in order, concepts), `Concept` (id, title, misconceptions),
  `Lesson` (id, title, program, steps), `Step` (after, node, text, questions), `Question`
  (id, kind, prompt, hints, choices, concepts, …).
- `build_trace(lesson) -> LessonTrace`: the snapshot at each step and every question's
  `Expected` (tutor.checking), computed once.
- `format_answer(expected) -> str`: the computed answer as a learner would type it.

Names are imported on first use, so loading a course does not import numpy or the engine.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "format_answer": "tutor.course.answer_key",
    "load_course": "tutor.course.load",
    "load_lesson": "tutor.course.load",
    "KINDS": "tutor.course.model",
    "Choice": "tutor.course.model",
    "Concept": "tutor.course.model",
    "Course": "tutor.course.model",
    "Derivative": "tutor.course.model",
    "Lesson": "tutor.course.model",
    "Question": "tutor.course.model",
    "Step": "tutor.course.model",
    "default_course_dir": "tutor.course.paths",
    "CourseError": "tutor.course.problems",
    "Problem": "tutor.course.problems",
    "LessonTrace": "tutor.course.trace",
    "StepTrace": "tutor.course.trace",
    "build_trace": "tutor.course.trace",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'tutor.course' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
