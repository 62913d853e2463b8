"""Pilot tests that the lesson screens fit their content at 80×24 and 120×40: the step text has
room and pages, tables and program lines are never cut, comments come in the learner's
language, the graph's lines stay joined when a label wraps, and a lesson that plots a function
also derives it."""

from __future__ import annotations

import io
import re
import tokenize
from functools import cache

import pytest
import sympy
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Input

from tutor.course import build_trace, default_course_dir, format_answer, load_course
from tutor.symbolic.functions import symbol, to_sympy_builtin
from tutor.tui import lesson_math
from tutor.tui.factory import make_app
from tutor.tui.screens.derivation import DerivationScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.graph import NO_GRADIENT, GraphView, arrivals
from tutor.tui.widgets.program_view import ProgramView

SIZES = [(80, 24), (120, 40)]
COURSE = load_course(default_course_dir())
LESSONS = [lesson.id for lesson in COURSE.lessons]
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+")
TREE = "│├└─"


@cache
def trace_of(lesson_id: str):
    return build_trace(COURSE.lesson(lesson_id))


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def drawn(widget) -> list[str]:
    """The widget's lines as the screen draws them: all of them, in view or scrolled out."""
    width, height = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def open_lesson(pilot, lesson_id: str) -> LessonScreen:
    pilot.app.open_lesson(lesson_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson_id
    return screen


async def answer(pilot, screen: LessonScreen) -> None:
    """The open question answered right, typed into the answer box."""
    session = screen.session
    question = session.question
    screen.query_one("#answer", Input).value = format_answer(session.trace.expected[question.id])
    await pilot.press("enter")
    await settle(pilot)
    assert session.state(question).solved, question.id


async def go_to_step(pilot, screen: LessonScreen, index: int) -> None:
    """Step on to step `index`, answering every question on the way."""
    session = screen.session
    for _ in range(100):
        if session.step_index >= index:
            return
        if session.question is not None:
            await answer(pilot, screen)
        else:
            await pilot.press("n")
            await settle(pilot)
    raise AssertionError(f"step {index} was never reached")


# --- the step text: room to read, and PageUp / PageDown -------------------------------------


async def test_a_long_step_text_has_room_and_pages_at_80x24(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "detach")  # step 1: a paragraph and a table
        box = screen.query_one("#step-box", VerticalScroll)
        question_box = screen.query_one("#question-box")
        column = screen.query_one("#right")
        # the step text takes every row the question leaves (it used to stop at six lines)
        assert box.outer_size.height + question_box.outer_size.height == column.size.height
        rows = box.scrollable_content_region.height
        assert rows >= 10
        assert box.max_scroll_y > 0  # longer than its box: it scrolls
        typed = screen.query_one("#answer", Input)
        assert typed.has_focus and screen.session.question is not None

        async def page(key: str) -> list[float]:
            """Press `key` until the box stops moving; every position it passed through."""
            seen = [box.scroll_y]
            for _ in range(50):
                await pilot.press(key)
                await pilot.pause()
                if box.scroll_y == seen[-1]:
                    return seen
                seen.append(box.scroll_y)
            raise AssertionError(f"{key} never stopped")

        down = await page("pagedown")
        assert down[0] == 0 and down[-1] == box.max_scroll_y and len(down) >= 3
        # a page is the box's height: nothing between two pages is skipped
        assert all(b - a == rows for a, b in zip(down, down[1:-1], strict=False))
        up = await page("pageup")
        assert up[-1] == 0 and len(up) == len(down)
        assert typed.value == ""  # the keys scrolled; nothing was typed

        # once the step is settled (no answer box), the same keys page the text
        await answer(pilot, screen)
        assert screen.session.question is None and not typed.display
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y == min(rows, box.max_scroll_y) > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert box.scroll_y == 0


# --- markdown tables in a step text ---------------------------------------------------------


def table_cells(markdown: str) -> list[list[str]]:
    """The cells of each table in a markdown text (header and rows, without the rule)."""
    tables: list[list[str]] = []
    previous = ""
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            if not re.fullmatch(r"[|:\- ]+", line):
                tables[-1] += [cell.strip() for cell in line.strip().strip("|").split("|")]
        previous = line
    return tables


TABLE_STEPS = [
    (lesson.id, index)
    for lesson in COURSE.lessons
    for index, step in enumerate(lesson.steps)
    if table_cells(step.text.en) or table_cells(step.text.ko)
]


def test_the_course_has_a_step_with_a_table():
    assert ("detach", 0) in TABLE_STEPS


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("lesson_id", "step"), TABLE_STEPS)
async def test_a_table_in_a_step_text_shows_every_cell_whole(tmp_path, lesson_id, step, size, lang):
    written = table_cells(COURSE.lesson(lesson_id).steps[step].text.get(lang))
    app = make_app(data_dir=tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        screen = await open_lesson(pilot, lesson_id)
        await go_to_step(pilot, screen, step)
        step_text = screen.query_one("#step-text")
        grids = list(step_text.query("MarkdownTableContent"))  # by type name: private classes
        assert [len(grid.query("MarkdownTableCellContents")) for grid in grids] == [
            len(cells) for cells in written
        ]
        for grid in grids:
            assert grid.outer_size.width <= step_text.size.width
            for cell in grid.query("MarkdownTableCellContents"):
                text = str(cell.content)  # what the cell holds (an open question's `?` too)
                lines = drawn(cell)
                assert "…" not in "".join(lines), (text, lines)
                # every word whole, in order: nothing cut, no word broken across lines
                assert [w for line in lines for w in line.split()] == text.split(), (text, lines)


# --- the program pane: never cut, comments in the learner's language -------------------------


def code_and_comments(program: str) -> list[tuple[str, str]]:
    """Each line of the program as (its code, its comment without `#`)."""
    lines = program.rstrip("\n").split("\n")
    comments: dict[int, tuple[int, str]] = {}
    for token in tokenize.generate_tokens(io.StringIO(program).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = (token.start[1], token.string[1:])
    pairs = []
    for number, line in enumerate(lines, 1):
        column, comment = comments.get(number, (len(line), ""))
        pairs.append((line[:column].rstrip(), comment.strip()))
    return pairs


def program_lines(view: ProgramView, count: int) -> list[str]:
    """The program pane's drawn rows, joined into one text per program line. Each line starts
    on a row with its number; a row without a number must continue the line above, under its
    own text (nothing but spaces under the numbers)."""
    gutter = 2 + len(str(count)) + 1
    texts: list[str] = []
    for row in drawn(view):
        head, body = row[:gutter], row[gutter:]
        number = head.strip().lstrip("▶").strip()
        if number:
            assert number == str(len(texts) + 1), row
            texts.append(body)
        else:
            assert head == " " * gutter and texts, row
            texts[-1] += " " + body
    assert len(texts) == count
    return texts


@pytest.fixture
def no_trace(monkeypatch):
    """Lesson screens that show their program without building the lesson's trace."""
    monkeypatch.setattr(LessonScreen, "build", lambda self: None)


@pytest.mark.parametrize("size", SIZES)
async def test_every_program_line_is_shown_whole(tmp_path, size, no_trace):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=size) as pilot:
        for lesson in COURSE.lessons:
            screen = await open_lesson(pilot, lesson.id)
            view = screen.query_one(ProgramView)
            box = screen.query_one("#program-box", VerticalScroll)
            # as wide as its box, and never wider (no sideways scrolling)
            assert view.outer_size.width == box.scrollable_content_region.width
            assert box.max_scroll_x == 0
            assert all(cell_len(row) <= view.outer_size.width for row in drawn(view))
            pairs = code_and_comments(lesson.program)
            for (code, _), text in zip(pairs, program_lines(view, len(pairs)), strict=True):
                assert squeezed(text).startswith(squeezed(code)), (lesson.id, code, text)


def bilingual(comment: str) -> bool:
    """A comment written in both languages: `한국어 / English` or `한국어 (English)`."""
    halves = comment.split(" / ")
    ending = re.search(r"\(([^()]*)\)\s*$", comment)
    return bool(HANGUL.search(comment)) and (
        (len(halves) == 2 and not all(HANGUL.search(half) for half in halves))
        or (ending is not None and not HANGUL.search(ending[1]))
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_program_comments_are_in_the_learners_language(tmp_path, lang, no_trace):
    app = make_app(data_dir=tmp_path, lang=lang)
    both = 0
    async with app.run_test(size=(80, 24)) as pilot:
        for lesson in COURSE.lessons:
            screen = await open_lesson(pilot, lesson.id)
            pairs = code_and_comments(lesson.program)
            texts = program_lines(screen.query_one(ProgramView), len(pairs))
            for (code, comment), text in zip(pairs, texts, strict=True):
                shown = squeezed(text)[len(squeezed(code)) :]
                where = (lesson.id, comment, text)
                both += bilingual(comment)
                if lang == "en":
                    assert not HANGUL.search(text), where
                    if comment and not HANGUL.search(comment):  # shown as written
                        assert shown == "#" + squeezed(comment), where
                    if bilingual(comment):  # its English half
                        assert shown.startswith("#") and len(shown) > 1, where
                else:
                    assert all(run in shown for run in HANGUL.findall(comment)), where
                    if bilingual(comment):  # its Korean half only
                        assert len(shown) < len("#" + squeezed(comment)), where
    assert both >= 5  # the course has comments in both languages


# --- the computation graph ---------------------------------------------------------------------


def assert_tree_joined(lines: list[str], width: int, where: object) -> None:
    """Every line fits, and every vertical line runs on to the next line: below a `│` or a `├`
    there is a `│`, a `├` or a `└`, whether the line below is a node or a wrapped label."""
    for number, line in enumerate(lines):
        assert cell_len(line.rstrip()) <= width, (where, line)
        below = lines[number + 1] if number + 1 < len(lines) else ""
        for column, char in enumerate(line):
            if char in "│├":
                assert column < len(below) and below[column] in "│├└", (
                    where,
                    "\n".join(lines[max(0, number - 3) : number + 3]),
                )


def label_text(view: GraphView) -> str:
    return squeezed("".join(str(row[1].plain) for row in view.rows))


async def test_the_graph_stays_joined_when_labels_wrap_in_every_lesson_at_80x24(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "backward")
        view = screen.query_one(GraphView)
        wrapped = 0
        for lesson_id in LESSONS:
            snapshots = trace_of(lesson_id).snapshots
            for index, snapshot in enumerate(snapshots):
                if not snapshot.graph.nodes:
                    continue
                view.show(snapshot, arrived=arrivals(snapshots, index))
                await pilot.pause()
                lines = [line.rstrip() for line in drawn(view)]
                where = (lesson_id, index)
                assert_tree_joined(lines, view.size.width, where)
                # every label is on screen whole: only the tree's lines were added
                assert squeezed(re.sub(f"[{TREE}]", "", "".join(lines))) == re.sub(
                    f"[{TREE}]", "", label_text(view)
                ), where
                wrapped += len(lines) > len(view.rows)
        assert wrapped >= 20  # the check saw plenty of wrapped labels


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_none_input_in_the_graph_says_what_it_is(tmp_path, lang):
    app = make_app(data_dir=tmp_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "forward-graph")
        await go_to_step(pilot, screen, 1)  # x1 = x + 2: the constant 2 needs no gradient
        assert screen.session.step.step.after == "x1 = x + 2"
        lines = drawn(screen.query_one(GraphView))
        text = squeezed("".join(lines))
        assert text.count("None") == 1, lines
        assert squeezed("None " + NO_GRADIENT.get(lang)) in text, lines


# --- the derivation ----------------------------------------------------------------------------


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_a_lesson_that_plots_a_function_derives_one(lesson_id):
    lesson = COURSE.lesson(lesson_id)
    try:
        data = lesson_math.plot_data(lesson, trace_of(lesson_id).snapshots)
    except lesson_math.MathError:
        return
    sources = lesson_math.chosen_sources(lesson)
    assert sources, f"{lesson_id} plots {data.title} but has no derivative to derive"
    derivations = [lesson_math.derive(lesson, source) for source in sources]
    for derivation in derivations:
        function = to_sympy_builtin(lesson_math.function_of(lesson, derivation.source))
        var = symbol(derivation.source.wrt)
        got = to_sympy_builtin(derivation.result)
        assert sympy.simplify(got - sympy.diff(function, var)) == 0, derivation.source.label
    assert data.leaf in {derivation.source.wrt for derivation in derivations}


def test_torch_autograd_grad_is_derived_like_backward():
    lesson = COURSE.lesson("autograd-grad")
    (source,) = lesson_math.chosen_sources(lesson)
    derivation = lesson_math.derive(lesson, source)
    assert derivation.source.label == "∂y/∂x"
    x = symbol("x")
    assert sympy.simplify(to_sympy_builtin(derivation.result) - 3 * x**2) == 0


async def test_the_backward_lesson_derives_what_its_plot_shows(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "backward")
        await go_to_step(pilot, screen, 1)
        assert screen.session.question is not None
        await pilot.press("ctrl+o")  # a question is open: `d` would be typed
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, DerivationScreen) and modal.derivations
        text = modal.shown_text()
        assert lesson_math.NO_DERIVATIVE.en not in text
        assert "2x" in text and "Power rule" in text
        await pilot.press("escape")
        await pilot.pause()
        await answer(pilot, screen)
        assert screen.session.question is None
        await pilot.press("d")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, DerivationScreen) and "2x" in modal.shown_text()
