"""Traces: the seed lesson run once, every Expected matching real PyTorch and sympy; faults located."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import sympy

from tutor.checking import Outcome, grade
from tutor.course import CourseError, build_trace, format_answer, load_course, load_lesson
from tutor.symbolic.functions import symbol

SEED = Path(__file__).parent / "courses" / "seed"


@pytest.fixture(scope="module")
def trace():
    return build_trace(load_course(SEED).lessons[0])


def seed_in_torch(torch):
    """The seed program in real PyTorch, with what MulBackward0 sends recorded by a hook."""
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    y = x3.sum()
    sent = {}
    x3.grad_fn.register_hook(lambda grad_inputs, grad_outputs: sent.update(mul=grad_inputs))
    leaf = y.is_leaf
    y.backward()
    return {
        "x1": x1,
        "x1_node": type(x1.grad_fn).__name__,
        "y": y,
        "leaf": leaf,
        "x": x,
        "x3": x3,
        "mul": sent["mul"],
        "x2": x2,
    }


def test_every_expected_matches_pytorch(trace, torch):
    real = seed_in_torch(torch)
    e = trace.expected
    np.testing.assert_allclose(e["x1-values"].value, real["x1"].detach().numpy())
    assert e["x1-node"].value == real["x1_node"]
    assert e["x1-node"].neighbours == tuple(
        type(n).__name__ for n, _ in real["x1"].grad_fn.next_functions if n is not None
    )
    assert e["y-value"].value == pytest.approx(real["y"].item())
    choices = [c.value for c in load_course(SEED).lessons[0].steps[1].questions[1].choices]
    assert e["y-leaf"].value == choices.index(real["leaf"])
    np.testing.assert_allclose(e["mul-sends"].value, real["mul"][0].numpy())
    np.testing.assert_allclose(e["x-grad"].value, real["x"].grad.numpy())
    with pytest.raises(RuntimeError) as raised:
        real["x3"].numpy()
    assert e["x3-numpy"].value == Outcome("RuntimeError", str(raised.value), None)


def test_alternatives_come_from_the_program_state(trace, torch):
    real = seed_in_torch(torch)
    alternatives = trace.expected["mul-sends"].alternatives
    np.testing.assert_allclose(alternatives["forward-value"], real["x1"].detach().numpy())
    x_grad = trace.expected["x-grad"].alternatives
    np.testing.assert_allclose(x_grad["forward-value"], real["x"].detach().numpy())


def test_expression_answer_is_sympys_derivative(trace):
    x = symbol("x")
    expected = trace.expected["dy-dx"]
    assert sympy.simplify(expected.value - sympy.diff((x + 2) * (x - 2), x)) == 0
    assert "x" in expected.variables


def test_every_computed_answer_grades_correct_and_a_wrong_one_does_not(trace):
    for question in trace.lesson.questions():
        expected = trace.expected[question.id]
        text = format_answer(expected)
        assert grade(question, expected, text).correct, (question.id, text)
    x_grad = next(q for q in trace.lesson.questions() if q.id == "x-grad")
    wrong = format_answer(
        type(trace.expected["x-grad"])("tensor", trace.expected["x-grad"].value + 1)
    )
    assert not grade(x_grad, trace.expected["x-grad"], wrong).correct


def test_steps_stop_where_they_say(trace):
    kinds = [s.snapshot.kind for s in trace.steps]
    assert kinds == ["statement", "statement", "backward-node", "statement"]
    indices = [s.snapshot_index for s in trace.steps]
    assert indices == sorted(indices) and len(set(indices)) == 4
    assert all(trace.snapshots[s.snapshot_index] is s.snapshot for s in trace.steps)


def lesson_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    path = tmp_path / "seed.toml"
    shutil.copy(SEED / "seed.toml", path)
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    source = source.replace(old, new, 1)
    path.write_text(source, encoding="utf-8")
    return path, source


def line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), start=1) if text in line)


# (what to replace, with what, the text marking the line, words in the message)
TRACE_FAULTS = {
    "no such statement": (
        'after = "y = x3.sum()"',
        'after = "y = x3.mean()"',
        "x3.mean()",
        "no such top-level statement",
    ),
    "statement out of order": (
        'after = "y = x3.sum()"',
        'after = "x1  =  x + 2"',
        "x1  =  x",
        "after the previous step",
    ),
    "answer fails": ('answer = "x1"', 'answer = "x9"', 'id = "x1-values"', "NameError"),
    "answer refused": ('answer = "x1"', 'answer = "open(x1)"', 'id = "x1-values"', "refused"),
    "refused program": ("import torch\n", "import os\n", "import os", "refused"),
    "node never runs": (
        'node = "MulBackward0"',
        'node = "DivBackward0"',
        'node = "DivBackward0"',
        "does not run",
    ),
    "program raises first": (
        "x2 = x - 2\n",
        "x2 = x - 2\nx.numpy()\n",
        "x.numpy()",
        "RuntimeError",
    ),
    "no matching choice": ("value = false", 'value = "no"', 'id = "y-leaf"', "matches no choice"),
    "not a number": ('answer = "y"\n', 'answer = "x3"\n', 'id = "y-value"', "not a single number"),
}


@pytest.mark.parametrize("fault", sorted(TRACE_FAULTS))
def test_each_trace_fault_is_one_located_problem(tmp_path, fault):
    old, new, marker, words = TRACE_FAULTS[fault]
    path, source = lesson_with(tmp_path, old, new)
    lesson = load_lesson(path)
    with pytest.raises(CourseError) as raised:
        build_trace(lesson)
    (found,) = raised.value.problems
    line = line_of(source, marker)
    if fault in ("answer fails", "answer refused", "no matching choice", "not a number"):
        line -= 1  # the question's [[step.question]] line, just above its id
    if (
        fault == "no such statement"
        or fault == "statement out of order"
        or fault == "node never runs"
    ):
        line = max(n for n in range(1, line + 1) if source.splitlines()[n - 1] == "[[step]]")
    assert str(found).startswith(f"{path}:{line}: "), (str(found), line)
    assert words in found.message, found.message


def test_a_value_bound_by_autograd_grad_is_a_gradient_question(tmp_path):
    path = tmp_path / "grads.toml"
    path.write_text(
        """
id = "grads"
title = { en = "g", ko = "g" }
program = '''
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
(g,) = torch.autograd.grad((x ** 3).sum(), x)
v = x * 2
'''
[[step]]
after = "v = x * 2"
text = { en = "t", ko = "t" }
  [[step.question]]
  id = "g"
  kind = "tensor"
  prompt = { en = "g?", ko = "g?" }
  answer = "g"
  hints = { en = ["h"], ko = ["h"] }
  [[step.question]]
  id = "v"
  kind = "tensor"
  prompt = { en = "v?", ko = "v?" }
  answer = "v"
  hints = { en = ["h"], ko = ["h"] }
""",
        encoding="utf-8",
    )
    expected = build_trace(load_lesson(path)).expected
    assert (expected["g"].role, expected["v"].role) == ("gradient", "value")
