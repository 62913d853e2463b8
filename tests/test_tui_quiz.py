"""Pilot tests of `tutor quiz take` (practice, not graded) and `tutor quiz dashboard` in the
terminal, on the fixture quiz: answers typed and saved, the clock faked, the practice scored for
the learner alone, the dashboard drawn from the server's records."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
from test_quiz_support import SECRET, START, ServerClock, basic_quiz, sit

from tutor.checking import MISCONCEPTIONS, grade
from tutor.course import format_answer
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.grading import FLAG_TEXT, grade_question
from tutor.quiz.report import build_report
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.sessions import SessionStore
from tutor.quiz.taking import PracticeResult, QuizTaking
from tutor.quiz.variant import Variants
from tutor.tui import quiz_launch
from tutor.tui.quiz_launch import (
    ConfirmSubmit,
    PracticeEndScreen,
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
    return QuizTaking.open(quiz or basic_quiz(), data_dir, student, clock)


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


async def test_practice_in_the_tui_ends_when_time_runs_out_and_is_scored_as_practice(tmp_path):
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
        assert "Practice — not graded" in shown(screen.query_one("#quiz-title"))
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
        assert app.result is None

        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert isinstance(app.screen, PracticeEndScreen) and app.screen.time_up
        result = app.result
        assert isinstance(result, PracticeResult) and result.how == "time-up"
        expected = sum(
            grade_question(quiz, taking.variant, q.id, typed[q.id]).points for q in taking.questions
        )
        assert result.total == pytest.approx(expected) and result.total < quiz.max_points
        title = shown(app.screen.query_one("#practice-title"))
        assert title.startswith("Practice — not graded") and "Time is up" in title
        score = shown(app.screen.query_one("#practice-score"))
        assert f"{expected:g} of {quiz.max_points:g} points (not graded" in score
        feedback = shown(app.screen.query_one("#practice-feedback"))
        assert "✘ x-grad" in feedback and "✔ y-value" in feedback
        await pilot.press("enter")
    assert app.return_value == result
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob("**/*.json"))
    misconception = {r.question_id: r.misconception for r in result.results}["x-grad"]
    assert misconception == "forward-value"


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
    assert record.submitted_at is None

    clock.advance(50)
    resumed = open_taking(tmp_path, clock)
    assert resumed.record.attempt == 1 and resumed.variant.values == taking.variant.values
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


async def test_a_practice_reopened_after_its_time_ends_at_once(tmp_path):
    clock = FakeClock()
    taking = open_taking(tmp_path, clock)
    first = taking.questions[0]
    taking.answer(first.id, right_answer(taking, first.id))
    taking.close()
    clock.advance(taking.quiz.time_limit_seconds + 5)
    late = open_taking(tmp_path, clock)
    assert late.expired and not late.submitted
    app = make_quiz_app(late, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticeEndScreen) and app.screen.time_up
    late.close()
    assert app.result.total == first.points
    assert late.submitted


async def test_finishing_asks_first_and_then_shows_the_practice_score(tmp_path):
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
        assert app.result is None
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PracticeEndScreen) and not app.screen.time_up
        assert taking.submitted and app.result.total == taking.questions[0].points
        # after finishing the policy (after-submit) allows feedback: the answer was right
        assert "✔" in shown(app.screen.query_one("#practice-feedback"))
        assert app.quiz_screen.query_one("#answer").disabled
        await pilot.press("q")
    taking.close()
    assert app.return_value == app.result


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
        assert "연습 — 채점하지 않음" in shown(app.screen.query_one("#quiz-title"))
        prompt = shown(app.screen.query_one("#prompt"))
        assert prompt.startswith(taking.prompt(taking.questions[0]).ko)
        assert "남은 시간" in shown(app.screen.query_one(Countdown))
        await pilot.press("ctrl+q")
    taking.close()


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_dashboard_shows_percent_correct_misconceptions_and_flags(tmp_path, lang):
    quiz = basic_quiz()
    variants = Variants(quiz, SECRET)
    with AttemptStore.open(tmp_path / "data") as store:
        for student in ("s1", "s2", "s3"):
            expected = variants.for_student(student).expected
            answers = {qid: format_answer(e) for qid, e in expected.items()}
            if student == "s2":
                answers["x-grad"] = forward_value_answer(expected["x-grad"])
            # s3 is still answering: in progress, not graded
            after = None if student == "s3" else 300.0
            sit(store, quiz, student, ServerClock(), answers, submit_after=after)
        gradebook = grade_attempts(store, quiz, SECRET, now=START.timestamp() + 60)
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
        assert flagged.get_row("s3")[1] == FLAG_TEXT["in-progress"].get(lang)  # in its language
        histogram = app.screen.query_one(ScoreHistogram)
        assert histogram.counts == report.histogram and sum(histogram.counts) == 2
        await pilot.press("q")


def test_take_returns_0_once_finished_and_1_with_a_line_when_not(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TUTOR_QUIZ_SECRET", raising=False)  # practice needs no secret
    args = argparse.Namespace(
        quiz=str(basic_quiz().path), student="s9", data_dir=str(tmp_path / "data"), lang="en"
    )
    monkeypatch.setattr(quiz_launch.QuizApp, "run", lambda self: None)
    assert quiz_launch.take(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1
    assert "resume" in captured.err

    def finishing_run(self) -> None:
        self.result = self.taking.submit()

    monkeypatch.setattr(quiz_launch.QuizApp, "run", finishing_run)
    assert quiz_launch.take(args) == 0
    assert capsys.readouterr().out.strip() == "practice (not graded): 0 of 5 points"
    assert not list(tmp_path.glob("**/*.json"))


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
