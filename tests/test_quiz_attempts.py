"""The server's quiz records (AttemptStore) and a sitting on them (ServerTaking): takeover, time-up
once and on time, resume after a crash, attempts limited, tries, versions and drawn values — each
on SQLite (the data dir's file) and on PostgreSQL (`database`, tests/conftest.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_quiz_support import BASIC, SECRET, T0, ServerClock, right_answers, sit, write_quiz

from tutor.course.answer_key import format_answer
from tutor.quiz.attempts import AttemptStore, Closed, TakenOver
from tutor.quiz.load import load_quiz
from tutor.quiz.model import QuizError
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.server_taking import ServerTaking
from tutor.quiz.variant import Variants


def quiz_with(tmp_path, *changes: tuple[str, str]):
    text = BASIC.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return load_quiz(write_quiz(tmp_path, text, "basic.quiz.toml"))


@pytest.fixture
def quiz(tmp_path):
    return quiz_with(tmp_path)


@pytest.fixture
def store(tmp_path, database):
    with AttemptStore.open(tmp_path / "data", database=database) as opened:
        yield opened


def test_a_second_login_takes_the_attempt_over(quiz, store):
    clock = ServerClock()
    first = ServerTaking.open(quiz, SECRET, "alice", store, clock=clock)
    first.answer("y-value", "1")
    clock.advance(10)
    second = ServerTaking.open(quiz, SECRET, "alice", store, clock=clock)
    assert second.record.id == first.record.id and second.answers() == {"y-value": "1"}
    assert second.holds() and not first.holds()
    with pytest.raises(TakenOver):
        first.answer("y-value", "2")
    second.answer("y-value", "3")
    assert [e.text for e in store.events(first.record.id)] == ["1", "3"]


def test_time_up_submits_exactly_once_stamped_at_the_close(quiz, store):
    clock = ServerClock()
    taking = ServerTaking.open(quiz, SECRET, "bob", store, clock=clock)
    closes = taking.record.closes_at
    assert closes == T0 + quiz.time_limit_seconds + quiz.late.grace_seconds
    taking.close()  # the browser went away
    clock.now = closes + 500
    (closed,) = store.close_expired(clock.now)
    assert (closed.submitted_at, closed.how) == (closes, "time-up")
    assert store.close_expired(clock.now + 1) == []
    again = store.submit(closed, clock.now + 2, "student")  # a late click changes nothing
    assert (again.submitted_at, again.how) == (closes, "time-up")


def test_a_student_submit_after_the_close_counts_as_time_up_at_the_close(quiz, store):
    clock = ServerClock()
    taking = ServerTaking.open(quiz, SECRET, "cy", store, clock=clock)
    clock.now = taking.record.closes_at + 30
    receipt = taking.submit()
    assert (receipt.submitted_at, receipt.how) == (taking.record.closes_at, "time-up")


def test_resume_after_a_crash_keeps_the_clock_and_what_was_saved(quiz, store):
    clock = ServerClock()
    taking = ServerTaking.open(quiz, SECRET, "dee", store, clock=clock)
    right = right_answers(taking.variant)
    clock.advance(100)
    for question_id, text in right.items():
        taking.answer(question_id, text)
    # the process is killed: no close, no submit
    clock.advance(50)
    resumed = ServerTaking.open(quiz, SECRET, "dee", store, clock=clock)
    assert resumed.record.id == taking.record.id and resumed.answers() == right
    assert resumed.remaining() == pytest.approx(taking.record.deadline - (T0 + 150))
    # it crashes again and nobody comes back before the deadline
    clock.now = taking.record.closes_at + 3600
    book = grade_attempts(store, quiz, SECRET, now=clock.now)
    (row,) = book.rows
    assert row.total == quiz.max_points and row.flags == ("time-up",)
    with pytest.raises(QuizError, match="all 1 attempt"):
        ServerTaking.open(quiz, SECRET, "dee", store, clock=clock)


def test_attempts_are_limited_by_the_server(quiz, store):
    sit(store, quiz, "eve", ServerClock())
    with pytest.raises(QuizError, match="all 1 attempt at this quiz are used"):
        ServerTaking.open(quiz, SECRET, "eve", store, clock=ServerClock(T0 + 10_000))


def test_after_each_tries_are_charged_and_then_locked(tmp_path, database):
    each = quiz_with(tmp_path, ('feedback = "after-submit"', 'feedback = "after-each"\ntries = 2'))
    clock = ServerClock()
    with AttemptStore.open(tmp_path / "data", database=database) as store:
        taking = ServerTaking.open(each, SECRET, "fay", store, clock=clock)
        expected = taking.variant.expected["y-value"]
        wrong = format_answer(replace(expected, value=expected.value + 1))
        assert taking.tries_left("y-value") == 2
        taking.answer("y-value", "not a number", checked=True)  # unreadable: no try used
        assert taking.tries_left("y-value") == 2
        taking.answer("y-value", wrong, checked=True)
        taking.answer("y-value", wrong)  # saved while typing: not a try
        assert taking.tries_left("y-value") == 1 and not taking.locked("y-value")
        taking.answer("y-value", wrong, checked=True)
        assert taking.tries_left("y-value") == 0 and taking.locked("y-value")
        with pytest.raises(Closed):
            taking.answer("y-value", format_answer(expected), checked=True)
        taking.answer("w-leaf", right_answers(taking.variant)["w-leaf"], checked=True)
        assert taking.locked("w-leaf")  # checked right: it stays
        assert [e.checked for e in store.events(taking.record.id)] == [
            False,
            True,
            False,
            True,
            True,
        ]


def test_each_attempt_records_the_version_and_the_values_drawn(tmp_path, database):
    twice = quiz_with(tmp_path, ("attempts = 1", "attempts = 2"))
    clock = ServerClock()
    with AttemptStore.open(tmp_path / "data", database=database) as store:
        for student in ("g1", "g2", "g3", "g4", "g5"):
            sit(store, twice, student, clock)
            clock.advance(1000)
            sit(store, twice, student, clock, {"y-value": "7"})  # a retake: a new row
        records = store.attempts(twice.id)
        assert store.version_source(twice.digest) == twice.path.read_text(encoding="utf-8")
        first_events = store.events(records[0].id)
    variants = Variants(twice, SECRET)
    assert len(records) == 10
    for record in records:
        assert record.version == twice.digest
        drawn = variants.for_student(record.student_id, attempt=record.number)
        assert record.draw == drawn.draw
        assert record.params == {
            k: list(v) if isinstance(v, tuple) else v for k, v in drawn.values.items()
        }
    pairs = [(a.params, b.params) for a, b in zip(records[::2], records[1::2], strict=True)]
    assert any(first != second for first, second in pairs)  # a second attempt, new numbers
    assert {e.question_id for e in first_events} == {q.id for q in twice.questions()}


def test_answers_after_submit_or_after_the_close_are_refused(quiz, store):
    clock = ServerClock()
    taking = sit(store, quiz, "hal", clock, {"y-value": "1"}, submit_after=None)
    record = taking.record
    with pytest.raises(Closed, match="time is up"):
        store.save(record, taking.holder, "y-value", "2", record.closes_at)
    taking2 = ServerTaking.open(quiz, SECRET, "hal", store, clock=clock)
    taking2.submit()
    with pytest.raises(Closed, match="submitted"):
        store.save(record, taking2.holder, "y-value", "3", clock.now)
    assert [e.text for e in store.events(record.id)] == ["1"]


def test_a_broken_database_is_one_line(tmp_path):
    (tmp_path / "quiz.sqlite3").write_bytes(b"not a database" * 100)
    with pytest.raises(QuizError) as error:
        AttemptStore.open(tmp_path)
    assert "\n" not in str(error.value)


def test_a_submit_at_the_very_closing_second_is_time_up(quiz, store):
    clock = ServerClock()
    taking = ServerTaking.open(quiz, SECRET, "erin", store, clock=clock)
    clock.now = taking.record.closes_at
    record = store.submit(taking.record, clock.now, "student")
    assert (record.how, record.submitted_at) == ("time-up", record.closes_at)


def test_a_first_grading_never_overwrites_a_grade_already_applied(quiz, store):
    taking = ServerTaking.open(quiz, SECRET, "fay", store, clock=ServerClock())
    taking.submit()
    attempt = taking.record.id
    store.apply_grade(attempt, "regraded-version", {"y-value": 1.0}, 1.0, T0)
    assert not store.first_grade(attempt, quiz.digest, {"y-value": 0.0}, 0.0, T0 + 1)
    kept = store.grades()[attempt]
    assert (kept.version, kept.total) == ("regraded-version", 1.0)


def test_the_servers_secret_is_made_once_private_even_in_a_new_folder(quiz, tmp_path, monkeypatch):
    from tutor.quiz.secret import ENV_VAR, SERVER_SECRET, server_secret

    monkeypatch.delenv(ENV_VAR, raising=False)
    folder = tmp_path / "new" / "data"
    first = server_secret(quiz, folder)
    assert (folder / SERVER_SECRET).stat().st_mode & 0o077 == 0
    assert server_secret(quiz, folder) == first and len(first) >= 32
