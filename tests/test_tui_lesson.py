"""Pilot tests of the tutor's home and lesson screens, on the shipped course, through make_app."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList
from tui_wait import retry_numbers

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
    await retry_numbers(pilot)


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
            assert lesson.title.en in line and "0/" in line


async def test_the_first_lesson_is_completed_by_typing_the_right_answers(app, tmp_path):
    first = app.course.lessons[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, first.id)
        typed = await finish_lesson(pilot, screen)
        assert len(typed) == len(first.questions())
        assert "Lesson complete" in rendered(screen.query_one("#prompt"))
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        line = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "█" * 10 in line
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
        await pilot.press("ctrl+r")
        await pilot.pause()
        hints = rendered(screen.query_one("#hints"))
        assert question.hints[0].en in hints and question.hints[1].en not in hints
        assert f"Hint 1/{len(question.hints)}:" in hints
        await pilot.press("ctrl+r")
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
        await pilot.press("left")  # on the empty answer box: a step back
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
        assert first.title.ko in line
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
            feedback = rendered(screen.query_one("#feedback"))
            assert "not counted" in feedback
            assert verdict.feedback.en in feedback  # what form is wanted
            assert screen.query_one("#question-box").border_subtitle == "3 of 3 tries left"
        assert session.state(question).wrong == 0 and not session.state(question).settled
        assert session.question is question
    with Store.open(tmp_path) as store:
        assert store.attempts(lesson_id="forward-graph") == []


# --- the focus model: letters always reach the answer box ------------------------------------


async def open_question(pilot, lesson_id: str) -> LessonScreen:
    """The lesson opened and stepped on to its first question."""
    screen = await open_lesson(pilot, lesson_id)
    while screen.session.question is None:
        await pilot.press("n")
        await pilot.pause()
    return screen


NAVIGATION_LETTERS = "bndpgqh"


@pytest.mark.parametrize("focus", ["answer", "graph-box", "program-box", "nothing"])
async def test_letters_go_to_the_answer_box_wherever_the_focus_is(app, focus):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_question(pilot, "forward-graph")
        step, question = screen.session.step_index, screen.session.question
        box = screen.query_one("#answer")
        if focus == "nothing":
            screen.set_focus(None)
        elif focus != "answer":
            screen.query_one(f"#{focus}").focus()
        await pilot.pause()
        await pilot.press(*NAVIGATION_LETTERS, "space", "x")
        await pilot.pause()
        assert box.value == NAVIGATION_LETTERS + " x"
        assert app.screen is screen and screen.maximized is None
        assert screen.session.step_index == step and screen.session.question is question
        screen.query_one("#graph-box").focus()
        await pilot.press("backspace", "backspace", "enter")  # these mean the box too
        await pilot.pause()
        assert screen.session.state(question).last_answer == NAVIGATION_LETTERS
        assert "not counted" in rendered(screen.query_one("#feedback"))


async def test_escape_returns_to_the_answer_box_from_anywhere(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_question(pilot, "derivation")
        box = screen.query_one("#answer")
        await pilot.press("ctrl+g")  # the graph fills the screen
        await pilot.pause()
        assert screen.maximized is screen.query_one("#graph-box")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None and box.has_focus
        screen.query_one("#variables-box").focus()
        await pilot.press("escape")
        assert box.has_focus
        await pilot.press("ctrl+o")  # the derivation, over the lesson
        await pilot.pause()
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and box.has_focus


def footer_keys(screen) -> set[str]:
    return {key for key, active in screen.active_bindings.items() if active.binding.show}


async def test_the_footer_shows_the_keys_that_work_now(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_question(pilot, "forward-graph")
        answering = footer_keys(screen)
        assert {"ctrl+r", "left", "escape", "ctrl+o", "ctrl+f", "ctrl+g", "ctrl+l"} <= answering
        assert not answering & set(NAVIGATION_LETTERS)
        await type_answer(pilot, format_answer(screen.session.trace.expected["x1-values"]))
        assert screen.session.question is None
        browsing = footer_keys(screen)
        assert {"n", "b", "d", "p", "g", "q"} <= browsing and "ctrl+r" not in browsing


async def test_navigation_keys_while_a_question_is_open(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_question(pilot, "backward")
        session = screen.session
        step = session.step_index
        box = screen.query_one("#answer")
        await pilot.press("ctrl+r")
        assert session.state(session.question).ladder.used == 1
        await pilot.press("1", "left")  # in a box with text, ← is the cursor
        assert session.step_index == step and box.cursor_position == 0
        box.value = ""
        await pilot.press("right")  # on an empty box, → cannot pass an open question
        await pilot.pause()
        assert session.step_index == step
        assert "ctrl+r" in rendered(screen.query_one("#feedback"))
        await pilot.press("left")  # on an empty box, ← is a step back
        await pilot.pause()
        assert session.step_index == step - 1
        await pilot.press("n")
        await pilot.pause()
        assert session.step_index == step and box.has_focus
        for key, modal in (("ctrl+o", "DerivationScreen"), ("ctrl+f", "PlotScreen")):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == modal
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_verdict_belongs_to_the_question_it_answers(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_lesson(pilot, "forward-graph")
        session = screen.session
        while session.question is None or session.question.id != "y-value":
            if session.question is None:
                await pilot.press("n")
                await pilot.pause()
            else:
                await type_answer(pilot, format_answer(session.trace.expected[session.question.id]))
        feedback = screen.query_one("#feedback")
        await type_answer(pilot, "13")
        assert "✘" in rendered(feedback) and feedback.display
        assert screen.query_one("#question-box").border_subtitle == "2 of 3 tries left"
        right = format_answer(session.trace.expected["y-value"])  # the retry's new numbers
        await type_answer(pilot, right)
        assert session.question.id == "y-grad-fn"
        assert not feedback.display  # the next question starts with no verdict
        settled = rendered(screen.query_one("#settled"))
        assert "✔" in settled and "What number is `y`?" in settled and right in settled
        assert screen.query_one("#question-box").border_subtitle == "3 of 3 tries left"


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_enter_on_an_empty_box_says_what_to_type(tmp_path, lang):
    app = make_app(data_dir=tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_question(pilot, "forward-graph")
        session = screen.session
        await pilot.press("enter")
        await pilot.pause()
        said = rendered(screen.query_one("#feedback"))
        form = session.form_of(session.question).get(lang)
        assert form in said and ("Type your answer first" in said) == (lang == "en")
        assert ("먼저 답을 입력하세요" in said) == (lang == "ko")
        assert format_answer(session.trace.expected[session.question.id]) not in said
        assert session.state(session.question).wrong == 0
    with Store.open(tmp_path) as store:
        assert store.attempts(lesson_id="forward-graph") == []
