"""End to end: 200 simulated students graded; the CSV is exactly what the simulation intended."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

import numpy as np
from test_quiz_support import BASIC, SECRET, basic_quiz, submit

from tutor.course.answer_key import format_answer
from tutor.quiz import command
from tutor.quiz.variant import Variants

STUDENTS = 200
TAMPERED = "s007"
DUPLICATE = "s013"
MISSING = ("s200", "s201", "s202")


def _typed(expected, value) -> str:
    return format_answer(replace(expected, value=value))


def _simulate(quiz, out):
    """Write every submission; return the CSV the simulation intends, line by line."""
    variants = Variants(quiz, SECRET)
    intended = {}
    for i in range(STUDENTS):
        student = f"s{i:03d}"
        variant = variants.for_student(student)
        exp = variant.expected
        answers = {q: format_answer(e) for q, e in exp.items()}
        points = {"x-grad": 2.0, "y-value": 1.0, "y-node": 1.0, "w-leaf": 1.0}
        factor, flags, elapsed = 1.0, [], 400.0
        kind = i % 10
        if kind == 4:  # forward value for the gradient; the sign of y flipped
            forward = exp["x-grad"].alternatives["forward-value"]
            answers["x-grad"] = _typed(exp["x-grad"], forward)
            points["x-grad"] = 2.0 * float(np.mean(forward == exp["x-grad"].value))
            answers["y-value"] = _typed(exp["y-value"], -exp["y-value"].value)
            points["y-value"] = 0.0
        elif kind == 5:  # the other choice and a neighbouring node
            answers["w-leaf"] = str(2 - exp["w-leaf"].value)
            answers["y-node"] = "AddBackward0"
            points["w-leaf"] = points["y-node"] = 0.0
        elif kind == 6:  # 60 s grace, then 2.5 minutes: 3 started minutes at 0.1 each
            elapsed, factor, flags = 600 + 60 + 150, 0.7, ["late"]
        elif kind == 7:  # 15 minutes late: over the 10 allowed
            elapsed, factor, flags = 600 + 60 + 15 * 60, 0.0, ["late"]
        elif kind == 8:  # answered only the first question
            answers = {"x-grad": answers["x-grad"]}
            points.update({"y-value": 0.0, "y-node": 0.0, "w-leaf": 0.0})
        elif kind == 9:  # gradient doubled
            answers["x-grad"] = _typed(exp["x-grad"], 2 * exp["x-grad"].value)
            points["x-grad"] = 0.0
        if student == DUPLICATE:
            submit(quiz, student, {}, out, elapsed=100, name=f"{student}-early.json")
            flags = ["duplicate", *flags]
        path = submit(quiz, student, answers, out, elapsed=elapsed)
        if student == TAMPERED:
            body = json.loads(path.read_text(encoding="utf-8"))
            body["answers"][0]["text"] = "[[9, 9], [9, 9]]"
            path.write_text(json.dumps(body), encoding="utf-8")
            points, flags = dict.fromkeys(points, 0.0), ["tampered"]
        total = sum(points.values()) * factor
        shown = [f"{points[q]:.2f}" for q in ("x-grad", "y-value", "y-node", "w-leaf")]
        intended[student] = ",".join([student, *shown, f"{total:.2f}", "5.00", ";".join(flags)])
    for student in MISSING:
        intended[student] = f"{student},0.00,0.00,0.00,0.00,0.00,5.00,missing"
    header = "student_id,x-grad,y-value,y-node,w-leaf,total,max,flags"
    return [header, *(intended[s] for s in sorted(intended))]


def test_two_hundred_students(tmp_path, capsys):
    quiz = basic_quiz()
    out = tmp_path / "submissions"
    intended = _simulate(quiz, out)
    roster = tmp_path / "roster.txt"
    roster.write_text(
        "student_id\n" + "\n".join(f"s{i:03d}" for i in range(STUDENTS + 3)) + "\n",
        encoding="utf-8",
    )
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET + b"\n")
    csv_path = tmp_path / "grades.csv"
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args(
        [
            "grade",
            str(BASIC),
            str(out),
            "--roster",
            str(roster),
            "--secret-file",
            str(secret),
            "--csv",
            str(csv_path),
            "--report",
        ]
    )
    assert command.run(args) == 0
    assert csv_path.read_text(encoding="utf-8").splitlines() == intended
    report = capsys.readouterr()
    assert "Percent correct by question" in report.out
    assert "Forward value, not the gradient (forward-value)" in report.out
    assert "graded 199 of 203 students" in report.err
