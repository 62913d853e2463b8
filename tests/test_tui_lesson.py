"""Pilot tests of the tutor's home and lesson screens, on the shipped course, through make_app."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tutor.course import format_answer
from tutor.progress import Store
from tutor.tui.factory import make_app
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.question import QuestionPanel


def rendered(widget) -> str:
    return str(widget.render())


async def open_lesson(pilot, lesson_id: str) -> LessonScreen:
    app = pilot.app
    index = [lesson.id for lesson in app.course.lessons].index(lesson_id)
    await pilot.press(*["down"] * index, "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson_id
    assert screen.session is not None
    return screen


async def type_answer(pilot, text: str) -> None:
    answer = pilot.app.screen.query_one("#answer")
    answer.value = text
    answer.focus()
    await pilot.press("enter")
    await pilot.pause()


async def finish_lesson(pilot, screen: LessonScreen) -> list[str]:
    """Answer every question with its computed answer, stepping on; returns the answers typed."""
    session = screen.session
    typed = []
    for _ in range(200):
        question = session.question
        if question is not None:
            text = format_answer(session.trace.expected[question.id])
            typed.append(text)
            await type_answer(pilot, text)
            assert session.state(question).solved, (question.id, text)
        elif session.finished:
            return typed
        else:
            await pilot.press("n")
            await pilot.pause()
    raise AssertionError("the lesson did not finish")


@pytest.fixture
def app(tmp_path):
    return make_app(data_dir=tmp_path, lang="en")


async def test_home_lists_every_lesson_with_its_progress(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [lesson.id for lesson in app.course.lessons]
        for index, lesson in enumerate(app.course.lessons):
            line = str(options.get_option_at_index(index).prompt)
            assert lesson.title.en in line and f"0/{len(lesson.questions())} done" in line


async def test_the_first_lesson_is_completed_by_typing_the_right_answers(app, tmp_path):
    first = app.course.lessons[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, first.id)
        typed = await finish_lesson(pilot, screen)
        assert len(typed) == len(first.questions())
        assert "Lesson complete" in rendered(screen.query_one("#feedback"))
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        total = len(first.questions())
        summary = app.screen.summaries()[first.id]
        assert summary.done == summary.total == total
        line = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert f"{total}/{total} done" in line and "█" * 10 in line
    with Store.open(tmp_path) as store:
        attempts = store.attempts(lesson_id=first.id)
    assert [a.answer for a in attempts] == typed and all(a.correct for a in attempts)


async def test_a_wrong_answer_names_the_misconception(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "backward")
        session = screen.session
        while session.question is None or session.question.kind != "backward-node":
            await pilot.press("n")
            await pilot.pause()
        question = session.question
        expected = session.trace.expected[question.id]
        assert "forward-value" in expected.alternatives
        await type_answer(pilot, format_answer_of(expected.alternatives["forward-value"]))
        verdict = session.state(question).last
        assert verdict is not None and not verdict.correct
        assert verdict.misconception == "forward-value"
        assert verdict.feedback.en in rendered(screen.query_one("#feedback"))


def format_answer_of(value) -> str:
    from tutor.course.values import format_array

    return format_array(value)


async def test_hints_are_revealed_one_at_a_time_and_recorded(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "forward-graph")
        session = screen.session
        while session.question is None:
            await pilot.press("n")
            await pilot.pause()
        question = session.question
        assert len(question.hints) >= 2
        await pilot.press("escape", "h")
        await pilot.pause()
        hints = rendered(screen.query_one("#hints"))
        assert question.hints[0].en in hints and question.hints[1].en not in hints
        await pilot.press("h")
        await pilot.pause()
        assert question.hints[1].en in rendered(screen.query_one("#hints"))
        await type_answer(pilot, format_answer(session.trace.expected[question.id]))
    with Store.open(tmp_path) as store:
        (attempt,) = store.attempts(lesson_id="forward-graph")
    assert attempt.hints_used == 2 and attempt.correct


async def test_backward_is_stepped_node_by_node_with_each_gradient_typed(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "backward")
        session = screen.session
        seen_nodes = []
        for _ in range(100):
            snapshot = session.step.snapshot
            graph = rendered(screen.query_one(GraphView))
            if snapshot.backward is not None and snapshot.backward.node_name not in seen_nodes:
                seen_nodes.append(snapshot.backward.node_name)
                assert snapshot.backward.node_name in graph
            question = session.question
            if question is not None:
                await type_answer(pilot, format_answer(session.trace.expected[question.id]))
                assert session.state(question).solved
            elif session.finished:
                break
            else:
                await pilot.press("n")
                await pilot.pause()
        assert seen_nodes[:3] == ["SumBackward0", "MulBackward0", "AddBackward0"]


async def test_review_and_resume_after_a_restart(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "forward-graph")
        session = screen.session
        while session.question is None:
            await pilot.press("n")
            await pilot.pause()
        await type_answer(pilot, format_answer(session.trace.expected[session.question.id]))
        await pilot.press("n")
        await pilot.pause()
        reached = session.step_index
        await pilot.press("escape", "b")
        await pilot.pause()
        assert session.step_index == reached - 1 and session.reviewing
    again = make_app(data_dir=tmp_path, lang="en")
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "forward-graph" in again.store.last_lesson(again.course.id)
        await pilot.press("c")
        await pilot.pause()
        await again.workers.wait_for_complete()
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == "forward-graph"
        assert screen.session.step_index == reached - 1


async def test_language_switch_shows_korean(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.course.lessons[0]
        options = app.screen.query_one(OptionList)
        assert first.title.en in str(options.get_option_at_index(0).prompt)
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "ko"
        line = str(options.get_option_at_index(0).prompt)
        assert first.title.ko in line and "완료" in line
        screen = await open_lesson(pilot, first.id)
        assert screen.query_one("#step-box").border_title == first.title.ko
        assert app.store.get_setting("lang") == "ko"


async def test_lessons_work_at_80_by_24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "backward")
        await finish_lesson(pilot, screen)
        assert isinstance(screen.query_one(QuestionPanel), QuestionPanel)


async def test_an_unreadable_answer_costs_no_attempt_and_is_not_stored(app, tmp_path):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "forward-graph")
        session = screen.session
        for _ in range(5):
            if session.question is not None:
                break
            await pilot.press("n")
            await pilot.pause()
        question = session.question
        assert question is not None and question.kind == "tensor"
        for text in ("2x", "torch.ones(2,2)", "banana", "2x", "[[1, 2], [3\u202e"):
            await type_answer(pilot, text)
            verdict = session.state(question).last
            assert verdict.outcome == "unreadable", text
            assert "not counted" in rendered(screen.query_one("#feedback"))
        assert session.state(question).wrong == 0 and not session.state(question).settled
        assert session.question is question
    with Store.open(tmp_path) as store:
        assert store.attempts(lesson_id="forward-graph") == []
