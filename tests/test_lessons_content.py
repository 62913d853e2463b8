"""Content tests for lessons/: the seed's seven points, both languages, every answer under real
PyTorch, every answer (and named wrong answer) through the tutor's own grading, and what the
nn, optim, hooks and autograd.grad lessons claim, under PyTorch and the tutor's engine alike."""

from __future__ import annotations

import ast
import contextlib
import io
import math
import re
import tomllib
import warnings
from collections import Counter
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from tutor.checking import MISCONCEPTIONS

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
KINDS = ("tensor", "number", "expression", "choice", "grad_fn", "outcome", "backward-node")
KNOWN_MISCONCEPTIONS = set(MISCONCEPTIONS)
BACKWARD_LESSONS = (
    *("backward", "chain-rule", "accumulation", "broadcasting", "linear-layer", "training-loop"),
    "hooks",
)
# The lessons the engine's nn, optim, hooks and autograd.grad made possible (issue 12, item 5).
ENGINE_LESSONS = ("nn-training", "zero-grad", "hooks", "autograd-grad")

# The seed's seven points, each found (program, text, prompts and hints, both languages) in the
# lesson that teaches it: its code, its Korean statements, and the English that carries them.
SEED_POINTS = {
    "requires-grad": (
        "requires_grad_(True)",
        "이 텐서에 대해서 미분값을 구하겠다",
        "일반적인 학습에서는 필요없지만 입력에 대한 기울기 분석시에 사용",
        "gradient with respect to the input",
    ),
    "forward-graph": (
        *("AddBackward0", "SubBackward0", "MulBackward0", "SumBackward0"),
        *("grad_fn 이 각 연산을 추적", "grad_fn tracks every operation", "x3 = x1 * x2"),
    ),
    "backward": (
        *("y.backward()", "print(x.grad)", "∂y/∂x", "스칼라값 y를 기준으로"),
        "adds them up",
    ),
    "derivation": (
        *("Σ(x² − 4)", "∂/∂x (−4) = 0", "∂/∂xᵢ (xᵢ²) = 2xᵢ", "∂y/∂x = 2x", "벡터화"),
        *("constant", "power rule", "Vectorised"),
    ),
    "optimizer-step": (
        *("torch.no_grad()", "x -= lr * x.grad", "optimizer.step()", "값을 수정하지는 않는다"),
        "does not **modify**",
    ),
    "numpy-and-tracking": (
        *("x3.numpy()", "Can't call numpy() on Tensor that requires grad", "무결성"),
        *("numpy는 autograd를 모르기때문에 허용하지 않는다", "numpy knows nothing about autograd"),
        "**integrity**",
    ),
    "detach": (
        *("x3.detach_()", "| 구분 | detach() | detach_() |", "복사본 만들어 분리"),
        *("원본 자체를 분리", "성능이 매우 중요할 때", "detaches the original itself"),
        "when performance really matters",
    ),
}
# Which misconception the checker itself must name when a learner types the answer transformed.
DETECTED = {
    ("backward", "x-grad"): ("sign-flipped", lambda v: -v),
    ("accumulation", "grad-after-two"): ("grad-not-accumulated", lambda v: v / 2),
    ("retain-graph", "grad-second"): ("grad-not-accumulated", lambda v: v / 2),
    ("derivation", "x-grad"): ("doubled", lambda v: v * 2),
    ("linear-layer", "mm-sends-to-w"): ("transposed", lambda v: v.T),
}
# The program variable each `derivative.of` restates, checked against the program itself.
DERIVATIVE_OF = {
    ("derivation", "dx1-dx"): "x1",
    ("derivation", "dx3-dx"): "x3",
    ("derivation", "dy-dx"): "y",
    ("chain-rule", "du-dx"): "u",
    ("chain-rule", "dt-dx"): "t",
    ("retain-graph", "dy-dx"): "p",
}
# Whether a question's outcome is an error: what each outcome question is about.
OUTCOME_ERRORS = {
    ("requires-grad", "int-requires-grad"): True,
    ("optimizer-step", "update-outside-no-grad"): True,
    ("numpy-and-tracking", "x3-numpy"): True,
    ("numpy-and-tracking", "leaf-numpy"): True,
    ("detach", "backward-after-detach"): True,
    ("detach", "numpy-now"): False,
    ("retain-graph", "third-backward"): True,
    ("autograd-grad", "without-create-graph"): True,
}


