"""Quiz files: settings, parameters and questions loaded; every fault reported at its line."""

from __future__ import annotations

import pytest
from test_quiz_support import BASIC, QUIZ_HEADER, SCALED_PART, basic_quiz, write_quiz

from tutor.quiz.load import load_quiz, read_quiz
from tutor.quiz.model import QuizError
from tutor.quiz.params import ParamError, declared_values, render, token

PART = SCALED_PART


def test_basic_quiz_loads_with_its_settings():
    quiz = basic_quiz()
    assert quiz.id == "basic"
    assert quiz.time_limit_seconds == 600
    assert quiz.late.grace_seconds == 60 and quiz.late.penalty_per_minute == 0.1
    assert [q.id for q in quiz.questions()] == ["x-grad", "y-value", "y-node", "w-leaf"]
    assert quiz.question("x-grad").points == 2 and quiz.max_points == 5
    assert quiz.question("y-node").partial == "none"
    assert quiz.question("x-grad").partial == "proportional"
    assert {p.name: len(p.values) for p in quiz.params} == {"a": 4, "h": 8, "act": 3}
    assert len(quiz.digest) == 64


def test_param_values_are_declared_sets():
    assert declared_values("a", {"int": [1, 3]}) == (1, 2, 3)
    assert declared_values("h", {"halves": [-1, 1], "exclude": [0]}) == (-1.0, -0.5, 0.5, 1.0)
    assert declared_values("s", {"choice": [[2], [2, 3]]}) == ((2,), (2, 3))
    assert declared_values("op", {"choice": ["+", "*"]}) == ("+", "*")


@pytest.mark.parametrize(
    "spec",
    [
        {"int": [3, 1]},
        {"int": [1.5, 3]},
        {"halves": [0.25, 1]},
        {"choice": []},
        {"choice": ["os.system('x')"]},
        {"choice": ["a b"]},
        {"choice": [True]},
        {"int": [1, 2], "choice": [1]},
        {"range": [1, 2]},
        {"int": [0, 0], "exclude": [0]},
        "1..5",
    ],
)
def test_bad_param_declarations_are_refused(spec):
    with pytest.raises(ParamError):
        declared_values("p", spec)


def test_render_replaces_only_declared_tokens_with_safe_text():
    values = {"a": -2, "h": 1.5, "act": "relu", "shape": (2, 3)}
    text = render("torch.{act}(x * {a} + {h}).reshape({shape})", values)
    assert text == "torch.relu(x * (-2) + 1.5).reshape([2, 3])"
    assert token(-0.5) == "(-0.5)"


def _problems(tmp_path, text):
    quiz, found = read_quiz(write_quiz(tmp_path, text))
    return quiz, [str(p) for p in found]


def test_bad_param_is_located(tmp_path):
    quiz, found = _problems(tmp_path, QUIZ_HEADER + "[params]\na = { int = [5, 1] }\n" + PART)
    assert quiz is None
    assert len(found) == 1 and ":7: parameter `a`: low 5 is above high 1" in found[0]


def test_undeclared_placeholder_is_located_in_the_program(tmp_path):
    text = QUIZ_HEADER + "[params]\na = { int = [1, 3] }\n" + PART.replace("{a}", "{b}")
    _, found = _problems(tmp_path, text)
    assert any(":13: `{b}` is not a declared parameter" in p for p in found), found
    assert any(":7: parameter `a` is never used" in p for p in found), found


def test_toml_syntax_error_is_one_located_line(tmp_path):
    _, found = _problems(tmp_path, QUIZ_HEADER + "[params\n")
    assert len(found) == 1 and ":6: TOML syntax" in found[0]


def test_missing_settings_and_unknown_keys_are_reported(tmp_path):
    text = 'format = 1\nid = "t"\ntitle = { en = "T", ko = "T" }\ncolour = 1\n' + PART.replace(
        "{a}", "2"
    )
    _, found = _problems(tmp_path, text)
    assert any("missing `time_limit_minutes`" in p for p in found)
    assert any(":4: unknown key `colour`" in p for p in found)


def test_duplicate_question_ids_and_bad_late_policy(tmp_path):
    part = PART.replace("{a}", "2")
    second = part[part.index("  [[part.question]]") :]
    text = QUIZ_HEADER + 'late = "later"\n' + part + second
    _, found = _problems(tmp_path, text)
    assert any(":6: `late` must be" in p for p in found), found
    assert any("question id `x-grad` is used twice" in p for p in found), found


def test_question_without_answer_source(tmp_path):
    text = QUIZ_HEADER + PART.replace("{a}", "2").replace('  answer = "x.grad"\n', "")
    _, found = _problems(tmp_path, text)
    assert any("missing `answer`" in p for p in found), found


def test_load_quiz_raises_one_line(tmp_path):
    with pytest.raises(QuizError) as error:
        load_quiz(write_quiz(tmp_path, "not toml = = ="))
    assert "\n" not in str(error.value)
    with pytest.raises(QuizError):
        load_quiz(tmp_path / "absent.quiz.toml")


def test_shipped_fixture_path_exists():
    assert BASIC.is_file()
