"""Provides Submission: a student's raw answers and times, written as signed JSON and read back.

The file holds no score: grading recomputes it. The HMAC (see tutor.quiz.secret) covers every
field but itself, so an edited answer, time or id, or an added field, is detected.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tutor.quiz.model import QuizError
from tutor.quiz.secret import sign, verify

FORMAT = "tutor-quiz-submission"
VERSION = 1
MAX_BYTES = 1_000_000
_KEYS = (
    "format",
    "version",
    "quiz_id",
    "student_id",
    "attempt",
    "started_at",
    "submitted_at",
    "answers",
    "hmac",
)


@dataclass(frozen=True)
class Answer:
    """What a student typed for one question, and when it was last changed."""

    question_id: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Submission:
    """A submission as read: `authentic` is False when its HMAC does not match."""

    quiz_id: str
    student_id: str
    attempt: int
    started_at: datetime
    submitted_at: datetime
    answers: tuple[Answer, ...]
    authentic: bool = True
    path: Path | None = None

    def answer_text(self, question_id: str) -> str | None:
        for answer in self.answers:
            if answer.question_id == question_id:
                return answer.text
        return None

    @property
    def elapsed_seconds(self) -> float:
        return (self.submitted_at - self.started_at).total_seconds()


class SubmissionError(QuizError):
    """A file that is not a readable submission; the message is `path: why`, one line."""


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _body(submission: Submission) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "quiz_id": submission.quiz_id,
        "student_id": submission.student_id,
        "attempt": submission.attempt,
        "started_at": _time(submission.started_at),
        "submitted_at": _time(submission.submitted_at),
        "answers": [
            {"question": a.question_id, "text": a.text, "at": _time(a.at)}
            for a in submission.answers
        ],
    }


def canonical(body: dict) -> bytes:
    """The bytes the HMAC covers: the object without `hmac`, keys sorted, compact."""
    unsigned = {k: v for k, v in body.items() if k != "hmac"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signed_json(submission: Submission, key: bytes) -> str:
    """The submission as the JSON text written to its file, with its HMAC."""
    body = _body(submission)
    body["hmac"] = sign(key, canonical(body))
    return json.dumps(body, ensure_ascii=False, indent=1) + "\n"


def write_submission(submission: Submission, key: bytes, path: Path) -> Path:
    """Write the signed submission atomically (a crash leaves the old file or the new one)."""
    text = signed_json(submission, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise QuizError(f"cannot write the submission {path}: {error.strerror or error}") from None
    return path


def read_submission(path: Path, key: bytes) -> Submission:
    """The submission in `path` with `authentic` set by its HMAC; SubmissionError if unreadable."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise SubmissionError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise SubmissionError(f"{path}: larger than {MAX_BYTES} bytes, not a submission")
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(f"{path}: not UTF-8 text, not a submission") from None
    except RecursionError:
        raise SubmissionError(f"{path}: nested too deeply, not a submission") from None
    except json.JSONDecodeError as error:
        ended = "Unterminated" in error.msg or error.pos >= len(error.doc.rstrip())
        what = "truncated (the JSON ends early)" if ended else "not JSON"
        raise SubmissionError(f"{path}: {what}: {error.msg} at line {error.lineno}") from None
    return _parse(path, body, key)


def _parse(path: Path, body: object, key: bytes) -> Submission:
    def fail(message: str) -> SubmissionError:
        return SubmissionError(f"{path}: {message}")

    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise fail(f'not a quiz submission (no "format": "{FORMAT}")')
    if body.get("version") != VERSION:
        raise fail(f"submission version {body.get('version')!r}; this tutor reads {VERSION}")
    for name in ("quiz_id", "student_id"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise fail(f"`{name}` must be a non-empty string")
    attempt = body.get("attempt")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise fail("`attempt` must be a whole number ≥ 1")
    answers = body.get("answers")
    if not isinstance(answers, list):
        raise fail("`answers` must be a list")
    parsed = []
    for index, item in enumerate(answers, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("question"), str)
            or not isinstance(item.get("text"), str)
        ):
            raise fail(f"answer {index} must have a `question` and a `text` (strings)")
        parsed.append(Answer(item["question"], item["text"], _parse_time(item.get("at"), fail)))
    return Submission(
        quiz_id=body["quiz_id"],
        student_id=body["student_id"],
        attempt=attempt,
        started_at=_parse_time(body.get("started_at"), fail),
        submitted_at=_parse_time(body.get("submitted_at"), fail),
        answers=tuple(parsed),
        authentic=set(body) <= set(_KEYS) and verify(key, canonical(body), body.get("hmac")),
        path=path,
    )


def _parse_time(value: object, fail) -> datetime:
    if not isinstance(value, str):
        raise fail("a time is missing (ISO 8601 with a time zone expected)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{value[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise fail(f"{value[:40]!r} has no time zone")
    return parsed