@cache
def course() -> dict:
    return tomllib.loads((LESSONS / "course.toml").read_text("utf-8"))


@cache
def lesson(lesson_id: str) -> dict:
    """A lesson file as data, as its first pass shows it: each `{param}` in its canonical value
    (the `first` of its `[params]`)."""
    from tutor.course.params import declared_param, first_values

    data = tomllib.loads((LESSONS / f"{lesson_id}.toml").read_text("utf-8"))
    params = data.pop("params", {})
    return rendered(data, first_values(declared_param(n, s, 1, True) for n, s in params.items()))


def rendered(value: object, values: dict) -> object:
    from tutor.course.params import render

    if isinstance(value, str):
        return render(value, values)
    if isinstance(value, dict):
        return {key: rendered(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [rendered(item, values) for item in value]
    return value


def lesson_ids() -> list[str]:
    return list(course()["lessons"])


def questions(data: dict) -> list[dict]:
    return [q for step in data["step"] for q in step.get("question", [])]


def all_words(data: dict) -> str:
    """Program, title, texts, prompts, choices and hints of a lesson, as one string."""
    parts = [data["program"]]

    def walk(value: object) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in data.items() if k != "program"})
    return "\n".join(parts)


def texts(value: object, where: str = "") -> list[tuple[str, dict]]:
    """Every {en, ko} table in a lesson, with where it is."""
    found = []
    if isinstance(value, dict):
        if "en" in value or "ko" in value:
            found.append((where, value))
        for key, item in value.items():
            found += texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += texts(item, f"{where}[{index}]")
    return found


def test_course_has_twelve_lessons_and_forty_questions_of_every_kind():
    ids = lesson_ids()
    assert course()["id"] == "autograd-basics"
    assert ids[:7] == list(SEED_POINTS)
    assert len(ids) >= 12 and len(set(ids)) == len(ids)
    kinds = Counter(q["kind"] for i in ids for q in questions(lesson(i)))
    assert sum(kinds.values()) >= 40
    assert {k: kinds[k] for k in KINDS if kinds[k] < 3} == {}, kinds


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_lesson_shape(lesson_id):
    data = lesson(lesson_id)
    assert data["id"] == lesson_id
    assert 3 <= len(questions(data)) <= 5
    tree = ast.parse(data["program"])
    program_names = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    for q in questions(data):
        for lang in ("en", "ko"):
            assert 2 <= len(q["hints"][lang]) <= 3, (q["id"], lang)
        assert len(q["hints"]["en"]) == len(q["hints"]["ko"]), q["id"]
        assert set(q.get("misconceptions", {})) <= KNOWN_MISCONCEPTIONS, q["id"]
        if q["kind"] == "choice":
            values = [c["value"] for c in q["choices"]]
            assert len(values) >= 2 and len(set(values)) == len(values), q["id"]
        if q["kind"] not in ("expression", "outcome"):
            used = {
                n.id
                for n in ast.walk(ast.parse(q["answer"], mode="eval"))
                if isinstance(n, ast.Name)
            }
            assert used & (program_names | {"grad_inputs", "grad_outputs"}), q["id"]


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_text_has_english_and_korean(lesson_id):
    for where, table in texts(lesson(lesson_id)):
        for lang in ("en", "ko"):
            value = table.get(lang)
            assert value and (isinstance(value, list) or value.strip()), f"{where}.{lang}"
    korean = re.compile(r"[\uac00-\ud7a3]")
    for where, table in texts(lesson(lesson_id)):
        items = table["ko"] if isinstance(table["ko"], list) else [table["ko"]]
        assert any(korean.search(item) for item in items) or "hints" in where, where
        english = table["en"] if isinstance(table["en"], list) else [table["en"]]
        assert not any(korean.search(item) for item in english), where


