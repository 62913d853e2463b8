"""Submissions: signed JSON read back; edits detected; bad files answered with one line."""

from __future__ import annotations

import json

import pytest
from test_quiz_support import SECRET, basic_quiz, submit

from tutor.quiz.secret import signing_key
from tutor.quiz.submission import MAX_BYTES, SubmissionError, read_submission

KEY = signing_key(SECRET, "basic")


def _written(tmp_path):
    return submit(basic_quiz(), "alice", {"x-grad": "[[2, 2], [2, 2]]", "y-value": "7"}, tmp_path)


def _edit(path, change):
    body = json.loads(path.read_text(encoding="utf-8"))
    change(body)
    path.write_text(json.dumps(body), encoding="utf-8")


def test_signed_submission_reads_back_authentic(tmp_path):
    submission = read_submission(_written(tmp_path), KEY)
    assert submission.authentic
    assert submission.student_id == "alice" and submission.quiz_id == "basic"
    assert submission.answer_text("y-value") == "7"
    assert submission.answer_text("w-leaf") is None
    assert submission.elapsed_seconds == 300


def test_file_holds_no_score(tmp_path):
    body = json.loads(_written(tmp_path).read_text(encoding="utf-8"))
    assert "score" not in body and "points" not in body
    assert len(body["hmac"]) == 64


def test_other_secret_does_not_verify(tmp_path):
    other = signing_key(b"some other secret of enough length", "basic")
    assert not read_submission(_written(tmp_path), other).authentic


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b["answers"][1].update(text="8"),
        lambda b: b.update(score=100),
        lambda b: b.update(student_id="mallory"),
        lambda b: b.update(submitted_at="2025-03-01T09:01:00+00:00"),
        lambda b: b["answers"].pop(),
    ],
    ids=["answer-edited", "score-added", "student-changed", "time-changed", "answer-removed"],
)
def test_edits_are_detected(tmp_path, change):
    path = _written(tmp_path)
    _edit(path, change)
    assert not read_submission(path, KEY).authentic


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "not JSON"),
        (b'{"format": "tutor-quiz-submission", "version": 1, "quiz_id": "ba', "truncated"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a quiz submission"),
        (b'{"format": "tutor-quiz-submission", "version": 7}', "version 7"),
        (b" " * (MAX_BYTES + 1), "larger than"),
    ],
)
def test_bad_files_are_one_line(tmp_path, content, message):
    path = tmp_path / "s.json"
    path.write_bytes(content)
    with pytest.raises(SubmissionError) as error:
        read_submission(path, KEY)
    text = str(error.value)
    assert message in text and "\n" not in text and text.startswith(str(path))


def test_time_without_zone_is_refused(tmp_path):
    path = _written(tmp_path)
    _edit(path, lambda b: b.update(started_at="2025-03-01T09:00:00"))
    with pytest.raises(SubmissionError, match="no time zone"):
        read_submission(path, KEY)
