"""Provides the course: lesson files loaded into frozen data, traced, and checked.

The API the interface uses:
- `load_course(dir) -> Course` (CourseError lists every `path:line: message` problem);
  `default_course_dir()` is the shipped course.
- `Course` (id, title, lessons in order), `Lesson` (id, title, program, steps), `Step` (after,
  node, text, questions), `Question` (id, kind, prompt, hints, choices, …).
- `build_trace(lesson) -> LessonTrace`: the program run once through tutor.program's Stepper;
  `.snapshots` (every Snapshot in order), `.steps` (a StepTrace per Step: `.snapshot`,
  `.snapshot_index`, `.expected` by question id) and `.expected` (question id -> `Expected`
  of tutor.checking, ready for `tutor.checking.grade(question, expected, text)`).
- `format_answer(expected) -> str`: the computed answer as a learner would type it.
"""

from __future__ import annotations

from tutor.course.answer_key import format_answer
from tutor.course.load import load_course, load_lesson
from tutor.course.model import KINDS, Choice, Course, Derivative, Lesson, Question, Step
from tutor.course.paths import default_course_dir
from tutor.course.problems import CourseError, Problem
from tutor.course.trace import LessonTrace, StepTrace, build_trace

__all__ = [
    "KINDS",
    "Choice",
    "Course",
    "CourseError",
    "Derivative",
    "Lesson",
    "LessonTrace",
    "Problem",
    "Question",
    "Step",
    "StepTrace",
    "build_trace",
    "default_course_dir",
    "format_answer",
    "load_course",
    "load_lesson",
]
