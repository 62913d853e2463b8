"""Provides instructor quiz mode: quiz files, per-student variants, signed submissions, grading.

The API the TUI and the CLI use:
- `load_quiz(path) -> Quiz` (QuizError, one line); `Quiz.questions()`, `QuizQuestion` (id,
  prompt, kind, points), `Quiz.time_limit_seconds`, `Quiz.feedback` ("after-submit" or
  "after-each").
- `resolve_secret(quiz, secret_file=None) -> bytes`: --secret-file, $TUTOR_QUIZ_SECRET, or the
  quiz's `secret_file`.
- `Variants(quiz, secret).for_student(id) -> Variant` (values, programs, expected answers).
- `QuizTaking.open(quiz, secret, student_id, data_dir, out_dir=None, clock=…)`: the quiz
  screen's model — `questions`, `program(q)`, `prompt(q)`, `answers()`, `answer(qid, text)`
  (saved at once; a Verdict when feedback is after each answer), `remaining()`, `expired`,
  `submit() -> Path`. A killed session reopens with its answers and its clock.
- `grade_submissions(quiz, secret, paths, roster=None) -> Gradebook`; `build_report(gradebook)
  -> Report` (per-question percent correct, histogram, misconceptions) and `format_report`;
  `gradebook_csv` / `write_csv`.
- `check_quiz(path) -> list[Problem]` for `tutor check` and `tutor quiz check`.
- tutor.quiz.command: `prepare_take(args)`, `prepare_dashboard(args)` for the TUI handlers.

Threat model (see tutor.quiz.secret): submissions are HMAC-signed with a key derived from the
instructor's secret, so a file edited after writing is detected; the taking machine holds the
key, so this is tamper-evident on machines the instructor controls, not proof against a
student who can read the key. Scores are never read from files: grading recomputes them.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "check_quiz": "tutor.quiz.check",
    "gradebook_csv": "tutor.quiz.export",
    "write_csv": "tutor.quiz.export",
    "Gradebook": "tutor.quiz.grading",
    "GradeRow": "tutor.quiz.grading",
    "QuestionResult": "tutor.quiz.grading",
    "grade_submissions": "tutor.quiz.grading",
    "format_key": "tutor.quiz.key",
    "key_json": "tutor.quiz.key",
    "load_quiz": "tutor.quiz.load",
    "read_quiz": "tutor.quiz.load",
    "LatePolicy": "tutor.quiz.model",
    "Param": "tutor.quiz.model",
    "Part": "tutor.quiz.model",
    "Quiz": "tutor.quiz.model",
    "QuizError": "tutor.quiz.model",
    "QuizQuestion": "tutor.quiz.model",
    "Report": "tutor.quiz.report",
    "build_report": "tutor.quiz.report",
    "format_report": "tutor.quiz.report",
    "resolve_secret": "tutor.quiz.secret",
    "SessionStore": "tutor.quiz.sessions",
    "Submission": "tutor.quiz.submission",
    "read_submission": "tutor.quiz.submission",
    "QuizTaking": "tutor.quiz.taking",
    "Variant": "tutor.quiz.variant",
    "VariantError": "tutor.quiz.variant",
    "Variants": "tutor.quiz.variant",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'tutor.quiz' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
