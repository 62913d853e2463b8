"""Spaced review through the app, on the shipped course and a fake clock: a question missed in a
lesson is due the next day, the home screen counts it, the review session asks it with fresh
numbers and grades the answer to those numbers, the schedule moves it on, and the mastery map
(on screen and in `tutor progress`, as text and CSV) follows."""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import DataTable, Static
from tui_wait import retry_numbers

from tutor.course import format_answer
from tutor.progress import Store
from tutor.progress.command import mastery_rows
from tutor.progress.command import run as progress_run
from tutor.tui.due_list import due_in
from tutor.tui.factory import make_app
from tutor.tui.screens.due import DueScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.mastery import MasteryScreen
from tutor.tui.widgets.program_view import ProgramView, in_language
from tutor.tui.widgets.question import QuestionPanel

LESSON, QUESTION = "forward-graph", "x1-values"
SIZE = (140, 44)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def answer(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#answer")
    box.value = text
    box.focus()
    await pilot.press("enter")
    await settle(pilot)
    await retry_numbers(pilot)


def feedback(app) -> str:
    return str(app.screen.query_one("#feedback", Static).render())


async def miss_in_the_lesson(pilot) -> None:
    """Open the lesson, go to the question, answer it wrong once, then right."""
    app = pilot.app
    index = [lesson.id for lesson in app.course.lessons].index(LESSON)
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)
    session = app.screen.session
    for _ in range(20):
        if session.question is not None and session.question.id == QUESTION:
            break
        if session.question is not None:
            await answer(pilot, format_answer(session.trace.expected[session.question.id]))
        else:
            await pilot.press("n")
            await settle(pilot)
    question = session.question
    right = format_answer(session.trace.expected[question.id])
    await answer(pilot, "[[0, 0], [0, 0]]")
    assert "✘" in feedback(app)
    await answer(pilot, format_answer(session.trace.expected[question.id]))
    assert session.state(question).solved, right


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_missed_question_comes_back_the_next_day_with_fresh_numbers(tmp_path, lang):
    clock = Clock()
    app = make_app(data_dir=tmp_path, lang=lang, seed=7, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await miss_in_the_lesson(pilot)
        store = app.store
        card = store.card(app.course.id, LESSON, QUESTION)
        assert card is not None and card.due > clock.now  # not due again at once

        clock.now += timedelta(days=1)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        due = due_in(app.course, store)
        assert (LESSON, QUESTION) in {(d.lesson_id, d.question_id) for d in due}
        shown = str(app.screen.query_one("#due", Static).render())
        assert str(len(due)) in shown

        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DueScreen)
        for _ in range(len(due)):
            card = screen.card
            assert card is not None
            if (card.drawn.lesson.id, card.question.id) == (LESSON, QUESTION):
                break
            await answer(pilot, card.answer)
            await pilot.press("enter")
            await settle(pilot)
        card = screen.card
        canonical = {p.name: p.first for p in app.course.lesson(LESSON).params}
        assert dict(card.drawn.values) != canonical  # fresh numbers, not the lesson's own
        shown = screen.query_one(ProgramView).source  # the drawn program is on screen
        assert shown == in_language(card.drawn.lesson.program.rstrip("\n"), lang)
        await answer(pilot, card.answer)  # the answer to the numbers on screen
        assert card.verdict is not None and card.verdict.correct
        assert "✔" in feedback(app)
        reviewed = [a for a in store.attempts(lesson_id=LESSON) if a.question_id == QUESTION]
        assert dict(reviewed[-1].numbers) == dict(card.drawn.values)  # kept with its numbers
        rescheduled = store.card(app.course.id, LESSON, QUESTION)
        assert rescheduled.due > clock.now

        while app.screen.card is not None:
            if app.screen.card.verdict is None:
                await answer(pilot, app.screen.card.answer)
            await pilot.press("enter")
            await settle(pilot)
        assert app.screen.query_one(QuestionPanel)
        await pilot.press("escape")
        await settle(pilot)
        assert not due_in(app.course, store)

        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MasteryScreen)
        table = app.screen.query_one(DataTable)
        concepts = app.course.concepts
        assert table.row_count == len(concepts)
        asked = {c.id for c in concepts if any(q == QUESTION for _, q in _questions(app, c.id))}
        rows = {row.id: row for _, row in mastery_rows(store, app.course.id)}
        for concept_id in asked:
            assert rows[concept_id].answered >= 1
            cells = table.get_row(concept_id)
            assert f"{round(100 * rows[concept_id].recalled)}%" in str(cells[1])


def _questions(app, concept_id: str):
    return [(lesson.id, q.id) for lesson, q in app.course.concept_questions(concept_id)]


async def test_tutor_progress_prints_the_mastery_map_and_writes_it_as_csv(tmp_path, capsys):
    clock = Clock()
    app = make_app(data_dir=tmp_path, lang="en", seed=3, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await miss_in_the_lesson(pilot)
    course = app.course
    with Store.open(tmp_path) as store:  # `tutor progress` reads at the real time
        rows = [row for _, row in mastery_rows(store, course.id)]
    assert [r.id for r in rows] == [c.id for c in course.concepts]
    capsys.readouterr()
    for lang, title in (("en", "title"), ("ko", "title")):
        assert progress_run(argparse.Namespace(progress_data_dir=str(tmp_path), lang=lang)) == 0
        out = capsys.readouterr().out
        for concept in course.concepts:
            assert getattr(concept, title).get(lang) in out
    target = tmp_path / "mastery.csv"
    args = argparse.Namespace(progress_data_dir=str(tmp_path), lang="en", mastery_csv=str(target))
    assert progress_run(args) == 0
    with target.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [r["concept_id"] for r in written] == [c.id for c in course.concepts]
    for row, kept in zip(written, rows, strict=True):
        assert float(row["recalled"]) == pytest.approx(kept.recalled, abs=5e-4)
        assert int(row["answered"]) == kept.answered
