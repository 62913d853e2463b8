"""Lessons with `[params]`: declared as a quiz declares them (plus `first`), every fault located,
the first pass on the canonical numbers, a retry after a wrong answer on fresh ones (different,
not degenerate, every answer computed from the drawn program), `tutor check` proving the
variants, and the lesson screen showing the new numbers."""

from __future__ import annotations

import contextlib
import gc
import io
import random
import shutil
import warnings
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_quiz_support import QUIZ_HEADER, SCALED_PART, write_quiz
from tui_wait import retry_numbers

from tutor.checking import grade
from tutor.course import build_trace, default_course_dir, format_answer, load_course
from tutor.course.check import check_course
from tutor.course.load import load_lesson, read_course
from tutor.course.params import first_values
from tutor.course.variants import LessonVariants, NoVariant
from tutor.progress import REVEAL_AFTER, Store
from tutor.quiz.load import load_quiz, read_quiz

SEED = Path(__file__).parent / "courses" / "seed"
COURSE = load_course(default_course_dir())
VARYING = [lesson.id for lesson in COURSE.lessons if lesson.params]
PARAMS = """
[params]
a = { int = [-3, 5], first = 1 }
k = { int = [1, 3], first = 2 }
"""


def seed_with_params(tmp_path: Path, params: str = PARAMS, *edits: tuple[str, str]) -> Path:
    """A copy of the seed course whose lesson draws x[0, 0] (`a`) and the 2 of `x1 = x + 2`
    (`k`), with `edits` made after; returns the lesson file."""
    directory = tmp_path / "course"
    shutil.copytree(SEED, directory)
    path = directory / "seed.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("FloatTensor([[1, 2],", "FloatTensor([[{a}, 2],"),
        ("x1 = x + 2\n", "x1 = x + {k}\n"),
        ('after = "x1 = x + 2"', 'after = "x1 = x + {k}"'),
        ("Every element gets 2 added.", "Every element gets {k} added."),
        ('"-3 + 0 + 5 + 12"', '"Add them up."'),
        ('y.backward()\n"""\n', 'y.backward()\n"""\n' + params),
        *edits,
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def problems(path: Path) -> list[str]:
    return [str(p) for p in read_course(path.parent)[1]]


def graded_right(drawn) -> list[str]:
    """The questions whose computed answer, typed, is not graded correct (none, if right)."""
    wrong = []
    for question in drawn.lesson.questions():
        expected = drawn.trace.expected[question.id]
        if not grade(question, expected, format_answer(expected)).correct:
            wrong.append(question.id)
    return wrong


# --- declaring and rendering ----------------------------------------------------------------------


def test_a_lesson_with_params_loads_on_its_first_values_and_keeps_its_template(tmp_path):
    path = seed_with_params(tmp_path)
    lesson = load_lesson(path)
    assert [(p.name, p.first) for p in lesson.params] == [("a", 1), ("k", 2)]
    assert lesson.params[0].values == tuple(range(-3, 6))
    assert lesson.program == load_lesson(SEED / "seed.toml").program
    assert lesson.steps[0].after == "x1 = x + 2" and lesson.steps[0].text.en.startswith(
        "Every element gets 2 added."
    )
    template = lesson.template
    assert "[[{a}, 2]," in template.program and template.steps[0].after == "x1 = x + {k}"
    assert template.params == () and template.template is None


def test_a_lesson_without_params_is_as_it_was():
    lesson = load_lesson(SEED / "seed.toml")
    assert lesson.params == () and lesson.template is None
    variants = LessonVariants(lesson, random.Random(0))
    assert variants.fresh().lesson is lesson and variants.canonical().values == {}


def test_drawn_values_are_rendered_everywhere_a_lesson_says_them(tmp_path):
    lesson = load_lesson(seed_with_params(tmp_path))
    drawn = LessonVariants(lesson, random.Random(3)).evaluate({"a": -3, "k": 3})
    assert "FloatTensor([[-3, 2]," in drawn.lesson.program
    assert "x1 = x + 3\n" in drawn.lesson.program
    assert drawn.lesson.steps[0].after == "x1 = x + 3"
    assert drawn.lesson.steps[0].text.en.startswith("Every element gets 3 added.")
    x1 = build_trace(drawn.lesson).expected["x1-values"].value
    assert drawn.trace.expected["x1-values"].value.tolist() == x1.tolist() == [[0, 5], [6, 7]]


def test_the_course_cache_keeps_params_and_template(tmp_path):
    path = seed_with_params(tmp_path)
    first = load_course(path.parent)
    again = load_course(path.parent)  # from the cache written by the first load
    assert (path.parent / "__pycache__").is_dir()
    assert again == first and again.lessons[0].params == first.lessons[0].params
    assert again.lessons[0].template == first.lessons[0].template


@pytest.mark.parametrize(
    ("params", "edits", "marker", "message"),
    [
        (
            "\n[params]\na = { int = [-3, 5] }\nk = { int = [1, 3], first = 2 }\n",
            (),
            "a = { int",
            "parameter `a` needs `first`: the value the lesson shows on its first pass",
        ),
        (
            "\n[params]\na = { int = [-3, 5], first = 9 }\nk = { int = [1, 3], first = 2 }\n",
            (),
            "a = { int",
            "parameter `a`: `first = 9` is not one of its values",
        ),
        (
            "\n[params]\na = { int = [-3, 5], first = 1, step = 2 }\nk = { int = [1, 3], first = 2 }\n",
            (),
            "a = { int",
            "parameter `a` has an unknown key `step`",
        ),
        (
            PARAMS + "unused = { int = [1, 2], first = 1 }\n",
            (),
            "unused = {",
            "parameter `unused` is never used",
        ),
        (
            PARAMS,
            (("x2 = x - 2\n", "x2 = x - {z}\n"),),
            "x2 = x - {z}",
            "`{z}` is not a declared parameter (declare it in [params])",
        ),
        (
            PARAMS,
            (('prompt = { en = "What is y?"', 'prompt = { en = "What is y, {who}?"'),),
            'id = "y-value"',
            "`{who}` is not a declared parameter",
        ),
        (
            "\n[params]\na = 3\n",
            (),
            "a = 3",
            "parameter `a` must be a table like",
        ),
    ],
    ids=[
        "no-first",
        "first-not-a-value",
        "unknown-key",
        "unused",
        "undeclared",
        "in-prompt",
        "bad",
    ],
)
def test_each_params_fault_is_said_at_its_line(tmp_path, params, edits, marker, message):
    path = seed_with_params(tmp_path, params, *edits)
    found = [p for p in problems(path) if message in p]
    assert found, problems(path)
    line = line_of(path, marker) - (1 if marker.startswith("id =") else 0)
    assert found[0].startswith(f"{path}:{line}: "), (found, line)
    assert all("\n" not in p for p in problems(path))


def test_a_placeholder_with_no_params_at_all_is_located(tmp_path):
    directory = tmp_path / "course"
    shutil.copytree(SEED, directory)
    path = directory / "seed.toml"
    text = path.read_text(encoding="utf-8").replace("x1 = x + 2\n", "x1 = x + {k}\n", 1)
    path.write_text(text, encoding="utf-8")
    assert problems(path) == [
        f"{path}:{line_of(path, 'x1 = x + {k}')}: `{{k}}` is not a declared parameter "
        "(declare it in [params])"
    ]


def test_a_quiz_may_say_first_which_must_be_one_of_its_values(tmp_path):
    quiz_text = QUIZ_HEADER + "\n[params]\na = { int = [1, 4], first = 2 }\n" + SCALED_PART
    quiz = load_quiz(write_quiz(tmp_path, quiz_text))
    assert quiz.params[0].first == 2 and quiz.params[0].values == (1, 2, 3, 4)
    bad = write_quiz(tmp_path, quiz_text.replace("first = 2", "first = 7"), "bad.quiz.toml")
    _, found = read_quiz(bad)
    assert [str(p) for p in found] == [
        f"{bad}:{line_of(bad, 'a = {')}: parameter `a`: `first = 7` is not one of its values"
    ]


# --- drawing ------------------------------------------------------------------------------------


def test_the_canonical_variant_is_the_lesson_as_loaded():
    for lesson_id in VARYING:
        lesson = COURSE.lesson(lesson_id)
        drawn = LessonVariants(lesson, random.Random(0)).canonical()
        assert drawn.values == first_values(lesson.params)
        assert drawn.lesson == lesson and drawn.trace.lesson == lesson


def test_every_shipped_lesson_draws_its_numbers():
    assert [lesson.id for lesson in COURSE.lessons] == VARYING


@pytest.mark.parametrize("lesson_id", VARYING)
def test_consecutive_retries_draw_new_numbers_each_graded_by_its_own_answers(lesson_id):
    lesson = COURSE.lesson(lesson_id)
    variants = LessonVariants(lesson, random.Random(f"retries of {lesson_id}"))
    shown = variants.canonical()
    for _ in range(3):
        drawn = variants.fresh(avoid=shown.values)
        changed = [p.name for p in lesson.params if drawn.values[p.name] != shown.values[p.name]]
        assert changed == [p.name for p in lesson.params], (shown.values, drawn.values)
        assert drawn.lesson.program != shown.lesson.program
        assert drawn.trace.lesson is drawn.lesson
        assert graded_right(drawn) == []
        shown = drawn


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), retries=st.integers(1, 4))
def test_no_two_consecutive_draws_are_identical(seed, retries):
    variants = LessonVariants(COURSE.lesson("forward-graph"), random.Random(seed))
    values = variants.canonical().values
    for _ in range(retries):
        drawn = variants.fresh(avoid=values)
        assert all(drawn.values[name] != values[name] for name in values)
        assert variants.evaluate(drawn.values) is drawn  # cached by its values
        values = drawn.values


def test_every_drawn_expected_answer_is_computed_from_the_drawn_program():
    lesson = COURSE.lesson("backward")
    drawn = LessonVariants(lesson, random.Random(11)).fresh()
    again = build_trace(drawn.lesson)  # the drawn lesson traced on its own
    for question in lesson.questions():
        mine, theirs = drawn.trace.expected[question.id], again.expected[question.id]
        assert format_answer(mine) == format_answer(theirs)
    x = again.snapshots[-1].variables["x"].tensor.values
    expected = [[2 * drawn.values[n] for n in "ab"], [2 * drawn.values[n] for n in "cd"]]
    assert drawn.trace.expected["x-grad"].value.tolist() == expected
    assert x.tolist() == [[drawn.values[n] for n in "ab"], [drawn.values[n] for n in "cd"]]


def test_a_degenerate_draw_is_redrawn(tmp_path):
    path = seed_with_params(
        tmp_path,
        PARAMS + "m = { int = [0, 2], first = 1 }\n",
        ("y = x3.sum()\n", "y = (x3 * {m}).sum()\n"),
        ('after = "y = x3.sum()"', 'after = "y = (x3 * {m}).sum()"'),
    )
    variants = LessonVariants(load_lesson(path), random.Random(2))
    assert variants.evaluate({"a": 1, "k": 2, "m": 0}).reason == "the gradient is zero everywhere"
    for _ in range(10):
        assert variants.fresh(avoid={"a": 1, "k": 2, "m": 2}).values["m"] == 1


def test_a_lesson_that_allows_a_fault_on_purpose_still_draws():
    # accumulation zeroes x.grad on purpose; backward sends the same gradient on two paths
    for lesson_id in ("accumulation", "backward"):
        variants = LessonVariants(COURSE.lesson(lesson_id), random.Random(5))
        assert variants.fresh(avoid=variants.canonical().values).values


def test_no_usable_draw_falls_back_to_the_canonical_numbers_or_says_so(tmp_path):
    path = seed_with_params(
        tmp_path,
        PARAMS.replace("k = { int = [1, 3], first = 2 }", 'k = { choice = [2, "zz"], first = 2 }'),
    )
    variants = LessonVariants(load_lesson(path), random.Random(4), max_draws=3)
    with pytest.raises(NoVariant) as raised:
        variants.fresh(avoid={"a": 1, "k": 2})
    assert "no usable variant in 3 draws" in str(raised.value) and "NameError" in str(raised.value)
    assert variants.fresh(avoid={"a": 4, "k": 2}).values == {"a": 1, "k": 2}


@pytest.mark.parametrize("lesson_id", VARYING)
def test_a_drawn_program_prints_the_same_under_torch_and_the_tutor(torch, lesson_id):
    from tutor.program import run_program

    drawn = LessonVariants(COURSE.lesson(lesson_id), random.Random(lesson_id)).fresh()
    output = io.StringIO()
    with contextlib.redirect_stdout(output), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(drawn.lesson.program, lesson_id, "exec"), {})
    outcome = run_program(drawn.lesson.program, lesson_id)
    assert (outcome.status, outcome.stdout) == (0, output.getvalue())


# --- tutor check --------------------------------------------------------------------------------


def test_tutor_check_proves_a_lesson_with_params(tmp_path):
    path = seed_with_params(tmp_path)
    found, proven = check_course(path.parent)
    assert found == [] and proven == 8


def test_tutor_check_reports_a_value_that_is_never_drawable(tmp_path):
    path = seed_with_params(
        tmp_path,
        PARAMS + "m = { int = [0, 2], first = 1 }\n",
        ("y = x3.sum()\n", "y = (x3 * {m}).sum()\n"),
        ('after = "y = x3.sum()"', 'after = "y = (x3 * {m}).sum()"'),
    )
    found, _ = check_course(path.parent)
    assert [str(p) for p in found] == [
        f"{path}:{line_of(path, 'm = {')}: value 0 of parameter `m` can never be drawn: every "
        "variant tried with it (20 of 27) is degenerate (question `mul-sends`: the gradient is "
        "zero everywhere)"
    ]


def test_tutor_check_reports_retries_with_no_usable_variant(tmp_path):
    path = seed_with_params(
        tmp_path,
        PARAMS.replace("k = { int = [1, 3], first = 2 }", 'k = { choice = [2, "zz"], first = 2 }'),
    )
    found = [str(p) for p in check_course(path.parent)[0]]
    line = line_of(path, "x1 = x + {k}")
    assert (
        f"{path}:{line}: no usable variant in 20 draws for 6 of 6 retries; most often: "
        in (found[0])
    )
    assert "NameError" in found[0]
    assert any('value "zz" of parameter `k` can never be drawn' in p for p in found), found


# --- the learner's session ----------------------------------------------------------------------


def wrong_answer(question, expected) -> str:
    return next(
        text
        for text in ("[[0, 0], [0, 0]]", "[0, 0, 0]", "[0, 0]", "0", "7", "AddBackward0", "1")
        if not (verdict := grade(question, expected, text)).correct
        and verdict.outcome != "unreadable"
    )


def test_a_wrong_answer_swaps_in_new_numbers_and_keeps_the_place(tmp_path):
    from tutor.tui.session import LessonSession

    lesson = COURSE.lesson("forward-graph")
    variants = LessonVariants(lesson, random.Random(9))
    with Store.open(tmp_path) as store:
        session = LessonSession(variants.canonical().trace, store, COURSE.id, variants=variants)
        while session.question is None:
            session.advance()
        first = session.question
        settled_answer = format_answer(session.trace.expected[first.id])
        assert session.submit(settled_answer).correct
        at_a_tensor_question(session)
        question, place = session.question, session.step_index
        canonical = dict(session.values)
        # nothing is drawn before a retry waits for it
        assert not session.needs_draw
        assert session.offer(session.draw()) is False and dict(session.values) == canonical
        # a wrong answer keeps the numbers it was given until the retry's are drawn
        before = session.values
        assert not session.submit(
            wrong_answer(question, session.trace.expected[question.id])
        ).correct
        assert session.values is before and session.needs_draw
        assert session.offer(session.draw()) is True and not session.needs_draw
        assert dict(session.values) != canonical and session.step_index == place
        assert session.state(question).wrong == 1 and session.question.id == question.id
        assert session.trace.lesson is session.lesson and session.lesson.program != lesson.program
        # an unreadable answer is no try: no new numbers
        shown = dict(session.values)
        assert session.submit("[[").outcome == "unreadable"
        assert not session.needs_draw and dict(session.values) == shown
        assert not session.submit(
            wrong_answer(question, session.trace.expected[question.id])
        ).correct
        assert session.offer(session.draw()) is True and dict(session.values) != shown
        # the settled question keeps the answer it was settled with
        assert session.answer_of(first) == settled_answer
        # the new numbers' own answer is the right one
        right = format_answer(session.trace.expected[question.id])
        assert session.submit(right).correct


def at_a_tensor_question(session):
    """`session` at its first tensor question, every question before it answered right."""
    while session.question is None or session.question.kind != "tensor":
        if session.question is not None:
            session.submit(format_answer(session.trace.expected[session.question.id]))
        else:
            session.advance()
    return session


def test_the_last_try_and_a_right_answer_change_no_numbers(tmp_path):
    from tutor.tui.session import LessonSession

    lesson = COURSE.lesson("retain-graph")
    variants = LessonVariants(lesson, random.Random(1))
    with Store.open(tmp_path) as store:
        session = at_a_tensor_question(
            LessonSession(variants.canonical().trace, store, COURSE.id, variants=variants)
        )
        question = session.question
        for attempt in range(REVEAL_AFTER):
            shown = dict(session.values)
            session.submit(wrong_answer(question, session.trace.expected[question.id]))
            assert session.needs_draw == (attempt < REVEAL_AFTER - 1)
            drawn = session.draw()
            assert session.offer(drawn) == (attempt < REVEAL_AFTER - 1)
            assert (dict(session.values) != shown) == (attempt < REVEAL_AFTER - 1)
        assert session.state(question).settled
        revealed = session.answer_of(question)
        assert revealed == format_answer(session.trace.expected[question.id])


def test_numbers_drawn_for_a_retry_no_one_waits_for_are_dropped(tmp_path):
    from tutor.tui.session import LessonSession

    lesson = COURSE.lesson("forward-graph")
    variants = LessonVariants(lesson, random.Random(3), keep=0)
    with Store.open(tmp_path) as store:
        session = at_a_tensor_question(
            LessonSession(variants.canonical().trace, store, COURSE.id, variants=variants)
        )
        question = session.question
        canonical = dict(session.values)
        assert not session.submit(
            wrong_answer(question, session.trace.expected[question.id])
        ).correct
        late = session.draw()  # drawn while the learner answers again, on the numbers shown
        assert session.submit(format_answer(session.trace.expected[question.id])).correct
        assert not session.needs_draw
        assert session.offer(late) is False and dict(session.values) == canonical


def test_a_lesson_holds_no_trace_but_the_one_it_shows():
    lesson = COURSE.lesson("derivation")
    variants = LessonVariants(lesson, random.Random(5), keep=0)
    canonical = variants.canonical()
    gone = weakref.ref(canonical.trace)
    fresh = variants.fresh(avoid=canonical.values)
    assert dict(fresh.values) != dict(canonical.values)
    del canonical
    gc.collect()
    assert gone() is None
    # by default the canonical variant is kept, for `tutor check` and the review
    kept = LessonVariants(lesson, random.Random(5))
    assert kept.canonical() is kept.canonical()


# --- the lesson screen --------------------------------------------------------------------------


async def test_a_wrong_answer_shows_new_numbers_and_their_answer_is_right(tmp_path):
    from tutor.tui.factory import make_app
    from tutor.tui.screens.lesson import NEW_NUMBERS, LessonScreen
    from tutor.tui.widgets.program_view import ProgramView

    app = make_app(data_dir=tmp_path, lang="en", seed=2024)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_lesson("forward-graph")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        session = screen.session
        while session.question is None:
            await pilot.press("n")
            await pilot.pause()
        question = session.question
        assert question.id == "x1-values"
        program = str(screen.query_one(ProgramView).render())
        assert "FloatTensor([[1, 2]," in program  # the first pass: the seed's numbers
        old = format_answer(session.trace.expected[question.id])
        first_trace = weakref.ref(session.trace)
        box = screen.query_one("#answer")
        box.value = wrong_answer(question, session.trace.expected[question.id])
        await pilot.press("enter")
        await pilot.pause()
        assert NEW_NUMBERS.en in str(screen.query_one("#feedback").render())  # the verdict first
        assert session.values["a"] == 1  # the retry's numbers are drawn after it
        await retry_numbers(pilot)
        values = session.values
        gc.collect()
        assert first_trace() is None  # nothing kept but the numbers shown
        program = str(screen.query_one(ProgramView).render())
        assert f"FloatTensor([[{values['a']}, {values['b']}]," in program
        assert "FloatTensor([[1, 2]," not in program
        assert NEW_NUMBERS.en in str(screen.query_one("#feedback").render())
        new = format_answer(session.trace.expected[question.id])
        assert new != old
        box.value = new
        await pilot.press("enter")
        await pilot.pause()
        assert session.state(question).solved
    with Store.open(tmp_path) as store:
        attempts = store.attempts(lesson_id="forward-graph")
    assert [a.correct for a in attempts] == [False, True] and attempts[-1].answer == new
    # each with the numbers it was asked with, which the history shows beside it
    canonical = first_values(COURSE.lesson("forward-graph").params)
    assert [dict(a.numbers) for a in attempts] == [canonical, dict(values)]


async def test_the_same_seed_draws_the_same_numbers(tmp_path):
    from tutor.tui.factory import make_app

    seen = []
    for run in range(2):
        app = make_app(data_dir=tmp_path / str(run), lang="en", seed=5)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.open_lesson("backward")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            session = app.screen.session
            while session.question is None:
                await pilot.press("n")
                await pilot.pause()
            box = app.screen.query_one("#answer")
            box.value = wrong_answer(session.question, session.trace.expected[session.question.id])
            await pilot.press("enter")
            await pilot.pause()
            await retry_numbers(pilot)
            seen.append(dict(session.values))
    assert seen[0] == seen[1] and seen[0] != first_values(COURSE.lesson("backward").params)
