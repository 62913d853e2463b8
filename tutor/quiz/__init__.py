"""Provides instructor quiz mode: quiz files, per-student variants, the server's records and
their grading, practice on a learner's machine.

The API the TUI, `tutor serve` and the CLI use:
- `load_quiz(path) -> Quiz` (QuizError, one line); `Quiz.questions()`, `QuizQuestion` (id,
  prompt, kind, points), `Quiz.time_limit_seconds`, `Quiz.feedback` ("after-submit" or
  "after-each"), `Quiz.digest` (the file's SHA-256: its version).
- `resolve_secret(quiz, secret_file=None)`, `server_secret(quiz, data_dir)`; `Variants(quiz,
  secret).for_student(id, attempt=1) -> Variant` (values, programs, expected answers).
- `AttemptStore.open(data_dir)` (tutor.quiz.attempts) and `ServerTaking.open(quiz, secret,
  student_id, store)` (tutor.quiz.server_taking): a quiz taken on `tutor serve`, every fact of
  it kept by the server.
- `grade_attempts(store, quiz, secret, roster=None) -> Gradebook` (tutor.quiz.server_grading:
  each attempt graded with the version it was taken with; a regrade of an edited quiz shown by
  `Grading.changes()` and written only by `Grading.apply()`); `build_report(gradebook) ->
  Report` and `format_report`; `gradebook_csv(gradebook, roster=None)` / `write_csv`;
  `answer_key_csv(quiz, secret, student_ids, store=None)`.
- `QuizTaking.open(quiz, data_dir, student_id=…, clock=…)`: practice (`tutor quiz take`), not
  graded — `questions`, `program(q)`, `prompt(q)`, `answers()`, `answer(qid, text)`,
  `remaining()`, `expired`, `submit() -> PracticeResult`. A killed session reopens with its
  answers, its numbers and its clock.
- `check_quiz(path) -> list[Problem]` for `tutor check` and `tutor quiz check`.
- tutor.quiz.command: `prepare_take(args)`, `prepare_dashboard(args)` for the TUI handlers.

Trust: a quiz for a grade runs on the server, which alone holds the secret, the clock, the
attempts and every answer as typed; scores are computed from those records, never read from
anything a student sends. Practice needs no secret and claims no grade.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "AttemptStore": "tutor.quiz.attempts",
    "check_quiz": "tutor.quiz.check",
    "gradebook_csv": "tutor.quiz.export",
    "write_csv": "tutor.quiz.export",
    "Gradebook": "tutor.quiz.grading",
    "GradeRow": "tutor.quiz.grading",
    "QuestionResult": "tutor.quiz.grading",
    "answer_key_csv": "tutor.quiz.key",
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
    "server_secret": "tutor.quiz.secret",
    "Grading": "tutor.quiz.server_grading",
    "ScoreChange": "tutor.quiz.server_grading",
    "grade_attempts": "tutor.quiz.server_grading",
    "ServerTaking": "tutor.quiz.server_taking",
    "SessionStore": "tutor.quiz.sessions",
    "PracticeResult": "tutor.quiz.taking",
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
