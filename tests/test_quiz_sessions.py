"""Taking a quiz (store level): answers committed as typed, resumed with the clock after a kill."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_quiz_support import SECRET, START, basic_quiz

from tutor.course.answer_key import format_answer
from tutor.quiz.model import QuizError
from tutor.quiz.secret import signing_key
from tutor.quiz.sessions import SessionStore
from tutor.quiz.submission import read_submission
from tutor.quiz.taking import QuizTaking


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _open(tmp_path, clock, quiz=None):
    return QuizTaking.open(quiz or basic_quiz(), SECRET, "alice", tmp_path / "data", clock=clock)


def test_killed_session_resumes_answers_and_clock(tmp_path):
    clock = Clock()
    taking = _open(tmp_path, clock)
    assert taking.remaining() == 600
    clock.advance(120)
    taking.answer("y-value", "4")
    taking.answer("y-value", "42")
    taking.answer("w-leaf", "1")
    taking.close()  # as if killed: nothing submitted
    clock.advance(60)
    again = _open(tmp_path, clock)
    assert again.answers() == {"y-value": "42", "w-leaf": "1"}
    assert again.record.started_at == START
    assert again.remaining() == 600 - 180
    clock.advance(1000)
    assert again.remaining() == 0 and again.expired


def test_submit_writes_a_verifiable_file_once(tmp_path):
    clock = Clock()
    taking = _open(tmp_path, clock)
    right = format_answer(taking.variant.expected["x-grad"])
    taking.answer("x-grad", right)
    assert taking.feedback() == {}
    clock.advance(90)
    path = taking.submit()
    assert taking.submit() == path
    assert set(taking.feedback()) == {"x-grad"} and taking.feedback()["x-grad"].correct
    submission = read_submission(path, signing_key(SECRET, "basic"))
    assert submission.authentic and submission.answer_text("x-grad") == right
    assert submission.elapsed_seconds == 90
    with pytest.raises(QuizError):
        taking.answer("x-grad", "0")


def test_attempts_are_limited(tmp_path):
    clock = Clock()
    _open(tmp_path, clock).submit()
    with pytest.raises(QuizError, match="used all 1 attempt"):
        _open(tmp_path, clock)


def test_feedback_policy(tmp_path):
    from dataclasses import replace

    clock = Clock()
    quiz = basic_quiz()
    assert _open(tmp_path, clock, quiz).answer("y-value", "1") is None
    each = replace(quiz, id="basic-each", feedback="after-each")
    verdict = QuizTaking.open(each, SECRET, "bob", tmp_path / "data", clock=clock).answer(
        "y-value", "1"
    )
    assert verdict is not None and not verdict.correct


def test_store_answers_survive_a_new_connection(tmp_path):
    store = SessionStore(tmp_path)
    record = store.start("q", "s1", 2, START)
    store.save_answer(record, "a", "1", START)
    store.close()
    with SessionStore(tmp_path) as again:
        assert again.start("q", "s1", 2, START + timedelta(hours=1)) == record
        assert again.answers(record)["a"][0] == "1"


def test_unusable_store_is_one_line(tmp_path):
    (tmp_path / "quiz-sessions.sqlite3").write_bytes(b"not a database" * 100)
    with pytest.raises(QuizError) as error:
        SessionStore(tmp_path)
    assert "\n" not in str(error.value)


def test_bad_student_id_is_refused(tmp_path):
    with pytest.raises(QuizError, match="student id"):
        QuizTaking.open(basic_quiz(), SECRET, "=cmd()", tmp_path, clock=Clock())
