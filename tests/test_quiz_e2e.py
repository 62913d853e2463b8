"""End to end: a class of 150 students sits the quiz on the server's records (its clock, its
attempts), the instructor runs `tutor quiz grade` with the LMS's roster; the CSV is exactly what
the simulation intended."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from test_quiz_support import BASIC, SECRET, T0, ServerClock, basic_quiz, right_answers

from tutor.cli import main
from tutor.course.answer_key import format_answer
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.secret import ENV_VAR
from tutor.quiz.server_grading import iso_utc
from tutor.quiz.server_taking import ServerTaking

STUDENTS = 150
TAKEN_OVER = "s013"
MISSING = ("s150", "s151", "s152")
UNLISTED = "visitor"
QUESTIONS = ("x-grad", "y-value", "y-node", "w-leaf")


def _typed(expected, value) -> str:
    return format_answer(replace(expected, value=value))


def _name(student: str) -> str:
    return f'"Student, {student}"'


def _simulate(quiz, store):
    """Every student's sitting; the CSV the simulation intends, line by line."""
    intended = {}
    limit = quiz.time_limit_seconds
    for i in [*range(STUDENTS), None]:
        student = UNLISTED if i is None else f"s{i:03d}"
        start = T0 + 60 * (i or 0)
        clock = ServerClock(start)
        taking = ServerTaking.open(quiz, SECRET, student, store, clock=clock)
        exp = taking.variant.expected
        answers = right_answers(taking.variant)
        points = {"x-grad": 2.0, "y-value": 1.0, "y-node": 1.0, "w-leaf": 1.0}
        flags, elapsed, minutes = [], 400.0, 0
        kind = (i or 0) % 10
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
        elif kind == 6:  # submitted 40 s into the 60 s grace: time-up, a minute, no penalty
            elapsed, minutes, flags = limit + 40, 1, ["time-up"]
        elif kind == 7:  # never submitted: the server submits it when it closes
            elapsed, minutes, flags = None, 1, ["time-up"]
        elif kind == 8:  # answered only the first question
            answers = {"x-grad": answers["x-grad"]}
            points.update({"y-value": 0.0, "y-node": 0.0, "w-leaf": 0.0})
        elif kind == 9:  # gradient doubled
            answers["x-grad"] = _typed(exp["x-grad"], 2 * exp["x-grad"].value)
            points["x-grad"] = 0.0
        if student == TAKEN_OVER:  # half typed here, half in a second window
            firsts = dict(list(answers.items())[:2])
            for question_id, text in firsts.items():
                taking.answer(question_id, text)
            clock.advance(30)
            taking = ServerTaking.open(quiz, SECRET, student, store, clock=clock)
            answers = dict(list(answers.items())[2:])
        for question_id, text in answers.items():
            clock.advance(5)
            taking.answer(question_id, text)
        if elapsed is not None:
            clock.now = start + elapsed
            taking.submit()
        taking.close()
        submitted = start + (elapsed if elapsed is not None else limit + 60)
        shown = [f"{points[q]:.2f}" for q in QUESTIONS]
        columns = ",,," if i is None else f"{_name(student)},{1000 + i},{student},{student}@uni"
        intended[student] = ",".join(
            [student, columns, *shown, f"{sum(points.values()):.2f}", "5.00"]
            + [";".join(flags + (["unlisted"] if i is None else [])), "1"]
            + [iso_utc(submitted), str(minutes)]
        )
    for n, student in enumerate(MISSING):
        columns = f"{_name(student)},{2000 + n},{student},{student}@uni"
        intended[student] = f"{student},{columns},0.00,0.00,0.00,0.00,0.00,5.00,missing,,,"
    header = (
        "student_id,Student,ID,SIS User ID,SIS Login ID,x-grad,y-value,y-node,w-leaf,"
        "total,max,flags,attempt,submitted_at,minutes_late"
    )
    return [header, *(intended[s] for s in sorted(intended))]


def test_a_class_graded_from_the_servers_records(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, SECRET.decode())
    quiz = basic_quiz()
    data_dir = tmp_path / "data"
    with AttemptStore.open(data_dir) as store:
        intended = _simulate(quiz, store)
    roster = tmp_path / "canvas.csv"
    lines = ["\ufeffStudent,ID,SIS User ID,SIS Login ID", "    Points Possible,,,"]
    lines += [f"{_name(f's{i:03d}')},{1000 + i},s{i:03d},s{i:03d}@uni" for i in range(STUDENTS)]
    lines += [f"{_name(s)},{2000 + n},{s},{s}@uni" for n, s in enumerate(MISSING)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv_path = tmp_path / "grades.csv"
    argv = ["quiz", "grade", str(BASIC), "--data-dir", str(data_dir), "--roster", str(roster)]
    assert main([*argv, "--csv", str(csv_path), "--report"]) == 0
    assert csv_path.read_text(encoding="utf-8").splitlines() == intended
    report = capsys.readouterr()
    assert "Percent correct by question" in report.out
    assert "Forward value, not the gradient (forward-value)" in report.out
    assert "graded 151 of 154 students; 3 missing; 1 unlisted; 0 in progress" in report.err
    assert main([*argv, "--csv", str(tmp_path / "again.csv")]) == 0  # graded twice: the same
    assert (tmp_path / "again.csv").read_text(encoding="utf-8").splitlines() == intended
