"""Grading: answers regraded against each student's variant, partial credit, late, flags, CSV."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_quiz_support import SECRET, basic_quiz, submit

from tutor.course.answer_key import format_answer
from tutor.quiz.export import csv_header, gradebook_csv
from tutor.quiz.grading import grade_submissions, late_factor
from tutor.quiz.model import LatePolicy
from tutor.quiz.report import build_report, format_report
from tutor.quiz.submission import read_submission
from tutor.quiz.variant import Variants


@pytest.fixture(scope="module")
def quiz():
    return basic_quiz()


def _right(quiz, student):
    variant = Variants(quiz, SECRET).for_student(student)
    return {q.id: format_answer(variant.expected[q.id]) for q in quiz.questions()}, variant


def _grade(quiz, paths, **kw):
    return grade_submissions(quiz, SECRET, paths, **kw)


def test_right_answers_score_full_marks(quiz, tmp_path):
    answers, _ = _right(quiz, "alice")
    book = _grade(quiz, [submit(quiz, "alice", answers, tmp_path)])
    (row,) = book.rows
    assert row.total == quiz.max_points == 5 and row.flags == () and row.graded


def test_another_students_answers_are_wrong_for_me(quiz, tmp_path):
    alice, alice_variant = _right(quiz, "alice")
    bob_variant = next(
        Variants(quiz, SECRET).for_student(f"bob{i}")
        for i in range(50)
        if Variants(quiz, SECRET).for_student(f"bob{i}").values["a"] != alice_variant.values["a"]
    )
    book = _grade(quiz, [submit(quiz, bob_variant.student_id, alice, tmp_path)])
    assert book.rows[0].results[0].points == 0


def test_partial_credit_is_the_share_of_elements_right(quiz, tmp_path):
    answers, variant = _right(quiz, "carol")
    grad = variant.expected["x-grad"].value.copy()
    grad[1, 1] += 1
    answers["x-grad"] = format_answer(replace(variant.expected["x-grad"], value=grad))
    answers["y-node"] = "AddBackward0"
    book = _grade(quiz, [submit(quiz, "carol", answers, tmp_path)])
    points = {r.question_id: r.points for r in book.rows[0].results}
    assert points == {"x-grad": 1.5, "y-value": 1.0, "y-node": 0.0, "w-leaf": 1.0}
    none_rule = replace(
        quiz,
        parts=tuple(
            replace(p, questions=tuple(replace(q, partial="none") for q in p.questions))
            for p in quiz.parts
        ),
    )
    assert _grade(none_rule, [tmp_path / "carol-1.json"]).rows[0].results[0].points == 0


def test_misconception_is_recorded(quiz, tmp_path):
    answers, variant = _right(quiz, "dave")
    answers["x-grad"] = format_answer(
        replace(
            variant.expected["x-grad"],
            value=variant.expected["x-grad"].alternatives["forward-value"],
        )
    )
    result = _grade(quiz, [submit(quiz, "dave", answers, tmp_path)]).rows[0].results[0]
    assert result.misconception == "forward-value" and not result.correct


@pytest.mark.parametrize(
    ("elapsed", "factor", "minutes"),
    [(600, 1.0, 0), (660, 1.0, 0), (661, 0.9, 1), (840, 0.7, 3), (1260, 0.0, 10), (1321, 0.0, 12)],
)
def test_late_policy(quiz, tmp_path, elapsed, factor, minutes):
    path = submit(quiz, "erin", {}, tmp_path, elapsed=elapsed)
    got = late_factor(quiz, read_submission(path, b"k"))
    assert got[0] == pytest.approx(factor) and got[1] == minutes
    rejecting = replace(quiz, late=LatePolicy(reject=True, grace_seconds=60))
    assert late_factor(rejecting, read_submission(path, b"k"))[0] == (1.0 if minutes == 0 else 0)


def test_late_total_is_penalised_and_flagged(quiz, tmp_path):
    answers, _ = _right(quiz, "fay")
    row = _grade(quiz, [submit(quiz, "fay", answers, tmp_path, elapsed=840)]).rows[0]
    assert row.flags == ("late",) and row.total == pytest.approx(3.5) and row.minutes_late == 3
    assert sum(r.points for r in row.results) == 5


def test_flags_tampered_duplicate_missing_wrong_quiz_unlisted(quiz, tmp_path):
    answers, _ = _right(quiz, "gus")
    first = submit(quiz, "gus", {}, tmp_path, elapsed=100, name="gus-a.json")
    latest = submit(quiz, "gus", answers, tmp_path, elapsed=200, name="gus-b.json")
    hal = submit(quiz, "hal", answers, tmp_path)
    hal.write_text(hal.read_text(encoding="utf-8").replace('"hal"', '"hal2"'), encoding="utf-8")
    ivy = submit(quiz, "ivy", answers, tmp_path, quiz_id="other-quiz")
    junk = tmp_path / "junk.json"
    junk.write_text("{", encoding="utf-8")
    book = _grade(quiz, [first, latest, hal, ivy, junk], roster=["gus", "ivy", "jo"])
    rows = {row.student_id: row for row in book.rows}
    assert rows["gus"].flags == ("duplicate",) and rows["gus"].total == 5
    assert rows["gus"].source == latest
    assert rows["hal2"].flags == ("tampered", "unlisted") and rows["hal2"].total == 0
    assert rows["ivy"].flags == ("wrong-quiz",) and not rows["ivy"].graded
    assert rows["jo"].flags == ("missing",) and rows["jo"].total == 0
    assert len(book.unreadable) == 1 and "junk.json" in book.unreadable[0]
    assert [row.student_id for row in book.rows] == sorted(rows)


def test_csv_is_exact(quiz, tmp_path):
    answers, _ = _right(quiz, "kim")
    answers["y-node"] = "MulBackward0"
    paths = [submit(quiz, "kim", answers, tmp_path, elapsed=720)]
    book = _grade(quiz, paths, roster=["kim", "lee"])
    assert csv_header(book) == [
        "student_id",
        "x-grad",
        "y-value",
        "y-node",
        "w-leaf",
        "total",
        "max",
        "flags",
    ]
    assert gradebook_csv(book) == (
        "student_id,x-grad,y-value,y-node,w-leaf,total,max,flags\n"
        "kim,2.00,1.00,0.00,1.00,3.60,5.00,late\n"
        "lee,0.00,0.00,0.00,0.00,0.00,5.00,missing\n"
    )


def test_report_content(quiz, tmp_path):
    paths = []
    for student in ("m1", "m2", "m3"):
        answers, variant = _right(quiz, student)
        if student != "m1":
            forward = variant.expected["x-grad"].alternatives["forward-value"]
            answers["x-grad"] = format_answer(replace(variant.expected["x-grad"], value=forward))
        paths.append(submit(quiz, student, answers, tmp_path))
    report = build_report(_grade(quiz, paths, roster=["m1", "m2", "m3", "m4"]))
    assert report.students == 4 and report.graded == 3
    stats = {q.question_id: q for q in report.questions}
    assert stats["x-grad"].correct == 1 and round(stats["x-grad"].percent_correct, 1) == 33.3
    assert stats["y-value"].percent_correct == 100
    assert report.misconceptions == (("forward-value", 2),)
    assert report.histogram[9] == 1 and sum(report.histogram) == 3
    assert report.flags == (("missing", 1),)
    text = format_report(report, "en")
    assert "Forward value, not the gradient (forward-value)" in text and "33.3%" in text
    assert "기울기가 아닌 순전파 값" in format_report(report, "ko")
