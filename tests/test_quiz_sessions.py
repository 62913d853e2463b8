"""Practice on the learner's machine (store level): no secret, numbers of its own each attempt,
answers committed as typed, resumed with the clock after a kill, frozen once submitted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_quiz_support import START, basic_quiz, right_answers

from tutor.quiz.model import QuizError
from tutor.quiz.sessions import SessionStore
from tutor.quiz.taking import QuizTaking
from tutor.quiz.variant import Variants


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _open(tmp_path, clock, quiz=None, seed=None):
    return QuizTaking.open(quiz or basic_quiz(), tmp_path / "data", "alice", clock, seed)


def test_killed_practice_resumes_answers_numbers_and_clock(tmp_path):
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
    assert again.variant.values == taking.variant.values and again.record.attempt == 1
    assert again.record.started_at == START
    assert again.remaining() == 600 - 180
    clock.advance(1000)
    assert again.remaining() == 0 and again.expired


def test_practice_draws_from_its_own_seed_with_no_secret(tmp_path):
    seed = bytes(range(32))
    taking = _open(tmp_path, Clock(), seed=seed)
    assert taking.variant.values == Variants(basic_quiz(), seed).for_student("alice").values
    assert taking.record.seed == seed.hex()


def test_each_new_practice_gets_new_numbers_and_practice_is_unlimited(tmp_path):
    clock = Clock()
    seen = []
    for number in range(1, 6):
        taking = _open(tmp_path, clock)
        assert taking.record.attempt == number
        seen.append(taking.record.seed)
        taking.submit()
        taking.close()
    assert len(set(seen)) == 5


def test_submit_scores_the_practice_once(tmp_path):
    clock = Clock()
    taking = _open(tmp_path, clock)
    right = right_answers(taking.variant)
    taking.answer("x-grad", right["x-grad"])
    assert taking.feedback() == {}
    clock.advance(90)
    result = taking.submit()
    assert (result.total, result.max_points, result.how) == (2.0, 5.0, "student")
    assert taking.submit().total == result.total
    assert set(taking.feedback()) == {"x-grad"} and taking.feedback()["x-grad"].correct
    with pytest.raises(QuizError):
        taking.answer("x-grad", "0")


def test_a_second_window_cannot_change_a_submitted_practice(tmp_path):
    clock = Clock()
    first = _open(tmp_path, clock)
    second = _open(tmp_path, clock)  # the same attempt, in another terminal
    assert second.record.id == first.record.id
    first.answer("y-value", "1")
    first.submit()
    with pytest.raises(QuizError, match="submitted"):
        second.answer("y-value", "2")
    assert second.submit().results[1].question_id == "y-value"
    with SessionStore(tmp_path / "data") as store:
        assert store.answers(store.record(first.record.id))["y-value"][0] == "1"


def test_time_up_is_said_in_the_result(tmp_path):
    clock = Clock()
    taking = _open(tmp_path, clock)
    clock.advance(601)
    assert taking.submit().how == "time-up"


def test_feedback_policy(tmp_path):
    from dataclasses import replace

    clock = Clock()
    quiz = basic_quiz()
    assert _open(tmp_path, clock, quiz).answer("y-value", "1") is None
    each = replace(quiz, id="basic-each", feedback="after-each")
    verdict = QuizTaking.open(each, tmp_path / "data", "bob", clock).answer("y-value", "1")
    assert verdict is not None and not verdict.correct


def test_unusable_store_is_one_line(tmp_path):
    (tmp_path / "quiz-practice.sqlite3").write_bytes(b"not a database" * 100)
    with pytest.raises(QuizError) as error:
        SessionStore(tmp_path)
    assert "\n" not in str(error.value)


def test_bad_student_id_is_refused(tmp_path):
    with pytest.raises(QuizError, match="student id"):
        QuizTaking.open(basic_quiz(), tmp_path, "a\tb", Clock())