@pytest.mark.parametrize(("lesson_id", "terms"), SEED_POINTS.items())
def test_seed_point_is_taught_in_its_lesson(lesson_id, terms):
    words = all_words(lesson(lesson_id))
    assert [t for t in terms if t not in words] == []


def test_detach_table_is_in_both_languages():
    step = lesson("detach")["step"][0]
    for lang in ("en", "ko"):
        rows = [line for line in step["text"][lang].splitlines() if line.startswith("|")]
        assert len(rows) == 5 and "detach_()" in rows[0], lang


def test_seed_program_is_the_forward_graph_program():
    seed = ["x1 = x + 2", "x2 = x - 2", "x3 = x1 * x2", "y = x3.sum()"]
    program = [ast.unparse(s) for s in ast.parse(lesson("forward-graph")["program"]).body]
    assert [s for s in program if s in seed] == seed


@pytest.mark.parametrize("lesson_id", BACKWARD_LESSONS)
def test_backward_lessons_step_through_nodes(lesson_id):
    kinds = [
        q["kind"]
        for step in lesson(lesson_id)["step"]
        if "node" in step
        for q in step.get("question", [])
    ]
    assert "backward-node" in kinds


# --- every lesson under real PyTorch -----------------------------------------------------------


def _positions(data: dict, statements: list[str]) -> list[int]:
    """Each step's top-level statement, found the way DESIGN.md's lesson format says."""
    positions, previous, previous_was_node = [], -1, False
    for step in data["step"]:
        wanted = ast.unparse(ast.parse(step["after"].strip()))
        start = previous if previous_was_node else previous + 1
        previous = statements.index(wanted, max(start, 0))
        previous_was_node = "node" in step
        positions.append(previous)
    return positions


def _run(statement: ast.stmt, namespace: dict) -> None:
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading a non-leaf's .grad warns, as lessons say
        exec(compile(ast.Module([statement], []), "<lesson>", "exec"), namespace)


