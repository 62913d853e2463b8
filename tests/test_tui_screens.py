"""Pilot tests of the derivation, plot, playground, review and home screens, and their pure helpers."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import sympy
from rich.cells import cell_len
from textual.widgets import DataTable, OptionList, RichLog, Static
from textual_plotext import PlotextPlot

from tutor.checking import MISCONCEPTIONS
from tutor.course import build_trace, default_course_dir, load_course
from tutor.program import Interpreter, Stepper
from tutor.progress import REVEAL_AFTER, Attempt, Store
from tutor.symbolic.functions import elementwise_sum, symbol, to_sympy_builtin
from tutor.symbolic.lift import lift
from tutor.symbolic.parse import parse
from tutor.tui import lesson_math
from tutor.tui.factory import make_app
from tutor.tui.lesson_math import MathError, derivative_sources, plot_data
from tutor.tui.screens import home as home_module
from tutor.tui.screens import playground as playground_module
from tutor.tui.screens.derivation import DerivationScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.playground import PlaygroundScreen
from tutor.tui.screens.plot import PlotScreen
from tutor.tui.screens.review import DETAIL_NUMBERS, ReviewScreen, fit_widths
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.repl import ReplInput, ReplSession, Transcript
from tutor.tui.widgets.variables import VariablesView

SIZES = [(120, 40), (80, 24)]
COURSE = load_course(default_course_dir())


def shown(widget: Static) -> str:
    return str(widget.render())


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


# --- derivation -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_derivation_of_the_derivation_lesson_in_english(tmp_path, size):
    app = make_app(data_dir=tmp_path, lang="en")
    lesson = app.course.lesson("derivation")
    async with app.run_test(size=size) as pilot:
        await app.push_screen(DerivationScreen(lesson, None))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DerivationScreen)
        text = "\n".join(shown(w) for w in screen.query(".derivation-text").results(Static))
        assert "constant" in text and "Power rule" in text
        assert "product rule" in text  # the other path is offered
        main = screen.derivations[-1]
        function = lift(lesson.program).function(main.source.variable)
        x = symbol("x")
        expected = sympy.diff(to_sympy_builtin(function), x)
        assert sympy.simplify(to_sympy_builtin(main.result) - expected) == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DerivationScreen)


async def test_derivation_in_korean(tmp_path):
    app = make_app(data_dir=tmp_path, lang="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(DerivationScreen(app.course.lesson("derivation"), None))
        await settle(app, pilot)
        text = app.screen.shown_text()
        assert "상수를 미분하면 0" in text
        assert "제곱항을 미분하면" in text
        assert "다른 방법" in text
        assert "Power rule" not in text
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, DerivationScreen)


async def test_derivation_from_the_lesson_screen_shows_this_step_first(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("derivation")
        await settle(app, pilot)
        await pilot.press("ctrl+o")  # a question is open: letters would be typed
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DerivationScreen)
        labels = [d.source.label for d in screen.derivations]
        assert labels == ["∂x1/∂x", "∂y/∂x"]
        headings = [shown(w) for w in screen.query(".derivation-heading").results(Static)]
        assert headings[0].startswith("This step")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DerivationScreen)


async def test_a_lesson_without_a_derivative_says_so_in_one_line(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DerivationScreen(app.course.lesson("requires-grad"), None))
        await settle(app, pilot)
        message = shown(app.screen.query_one("#derivation-message", Static))
        assert message == lesson_math.NO_DERIVATIVE.en
        assert "\n" not in message


# --- plot -------------------------------------------------------------------------------------


def engine_gradient(program: str, leaf: str) -> tuple[np.ndarray, np.ndarray]:
    stepper = Stepper(program)
    stepper.run_all()
    tensor = stepper.variables[leaf]
    return tensor.detach().numpy().ravel(), tensor.grad.numpy().ravel()


@pytest.mark.parametrize("size", SIZES)
async def test_plot_draws_the_function_and_tangents_from_the_engines_grad(tmp_path, size):
    app = make_app(data_dir=tmp_path, lang="en")
    lesson = app.course.lesson("derivation")
    async with app.run_test(size=size) as pilot:
        await app.push_screen(PlotScreen(lesson, None))
        await settle(app, pilot)
        screen = app.screen
        plot = screen.query_one(PlotextPlot)
        assert plot.display and plot.data is screen.data
        data = screen.data
        values, grad = engine_gradient(lesson.program, "x")
        assert [t.x for t in data.tangents] == pytest.approx(values.tolist())
        assert [t.slope for t in data.tangents] == pytest.approx(grad.tolist())
        x = symbol("x")
        f = parse("sum((x + 2)*(x - 2))").replace(elementwise_sum, lambda a: a)
        for tangent in data.tangents:
            assert tangent.y == pytest.approx(float(f.subs(x, tangent.x)))
            (x0, x1), (y0, y1) = tangent.xs, tangent.ys
            assert (y1 - y0) / (x1 - x0) == pytest.approx(tangent.slope)
        expected_curve = [float(f.subs(x, v)) for v in data.xs[::40]]
        assert data.ys[::40].tolist() == pytest.approx(expected_curve)
        assert data.xs.min() < values.min() and data.xs.max() > values.max()
        assert "x² − 4" in data.title
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, PlotScreen)


async def test_plot_slopes_match_real_pytorch(tmp_path, torch):
    lesson = COURSE.lesson("derivation")
    interpreter = Interpreter(lesson.program, torch_module=torch)
    interpreter.run()
    reference = interpreter.variables["x"].grad.numpy().ravel()
    data = plot_data(lesson, build_trace(lesson).snapshots)
    assert [t.slope for t in data.tangents] == pytest.approx(reference.tolist())


async def test_plot_from_the_lesson_screen_uses_the_sessions_trace(tmp_path):
    app = make_app(data_dir=tmp_path, lang="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_lesson("backward")
        await settle(app, pilot)
        await pilot.press("ctrl+f")  # a question is open: letters would be typed
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlotScreen)
        assert screen.data is not None
        caption = shown(screen.query_one("#plot-caption", Static))
        assert "x.grad" in caption and "답하면" in caption  # the slopes wait for the answer
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PlotScreen)


async def test_plot_without_a_gradient_says_so_in_one_line(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PlotScreen(app.course.lesson("requires-grad"), None))
        await settle(app, pilot)
        caption = shown(app.screen.query_one("#plot-caption", Static))
        assert caption == lesson_math.NO_GRAD.en
        assert not app.screen.query_one(PlotextPlot).display


def test_every_shipped_lesson_plots_a_matching_function_or_says_why():
    for lesson in COURSE.lessons:
        snapshots = build_trace(lesson).snapshots
        try:
            data = plot_data(lesson, snapshots)
        except MathError as error:
            assert error.text.en and error.text.ko
            continue
        grads = lesson_math.latest_gradient(snapshots)
        _, grad = grads[data.leaf]
        assert [t.slope for t in data.tangents] == pytest.approx(grad.ravel().tolist())


def test_every_shipped_derivation_agrees_with_sympy():
    x = symbol("x")
    for lesson in COURSE.lessons:
        for source in derivative_sources(lesson):
            derivation = lesson_math.derive(lesson, source)
            function = to_sympy_builtin(lesson_math.function_of(lesson, source))
            got = to_sympy_builtin(derivation.result)
            assert sympy.simplify(got - sympy.diff(function, x)) == 0, source.label
            assert derivation.text.en != derivation.text.ko


# --- playground -------------------------------------------------------------------------------


async def type_line(pilot, line: str) -> None:
    """Type the line key by key, then Enter."""
    await pilot.press(*[{" ": "space"}.get(c, c) for c in line], "enter")
    await settle(pilot.app, pilot)


async def submit(pilot, line: str) -> None:
    """Put the line in the input at once, then Enter."""
    pilot.app.screen.query_one(ReplInput).value = line
    await pilot.press("enter")
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_playground_builds_the_graph_and_animates_backward(tmp_path, size, monkeypatch):
    monkeypatch.setattr(playground_module, "BACKWARD_STEP_SECONDS", 3600)
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=size) as pilot:
        await app.push_screen(PlaygroundScreen())
        await pilot.pause()
        screen = app.screen
        graph = screen.query_one(GraphView)
        variables = screen.query_one(VariablesView)
        subtitle = screen.query_one("#playground-graph-box")
        await submit(pilot, "import torch")
        await submit(pilot, "x = torch.ones(2, requires_grad=True)")
        assert "requires_grad=True" in shown(variables)
        await type_line(pilot, "y = (x * 3).sum()")
        drawn = shown(graph)
        assert "SumBackward0" in drawn and "MulBackward0" in drawn
        assert ".grad" not in shown(variables)
        await submit(pilot, "y.backward()")
        seen = []
        while screen.animating:
            seen.append(subtitle.border_subtitle)
            screen.advance_animation()
            await pilot.pause()
        assert seen == [
            f"backward: {n}" for n in ("SumBackward0", "MulBackward0", "AccumulateGrad")
        ]
        grad = screen.repl.interpreter.variables["x"].grad
        assert ".grad" in shown(variables)
        assert repr(grad).splitlines()[0] in shown(variables)
        assert subtitle.border_subtitle == ""
        await submit(pilot, "x.grad")
        assert screen.lines[-1] == repr(grad)


async def test_playground_backward_animation_runs_on_its_timer(tmp_path, monkeypatch):
    monkeypatch.setattr(playground_module, "BACKWARD_STEP_SECONDS", 0.01)
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PlaygroundScreen())
        screen = app.screen
        lines = ("import torch", "w = torch.ones(3, requires_grad=True)", "s = w.sum()")
        for line in (*lines, "s.backward()"):
            await submit(pilot, line)
        for _ in range(200):
            if not screen.animating:
                break
            await pilot.pause(0.02)
        assert not screen.animating
        assert "AccumulateGrad" in shown(screen.query_one(GraphView))
        assert ".grad" in shown(screen.query_one(VariablesView))


async def test_playground_shows_refusals_and_errors_as_one_line(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(PlaygroundScreen())
        await pilot.pause()
        screen = app.screen
        await type_line(pilot, "import os")
        assert screen.lines[-2:] == [">>> import os", screen.lines[-1]]
        assert screen.lines[-1].startswith("tutor: <playground>:1: ")
        assert "os" in screen.lines[-1]
        assert screen.repl.latest is None
        log = screen.query_one(RichLog)
        assert any("tutor: <playground>" in "".join(s.text for s in line) for line in log.lines)
        await submit(pilot, "import torch")
        before = len(screen.lines)
        await submit(pilot, "torch.ones(2) + torch.ones(3)")
        assert len(screen.lines) == before + 2
        assert screen.lines[-1].startswith("RuntimeError: ")


async def test_playground_history_and_leaving(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PlaygroundScreen())
        await pilot.pause()
        screen = app.screen
        repl_input = screen.query_one(ReplInput)
        await type_line(pilot, "a = 1")
        await submit(pilot, "b = 2")
        await pilot.press("up")
        assert repl_input.value == "b = 2"
        await pilot.press("up", "up")
        assert repl_input.value == "a = 1"
        await pilot.press("down", "down")
        assert repl_input.value == ""
        await pilot.press("q")
        assert app.screen is screen and repl_input.value == "q"
        await pilot.press("escape")
        assert app.screen is screen and repl_input.value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_playground_log_rewraps_when_its_width_changes(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PlaygroundScreen())
        await pilot.pause()
        screen = app.screen
        log = screen.query_one(Transcript)
        await submit(pilot, "import torch")
        for i in range(8):  # enough to overflow the box: the scrollbar takes two columns
            await submit(pilot, f"print('line {i}: ' + 'abcdefghij' * 4)")
        await pilot.pause()

        def fits() -> bool:
            width = log.scrollable_content_region.width
            return all(strip.cell_length <= width for strip in log.lines)

        def everything_shown() -> bool:
            shown_text = "".join(strip.text for strip in log.lines).replace(" ", "")
            return all(line.replace(" ", "") in shown_text for line in screen.lines)

        assert log.show_vertical_scrollbar and fits() and everything_shown()
        narrow = len(log.lines)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert fits() and everything_shown() and len(log.lines) < narrow
        assert max(strip.cell_length for strip in log.lines) > 40


def test_repl_session_runs_lines_on_one_state_and_refuses_whole_lines():
    repl = ReplSession()
    assert repl.run("import torch").error is None
    assert repl.run("x = torch.tensor([1., 2.], requires_grad=True)").snapshots
    refused = repl.run("z = 5; import os")
    assert refused.refusal is not None and not refused.snapshots
    assert "z" not in repl.interpreter.variables
    entry = repl.run("(x * x).sum().backward()")
    kinds = [s.kind for s in entry.snapshots]
    assert kinds[-1] == "statement" and kinds.count("backward-node") >= 2
    x = repl.interpreter.variables["x"]
    assert np.allclose(x.grad.numpy(), 2 * x.detach().numpy())
    printed = repl.run("print(x.grad)")
    assert printed.output == repr(x.grad) + "\n" and printed.echo is None


# --- review -----------------------------------------------------------------------------------


def record(app, lesson_id: str, question_id: str, answer: str, correct: bool, misconception=None):
    app.store.record(
        Attempt(
            lesson_id=lesson_id,
            question_id=question_id,
            answer=answer,
            correct=correct,
            score=1.0 if correct else 0.0,
            misconception=misconception,
            hints_used=1,
            course_id=app.course.id,
        )
    )


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("ko", (80, 24))])
async def test_review_shows_attempts_and_misconception_counts(tmp_path, lang, size):
    app = make_app(data_dir=tmp_path, lang=lang)
    lesson = app.course.lesson("derivation")
    record(app, "derivation", "x-grad", "[[1, 2], [3, 4]]", False, "forward-value")
    record(app, "derivation", "grad-at-4", "4", False, "forward-value")
    record(app, "derivation", "x-grad", "[[2, 4], [6, 8]]", True)
    record(app, "backward", "x-grad", "0", False, "sign-flipped")
    async with app.run_test(size=size) as pilot:
        await app.push_screen(ReviewScreen(lesson))
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        title = MISCONCEPTIONS["forward-value"].title.get(lang)
        assert [row[3] for row in rows] == ["✘ 0%", "✘ 0%", "✔ 100%"]
        assert [row[4] for row in rows] == [title, title, ""] or size == (80, 24)
        assert all(title.startswith(row[4].rstrip("…")) for row in rows[:2])
        assert rows[2][2] == "[[2, 4], [6, 8]]" and rows[0][5] == "1"
        counts = shown(screen.query_one("#misconception-counts", Static))
        assert title in counts
        assert ("×2" if lang == "en" else "2회") in counts
        assert MISCONCEPTIONS["forward-value"].explanation.get(lang) in counts
        assert MISCONCEPTIONS["sign-flipped"].title.get(lang) not in counts
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def widths(table: DataTable) -> list[int]:
    return [column.width for column in table.ordered_columns]


def record_long(app) -> None:
    """Attempts whose question, answer and misconception are all wider than their headers."""
    record(app, "backward", "x-grad", "[[3, 4], [5, 6]]", False, "forward-value")
    record(app, "backward", "x-grad", "[[2, 4], [6, 8]]", True)


async def test_review_columns_are_as_wide_as_their_content_when_there_is_room(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    record_long(app)
    lesson = app.course.lesson("backward")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ReviewScreen(lesson))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = cells(table)
        prompt = next(q.prompt.en for q in lesson.questions() if q.id == "x-grad")
        assert rows[0][1] == prompt and rows[0][2] == "[[3, 4], [5, 6]]"
        assert rows[0][4] == MISCONCEPTIONS["forward-value"].title.en
        assert not any(cell.endswith("…") for row in rows for cell in row)
        assert widths(table)[1] == len(prompt)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_review_at_80_columns_cuts_only_what_cannot_fit(tmp_path, lang):
    app = make_app(data_dir=tmp_path, lang=lang)
    record_long(app)
    lesson = app.course.lesson("backward")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ReviewScreen(lesson))
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        rows = cells(table)
        room = table.size.width - 2 * len(widths(table))
        assert sum(widths(table)) <= room
        for row in rows:
            for cell, width in zip(row, widths(table), strict=True):
                assert cell_len(cell) <= width
        # time, result and hints are never cut; a header is never cut below its own width
        assert (rows[1][3], rows[1][5]) == ("✔ 100%", "1")
        assert ":" in rows[0][0] and not rows[0][0].endswith("…")
        headers = [str(column.label) for column in table.ordered_columns]
        assert not any(h.endswith("…") for h in headers)
        # what is cut ends with an ellipsis and is shown whole under the table
        prompt = next(q.prompt.get(lang) for q in lesson.questions() if q.id == "x-grad")
        assert rows[0][1] == prompt or rows[0][1].endswith("…")
        detail = shown(screen.query_one("#attempt-detail", Static))
        assert prompt in detail and "[[3, 4], [5, 6]]" in detail
        assert MISCONCEPTIONS["forward-value"].title.get(lang) in detail
        await pilot.press("down")
        await pilot.pause()
        assert "[[2, 4], [6, 8]]" in shown(screen.query_one("#attempt-detail", Static))
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert cells(table)[0][1] == prompt


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_review_shows_the_numbers_an_attempt_was_asked_with(tmp_path, lang):
    app = make_app(data_dir=tmp_path, lang=lang)
    numbers = (("a", 3), ("b", -1.5), ("shape", (2, 3)))
    app.store.record(
        Attempt("backward", "x-grad", "[[6, 8]]", False, 0.0, course_id=app.course.id,
                numbers=numbers)
    )  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(ReviewScreen(app.course.lesson("backward")))
        await pilot.pause()
        await pilot.pause()
        detail = shown(app.screen.query_one("#attempt-detail", Static))
        said = DETAIL_NUMBERS.format(numbers="a = 3, b = -1.5, shape = [2, 3]").get(lang)
        assert "[[6, 8]]" in detail and said in detail


async def test_review_of_many_attempts_scrolls_down_never_sideways(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    for n in range(30):
        record(app, "backward", "x-grad", f"[[{n}, 4], [5, 6]]", n % 3 == 0, "forward-value")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ReviewScreen(app.course.lesson("backward")))
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.show_vertical_scrollbar and not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        detail = app.screen.query_one("#attempt-detail", Static)
        assert detail.region.height >= 2 and "[[0, 4], [5, 6]]" in shown(detail)


def test_fit_widths_gives_narrow_columns_their_width_and_caps_the_wide_ones():
    natural, minimum = [5, 40, 10, 30, 3], [4, 8, 6, 8, 3]
    flexible = [False, True, True, True, False]
    assert fit_widths(natural, minimum, flexible, 100) == natural
    got = fit_widths(natural, minimum, flexible, 50)
    assert got == [5, 16, 10, 16, 3] and sum(got) == 50
    assert fit_widths(natural, minimum, flexible, 51) == [5, 17, 10, 16, 3]  # one cell left over
    assert fit_widths(natural, minimum, flexible, 10) == [5, 8, 6, 8, 3]  # never below minimum
    # a column held at its minimum (its header) leaves the others less, and they take it
    natural, minimum = [11, 41, 16, 6, 31, 5], [4, 8, 6, 6, 13, 5]
    flexible = [False, True, True, False, True, False]
    assert fit_widths(natural, minimum, flexible, 60) == [11, 13, 12, 6, 13, 5]


async def test_review_shows_the_lesson_score_as_home_and_the_csv_do(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    lesson = app.course.lesson("backward")
    first, second = lesson.questions()[:2]
    record(app, "backward", first.id, "1", False)
    record(app, "backward", first.id, "2", True)
    record(app, "backward", second.id, "3", True)
    expected = f"{1 / len(lesson.questions()):.0%}"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        index = [each.id for each in app.course.lessons].index("backward")
        row = str(home.query_one(OptionList).get_option_at_index(index).prompt)
        assert row.rstrip().endswith(expected)
        await pilot.press(*["down"] * index, "h")
        await pilot.pause()
        score = shown(app.screen.query_one("#review-score", Static))
        assert score.startswith(f"First-try score {expected} · questions done 2/")
    out = tmp_path / "attempts.csv"
    with Store.open(tmp_path) as store:
        store.export_csv(out)
    scores = {row["lesson_score"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert len(scores) == 1 and f"{float(scores.pop()):.0%}" == expected


async def test_review_without_attempts(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ReviewScreen(app.course.lesson("backward")))
        await pilot.pause()
        assert not app.screen.query_one(DataTable).display
        assert "No attempts yet" in shown(app.screen.query_one("#no-attempts", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_home_opens_the_playground_and_the_review(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlaygroundScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.lesson.id == app.course.lessons[0].id
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home


# --- home -------------------------------------------------------------------------------------


def option_rows(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def finish(store, course_id: str, lesson, *, reveal: str | None = None) -> None:
    """Every question answered right (or `reveal` shown after its misses), the last step reached."""
    for question in lesson.questions():
        misses = REVEAL_AFTER if question.id == reveal else 0
        for n in range(misses + (question.id != reveal)):
            correct = n == misses
            store.record(
                Attempt(lesson.id, question.id, "x", correct, float(correct), course_id=course_id)
            )
    store.set_position(course_id, lesson.id, len(lesson.steps) - 1)


@pytest.mark.parametrize(("lang", "size"), [("en", (80, 24)), ("ko", (80, 24)), ("en", (120, 40))])
async def test_home_rows_fit_the_list_and_cut_titles_only_when_needed(tmp_path, lang, size):
    app = make_app(data_dir=tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        width = options.scrollable_content_region.width
        rows = option_rows(app)
        assert all(cell_len(row) <= width for row in rows)
        for number, (lesson, row) in enumerate(zip(app.course.lessons, rows, strict=True), 1):
            head = f"{number:>2}. {lesson.title.get(lang)}"
            assert row.startswith(head) or ("…" in row and head.startswith(row.split("…")[0]))
        heading = shown(app.screen.query_one("#lesson-headings", Static))
        steps_at = cell_len(heading.split(home_module.HEADINGS[1].get(lang))[0])
        first = rows[0]
        assert cell_len(first[: first.index("░")]) == steps_at  # the bar sits under its heading
        if size == (120, 40):
            assert "…" not in "".join(rows)


async def test_home_lays_its_rows_out_again_when_the_width_changes(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        assert "…" in "".join(option_rows(app))
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        rows = option_rows(app)
        assert "…" not in "".join(rows)
        assert all(
            lesson.title.en in row for lesson, row in zip(app.course.lessons, rows, strict=True)
        )


async def test_home_counts_the_steps_the_lesson_screen_counts(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    course = app.course
    lesson = next(each for each in course.lessons if len(each.steps) != len(each.questions()))
    index = course.lessons.index(lesson)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert f"0/{len(lesson.steps)}" in option_rows(app)[index]
        assert home_module.HEADINGS[1].en in shown(app.screen.query_one("#lesson-headings"))
        finish(app.store, course.id, lesson)
        app.screen.refresh_lessons()
        await pilot.pause()
        row = option_rows(app)[index]
        assert f"{len(lesson.steps)}/{len(lesson.steps)}" in row and row.rstrip().endswith("100%")
        assert app.screen.progress()[lesson.id].complete


async def test_a_revealed_question_counts_as_done_at_zero_before_and_after_a_restart(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    lesson = app.course.lessons[0]
    revealed = lesson.questions()[0]
    finish(app.store, app.course.id, lesson, reveal=revealed.id)
    total = len(lesson.questions())
    expected = (len(lesson.steps), f"{(total - 1) / total:.0%}")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        progress = app.screen.progress()[lesson.id]
        assert (progress.steps_done, f"{progress.score:.0%}") == expected
        assert progress.complete
    again = make_app(data_dir=tmp_path, lang="en")
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        progress = again.screen.progress()[lesson.id]
        assert (progress.steps_done, f"{progress.score:.0%}") == expected
        assert option_rows(again)[0].rstrip().endswith(expected[1])


async def test_continue_goes_to_the_next_unfinished_lesson(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    course = app.course
    first, second, third = course.lessons[:3]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#continue").display  # nothing started yet
        finish(app.store, course.id, first)  # worked on last, and finished
        app.screen.refresh_lessons()
        await pilot.pause()
        assert app.screen.continue_with() == second.id
        assert f"2. {second.title.en}" in shown(app.screen.query_one("#continue"))
        finish(app.store, course.id, second)
        app.screen.refresh_lessons()
        await pilot.pause()
        assert f"3. {third.title.en}" in shown(app.screen.query_one("#continue"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == third.id
        await app.workers.wait_for_complete()


async def test_every_lesson_complete_says_so_and_continue_does_nothing(tmp_path):
    app = make_app(data_dir=tmp_path, lang="ko")
    for lesson in app.course.lessons:
        finish(app.store, app.course.id, lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert shown(home.query_one("#continue")) == home_module.COURSE_DONE.ko
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is home
