"""Provides the learner's saved progress: attempts, positions and settings in SQLite."""

from tutor.progress.model import Attempt, LessonSummary
from tutor.progress.paths import resolve_data_dir
from tutor.progress.store import DB_NAME, ProgressError, Store

__all__ = ["DB_NAME", "Attempt", "LessonSummary", "ProgressError", "Store", "resolve_data_dir"]
