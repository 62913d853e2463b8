"""Provides grade_submissions: every submission verified and regraded against the student's own
variant, partial credit and the late policy applied, and each student's row flagged."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tutor.quiz.model import Quiz, QuizError
from tutor.quiz.secret import check_student_id, signing_key
from tutor.quiz.submission import Submission, SubmissionError, read_submission
from tutor.quiz.variant import Variant, Variants

FLAGS = ("tampered", "wrong-quiz", "duplicate", "late", "missing", "unlisted", "no-variant")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class QuestionResult:
    """One question of one student: points earned (before any late penalty) and why."""

    question_id: str
    points: float
    max_points: float
    answered: bool = False
    correct: bool = False
    score: float = 0.0
    misconception: str | None = None


@dataclass(frozen=True)
class GradeRow:
    """One student's line of the gradebook. `graded` is False when no submission counted."""

    student_id: str
    results: tuple[QuestionResult, ...]
    total: float
    max_points: float
    flags: tuple[str, ...] = ()
    minutes_late: int = 0
    graded: bool = False
    source: Path | None = None


@dataclass(frozen=True)
class Gradebook:
    """Every student's row (sorted by id) and a line for each file that was not a submission."""

    quiz: Quiz
    rows: tuple[GradeRow, ...]
    unreadable: tuple[str, ...] = ()


def grade_submissions(
    quiz: Quiz,
    secret: bytes,
    paths: Iterable[Path],
    roster: Iterable[str] | None = None,
    progress: Progress | None = None,
    cache: bool = True,
) -> Gradebook:
    """Read, verify and regrade every submission file; students of `roster` without one are
    `missing`, students not on it `unlisted`. The score in a file is never read."""
    key = signing_key(secret, quiz.id)
    paths = list(paths)
    unreadable: list[str] = []
    by_student: dict[str, list[Submission]] = {}
    for path in paths:
        try:
            submission = read_submission(Path(path), key)
            check_student_id(submission.student_id)
        except (SubmissionError, QuizError) as error:
            unreadable.append(
                str(error) if isinstance(error, SubmissionError) else f"{path}: {error}"
            )
            continue
        by_student.setdefault(submission.student_id, []).append(submission)
    listed = None if roster is None else set(roster)
    variants = Variants(quiz, secret, cache=cache)
    rows = []
    done = len(unreadable)
    for student_id in sorted(by_student):
        rows.append(_row(quiz, variants, student_id, by_student[student_id], listed))
        done += len(by_student[student_id])
        if progress is not None:
            progress(done, len(paths))
    for student_id in sorted((listed or set()) - set(by_student)):
        rows.append(_empty(quiz, student_id, ("missing",)))
    rows.sort(key=lambda row: row.student_id)
    return Gradebook(quiz, tuple(rows), tuple(unreadable))


def _row(
    quiz: Quiz,
    variants: Variants,
    student_id: str,
    submissions: list[Submission],
    listed: set[str] | None,
) -> GradeRow:
    flags = set()
    if any(not s.authentic for s in submissions):
        flags.add("tampered")
    valid = [s for s in submissions if s.authentic]
    if any(s.quiz_id != quiz.id for s in valid):
        flags.add("wrong-quiz")
    valid = [s for s in valid if s.quiz_id == quiz.id]
    attempts = [s.attempt for s in valid]
    if len(valid) > quiz.attempts or len(set(attempts)) != len(attempts):
        flags.add("duplicate")
    if listed is not None and student_id not in listed:
        flags.add("unlisted")
    if not valid:
        return _empty(quiz, student_id, flags)
    kept = max(valid, key=lambda s: (s.submitted_at, s.attempt))
    try:
        variant = variants.for_student(student_id)
    except QuizError:
        return _empty(quiz, student_id, flags | {"no-variant"}, kept.path)
    results = tuple(_grade_question(quiz, variant, kept, q.id) for q in quiz.questions())
    factor, minutes = late_factor(quiz, kept)
    if minutes > 0 or factor < 1:
        flags.add("late")
    total = sum(r.points for r in results) * factor
    return GradeRow(
        student_id, results, total, quiz.max_points, _ordered(flags), minutes, True, kept.path
    )


def _grade_question(
    quiz: Quiz, variant: Variant, submission: Submission, question_id: str
) -> QuestionResult:
    from tutor.checking import grade

    question = quiz.question(question_id)
    text = submission.answer_text(question_id)
    if text is None or not text.strip():
        return QuestionResult(question_id, 0.0, question.points)
    verdict = grade(question.question, variant.expected[question_id], text)
    partial = verdict.score if question.partial == "proportional" else 0.0
    share = 1.0 if verdict.correct else partial
    return QuestionResult(
        question_id,
        question.points * share,
        question.points,
        True,
        verdict.correct,
        verdict.score,
        verdict.misconception,
    )


def late_factor(quiz: Quiz, submission: Submission) -> tuple[float, int]:
    """(share of the points kept, minutes late counted after the grace) for a submission."""
    over = submission.elapsed_seconds - quiz.time_limit_seconds
    policy = quiz.late
    if over <= policy.grace_seconds:
        return 1.0, 0
    minutes = max(1, math.ceil((over - policy.grace_seconds) / 60.0 - 1e-9))
    if policy.reject or (policy.max_minutes is not None and minutes > policy.max_minutes):
        return 0.0, minutes
    return max(0.0, 1.0 - policy.penalty_per_minute * minutes), minutes


def _empty(
    quiz: Quiz, student_id: str, flags: Iterable[str], source: Path | None = None
) -> GradeRow:
    results = tuple(QuestionResult(q.id, 0.0, q.points) for q in quiz.questions())
    return GradeRow(student_id, results, 0.0, quiz.max_points, _ordered(flags), 0, False, source)


def _ordered(flags: Iterable[str]) -> tuple[str, ...]:
    flags = set(flags)
    return tuple(flag for flag in FLAGS if flag in flags)
