"""A forged, replayed, copied, late or clock-edited submission cannot raise a grade: the score is
computed from the server's records alone (its clock, its attempts, every answer as typed)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from test_quiz_support import BASIC, SECRET, T0, ServerClock, right_answers, sit, write_quiz

from tutor.cli import main
from tutor.quiz.attempts import AttemptStore, Closed
from tutor.quiz.export import gradebook_csv
from tutor.quiz.load import load_quiz
from tutor.quiz.secret import ENV_VAR
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.server_taking import ServerTaking
from tutor.quiz.taking import QuizTaking
from tutor.quiz.variant import Variants


@pytest.fixture
def quiz(tmp_path):
    return load_quiz(write_quiz(tmp_path, BASIC.read_text(encoding="utf-8"), "basic.quiz.toml"))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, SECRET.decode())
    return tmp_path / "data"


def _csv(store, quiz) -> str:
    return gradebook_csv(grade_attempts(store, quiz, SECRET, now=T0 + 7200))


def test_a_submission_file_is_refused_whatever_it_claims(quiz, data_dir, tmp_path, capsys):
    forged = tmp_path / "basic-alice-1.json"
    forged.write_text(
        json.dumps({"format": "tutor-quiz-submission", "student_id": "alice", "score": 5}),
        encoding="utf-8",
    )
    with AttemptStore.open(data_dir) as store:
        sit(store, quiz, "alice", ServerClock(), {"y-value": "0"})
    for argv in (
        ["quiz", "grade", str(quiz.path), str(forged)],
        ["quiz", "grade", str(quiz.path), str(forged), "--data-dir", str(data_dir)],
        ["quiz", "dashboard", str(quiz.path), str(tmp_path)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "no longer graded" in err and "tutor serve" in err
    assert main(["quiz", "grade", str(quiz.path), "--data-dir", str(data_dir), "--csv", "-"]) == 0
    assert ",0.00,5.00,," in capsys.readouterr().out  # alice's own answers: 0 of 5


def test_answers_after_the_close_are_refused_and_never_counted(quiz, data_dir):
    clock = ServerClock()
    with AttemptStore.open(data_dir) as store:
        taking = ServerTaking.open(quiz, SECRET, "bo", store, clock=clock)
        right = right_answers(taking.variant)
        clock.now = taking.record.closes_at + 1
        with pytest.raises(Closed):
            taking.answer("y-value", right["y-value"])
        assert taking.submitted and taking.record.how == "time-up"  # and it was submitted
        assert taking.record.submitted_at == taking.record.closes_at
        # a row written past the close anyway (a forged or skewed one) is not counted
        with sqlite3.connect(store.path) as raw:
            raw.execute(
                "INSERT INTO answer_event (attempt_id, question_id, text, at, checked) "
                "VALUES (?, 'y-value', ?, ?, 0)",
                (taking.record.id, right["y-value"], taking.record.closes_at + 1),
            )
        (row,) = grade_attempts(store, quiz, SECRET, now=clock.now).rows
    assert row.total == 0 and row.flags == ("time-up",)


def test_replaying_a_submission_or_an_answer_changes_nothing(quiz, data_dir):
    clock = ServerClock()
    with AttemptStore.open(data_dir) as store:
        taking = ServerTaking.open(quiz, SECRET, "cal", store, clock=clock)
        taking.answer("y-value", "0")
        clock.advance(60)
        first = taking.submit()
        before = _csv(store, quiz)
        clock.advance(60)
        assert taking.submit() == first  # submitted once
        with pytest.raises(Closed):
            taking.answer("y-value", right_answers(taking.variant)["y-value"])
        with pytest.raises(Closed):
            store.save(taking.record, taking.holder, "y-value", "1", clock.now)
        assert _csv(store, quiz) == before


def test_a_copied_answer_is_graded_against_the_copiers_own_numbers(quiz, data_dir):
    variants = Variants(quiz, SECRET)
    with AttemptStore.open(data_dir) as store:
        sit(store, quiz, "dee", ServerClock())
        (dee,) = store.attempts(quiz.id, "dee")
        copier = next(
            f"cop{i}"
            for i in range(50)
            if variants.for_student(f"cop{i}").values["a"] != dee.params["a"]
        )
        sit(store, quiz, copier, ServerClock(), right_answers(variants.for_student("dee")))
        rows = {r.student_id: r for r in grade_attempts(store, quiz, SECRET).rows}
    assert rows["dee"].total == quiz.max_points
    copied = {r.question_id: r for r in rows[copier].results}
    assert not copied["x-grad"].correct and not copied["y-value"].correct


def test_the_learners_clock_and_practice_data_have_no_say(quiz, data_dir, tmp_path):
    """The server's clock stamps everything; the learner's own files (practice sessions, an
    edited clock in them) are never read by grading."""
    from datetime import UTC, datetime, timedelta

    with AttemptStore.open(data_dir) as store:
        sit(store, quiz, "eli", ServerClock(), {"y-value": "0"})
        before = _csv(store, quiz)
        # practice on the learner's machine, in the same data dir even, with a clock set back
        # an hour and every answer right for its own numbers
        practice = QuizTaking.open(
            quiz, data_dir, "eli", clock=lambda: datetime(2020, 1, 1, tzinfo=UTC)
        )
        for question in practice.questions:
            practice.answer(question.id, right_answers(practice.variant)[question.id])
        practice.submit()
        practice.close()
        (data_dir / "submissions").mkdir()
        (data_dir / "submissions" / "basic-eli-1.json").write_text("{}", encoding="utf-8")
        assert _csv(store, quiz) == before
        record = store.attempts(quiz.id, "eli")[0]
    assert record.started_at == T0  # the server's time, not the learner's
    assert datetime.fromtimestamp(record.submitted_at, UTC) == datetime.fromtimestamp(
        T0, UTC
    ) + timedelta(seconds=300)


def test_a_learners_machine_holds_no_secret(quiz, tmp_path, monkeypatch, capsys):
    """Practice needs none; so `tutor quiz key` there has none to give a classmate's answers."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    practice = QuizTaking.open(quiz, tmp_path / "mine")
    practice.close()
    assert not (tmp_path / "mine" / "quiz-secret").exists()
    assert main(["quiz", "key", str(quiz.path), "--student", "classmate"]) == 2
    assert "no quiz secret" in capsys.readouterr().err


def test_a_fresh_data_folder_gives_no_new_attempt(quiz, data_dir, tmp_path):
    with AttemptStore.open(data_dir) as store:
        sit(store, quiz, "fin", ServerClock())
        # whatever the learner's own machine holds, the server counts the attempts
        QuizTaking.open(quiz, tmp_path / "fresh", "fin").close()
        with pytest.raises(Exception, match="all 1 attempt"):
            ServerTaking.open(quiz, SECRET, "fin", store, clock=ServerClock(T0 + 9999))


def test_no_file_given_to_grade_is_even_opened(quiz, tmp_path, capsys):
    """A named pipe called `*.json` once hung grading; now no file is read at all."""
    import os

    pipe = tmp_path / "hang.json"
    os.mkfifo(pipe)
    assert main(["quiz", "grade", str(quiz.path), str(pipe), str(tmp_path)]) == 2
    assert "no longer graded" in capsys.readouterr().err
