"""`tutor quiz check`: questions proven answerable over many variants; problems at path:line."""

from __future__ import annotations

import argparse

from test_quiz_support import BASIC, QUIZ_HEADER, SCALED_PART, write_quiz

from tutor.course.problems import Problem
from tutor.quiz import command
from tutor.quiz.check import check_quiz, quiz_files, typical_wrong_answers
from tutor.quiz.load import load_quiz
from tutor.quiz.variant import Variants

GOOD = QUIZ_HEADER + "\n[params]\na = { int = [1, 4] }\n" + SCALED_PART


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(list(argv)))


def test_good_quizzes_have_no_problems(tmp_path):
    assert check_quiz(BASIC) == []
    assert check_quiz(write_quiz(tmp_path, GOOD), variants=10) == []


def test_always_degenerate_question_is_reported_at_its_line(tmp_path):
    path = write_quiz(tmp_path, GOOD.replace("[1, 4]", "[0, 0]"))
    found = [str(p) for p in check_quiz(path, variants=5)]
    assert len(found) == 1
    assert found[0].startswith(f"{path}:17: question `x-grad`: no usable variant")
    assert "5 of 5 students" in found[0] and "zero everywhere" in found[0]


def test_program_error_is_reported_at_the_program_line(tmp_path):
    path = write_quiz(tmp_path, GOOD.replace("(x * {a}).sum()", "(x * {a} * z).sum()"))
    found = [str(p) for p in check_quiz(path, variants=3)]
    assert len(found) == 1 and f"{path}:14: " in found[0] and "NameError" in found[0]


def test_unmatched_step_and_unknown_misconception_are_reported(tmp_path):
    text = GOOD.replace('after = "y.backward()"', 'after = "z = 1"').replace(
        '  answer = "x.grad"', '  answer = "x.grad"\n  misconceptions.wishful = "x"'
    )
    found = [str(p) for p in check_quiz(write_quiz(tmp_path, text), variants=3)]
    assert any("misconception `wishful` is unknown" in p for p in found), found
    assert any("no such top-level statement" in p for p in found), found


def test_typical_wrong_answers_do_not_grade_correct():
    quiz = load_quiz(BASIC)
    variant = Variants(quiz, b"c" * 16).for_student("x")
    from tutor.checking import grade

    for question in quiz.questions():
        expected = variant.expected[question.id]
        wrong = typical_wrong_answers(expected)
        assert wrong, question.id
        for _, text in wrong:
            assert not grade(question.question, expected, text).correct


def test_check_command_exit_codes(tmp_path, capsys):
    assert _run("check", str(BASIC), "--variants", "5") == 0
    assert "ok:" in capsys.readouterr().out
    bad = write_quiz(tmp_path, GOOD.replace("[1, 4]", "[0, 0]"))
    assert _run("check", str(bad), "--variants", "3") == 1
    out = capsys.readouterr()
    assert out.out.startswith(f"{bad}:17: ")
    assert _run("check", str(tmp_path / "nope.toml")) == 2
    assert "no such file" in capsys.readouterr().err


def test_shipped_quiz_is_proven():
    shipped = quiz_files(BASIC.parents[2] / "quizzes")
    assert [p.name for p in shipped] == ["autograd-basics.quiz.toml"]
    assert check_quiz(shipped[0], variants=8) == []


def test_problems_are_course_problems(tmp_path):
    found = check_quiz(write_quiz(tmp_path, "id = 3"))
    assert found and all(isinstance(p, Problem) for p in found)
    assert all(str(p).startswith(f"{tmp_path}/q.quiz.toml:") for p in found)
