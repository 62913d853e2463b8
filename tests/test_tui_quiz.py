"""Pilot tests of `tutor quiz take` and `tutor quiz dashboard` in the terminal, on the fixture
quiz: answers typed and saved, the clock faked, submissions verified and regraded."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
from test_quiz_support import SECRET, START, basic_quiz, submit

from tutor.checking import MISCONCEPTIONS, grade
from tutor.course import format_answer
from tutor.quiz.grading import grade_submissions
from tutor.quiz.report import build_report
from tutor.quiz.secret import signing_key
from tutor.quiz.sessions import SessionStore
from tutor.quiz.submission import read_submission
from tutor.quiz.taking import QuizTaking
from tutor.tui import quiz_launch
from tutor.tui.quiz_launch import (
    ConfirmSubmit,
    SubmittedScreen,
    make_dashboard_app,
    make_quiz_app,
)
from tutor.tui.screens.dashboard import ScoreHistogram
from tutor.tui.screens.quiz import QuizScreen
from tutor.tui.widgets.countdown import Countdown, clock_text

SIZE = (120, 40)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def open_taking(data_dir, clock, quiz=None, student="s1") -> QuizTaking:
    quiz = quiz or basic_quiz()
    return QuizTaking.open(quiz, SECRET, student, data_dir, data_dir / "out", clock=clock)


def right_answer(taking: QuizTaking, question_id: str) -> str:
    return format_answer(taking.variant.expected[question_id])


def forward_value_answer(expected) -> str:
    """x.grad typed as the forward value x: the `forward-value` misconception."""
    return format_answer(replace(expected, value=expected.alternatives["forward-value"]))


def shown(widget) -> str:
    return str(widget.render())


async def type_into_answer(pilot, text: str, *, enter: bool = True) -> None:
    answer = pilot.app.screen.query_one("#answer")
    answer.focus()
    await pilot.press("ctrl+u", *text, *(["enter"] if enter else []))
    await pilot.pause()


async def test_a_quiz_taken_in_the_tui_is_submitted_when_time_runs_out(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    quiz = taking.quiz
    wrong = forward_value_answer(taking.variant.expected["x-grad"])
    typed = {q.id: right_answer(taking, q.id) for q in taking.questions}
    typed["x-grad"] = wrong
    app = make_quiz_app(taking, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for number, question in enumerate(taking.questions):
            assert screen.question.id == question.id
            assert shown(screen.query_one("#prompt")).startswith(taking.prompt(question).en)
            # the last answer is left unsubmitted: leaving the question saves it
            await type_into_answer(pilot, typed[question.id], enter=number < 3)
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert taking.answers() == typed
        listed = screen.query_one("#question-list")
        assert all("●" in str(listed.get_option(q.id).prompt) for q in taking.questions)
        assert not screen.query("#hints") and "hint" not in shown(screen.query_one("#keys"))

        clock.advance(quiz.time_limit_seconds - 30)
        app.tick()
        await pilot.pause()
        countdown = screen.query_one(Countdown)
        assert countdown.seconds == pytest.approx(30) and countdown.has_class("warning")
        assert clock_text(30) in shown(countdown)
        assert app.submission is None

        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, SubmittedScreen) and app.screen.time_up
        path = app.submission
        assert path is not None and path.is_file() and path.parent == tmp_path / "out"
        assert str(path) in shown(app.screen.query_one("#submitted-path"))
        await pilot.press("enter")
    assert app.return_value == path

    submission = read_submission(path, signing_key(SECRET, quiz.id))
    assert submission.authentic
    assert (submission.quiz_id, submission.student_id) == (quiz.id, "s1")
    assert {a.question_id: a.text for a in submission.answers} == typed
    gradebook = grade_submissions(quiz, SECRET, [path])
    (row,) = gradebook.rows
    assert row.graded and row.flags == ()
    results = {r.question_id: r for r in row.results}
    for question in quiz.questions():
        if question.id != "x-grad":
            assert results[question.id].correct
            assert results[question.id].points == question.points
    assert not results["x-grad"].correct
    assert results["x-grad"].misconception == "forward-value"
    assert row.total == pytest.approx(sum(r.points for r in row.results))
    assert row.total < quiz.max_points


async def test_a_killed_session_resumes_with_its_answers_and_its_clock(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    first, second = taking.questions[0].id, taking.questions[1].id
    typed_first = right_answer(taking, first)
    typed_second = "1" + right_answer(taking, second)
    app = make_quiz_app(taking, "en", save_delay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_into_answer(pilot, typed_first)
        await pilot.press("ctrl+n")
        await type_into_answer(pilot, typed_second, enter=False)
        for _ in range(100):  # saved as typed: wait for the debounced save, no Enter
            await pilot.pause(0.05)
            if taking.answers().get(second) == typed_second:
                break
        clock.advance(100)
        app.exit()  # no submit, no quit action: the process just ends
    taking.close()
    with SessionStore(tmp_path) as store:
        (record,) = store.sessions(taking.quiz.id, "s1")
        saved = {qid: text for qid, (text, _) in store.answers(record).items()}
    assert saved == {first: typed_first, second: typed_second}
    assert record.submitted_at is None and not (tmp_path / "out").exists()

    clock.advance(50)
    resumed = open_taking(tmp_path, clock)
    assert resumed.record.attempt == 1
    assert resumed.remaining() == pytest.approx(resumed.quiz.time_limit_seconds - 150)
    app = make_quiz_app(resumed, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#answer").value == typed_first
        assert screen.query_one(Countdown).seconds == pytest.approx(resumed.remaining())
        assert clock_text(resumed.remaining()) in shown(screen.query_one(Countdown))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.query_one("#answer").value == typed_second
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert screen.query_one("#answer").value == typed_first
        await pilot.press("ctrl+q")
    resumed.close()
    assert app.return_value is None


async def test_a_session_reopened_after_its_time_is_submitted_at_once(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    typed = right_answer(taking, taking.questions[0].id)
    taking.answer(taking.questions[0].id, typed)
    taking.close()
    clock.advance(taking.quiz.time_limit_seconds + 5)
    late = open_taking(tmp_path, clock)
    assert late.expired and not late.submitted
    app = make_quiz_app(late, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SubmittedScreen) and app.screen.time_up
    late.close()
    submission = read_submission(app.submission, signing_key(SECRET, late.quiz.id))
    assert submission.authentic
    assert [(a.question_id, a.text) for a in submission.answers] == [(late.questions[0].id, typed)]


async def test_submitting_asks_first_and_then_writes_the_file(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    app = make_quiz_app(taking, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_into_answer(pilot, right_answer(taking, taking.questions[0].id))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert app.screen.unanswered == len(taking.questions) - 1
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and not taking.submitted
        assert app.submission is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SubmittedScreen) and not app.screen.time_up
        assert taking.submitted and app.submission.is_file()
        # after submission the policy (after-submit) allows feedback: the answer was right
        assert "✔" in shown(app.screen.query_one("#submitted-feedback"))
        assert app.quiz_screen.query_one("#answer").disabled
        await pilot.press("q")
    taking.close()
    assert app.return_value == app.submission


@pytest.mark.parametrize("policy", ["after-each", "after-submit"])
async def test_feedback_while_taking_only_when_the_policy_is_after_each(tmp_path, policy):
    quiz = replace(basic_quiz(), feedback=policy)
    taking = open_taking(tmp_path, FakeClock(), quiz=quiz)
    expected = taking.variant.expected["x-grad"]
    app = make_quiz_app(taking, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.screen.query_one("#status")
        await type_into_answer(pilot, right_answer(taking, "x-grad"))
        right = shown(status)
        typed_wrong = forward_value_answer(expected)
        await type_into_answer(pilot, typed_wrong)
        wrong = shown(status)
    taking.close()
    if policy == "after-each":
        verdict = grade(quiz.question("x-grad").question, expected, typed_wrong)
        assert verdict.misconception == "forward-value"
        assert right.startswith("✔") and wrong == "✘ " + verdict.feedback.en
    else:
        assert right == wrong == "✔ Saved."


async def test_the_quiz_speaks_korean(tmp_path):
    taking = open_taking(tmp_path, FakeClock())
    app = make_quiz_app(taking, "ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prompt = shown(app.screen.query_one("#prompt"))
        assert prompt.startswith(taking.prompt(taking.questions[0]).ko)
        assert "남은 시간" in shown(app.screen.query_one(Countdown))
        await pilot.press("ctrl+q")
    taking.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_dashboard_shows_percent_correct_misconceptions_and_flags(tmp_path, lang):
    from tutor.quiz.variant import Variants

    quiz = basic_quiz()
    out = tmp_path / "subs"
    variants = Variants(quiz, SECRET)
    for student in ("s1", "s2", "s3"):
        expected = variants.for_student(student).expected
        answers = {qid: format_answer(e) for qid, e in expected.items()}
        if student == "s2":
            answers["x-grad"] = forward_value_answer(expected["x-grad"])
        path = submit(quiz, student, answers, out)
        if student == "s3":
            body = json.loads(path.read_text(encoding="utf-8"))
            body["answers"][0]["text"] = "0"
            path.write_text(json.dumps(body), encoding="utf-8")
    gradebook = grade_submissions(quiz, SECRET, sorted(out.glob("*.json")))
    report = build_report(gradebook)
    stats = {q.question_id: q for q in report.questions}
    assert (stats["x-grad"].correct, stats["x-grad"].graded) == (1, 2)
    app = make_dashboard_app(gradebook, report, lang)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#dash-questions")
        for question in report.questions:
            row = table.get_row(question.question_id)
            assert row[1] == f"{question.percent_correct:.1f}%"
            assert row[2] == f"{question.correct}/{question.graded}"
        assert table.get_row("x-grad")[1] == "50.0%"
        misconceptions = shown(app.screen.query_one("#dash-misconceptions"))
        assert MISCONCEPTIONS["forward-value"].title.get(lang) in misconceptions
        flagged = app.screen.query_one("#dash-flagged")
        assert flagged.row_count == 1
        assert flagged.get_row("s3")[1] == {"en": "tampered", "ko": "변조됨"}[lang]
        histogram = app.screen.query_one(ScoreHistogram)
        assert histogram.counts == report.histogram and sum(histogram.counts) == 2
        await pilot.press("q")


def test_take_returns_0_after_a_submission_and_1_with_a_line_when_not(
    tmp_path, monkeypatch, capsys
):
    secret = tmp_path / "secret"
    secret.write_bytes(SECRET)
    args = argparse.Namespace(
        quiz=str(basic_quiz().path),
        student="s9",
        secret_file=str(secret),
        out=str(tmp_path / "out"),
        data_dir=str(tmp_path / "data"),
        lang="en",
    )
    monkeypatch.setattr(quiz_launch.QuizApp, "run", lambda self: None)
    assert quiz_launch.take(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1
    assert "resume" in captured.err

    def submitting_run(self) -> None:
        self.submission = self.taking.submit()

    monkeypatch.setattr(quiz_launch.QuizApp, "run", submitting_run)
    assert quiz_launch.take(args) == 0
    written = tmp_path / "out" / f"{basic_quiz().id}-s9-1.json"
    assert capsys.readouterr().out.strip() == f"submitted: {written}"
    assert read_submission(written, signing_key(SECRET, basic_quiz().id)).authentic


def test_tutor_quiz_take_with_a_bad_quiz_path_prints_one_line_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "quiz", "take", str(tmp_path / "missing.quiz.toml")]
        + ["--student", "s1"],
        env={**os.environ, "TUTOR_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tutor: quiz take:")
    assert "missing.quiz.toml" in lines[0] and "Traceback" not in result.stderr


async def test_returning_to_an_answered_question_puts_the_cursor_after_its_answer(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    app = make_quiz_app(taking, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_into_answer(pilot, "12")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.query_one("#answer").value == "123"
        await pilot.press("ctrl+q")
    taking.close()
