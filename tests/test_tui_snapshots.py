"""Snapshot tests (pytest-textual-snapshot) of every screen at 80×24 and 120×40.

Each picture was reviewed by eye before it was accepted; `pytest --snapshot-update` rewrites
them, and a changed picture fails until it is reviewed again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from test_quiz_support import SECRET, START, ServerClock, basic_quiz, sit
from textual.widgets import Input

from tutor.course import format_answer
from tutor.progress import Attempt, Store
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.report import build_report
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.taking import QuizTaking
from tutor.quiz.variant import Variants
from tutor.tui.factory import make_app
from tutor.tui.quiz_launch import make_dashboard_app, make_quiz_app
from tutor.tui.screens.lesson import NEW_NUMBERS_AFTER

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def open_lesson(pilot, lesson_id: str) -> None:
    pilot.app.open_lesson(lesson_id)
    await settle(pilot)


async def step_to(pilot, predicate) -> None:
    session = pilot.app.screen.session
    for _ in range(100):
        if predicate(session):
            return
        question = session.question
        if question is not None:
            box = pilot.app.screen.query_one("#answer", Input)
            box.value = format_answer(session.trace.expected[question.id])
            await pilot.press("enter")
        else:
            await pilot.press("n")
        await pilot.pause()
    raise AssertionError("never reached")


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, tmp_path, size):
    assert snap_compare(make_app(data_dir=tmp_path, lang="en"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_in_korean_with_progress(snap_compare, tmp_path, size):
    with Store.open(tmp_path) as store:
        store.record(
            Attempt(
                "requires-grad", "x-requires-grad", "True", True, 1.0, course_id="autograd-basics"
            )
        )
        store.set_position("autograd-basics", "requires-grad", 1)
    assert snap_compare(make_app(data_dir=tmp_path, lang="ko"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_lesson_question_with_misconception_feedback(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await open_lesson(pilot, "backward")
        await step_to(
            pilot, lambda s: s.question is not None and s.question.kind == "backward-node"
        )
        session = pilot.app.screen.session
        expected = session.trace.expected[session.question.id]
        wrong = replace(expected, value=expected.alternatives["forward-value"])
        pilot.app.screen.query_one("#answer", Input).value = format_answer(wrong)
        await pilot.press("enter")
        await pilot.pause(NEW_NUMBERS_AFTER + 0.1)  # the retry's numbers come after the verdict
        await settle(pilot)

    # the wrong answer draws new numbers for the retry: seeded, so the picture is the same
    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en", seed=0), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_lesson_stepping_backward_in_korean(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await open_lesson(pilot, "backward")
        await step_to(
            pilot,
            lambda s: (
                s.step.snapshot.backward is not None
                and s.step.snapshot.backward.node_name == "MulBackward0"
            ),
        )
        await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="ko"), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_derivation(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await open_lesson(pilot, "derivation")
        await pilot.press("ctrl+o")
        await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en"), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_plot(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await open_lesson(pilot, "derivation")
        await pilot.press("ctrl+f")
        await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en"), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_playground(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await pilot.press("p")
        await settle(pilot)
        for line in (
            "import torch",
            "x = torch.tensor([1.0, 2.0], requires_grad=True)",
            "y = (x * x).sum()",
        ):
            pilot.app.screen.query_one(Input).value = line
            await pilot.press("enter")
            await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en"), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_playground_after_the_log_scrolls(snap_compare, tmp_path, size):
    async def run_before(pilot):
        await pilot.press("p")
        await settle(pilot)
        lines = ["import torch", "x = torch.arange(6.0, requires_grad=True)"]
        lines += [
            f"print('step {n}:', (x * {n}).sum().item(), 'is the sum of x times {n}')"
            for n in range(1, 9)
        ]
        for line in lines:
            pilot.app.screen.query_one(Input).value = line
            await pilot.press("enter")
            await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en"), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, tmp_path, size):
    at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    with Store.open(tmp_path) as store:
        for n, (answer, correct, misconception) in enumerate(
            [("[[3, 4], [5, 6]]", False, "forward-value"), ("[[2, 4], [6, 8]]", True, None)]
        ):
            store.record(
                Attempt(
                    "backward",
                    "x-grad",
                    answer,
                    correct,
                    float(correct),
                    misconception,
                    hints_used=n,
                    course_id="autograd-basics",
                    at=at + timedelta(minutes=n),
                )
            )

    async def run_before(pilot):
        await pilot.press("down", "down", "h")
        await settle(pilot)

    assert snap_compare(
        make_app(data_dir=tmp_path, lang="en"), terminal_size=size, run_before=run_before
    )


class FrozenClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self):
        return self.now


@pytest.mark.parametrize("size", SIZES)
def test_quiz_taking(snap_compare, tmp_path, size):
    clock = FrozenClock()
    # practice draws from a random seed: a fixed one keeps the picture's numbers
    taking = QuizTaking.open(basic_quiz(), tmp_path, "s1", clock, seed=bytes(32))
    app = make_quiz_app(taking, "en", interval=3600.0, save_delay=3600.0)

    async def run_before(pilot):
        clock.now = START + timedelta(seconds=95)
        app.tick()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, tmp_path, size):
    quiz = basic_quiz()
    variants = Variants(quiz, SECRET)
    with AttemptStore.open(tmp_path / "data") as store:
        for number, student in enumerate(("s1", "s2", "s3", "s4")):
            expected = variants.for_student(student).expected
            answers = {qid: format_answer(e) for qid, e in expected.items()}
            if number % 2:
                wrong = expected["x-grad"]
                answers["x-grad"] = format_answer(
                    replace(wrong, value=wrong.alternatives["forward-value"])
                )
            # s4 is still answering: in progress
            after = None if student == "s4" else 300.0
            sit(store, quiz, student, ServerClock(), answers, submit_after=after)
        gradebook = grade_attempts(store, quiz, SECRET, now=START.timestamp() + 400)
    app = make_dashboard_app(gradebook, build_report(gradebook), "en")
    assert snap_compare(app, terminal_size=size, run_before=settle)
