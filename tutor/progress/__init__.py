"""Provides the learner's saved progress: attempts, positions and settings in SQLite, and what
they add up to (scores, settled questions, steps done)."""

from tutor.progress.model import Attempt
from tutor.progress.paths import resolve_data_dir
from tutor.progress.scores import (
    REVEAL_AFTER,
    LessonProgress,
    Outline,
    QuestionResult,
    as_percent,
    lesson_progress,
    lesson_score,
    next_unfinished,
    outline_of,
    question_results,
)
from tutor.progress.store import DB_NAME, ProgressError, Store

__all__ = [
    "DB_NAME",
    "REVEAL_AFTER",
    "Attempt",
    "LessonProgress",
    "Outline",
    "ProgressError",
    "QuestionResult",
    "Store",
    "as_percent",
    "lesson_progress",
    "lesson_score",
    "next_unfinished",
    "outline_of",
    "question_results",
    "resolve_data_dir",
]
