"""Shared helpers for the quiz tests: fixture quizzes, secrets and signed submissions (no tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tutor.quiz.load import load_quiz
from tutor.quiz.model import Quiz
from tutor.quiz.secret import signing_key
from tutor.quiz.submission import Answer, Submission, write_submission

QUIZZES = Path(__file__).parent / "quizzes"
BASIC = QUIZZES / "basic.quiz.toml"
SECRET = b"a test secret that is long enough"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def basic_quiz() -> Quiz:
    return load_quiz(BASIC)


def write_quiz(tmp_path: Path, text: str, name: str = "q.quiz.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def submit(
    quiz: Quiz,
    student: str,
    answers: dict[str, str],
    out: Path,
    elapsed: float = 300.0,
    attempt: int = 1,
    quiz_id: str | None = None,
    secret: bytes = SECRET,
    name: str | None = None,
    start: datetime = START,
) -> Path:
    """A signed submission file, `elapsed` seconds after `start`."""
    submitted = start + timedelta(seconds=elapsed)
    submission = Submission(
        quiz_id=quiz_id or quiz.id,
        student_id=student,
        attempt=attempt,
        started_at=start,
        submitted_at=submitted,
        answers=tuple(Answer(q, t, submitted) for q, t in answers.items()),
    )
    path = out / (name or f"{student}-{attempt}.json")
    return write_submission(submission, signing_key(secret, quiz.id), path)


QUIZ_HEADER = """
format = 1
id = "t"
title = { en = "T", ko = "티" }
time_limit_minutes = 5
"""