def _stepped_backward(statement: ast.stmt, namespace: dict, group: list[dict], visit) -> None:
    """Run `root.backward(...)` with a hook on every node, visiting each step's node stop."""
    assert isinstance(statement, ast.Expr) and statement.value.func.attr == "backward"
    root = eval(compile(ast.Expression(statement.value.func.value), "<root>", "eval"), namespace)
    counts, seen, handles, stack, nodes = Counter(), [], [], [root.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or node in nodes:
            continue
        nodes.add(node)
        stack.extend(n for n, _ in node.next_functions)

        def hook(grad_inputs, grad_outputs, node=node):
            counts[node.name()] += 1
            for step in group:
                if (step["node"], step.get("node_occurrence", 1)) == (
                    node.name(),
                    counts[node.name()],
                ):
                    seen.append(step["node"])
                    visit(step, namespace, (grad_inputs, grad_outputs))

        handles.append(node.register_hook(hook))
    _run(statement, namespace)
    for handle in handles:
        handle.remove()
    assert seen == [s["node"] for s in group], f"nodes reached {seen}, steps want {group}"


def walk_under_torch(torch, data: dict, visit) -> None:
    """Run the lesson program with real torch, calling visit(step, namespace, node_grads) at
    every step's stop (node_grads: (grad_inputs, grad_outputs) inside a stepped backward)."""
    body = ast.parse(data["program"]).body
    positions = _positions(data, [ast.unparse(s) for s in body])
    namespace: dict = {}
    done, index, steps = -1, 0, data["step"]
    while index < len(steps):
        position = positions[index]
        for statement in body[done + 1 : position]:
            _run(statement, namespace)
        group = []
        while index + len(group) < len(steps) and "node" in steps[index + len(group)]:
            if positions[index + len(group)] != position:
                break
            group.append(steps[index + len(group)])
        if group:
            _stepped_backward(body[position], namespace, group, visit)
        else:
            if position > done:
                _run(body[position], namespace)
            visit(steps[index], namespace, None)
        done, index = position, index + max(len(group), 1)
    for statement in body[done + 1 :]:
        _run(statement, namespace)


def torch_value(torch, text: str, namespace: dict, grads) -> object:
    scope = dict(namespace)
    if grads is not None:
        scope["grad_inputs"], scope["grad_outputs"] = grads
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return eval(compile(text, "<answer>", "eval"), scope)


def torch_outcome(text: str, namespace: dict) -> tuple[str | None, object]:
    tree = ast.parse(text)
    try:
        for statement in tree.body[:-1]:
            _run(statement, namespace)
        last = tree.body[-1]
        if isinstance(last, ast.Expr):
            return None, eval(compile(ast.Expression(last.value), "<outcome>", "eval"), namespace)
        _run(last, namespace)
        return None, None
    except Exception as error:
        return type(error).__name__, str(error)


def as_array(torch, value: object) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    return np.asarray(value, dtype=float)


def differs(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape != b.shape or not np.allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_program_prints_the_same_under_torch_and_the_tutor(torch, lesson_id):
    from tutor.program import run_program

    program = lesson(lesson_id)["program"]
    output = io.StringIO()
    with contextlib.redirect_stdout(output), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(program, lesson_id, "exec"), {})
    assert output.getvalue()
    outcome = run_program(program, lesson_id)
    assert (outcome.status, outcome.stdout) == (0, output.getvalue())


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_answer_is_computable_under_torch(torch, lesson_id):
    checked: list[str] = []

    def visit(step: dict, namespace: dict, grads) -> None:
        ordered = sorted(step.get("question", []), key=lambda q: q["kind"] == "outcome")
        for q in ordered:
            kind, answer = q["kind"], q.get("answer")
            if kind == "expression":
                continue
            if kind == "outcome":
                error, _ = torch_outcome(answer, namespace)
                assert (error is not None) == OUTCOME_ERRORS[(lesson_id, q["id"])], q["id"]
                checked.append(q["id"])
                continue
            value = torch_value(torch, answer, namespace, grads)
            if kind == "choice":
                assert [c["value"] for c in q["choices"]].count(value) == 1, q["id"]
            elif kind == "grad_fn":
                assert re.fullmatch(r"\w+Backward\d", value.name()), q["id"]
                for lang in ("en", "ko"):
                    taught = "".join(s["text"][lang] for s in lesson(lesson_id)["step"])
                    assert value.name() in taught, (q["id"], lang)
            elif kind == "number":
                number = as_array(torch, value)
                assert number.size == 1 and math.isfinite(float(number.item())), q["id"]
            else:
                assert isinstance(value, torch.Tensor | np.ndarray), q["id"]
                assert np.isfinite(as_array(torch, value)).all(), q["id"]
            if kind == "backward-node":
                assert step["node"] in step["text"]["en"] and step["node"] in step["text"]["ko"]
            for mid, text in q.get("misconceptions", {}).items():
                if kind in ("choice", "grad_fn"):
                    continue
                wrong = torch_value(torch, text, namespace, grads)
                assert differs(as_array(torch, wrong), as_array(torch, value)), (q["id"], mid)
            checked.append(q["id"])

    walk_under_torch(torch, lesson(lesson_id), visit)
    wanted = [q["id"] for q in questions(lesson(lesson_id)) if q["kind"] != "expression"]
    assert sorted(checked) == sorted(wanted)


@pytest.mark.parametrize(("key", "variable"), DERIVATIVE_OF.items())
def test_lifted_derivative_matches_autograd(torch, key, variable):
    import sympy

    from tutor.course import build_trace, default_course_dir, load_course
    from tutor.symbolic.functions import to_sympy_builtin

    lesson_id, question_id = key
    (question,) = [q for q in questions(lesson(lesson_id)) if q["id"] == question_id]
    assert question["answer"] == f"d/dx {variable}"
    trace = build_trace(load_course(default_course_dir()).lesson(lesson_id))
    derivative = to_sympy_builtin(trace.expected[question_id].value)

    def df(points):
        from tutor.symbolic.probe import evaluate_at

        return evaluate_at(derivative, {sympy.Symbol("x", real=True): points})

    namespace: dict = {}
    for statement in ast.parse(lesson(lesson_id)["program"]).body:
        _run(statement, namespace)
        if variable in namespace:
            break
    x, value = namespace["x"], namespace[variable]
    points = x.detach().numpy().astype(float)
    (grad,) = torch.autograd.grad(value.sum(), x)
    np.testing.assert_allclose(
        grad.numpy(), np.broadcast_to(df(points), points.shape), rtol=1e-5, atol=1e-6
    )


# --- every answer through the tutor's own engine and grading --------------------------------------


@cache
def tutor_trace(lesson_id: str):
    from tutor.course import CourseError, build_trace, load_course

    try:
        return build_trace(load_course(LESSONS).lesson(lesson_id))
    except CourseError as error:
        pytest.fail("\n".join(str(p) for p in error.problems), pytrace=False)


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_computed_answer_typed_as_a_learner_grades_correct(lesson_id):
    from tutor.checking import grade
    from tutor.course import format_answer

    trace = tutor_trace(lesson_id)
    for question in trace.lesson.questions():
        expected = trace.expected[question.id]
        typed = format_answer(expected)
        verdict = grade(question, expected, typed)
        assert verdict.correct, (question.id, typed, verdict.feedback.en)


def _wrong_answers(lesson_id: str) -> list[tuple[str, str]]:
    named = [
        (q["id"], mid)
        for q in questions(lesson(lesson_id))
        for mid in q.get("misconceptions", {})
        if q["kind"] not in ("choice", "grad_fn", "outcome")
    ]
    detected = [(qid, mid) for (lid, qid), (mid, _) in DETECTED.items() if lid == lesson_id]
    return named + detected


@pytest.mark.parametrize(
    ("lesson_id", "question_id", "misconception"),
    [(lid, qid, mid) for lid in lesson_ids() for qid, mid in _wrong_answers(lid)],
)
def test_typical_wrong_answer_is_named(lesson_id, question_id, misconception):
    from tutor.checking import grade
    from tutor.course import format_answer

    trace = tutor_trace(lesson_id)
    (question,) = [q for q in trace.lesson.questions() if q.id == question_id]
    expected = trace.expected[question_id]
    detected, transform = DETECTED.get((lesson_id, question_id), (None, None))
    if misconception == detected:
        wrong = transform(expected.value)
    else:
        wrong = expected.alternatives[misconception]
    typed = format_answer(replace(expected, value=wrong))
    verdict = grade(question, expected, typed)
    assert not verdict.correct, (question_id, typed)
    assert verdict.misconception == misconception, (question_id, typed, verdict.feedback.en)


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_every_alternative_typed_names_its_misconception(lesson_id):
    """Each wrong answer the course or the program's history predicts (the last backward alone
    for an accumulated .grad, an update taken the wrong way) is named when typed."""
    from tutor.checking import grade
    from tutor.course import format_answer

    trace = tutor_trace(lesson_id)
    for question in trace.lesson.questions():
        expected = trace.expected[question.id]
        if expected.kind in ("choice", "grad_fn", "outcome", "expression"):
            continue
        for mid, alternative in expected.alternatives.items():
            if np.shape(alternative) != np.shape(expected.value):
                continue
            typed = format_answer(replace(expected, value=alternative))
            verdict = grade(question, expected, typed)
            assert verdict.misconception == mid, (question.id, mid, typed, verdict.feedback.en)


def test_history_predicts_accumulation_and_update_direction():
    found = {
        (lesson_id, qid, mid)
        for lesson_id in lesson_ids()
        for qid, expected in tutor_trace(lesson_id).expected.items()
        for mid in expected.alternatives
        if mid in ("grad-not-accumulated", "update-direction")
    }
    assert ("accumulation", "grad-after-two", "grad-not-accumulated") in found
    assert ("optimizer-step", "x-after-step", "update-direction") in found
    assert ("zero-grad", "grad-second-round", "grad-not-accumulated") in found
    assert ("zero-grad", "w-after-second-step", "update-direction") in found


# --- the lessons nn, optim, hooks and autograd.grad made possible --------------------------------


def engines(torch) -> tuple:
    """Real PyTorch and the tutor's engine: each claim below must hold in both."""
    import tutor.autograd

    return torch, tutor.autograd


@pytest.mark.parametrize("lesson_id", ENGINE_LESSONS)
def test_engine_lesson_follows_the_seed_course_in_four_to_seven_steps(lesson_id):
    ids = lesson_ids()
    assert ids.index(lesson_id) > ids.index("training-loop")
    assert 4 <= len(lesson(lesson_id)["step"]) <= 7


def _printed(torch, value: object) -> str:
    """The numbers as print() shows them: `[ 3., 12., 27.]`, `-9.`, `0.9963`."""
    return repr(torch.tensor(np.asarray(value, dtype=np.float32)))[len("tensor(") : -1]


@pytest.mark.parametrize("lesson_id", ENGINE_LESSONS)
def test_no_answer_is_shown_before_it_is_asked(torch, lesson_id):
    """Neither the program's output so far, nor the step's text, nor the prompt shows the
    value asked for; a grad_fn name appears in no text up to its question."""
    texts_so_far = ""
    for stop in tutor_trace(lesson_id).steps:
        step = stop.step
        texts_so_far += step.text.en + step.text.ko
        for question in step.questions:
            expected = stop.expected[question.id]
            prompts = question.prompt.en + question.prompt.ko
            if expected.kind in ("tensor", "number", "backward-node"):
                asked = _printed(torch, expected.value)
                places = (stop.snapshot.output, step.text.en + step.text.ko, prompts)
            elif expected.kind == "grad_fn":
                asked = expected.value
                places = (stop.snapshot.output, texts_so_far, prompts)
            else:
                continue
            assert not [place for place in places if asked in place], (question.id, asked)


def _parameter_values(torch, namespace: dict) -> list[np.ndarray]:
    found: dict[int, object] = {}
    for value in namespace.values():
        if isinstance(value, torch.nn.Module):
            found.update((id(p), p) for p in value.parameters())
        elif isinstance(value, torch.nn.Parameter):
            found[id(value)] = value
    return [p.detach().numpy().copy() for p in found.values()]


def _calls_step(statement: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "step"
        for node in ast.walk(statement)
    )


@pytest.mark.parametrize("lesson_id", ("nn-training", "zero-grad"))
def test_parameters_change_exactly_at_optimizer_step(torch, lesson_id):
    """The seed's point with a real optimizer: forward, backward and zero_grad leave the
    values alone; each statement calling opt.step() changes them, under PyTorch and in the
    tutor's trace alike."""
    body = ast.parse(lesson(lesson_id)["program"]).body
    namespace: dict = {}
    changed, stepping = [], []
    for statement in body:
        before = _parameter_values(torch, namespace)
        _run(statement, namespace)
        after = _parameter_values(torch, namespace)
        if before and len(before) == len(after):
            changed.append(any(differs(a, b) for a, b in zip(before, after, strict=True)))
            stepping.append(_calls_step(statement))
    assert any(stepping) and changed == stepping

    trace = tutor_trace(lesson_id)
    in_trace: dict[int, bool] = {}
    previous = None
    for snapshot in trace.snapshots:
        record = snapshot.variables.get("w")
        values = None if record is None or record.tensor is None else record.tensor.values
        if previous is not None and values is not None:
            moved = differs(np.asarray(previous), np.asarray(values))
            index = snapshot.statement.index
            in_trace[index] = in_trace.get(index, False) or moved
        previous = values
    assert {i for i, moved in in_trace.items() if moved} == {
        i for i in in_trace if _calls_step(body[i])
    }


def test_training_lesson_loss_goes_down_to_the_rule_in_the_data(torch):
    """Under PyTorch: a first loss of about 10 (as the text says), practically 0 at the end,
    x = 3 predicted as 2·3 + 1; in the tutor's trace the loss falls at every iteration."""
    namespace: dict = {}
    losses = []
    for statement in ast.parse(lesson("nn-training")["program"]).body:
        _run(statement, namespace)
        if "loss" in namespace and namespace["loss"].item() not in losses[-1:]:
            losses.append(namespace["loss"].item())
    assert round(losses[0]) == 10 and losses[-1] < 1e-6
    model, X = namespace["model"], namespace["X"]
    assert [name for name, _ in model.named_parameters()] == ["fc.weight", "fc.bias"]
    assert namespace["opt"].param_groups[0]["params"][0] is namespace["w"]
    W, b = model.fc.weight, model.fc.bias
    assert not differs(as_array(torch, model(X)), as_array(torch, X @ W.T + b))
    assert round(model(torch.tensor([[3.0]])).item(), 3) == 7.0

    iterations = [s for s in tutor_trace("nn-training").snapshots if s.kind == "iteration"]
    traced = [float(s.variables["loss"].tensor.values) for s in iterations]
    assert len(traced) == 50 and all(b < a for a, b in pairwise(traced))


def test_forgotten_zero_grad_overshoots_and_never_settles(torch):
    """What zero-grad's texts say: 1.5 then 3.75 without zero_grad, 2.25 with it; over a dozen
    rounds w swings between about −0.2 and 6.2, or homes in on 3; zero_grad() leaves None."""
    for t in engines(torch):

        def rounds(clear: bool, t=t) -> tuple[list[float], object, object]:
            w = t.nn.Parameter(t.tensor(0.0))
            opt = t.optim.SGD([w], lr=0.25)
            seen = []
            for _ in range(12):
                if clear:
                    opt.zero_grad()
                ((w - 3) ** 2).backward()
                opt.step()
                seen.append(w.item())
            return seen, w, opt

        forgot, _, _ = rounds(False)
        cleared, w, opt = rounds(True)
        assert forgot[:2] == [1.5, 3.75] and cleared[:2] == [1.5, 2.25], t.__name__
        assert (round(min(forgot), 1), round(max(forgot), 1)) == (-0.2, 6.2), t.__name__
        distances = [abs(v - 3) for v in cleared]
        assert all(b < a for a, b in pairwise(distances)) and max(cleared) < 3
        opt.zero_grad()
        assert w.grad is None
        with pytest.raises(AttributeError):
            w.grad.zero_()
        ((w - 3) ** 2).backward()
        opt.zero_grad(set_to_none=False)
        assert w.grad is not None and w.grad.item() == 0.0


def test_hooks_see_the_backward_order_and_retain_grad_keeps_what_flows_on(torch):
    """Hooks fire from the output down (b before a); a hook's return replaces the gradient;
    retain_grad stores it after the other hooks whatever the order they were registered in."""
    for t in engines(torch):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 3
        b = a**2
        seen = []
        b.register_hook(lambda grad, seen=seen: seen.append(("b", grad.tolist())))
        a.register_hook(lambda grad, seen=seen: seen.append(("a", grad.tolist())))
        b.mean().backward()
        assert [name for name, _ in seen] == ["b", "a"] and seen[1][1] == [2.0, 4.0, 6.0]
        for retain_first in (True, False):
            x.grad = None
            a = x * 3
            if retain_first:
                a.retain_grad()
            a.register_hook(lambda grad: grad.clamp(max=3))
            if not retain_first:
                a.retain_grad()
            (a**2).mean().backward()
            assert a.grad.tolist() == [2.0, 3.0, 3.0], (t.__name__, retain_first)
            assert x.grad.tolist() == [6.0, 9.0, 9.0], (t.__name__, retain_first)


def test_autograd_grad_returns_a_recorded_gradient_and_leaves_grad_alone(torch):
    """What autograd-grad's texts say, under PyTorch and the tutor's engine alike."""
    for t in engines(torch):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x**3).sum()
        g = t.autograd.grad(y, x, create_graph=True)[0]
        assert x.grad is None and g.grad_fn.name() == "MulBackward0", t.__name__
        h = t.autograd.grad(g.sum(), x)[0]
        assert h.tolist() == [6.0, 12.0, 18.0] and h.grad_fn is None and x.grad is None
        # create_graph=True kept y's graph (retain_graph follows it); without it no grad_fn
        g0 = t.autograd.grad(y, x)[0]
        assert g0.tolist() == g.tolist() and g0.grad_fn is None
        with pytest.raises(RuntimeError, match="does not require grad"):
            t.autograd.grad(g0.sum(), x)
        # the second call freed the nodes it went through
        with pytest.raises(RuntimeError, match="a second time"):
            t.autograd.grad(g.sum(), x)
