"""Ask before you show: every question of every shipped lesson, in both languages, walked in the
real app. Until a question is answered, nothing on the lesson screen prints its answer (in any
form the screen could print it); once it is answered, the screen shows it.

The forms are computed here from the course's answer key and the program's state, on their
own (not by the screen's masking code): the learner's form (`[[3, 4], [5, 6]]`), the graph's
short form, the engine's printout of the value and of the quantity asked about (`x.grad`'s
rows, `tensor(14.`), the node name of a grad_fn question, a formula's spellings, an error's
message. A form is allowed on screen only where another quantity the learner saw before the
step legitimately prints the same text (MulBackward0 sends x2's values to x1, and x2 is shown).
Choice questions have no form: their options are on screen by design.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.widgets import Input, Markdown, Static

from tutor import autograd
from tutor.course import build_trace, default_course_dir, format_answer, load_course
from tutor.tui.factory import make_app
from tutor.tui.widgets.graph import GraphView
from tutor.tui.widgets.variables import VariablesView

COURSE = load_course(default_course_dir())
LESSONS = [lesson.id for lesson in COURSE.lessons]
SIZE = (120, 60)


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def occurs(form: str, text: str) -> bool:
    """`form` in `text`, not as part of a longer number or name."""
    for match in re.finditer(re.escape(form), text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end() : match.end() + 2]
        starts_number = form[0].isalnum() or form[0] == "-"
        if starts_number and (before.isalnum() or before in "._-"):
            continue
        ends_number = form[-1].isalnum() or form[-1] == "."
        if ends_number and (after[:1].isalnum() or after[:1] == "_" or re.match(r"\.\d", after)):
            continue
        if (form[0] == "[" and before == "[") or (form[-1] == "]" and after[:1] == "]"):
            continue  # a row of a tensor with more dimensions
        return True
    return False


def printout(values: object) -> str:
    """How the engine prints these values as a float32 tensor."""
    array = np.asarray(values, dtype=np.float32)
    return repr(autograd.tensor(array))


def printed_rows(printed: str) -> set[str]:
    """The rows of a printed tensor (or array), whitespace normalised: `[[3., 4.],`, `[5., 6.]]`;
    a 0-d tensor as `tensor(14.`."""
    lines = [normal(line) for line in printed.splitlines() if line.strip()]
    if len(lines) == 1 and "[" not in lines[0]:
        return {re.split(r"[,)]", lines[0])[0]}
    rows = set()
    for line in lines:
        data = re.sub(r"^(tensor|array)\(", "", line)
        data = re.split(r",? ?(?:grad_fn=|requires_grad=|dtype=)", data)[0].rstrip()
        rows.add(data[:-1] if data.endswith(")") else data)
    return {row for row in rows if re.search(r"\d", row)}


def nested(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(nested(v) for v in value) + "]"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def value_forms(value: object) -> set[str]:
    array = np.asarray(value, dtype=np.float64)
    short = nested(array.tolist())
    forms = printed_rows(printout(array))
    if array.size == 1:
        forms |= {repr(float(array.reshape(()))), f"= {short}", f"tensor({short}."}
    else:
        forms.add(short if len(short) <= 28 else short[:27])
    return forms


def formula_forms(expression: object) -> set[str]:
    if not getattr(expression, "free_symbols", None):
        return set()
    text = str(expression)
    return {text, re.sub(r"(?<=\d)\*(?=[A-Za-z(])", "", text)}


ROOT = re.compile(r"\s*([A-Za-z_]\w*)(\s*\.\s*grad\b(?!_))?(?!\s*\()")


def quantity_forms(question, snapshot) -> tuple[str | None, set[str]]:
    """The quantity a tensor/number question reads (`x.grad`, `y`) and its printout rows."""
    match = ROOT.match(question.answer or "")
    if match is None or match.group(1) not in snapshot.variables:
        return None, set()
    name, grad = match.group(1), bool(match.group(2))
    record = snapshot.variables[name]
    tensor = record.tensor
    text = record.repr if not grad else tensor.grad_repr if tensor is not None else None
    return (f"{name}.grad" if grad else name), (printed_rows(text) if text else set())


def forms_of(question, expected, snapshot) -> tuple[set[str], str | None, set[str]]:
    """(forms of the answer, the quantity asked about, that quantity's own printout rows)."""
    kind, value = expected.kind, expected.value
    if kind == "choice":
        return set(), None, set()
    forms = {format_answer(expected)} if kind != "expression" else set()
    if kind in ("number", "tensor", "backward-node") and np.size(value) == 1:
        forms = set()  # a lone number is everywhere (line numbers): its printed forms count
    quantity, rows = None, set()
    if kind in ("tensor", "number", "backward-node"):
        forms |= value_forms(value)
        if kind != "backward-node":
            quantity, rows = quantity_forms(question, snapshot)
    elif kind == "grad_fn":
        forms = {str(value)}
    elif kind == "expression":
        forms = formula_forms(value)
    elif kind == "outcome":
        if value.error is not None:
            forms = {format_answer(expected)}
            if value.message:
                forms.add(normal(value.message.splitlines()[0]))
        elif isinstance(value.value, np.ndarray):
            forms |= value_forms(value.value)
    return {normal(f) for f in forms if f.strip()}, quantity, rows


def before_step(trace, step_trace):
    """The snapshot just before the step's statement ran (for a backward node: the node before)."""
    index = step_trace.snapshot_index
    snapshots = trace.snapshots
    if step_trace.snapshot.kind == "backward-node":
        return snapshots[index - 1] if index else None
    statement = step_trace.snapshot.statement.index
    earlier = [s for s in snapshots[:index] if s.statement.index < statement]
    return earlier[-1] if earlier else None


def seen_before(snapshot, quantity: str | None) -> set[str]:
    """Everything the learner could legitimately see printed before the step, but the quantity
    asked: every variable's value and gradient rows, short forms, and node names."""
    if snapshot is None:
        return set()
    seen: set[str] = set()
    for name, record in snapshot.variables.items():
        tensor = record.tensor
        if name != quantity:
            seen |= printed_rows(record.repr) if record.repr else set()
            if tensor is not None:
                seen |= value_forms(tensor.values)
        if tensor is not None and tensor.grad is not None and f"{name}.grad" != quantity:
            seen |= printed_rows(tensor.grad_repr) | value_forms(tensor.grad)
    seen |= {node.name for node in snapshot.graph.nodes.values()}
    return {normal(s) for s in seen}


class Pending:
    """One question not yet answered: what must not be on screen until it is."""

    def __init__(self, question, expected, step_trace, trace) -> None:
        self.question = question
        self.forms, self.quantity, self.rows = forms_of(question, expected, step_trace.snapshot)
        allowed = seen_before(before_step(trace, step_trace), self.quantity)
        program = normal(trace.lesson.program)  # the program's own literals are given data
        self.hidden = {
            f for f in self.forms | self.rows if f not in allowed and not occurs(f, program)
        }

    def leaks(self, shown: str) -> list[str]:
        return sorted(form for form in self.hidden if occurs(form, shown))


def screen_text(app) -> str:
    """Everything the lesson screen shows: the visible screen, and the full content of the
    panes that scroll (so a leak below the fold is still a leak)."""
    screen = app.screen
    strips = screen._compositor.render_strips()
    parts = ["".join(segment.text for segment in strip) for strip in strips]
    parts.append(str(screen.query_one(VariablesView).render()))
    parts.append(screen.query_one(GraphView).plain)
    parts.append(screen.query_one("#step-text", Markdown).source)
    for widget in screen.query_one("#question").query(Static):
        parts.append(str(widget.render()))
    for box in screen.query(".panel"):
        parts += [str(box.border_title or ""), str(box.border_subtitle or "")]
    return "\n".join(normal(part) for part in parts)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("lesson_id", LESSONS)
async def test_no_answer_is_on_screen_before_it_is_given(tmp_path, lesson_id, lang):
    lesson = COURSE.lesson(lesson_id)
    trace = build_trace(lesson)
    pending = {
        q.id: Pending(q, step.expected[q.id], step, trace)
        for step in trace.steps
        for q in step.step.questions
    }
    app = make_app(data_dir=tmp_path, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson(lesson_id)
        await settle(pilot)
        screen = app.screen
        session = screen.session
        assert session is not None, f"{lesson_id} did not open"
        asked = 0
        for _ in range(500):
            shown = screen_text(app)
            for qid, waiting in pending.items():
                leaked = waiting.leaks(shown)
                assert not leaked, (
                    f"{lesson_id} ({lang}) step {session.step_index + 1}: the answer of "
                    f"`{qid}` is on screen before it is given: {leaked}"
                )
            question = session.question
            if question is None:
                step = session.step
                panes = pane_text(app)
                for done in step.step.questions:
                    assert_shown_after(done, step, shown, panes, lesson_id, lang)
                if session.finished:
                    break
                await pilot.press("n")
                await settle(pilot)
                continue
            expected = trace.expected[question.id]
            box = screen.query_one("#answer", Input)
            assert box.has_focus
            box.value = format_answer(expected)
            await pilot.press("enter")
            await settle(pilot)
            assert session.state(question).solved, question.id
            answered = pending.pop(question.id)
            for waiting in pending.values():  # what the learner has answered is known
                waiting.hidden -= answered.forms | answered.rows
            asked += 1
        assert session.finished and not pending and asked == len(lesson.questions())


def pane_text(app) -> str:
    screen = app.screen
    variables = str(screen.query_one(VariablesView).render())
    return normal(variables) + "\n" + normal(screen.query_one(GraphView).plain)


def assert_shown_after(question, step, shown: str, panes: str, lesson_id: str, lang: str) -> None:
    """Once a step is settled its answers are on screen: each in the question panel's list,
    and a value, a gradient or a grad_fn in the pane that shows that quantity."""
    expected = step.expected[question.id]
    assert occurs(normal(format_answer(expected)), shown), (lesson_id, lang, question.id)
    forms, quantity, rows = forms_of(question, expected, step.snapshot)
    if expected.kind == "grad_fn" or (quantity is not None and rows):
        wanted = forms | rows
        assert any(occurs(f, panes) for f in wanted), (lesson_id, lang, question.id, wanted)
