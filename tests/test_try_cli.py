"""`tutor try`: the DESIGN.md contract, and the verdict a learner would get for each answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor.checking import grade
from tutor.cli import main
from tutor.course import build_trace, format_answer, load_lesson

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "courses" / "seed" / "seed.toml"
QUIZ = ROOT / "tests" / "quizzes" / "basic.quiz.toml"
KEYS = {"verdict", "score", "misconception", "feedback"}


def run_try(capsys, *argv: str) -> tuple[int, list[dict], str]:
    code = main(["try", *argv])
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()] if "--json" in argv else []
    return code, rows, err


def test_each_answer_is_one_json_line_graded_as_the_tui_grades_it(capsys):
    lesson = load_lesson(SEED)
    trace = build_trace(lesson)
    (question,) = [q for q in lesson.questions() if q.id == "x-grad"]
    expected = trace.expected["x-grad"]
    right = format_answer(expected)
    negated = format_answer(type(expected)(**{**expected.__dict__, "value": -expected.value}))
    answers = [right, negated, "2x", "banana", "[1, 2]"]
    code, rows, err = run_try(capsys, str(SEED), "x-grad", "--json", *answers)
    assert (code, err) == (0, "")
    assert len(rows) == len(answers) and all(set(row) == KEYS for row in rows)
    for answer, row in zip(answers, rows, strict=True):
        verdict = grade(question, expected, answer)
        assert row["verdict"] == verdict.outcome
        assert row["score"] == pytest.approx(verdict.score)
        assert row["misconception"] == verdict.misconception
        assert row["feedback"] == verdict.feedback.en
    assert [row["verdict"] for row in rows] == [
        "correct",
        "wrong",
        "unreadable",
        "unreadable",
        "wrong",
    ]
    assert rows[1]["misconception"] == "sign-flipped"
    assert rows[2]["feedback"].startswith("Right formula")


def test_korean_feedback_and_an_answer_starting_with_a_minus(capsys):
    code, rows, _ = run_try(capsys, str(SEED), "y-value", "--json", "--lang", "ko", "--", "-3")
    assert code == 0 and rows[0]["verdict"] == "wrong"
    assert any("\uac00" <= c <= "\ud7a3" for c in rows[0]["feedback"])


def test_a_partial_score_is_partial(capsys):
    trace = build_trace(load_lesson(SEED))
    value = np.array(trace.expected["x1-values"].value, dtype=float)
    value.flat[0] += 100
    typed = str(value.tolist())
    code, rows, _ = run_try(capsys, str(SEED), "x1-values", "--json", typed)
    assert rows[0]["verdict"] == "partial" and 0 < rows[0]["score"] < 1


def test_a_quiz_variant_picked_by_student(capsys, monkeypatch):
    monkeypatch.setenv("TUTOR_QUIZ_SECRET", "s" * 32)
    from tutor.quiz.load import load_quiz
    from tutor.quiz.variant import Variants

    quiz = load_quiz(QUIZ)
    question = quiz.questions()[0]
    for student in ("alice", "bob"):
        expected = Variants(quiz, b"s" * 32).for_student(student).expected[question.id]
        right = format_answer(expected)
        code, rows, err = run_try(
            capsys, str(QUIZ), question.id, "--student", student, "--json", right
        )
        assert (code, err, rows[0]["verdict"]) == (0, "", "correct")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["nope.toml", "q", "1"], "no such file"),
        ([str(SEED), "no-such-question", "1"], "no question `no-such-question`"),
    ],
)
def test_unknown_file_or_question_is_one_line_exit_2(capsys, argv, said):
    code = main(["try", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and said in err


def test_hostile_text_never_reaches_the_output_raw(capsys):
    hostile = "[1,\u202e 2]\x1b[31m\ud800"
    code, rows, _ = run_try(capsys, str(SEED), "x-grad", "--json", hostile)
    assert code == 0
    for ch in ("\u202e", "\x1b", "\ud800"):
        assert ch not in rows[0]["feedback"]


def test_the_installed_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "try", str(SEED), "y-value", "--json", "0.0000e9"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["verdict"] == "wrong"
