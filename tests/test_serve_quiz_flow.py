"""A quiz taken in a browser through a real `tutor serve`, as the websocket client (textual-serve's
protocol, the screen rendered by pyte) sees it: signing in, answering, the app process killed
mid-quiz and the attempt resumed with its answers and clock, submitting, and a quiz whose time
runs out while the page is open. What counts is read back from the server's own records."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from serve_client import Browser, ServedTutor, issue_codes, wait_gone
from test_serve_quiz_server import BASIC, short_quiz

from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.secret import server_secret
from tutor.quiz.server_taking import attempt_variant, final_answers

STUDENTS = ["s1", "s2", "s3"]
SHORT_SECONDS = 25.0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("quiz-flow")
    data_dir = root / "data"
    codes = issue_codes(data_dir, STUDENTS)
    short = short_quiz(root, SHORT_SECONDS)
    with ServedTutor(data_dir, "--quiz", str(BASIC), "--quiz", str(short)) as server:
        server.codes = codes
        server.quizzes = {"basic": load_quiz(BASIC), "short": load_quiz(short)}
        yield server


def records(data_dir: Path, student: str):
    with AttemptStore.open(data_dir) as store:
        attempts = store.attempts(student_id=student)
        return [(record, store.events(record.id)) for record in attempts]


def right_answer(served, quiz_id: str, student: str, question_id: str) -> str:
    """The answer the engine computes for this student's attempt (drawn on the server)."""
    from tutor.course.answer_key import format_answer

    quiz = served.quizzes[quiz_id]
    ((record, _),) = [r for r in records(served.data_dir, student) if r[0].quiz_id == quiz_id]
    variant = attempt_variant(quiz, server_secret(quiz, served.data_dir), record)
    return format_answer(variant.expected[question_id])


async def open_quiz(browser: Browser, student: str, code: str, nth: int) -> str:
    await browser.log_in(student, code)
    await browser.wait_for("PyTorch autograd, by hand")
    await browser.wait_for("attempts")  # the home's quiz list has loaded
    await browser.press("z")
    for _ in range(nth):
        await browser.press("down")
    await browser.press("enter")
    return await browser.wait_for("Question 1 of")


async def test_a_quiz_survives_its_process_being_killed_and_is_submitted(served):
    student = "s1"
    async with Browser.open(served.url) as browser:
        await open_quiz(browser, student, served.codes[student], nth=0)
        ((record, _),) = records(served.data_dir, student)
        answer = right_answer(served, "basic", student, "x-grad")
        await browser.type(answer)
        await browser.press("enter")
        await browser.wait_for("Saved.")
        (pid,) = served.sessions()
        os.kill(pid, signal.SIGKILL)  # the app process dies mid-quiz
        assert wait_gone(pid)
    ((after_crash, events),) = records(served.data_dir, student)
    assert after_crash.id == record.id and not after_crash.submitted
    assert final_answers(events, after_crash.closes_at)["x-grad"].text == answer

    async with Browser.open(served.url) as browser:  # the student reloads the page
        screen = await open_quiz(browser, student, served.codes[student], nth=0)
        assert answer.replace(" ", "") in screen.replace(" ", "")  # the saved answer is back
        await browser.press("ctrl+s")
        await browser.wait_for("Submit your answers?")
        await browser.press("y")
        await browser.wait_for("was received by the server")
    ((submitted, events),) = records(served.data_dir, student)
    assert submitted.id == record.id and submitted.how == "student"
    assert submitted.started_at == record.started_at  # the clock was never restarted
    assert submitted.submitted_at < submitted.deadline


async def test_a_wrong_code_never_reaches_a_quiz(served):
    async with Browser.open(served.url) as browser:
        await browser.log_in("s3", "AAAA-BBBB-CCCC")
        await browser.wait_for("Unknown student ID or wrong access code.")
        await browser.press("z")
        await asyncio.sleep(0.5)
        assert "Quizzes" not in browser.text()
    assert records(served.data_dir, "s3") == []


async def test_a_quiz_whose_time_runs_out_is_submitted_on_the_servers_clock(served):
    student = "s2"
    async with Browser.open(served.url) as browser:
        await open_quiz(browser, student, served.codes[student], nth=1)
        await browser.type("12")
        await browser.press("enter")
        await browser.wait_for("Saved.")
        await browser.wait_for("submitted when the time ran out", patience=SHORT_SECONDS + 30)
    ((record, events),) = records(served.data_dir, student)
    assert record.quiz_id == "short" and record.how == "time-up"
    assert record.deadline <= record.submitted_at <= record.closes_at
    assert [e.text for e in events] == ["12"]
