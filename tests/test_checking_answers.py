"""Parsing typed numbers and tensors: every form people write or PyTorch/numpy print."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.checking import answers
from tutor.checking.answers import AnswerError, parse_number, parse_tensor

GRID = np.array([[3.0, 4.0], [5.0, 6.0]])


@pytest.mark.parametrize(
    "text",
    [
        "[[3,4],[5,6]]",
        "[[3, 4], [5, 6]]",
        "3 4; 5 6",
        "3, 4; 5, 6",
        "3 4\n5 6",
        "3 4\n\n5 6\n",
        "[3, 4]\n[5, 6]",
        "[3 4] [5 6]",
        "tensor([[3., 4.],\n        [5., 6.]], grad_fn=<AddBackward0>)",
        "tensor([[3., 4.], [5., 6.]], requires_grad=True)",
        "torch.tensor([[3., 4.], [5., 6.]], dtype=torch.float64, grad_fn=<MulBackward0>)",
        "[[3., 4.],\n [5., 6.]], grad_fn=<AddBackward0>",
        "array([[3., 4.],\n       [5., 6.]], dtype=float32)",
        "[[3. 4.]\n [5. 6.]]",
        "x1 = [[3, 4], [5, 6]]",
        "[[3.0000, 4.0000], [5.0000, 6.0000]]",
        "((3, 4), (5, 6))",
        "［［3，4］，［5，6］］",
    ],
)
def test_every_grid_form_reads_as_the_same_2x2(text):
    assert np.array_equal(parse_tensor(text).values, GRID)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14", 14.0),
        ("14.", 14.0),
        ("14.0", 14.0),
        ("1/4", 0.25),
        ("-2.5e-1", -0.25),
        ("−0.25", -0.25),
        ("1.5e-3", 0.0015),
        (".5", 0.5),
        ("+3", 3.0),
        ("1 / 8", 0.125),
        ("tensor(14., grad_fn=<SumBackward0>)", 14.0),
        ("tensor(1.5000, grad_fn=<MeanBackward0>)", 1.5),
        ("  7  ", 7.0),
    ],
)
def test_number_forms(text, value):
    parsed = parse_number(text)
    assert parsed.values.shape == ()
    assert float(parsed.values) == pytest.approx(value)


def test_special_values_and_booleans():
    values = parse_tensor("[nan, inf, -inf, True, False]").values
    assert np.isnan(values[0]) and values[1] == np.inf and values[2] == -np.inf
    assert values[3:].tolist() == [1.0, 0.0]


def test_shapes_as_typed():
    assert parse_tensor("[1, 2, 3, 4]").values.shape == (4,)
    assert parse_tensor("1 2 3 4").values.shape == (4,)
    assert parse_tensor("14").values.shape == ()
    assert parse_tensor("[[1], [2]]").values.shape == (2, 1)
    assert parse_tensor("[[[1, 2]], [[3, 4]]]").values.shape == (2, 1, 2)
    assert parse_tensor("[]").values.shape == (0,)
    assert parse_tensor("torch.Size([2, 3])").values.tolist() == [2.0, 3.0]
    assert parse_tensor("[1, 2]").bracketed and not parse_tensor("1 2").bracketed


@pytest.mark.parametrize(
    ("text", "half_step", "digits"),
    [
        ("0.3333", 5e-5, 4),
        ("0.333", 5e-4, 3),
        ("1.2346e+05", 5.0, 5),
        ("8.168e-1", 5e-5, 4),
        ("0.00312", 5e-6, 3),
        ("14", 0.5, 2),
        ("1/3", 0.0, 0),
        ("0.0000e9", 5e4, 0),  # zero has no significant digit, whatever its last place
        ("-0.", 0.5, 0),
    ],
)
def test_what_the_typed_digits_say(text, half_step, digits):
    number = parse_number(text)
    assert number.half_step == pytest.approx(half_step) and number.digits == digits


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Type an answer"),
        ("   \n ", "Type an answer"),
        ("[[1, 2], [3]]", "differ in length"),
        ("1 2; 3", "differ in length"),
        ("[1, [2]]", "mixed"),
        ("[1, 2", "Missing ']'"),
        ("[1, 2)", "Unmatched ')'"),
        ("1, 2]", "Unexpected ']'"),
        ("tensor([1., 2.]", "Missing ')'"),
        ("tensor([1, ..., 9])", "abbreviated"),
        ("[1, 2] + [3]", "Unexpected '+'"),
        ("3.0.1", "Can't read the number"),
        ("1/0", "Division by zero"),
        ("abc", "Unexpected 'a'"),
        ("[]]", "Unmatched ']'"),
        ("[;]", "Unexpected ';'"),
    ],
)
def test_unreadable_answers_name_the_problem_in_one_line(text, problem):
    with pytest.raises(AnswerError) as caught:
        parse_tensor(text)
    error = caught.value
    assert problem in str(error)
    assert "\n" not in error.text.en and "\n" not in error.text.ko
    assert error.text.ko and error.text.ko != error.text.en


def test_columns_point_at_the_problem():
    with pytest.raises(AnswerError) as caught:
        parse_tensor("[1, 2, x]")
    assert caught.value.column == 8 and "column 8" in str(caught.value)


def test_one_number_expected():
    with pytest.raises(AnswerError, match="Expected one number; you gave 2"):
        parse_number("1 2")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hi')",
        "exec('1')",
        "[1, 2]; import os",
        "lambda: 1",
        "[" * 5000 + "]" * 5000,
        "1" * 9000,
        "\x00\x01[1]",
    ],
)
def test_hostile_text_is_refused_or_read_never_run(text):
    try:
        parsed = parse_tensor(text)
    except AnswerError as error:
        assert "\n" not in str(error)
    else:
        assert parsed.values.size == 1


def test_length_and_count_bounds(monkeypatch):
    with pytest.raises(AnswerError, match="too long"):
        parse_tensor("1" * (answers.MAX_CHARS + 1))
    with pytest.raises(AnswerError, match="too long"):
        parse_tensor("x" * 1_000_000)
    monkeypatch.setattr(answers, "MAX_CHARS", 10**6)
    with pytest.raises(AnswerError, match="Too many numbers"):
        parse_tensor("1 " * (answers.MAX_NUMBERS + 1))
    assert parse_tensor("1 " * answers.MAX_NUMBERS).values.size == answers.MAX_NUMBERS


def test_nesting_is_bounded():
    with pytest.raises(AnswerError, match="Nested more than"):
        parse_tensor("[" * 40 + "1" + "]" * 40)
    deep = "[" * answers.MAX_DEPTH + "1" + "]" * answers.MAX_DEPTH
    assert parse_tensor(deep).values.ndim == answers.MAX_DEPTH
