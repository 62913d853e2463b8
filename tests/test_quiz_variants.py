"""Variants: drawn from the secret and the student id, deterministic, degenerate draws redrawn."""

from __future__ import annotations

import pytest
from test_quiz_support import QUIZ_HEADER, SECRET, basic_quiz, write_quiz

from tutor.course.answer_key import format_answer
from tutor.quiz.load import load_quiz
from tutor.quiz.variant import VariantError, Variants

ZERO_PRONE = (
    QUIZ_HEADER
    + '''
[params]
a = { int = [0, 3] }
b = { int = [1, 3] }

[[part]]
program = """
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 5.0], requires_grad=True)
y = (x * {a} + w * {b}).sum()
y.backward()
"""
  [[part.question]]
  id = "x-grad"
  after = "y.backward()"
  kind = "tensor"
  prompt = { en = "x.grad?", ko = "x.grad?" }
  answer = "x.grad"

  [[part.question]]
  id = "w-grad"
  after = "y.backward()"
  kind = "tensor"
  prompt = { en = "w.grad?", ko = "w.grad?" }
  answer = "w.grad"
'''
)


def test_same_secret_and_student_give_the_same_variant():
    quiz = basic_quiz()
    first = Variants(quiz, SECRET).for_student("alice")
    again = Variants(quiz, SECRET).for_student("alice")
    assert dict(first.values) == dict(again.values)
    assert first.programs == again.programs
    assert {k: format_answer(v) for k, v in first.expected.items()} == {
        k: format_answer(v) for k, v in again.expected.items()
    }


def test_different_students_and_secrets_get_different_variants():
    quiz = basic_quiz()
    variants = Variants(quiz, SECRET)
    drawn = {tuple(variants.for_student(f"s{i}").values.values()) for i in range(30)}
    assert len(drawn) > 10
    other = Variants(quiz, b"another secret, also long enough")
    differing = sum(
        dict(variants.values(f"s{i}", 0)) != dict(other.values(f"s{i}", 0)) for i in range(30)
    )
    assert differing > 20


def test_variant_program_holds_the_drawn_values():
    quiz = basic_quiz()
    variant = Variants(quiz, SECRET).for_student("bob")
    a, act = variant.values["a"], variant.values["act"]
    assert f"x * {a} + " in variant.programs[0]
    assert f"torch.{act}(w)" in variant.programs[1]
    expected = variant.expected["x-grad"].value
    assert expected.tolist() == [[a, a], [a, a]]


def test_degenerate_draws_are_redrawn(tmp_path):
    quiz = load_quiz(write_quiz(tmp_path, ZERO_PRONE))
    variants = Variants(quiz, SECRET)
    redrawn = 0
    for i in range(60):
        variant = variants.for_student(f"s{i}")
        assert variant.values["a"] != 0, "a zero gradient everywhere must be redrawn"
        assert variant.values["a"] != variant.values["b"], "duplicate answers must be redrawn"
        if variant.draw > 0:
            redrawn += 1
            first = variants.values(f"s{i}", 0)
            assert first["a"] == 0 or first["a"] == first["b"]
    assert redrawn > 0


def test_no_usable_variant_is_an_error_naming_why(tmp_path):
    text = ZERO_PRONE.replace("a = { int = [0, 3] }", "a = { int = [0, 0] }")
    quiz = load_quiz(write_quiz(tmp_path, text))
    with pytest.raises(VariantError) as error:
        Variants(quiz, SECRET, max_draws=5).for_student("alice")
    assert len(error.value.reasons) == 5
    assert error.value.reasons[0].question_id == "x-grad"
    assert "zero everywhere" in str(error.value)


def test_same_values_are_traced_once():
    quiz = basic_quiz()
    variants = Variants(quiz, SECRET)
    values = variants.values("carol", 0)
    first = variants.evaluate(values)
    assert variants.evaluate(dict(values)) is first


def test_draw_follows_the_documented_formula():
    import hashlib
    import hmac

    quiz = basic_quiz()
    seed = hmac.new(SECRET, b"basic\x00alice\x003", hashlib.sha256).digest()
    values = Variants(quiz, SECRET).values("alice", 3)
    for param in quiz.params:
        digest = hashlib.sha256(seed + b"\x00" + param.name.encode()).digest()
        assert values[param.name] == param.values[int.from_bytes(digest, "big") % len(param.values)]
