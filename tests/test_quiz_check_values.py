"""`tutor check` on a quiz: a parameter value that no usable variant can have is reported at
its parameter's line, since every draw of it is redrawn and no student ever gets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.quiz import check as check_module
from tutor.quiz.check import VALUE_EVALUATIONS, check_quiz
from tutor.quiz.variant import MAX_DRAWS, Variants

HEADER = """format = 1
id = "values"
title = { en = "Values", ko = "값" }
time_limit_minutes = 5
attempts = 1
points = 1
partial = "proportional"
feedback = "after-submit"
late = { grace_seconds = 0, penalty_per_minute = 0.1, max_minutes = 10 }

[params]
"""
GRADIENT_PART = '''
[[part]]
program = """
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * {w1} + {b}).sum()
y.backward()
"""
  [[part.question]]
  id = "x-grad"
  after = "y.backward()"
  kind = "tensor"
  prompt = { en = "x.grad?", ko = "x.grad?" }
  answer = "x.grad"
'''


def quiz(tmp_path: Path, params: str, part: str = GRADIENT_PART) -> tuple[Path, dict[str, int]]:
    """The quiz file written, and the line of each parameter in it."""
    text = HEADER + params + "\n" + part
    path = tmp_path / "values.quiz.toml"
    path.write_text(text, encoding="utf-8")
    first = HEADER.count("\n") + 1
    lines = {line.split("=")[0].strip(): first + n for n, line in enumerate(params.splitlines())}
    return path, lines


def messages(path: Path, **options) -> list[str]:
    return [str(p) for p in check_quiz(path, **options)]


def test_a_value_that_makes_the_gradient_zero_is_reported(tmp_path):
    path, line = quiz(tmp_path, "w1 = { int = [0, 3] }\nb = { int = [1, 2] }")
    assert messages(path) == [
        f"{path}:{line['w1']}: value 0 of parameter `w1` can never be drawn: every variant "
        "with it is degenerate (question `x-grad`: the gradient is zero everywhere)"
    ]


def test_a_value_that_makes_the_program_raise_is_reported(tmp_path):
    part = '''
[[part]]
program = """
import torch
x = torch.ones({n}, requires_grad=True)
y = (x * {k}).sum()
y.backward()
"""
  [[part.question]]
  id = "y-value"
  after = "y.backward()"
  kind = "number"
  prompt = { en = "y?", ko = "y?" }
  answer = "y"
'''
    path, line = quiz(tmp_path, "n = { int = [-1, 3] }\nk = { int = [2, 4] }", part)
    [found] = messages(path)
    assert found.startswith(
        f"{path}:{line['n']}: value -1 of parameter `n` can never be drawn: every variant "
        "with it is degenerate (program: "
    )
    assert "negative dimensions" in found


def test_a_choice_no_variant_can_have_is_reported_as_the_file_writes_it(tmp_path):
    part = '''
[[part]]
program = """
import torch
w = torch.tensor([-1.0, -2.0], requires_grad=True)
z = (torch.{act}(w) * {k}).sum()
z.backward()
"""
  [[part.question]]
  id = "w-grad"
  after = "z.backward()"
  kind = "tensor"
  prompt = { en = "w.grad?", ko = "w.grad?" }
  answer = "w.grad"
'''
    params = 'act = { choice = ["relu", "tanh", "sigmoid"] }\nk = { int = [1, 3] }'
    path, line = quiz(tmp_path, params, part)
    assert messages(path) == [
        f'{path}:{line["act"]}: value "relu" of parameter `act` can never be drawn: every '
        "variant with it is degenerate (question `w-grad`: the gradient is zero everywhere)"
    ]


def test_with_many_combinations_a_sample_of_them_is_tried(tmp_path):
    # the other parameters have 6 x 6 combinations: 20 of them are tried with c = 0
    params = "a = { int = [1, 6] }\nb = { int = [1, 6] }\nc = { int = [0, 2] }"
    part = GRADIENT_PART.replace("{w1} + {b}", "{a} * {c} + {b}")
    path, line = quiz(tmp_path, params, part)
    assert messages(path, variants=10) == [
        f"{path}:{line['c']}: value 0 of parameter `c` can never be drawn: every variant tried "
        "with it (20 of 36) is degenerate (question `x-grad`: the gradient is zero everywhere)"
    ]


def test_every_value_usable_reports_nothing(tmp_path):
    path, _ = quiz(tmp_path, "w1 = { int = [-2, 3], exclude = [0] }\nb = { halves = [-1, 1] }")
    assert messages(path) == []


def test_a_value_usable_only_with_some_values_of_another_is_not_reported(tmp_path):
    # a = b makes the gradient zero, but every a has a b that differs (and the other way
    # round); with one student, the values the student's variant lacks must be tried
    part = GRADIENT_PART.replace("(x * {w1} + {b})", "(x * ({a} - {b}))")
    path, _ = quiz(tmp_path, "a = { int = [1, 3] }\nb = { int = [1, 3] }", part)
    assert messages(path, variants=1) == []


def test_a_quiz_with_no_usable_variant_at_all_is_reported_once(tmp_path):
    path, _ = quiz(tmp_path, "w1 = { int = [0, 0] }\nb = { int = [1, 2] }")
    [found] = messages(path, variants=5)
    assert "no usable variant" in found and "can never be drawn" not in found


def test_the_values_check_is_bounded_and_tries_the_values_nearest_zero_first(tmp_path, monkeypatch):
    evaluations = []
    evaluate = Variants.evaluate
    monkeypatch.setattr(
        Variants, "evaluate", lambda self, values: evaluations.append(1) or evaluate(self, values)
    )
    path, line = quiz(tmp_path, "w1 = { int = [-500, 500] }\nb = { int = [1, 2] }")
    # 1,001 values: far more than the bound allows, and 0 is found all the same
    [found] = messages(path, variants=5)
    assert found.startswith(f"{path}:{line['w1']}: value 0 of parameter `w1` can never be drawn")
    assert len(evaluations) <= 5 * MAX_DRAWS + VALUE_EVALUATIONS


@pytest.mark.parametrize("bound", [0, 1])
def test_values_past_the_bound_are_not_tried(tmp_path, monkeypatch, bound):
    monkeypatch.setattr(check_module, "VALUE_EVALUATIONS", bound)
    path, _ = quiz(tmp_path, "w1 = { int = [0, 3] }\nb = { int = [1, 2] }")
    # value 0 needs two evaluations (b = 1 and b = 2) to be proven never drawn
    assert messages(path) == []
