"""Provides the learner's saved progress: attempts, positions, settings and spaced-review
schedules in SQLite (or PostgreSQL), and what they add up to (scores, settled questions, steps
done, questions due). The review rules are tutor.progress.spacing (imported when first used:
it loads fsrs)."""

from tutor.progress.model import Attempt, Due
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
    "Due",
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
