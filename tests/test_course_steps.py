"""Where steps stop (compound statements, repeated nodes) and how answers are written back."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.course import CourseError, build_trace, load_lesson
from tutor.course.values import format_array, format_number

HEADER = """id = "extra"
title = { en = "Extra", ko = "추가" }
program = \"\"\"
import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
a = w + 1
b = a + 2
y = (b * b).sum()
y.backward()
with torch.no_grad():
    w -= 0.5 * w.grad
\"\"\"
"""

HINTS = 'hints = { en = ["h"], ko = ["ㅎ"] }'
TEXT = 'text = { en = "t", ko = "ㅌ" }'
PROMPT = 'prompt = { en = "p", ko = "ㅍ" }'


def lesson(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(HEADER + steps, encoding="utf-8")
    return path


def question(qid: str, kind: str, answer: str, extra: str = "") -> str:
    return (
        f'  [[step.question]]\n  id = "{qid}"\n  kind = "{kind}"\n  {PROMPT}\n'
        f"  answer = {answer!r}\n  {HINTS}\n{extra}"
    )


def test_second_occurrence_of_a_node_and_a_compound_statement(tmp_path, torch):
    steps = (
        f'[[step]]\nafter = "y.backward()"\nnode = "AddBackward0"\nnode_occurrence = 2\n{TEXT}\n'
        + question("sent", "backward-node", "grad_inputs[0]")
        + question("arrived", "backward-node", "grad_outputs[0]")
        + f'[[step]]\nafter = "with torch.no_grad():"\n{TEXT}\n'
        + question("w-after", "tensor", "w")
    )
    trace = build_trace(load_lesson(lesson(tmp_path, steps)))
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    a = w + 1
    b = a + 2
    y = (b * b).sum()
    seen = []
    a.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(grad_inputs))
    y.backward()
    np.testing.assert_allclose(trace.expected["sent"].value, seen[0][0].numpy())
    np.testing.assert_allclose(trace.expected["arrived"].value, 2 * b.detach().numpy())
    with torch.no_grad():
        w -= 0.5 * w.grad
    np.testing.assert_allclose(trace.expected["w-after"].value, w.detach().numpy())
    assert [s.snapshot.kind for s in trace.steps] == ["backward-node", "statement"]


def test_a_third_occurrence_that_never_comes(tmp_path):
    steps = (
        f'[[step]]\nafter = "y.backward()"\nnode = "AddBackward0"\nnode_occurrence = 3\n{TEXT}\n'
    )
    with pytest.raises(CourseError) as raised:
        build_trace(load_lesson(lesson(tmp_path, steps)))
    (found,) = raised.value.problems
    assert found.line == HEADER.count("\n") + 1
    assert "ran only 2 times" in found.message


def test_outcome_runs_on_a_throwaway_copy(tmp_path):
    steps = (
        f'[[step]]\nafter = "b = a + 2"\n{TEXT}\n'
        + question("in-place", "outcome", "w.add_(1)")
        + question("w-still", "tensor", "w")
    )
    trace = build_trace(load_lesson(lesson(tmp_path, steps)))
    outcome = trace.expected["in-place"].value
    assert outcome.error == "RuntimeError" and "leaf Variable" in outcome.message
    np.testing.assert_allclose(trace.expected["w-still"].value, [1.0, 2.0])


def test_a_lifted_derivative_agrees_with_the_engines_gradient(tmp_path):
    steps = f'[[step]]\nafter = "y.backward()"\n{TEXT}\n' + question("dy", "expression", "d/dw y")
    trace = build_trace(load_lesson(lesson(tmp_path, steps)))
    expected = trace.expected["dy"]
    (w,) = expected.value.free_symbols
    engine = trace.steps[0].snapshot.variables["w"].tensor
    lifted = [float(expected.value.subs(w, value)) for value in engine.values]
    np.testing.assert_allclose(lifted, engine.grad, rtol=1e-6)
    assert expected.variables == ("w",)


def test_a_derivative_that_cannot_be_lifted_is_one_clear_problem(tmp_path):
    steps = f'[[step]]\nafter = "y.backward()"\n{TEXT}\n' + question("dq", "expression", "d/dw q")
    with pytest.raises(CourseError) as raised:
        build_trace(load_lesson(lesson(tmp_path, steps)))
    (found,) = raised.value.problems
    assert found.message.startswith("question `dq`: `d/dw q`:") and "\n" not in found.message


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (14.0, "14"),
        (-0.25, "-0.25"),
        (0.1, "0.1"),
        (1e-5, "1e-5"),
        (-0.0, "0"),
        (2.5e20, "2.5e+20"),
    ],
)
def test_numbers_are_written_as_people_type_them(value, text):
    assert format_number(value) == text


@settings(max_examples=60, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_written_numbers_read_back_to_the_same_float32(value):
    assert np.float32(float(format_number(value))) == np.float32(value)


def test_arrays_are_written_as_nested_lists():
    assert format_array(np.array([[2.0, 4.0], [6.0, 8.0]])) == "[[2, 4], [6, 8]]"
    assert format_array(np.array(14.0)) == "14"
    assert math.isclose(float(format_array(np.array(1 / 3))), 1 / 3, rel_tol=1e-6)
