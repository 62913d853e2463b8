"""Grading from the server's records: answers regraded against each attempt's own variant, partial
credit, tries, the late policy, the attempt that counts, flags, the CSV and the report."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_quiz_support import BASIC, SECRET, T0, ServerClock, right_answers, sit, write_quiz

from tutor.checking import grade
from tutor.course.answer_key import format_answer
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.export import csv_header, gradebook_csv, safe_cell
from tutor.quiz.grading import late_factor
from tutor.quiz.load import load_quiz
from tutor.quiz.model import LatePolicy
from tutor.quiz.report import build_report, format_report
from tutor.quiz.server_grading import grade_attempts, iso_utc
from tutor.quiz.variant import Variants
from tutor.serve.roster import read_roster


def quiz_file(tmp_path, *changes: tuple[str, str], name: str = "basic.quiz.toml"):
    """The fixture quiz, copied with each (old, new) text replaced."""
    text = BASIC.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return load_quiz(write_quiz(tmp_path, text, name))


@pytest.fixture
def quiz(tmp_path):
    return quiz_file(tmp_path)


@pytest.fixture
def store(tmp_path):
    with AttemptStore.open(tmp_path / "data") as opened:
        yield opened


def _grade(store, quiz, roster=None, now=T0 + 3600):
    return grade_attempts(store, quiz, SECRET, roster, now=now)


def _rows(book):
    return {row.student_id: row for row in book.rows}


def test_right_answers_score_full_marks(quiz, store):
    sit(store, quiz, "alice", ServerClock())
    (row,) = _grade(store, quiz).rows
    assert row.total == quiz.max_points == 5 and row.flags == () and row.graded
    assert row.attempt == 1 and row.attempts == 1 and row.minutes_late == 0
    assert row.submitted_at == iso_utc(T0 + 300) == "2025-03-01T09:05:00Z"
    assert row.version == quiz.digest


def test_another_students_answers_are_wrong_for_me(quiz, store):
    variants = Variants(quiz, SECRET)
    alice = variants.for_student("alice")
    bob = next(
        f"bob{i}"
        for i in range(50)
        if variants.for_student(f"bob{i}").values["a"] != alice.values["a"]
    )
    sit(store, quiz, bob, ServerClock(), right_answers(alice))
    row = _rows(_grade(store, quiz))[bob]
    assert row.results[0].question_id == "x-grad" and row.results[0].points == 0
    assert row.total < quiz.max_points


def test_partial_credit_is_the_share_of_elements_right(quiz, store, tmp_path):
    variant = Variants(quiz, SECRET).for_student("carol")
    answers = right_answers(variant)
    grad = variant.expected["x-grad"].value.copy()
    grad[1, 1] += 1
    answers["x-grad"] = format_answer(replace(variant.expected["x-grad"], value=grad))
    answers["y-node"] = "AddBackward0"
    sit(store, quiz, "carol", ServerClock(), answers)
    points = {r.question_id: r.points for r in _grade(store, quiz).rows[0].results}
    assert points == {"x-grad": 1.5, "y-value": 1.0, "y-node": 0.0, "w-leaf": 1.0}

    (tmp_path / "none").mkdir()
    none_rule = quiz_file(tmp_path / "none", ('partial = "proportional"', 'partial = "none"'))
    with AttemptStore.open(tmp_path / "data-none") as other:
        sit(other, none_rule, "carol", ServerClock(), answers)
        assert _grade(other, none_rule).rows[0].results[0].points == 0


def test_misconception_is_recorded(quiz, store):
    variant = Variants(quiz, SECRET).for_student("dave")
    answers = right_answers(variant)
    forward = variant.expected["x-grad"].alternatives["forward-value"]
    answers["x-grad"] = format_answer(replace(variant.expected["x-grad"], value=forward))
    sit(store, quiz, "dave", ServerClock(), answers)
    result = _grade(store, quiz).rows[0].results[0]
    assert result.misconception == "forward-value" and not result.correct


@pytest.mark.parametrize(
    ("over", "factor", "minutes"),
    [(0, 1.0, 0), (60, 1.0, 0), (61, 0.9, 1), (240, 0.7, 3), (660, 0.0, 10), (721, 0.0, 12)],
)
def test_late_policy(quiz, over, factor, minutes):
    got = late_factor(quiz, over)
    assert got[0] == pytest.approx(factor) and got[1] == minutes
    rejecting = replace(quiz, late=LatePolicy(reject=True, grace_seconds=60))
    assert late_factor(rejecting, over)[0] == (1.0 if minutes == 0 else 0)


def test_submitted_in_the_grace_counts_minutes_late_but_no_penalty(quiz, store):
    sit(store, quiz, "fay", ServerClock(), submit_after=quiz.time_limit_seconds + 30)
    row = _grade(store, quiz).rows[0]
    assert row.minutes_late == 1 and row.total == quiz.max_points and row.flags == ("time-up",)


def test_time_up_is_stamped_at_the_close_and_on_time(tmp_path):
    rejecting = quiz_file(
        tmp_path, ("late = { grace_seconds = 60, penalty_per_minute = 0.1, max_minutes = 10 }",
                   'late = "reject"'),
    )  # fmt: skip
    with AttemptStore.open(tmp_path / "data") as store:
        sit(store, rejecting, "gus", ServerClock(), submit_after=None)  # left open
        book = _grade(store, rejecting, now=T0 + 5 * 3600)  # graded long after
        (record,) = store.attempts(rejecting.id)
    row = book.rows[0]
    assert record.submitted_at == record.deadline == T0 + rejecting.time_limit_seconds
    assert record.how == "time-up"
    assert row.total == rejecting.max_points and row.flags == ("time-up",)
    assert row.minutes_late == 0


def test_after_each_tries_cost_what_the_quiz_says(tmp_path):
    each = quiz_file(
        tmp_path,
        ('feedback = "after-submit"', 'feedback = "after-each"\ntries = 3\ntry_penalty = 0.25'),
    )
    from tutor.quiz.server_taking import ServerTaking

    clock = ServerClock()
    with AttemptStore.open(tmp_path / "data") as store:
        taking = ServerTaking.open(each, SECRET, "hal", store, clock=clock)
        right = right_answers(taking.variant)
        wrong = format_answer(replace(taking.variant.expected["y-value"], value=-1234.5))
        for text in (wrong, wrong, right["y-value"]):
            clock.advance(1)
            taking.answer("y-value", text, checked=True)
        taking.answer("w-leaf", right["w-leaf"], checked=True)
        taking.submit()
        points = {r.question_id: r.points for r in _grade(store, each).rows[0].results}
    assert points["y-value"] == pytest.approx(1.0 * (1 - 0.25 * 2))
    assert points["w-leaf"] == 1.0


def test_the_best_attempt_counts_and_each_is_kept(tmp_path):
    twice = quiz_file(tmp_path, ("attempts = 1", "attempts = 2"))
    clock = ServerClock()
    with AttemptStore.open(tmp_path / "data") as store:
        sit(store, twice, "ivy", clock)  # everything right
        clock.advance(3600)
        sit(store, twice, "ivy", clock, {"y-value": "0"})  # then worse
        book = _grade(store, twice, now=T0 + 7200)
        grades = store.grades()
        attempts = store.attempts(twice.id, "ivy")
    (row,) = book.rows
    assert row.attempt == 1 and row.attempts == 2 and row.total == twice.max_points
    assert [a.number for a in attempts] == [1, 2]
    assert [grades[a.id].total for a in attempts] == [twice.max_points, 0.0]


def test_flags_in_progress_missing_unlisted(quiz, store):
    clock = ServerClock()
    sit(store, quiz, "jo", clock)
    sit(store, quiz, "kim", clock, {"y-value": "1"}, submit_after=None)  # still open
    sit(store, quiz, "zed", clock)
    book = _grade(store, quiz, roster=["jo", "kim", "lee"], now=T0 + 60)
    rows = _rows(book)
    assert rows["jo"].flags == () and rows["jo"].graded
    assert rows["kim"].flags == ("in-progress",) and not rows["kim"].graded
    assert rows["lee"].flags == ("missing",) and rows["lee"].total == 0
    assert rows["zed"].flags == ("unlisted",) and rows["zed"].graded
    assert [row.student_id for row in book.rows] == ["jo", "kim", "lee", "zed"]


def test_grading_writes_the_first_grade_with_the_attempts_version(quiz, store):
    sit(store, quiz, "mo", ServerClock())
    assert store.grades() == {}
    _grade(store, quiz)
    (grade_row,) = store.grades().values()
    assert grade_row.version == quiz.digest and grade_row.total == quiz.max_points
    assert grade_row.points == {"x-grad": 2.0, "y-value": 1.0, "y-node": 1.0, "w-leaf": 1.0}


def test_csv_is_exact_with_the_rosters_lms_columns(quiz, store, tmp_path):
    variant = Variants(quiz, SECRET).for_student("kim")
    answers = right_answers(variant)
    answers["y-node"] = "MulBackward0"
    sit(store, quiz, "kim", ServerClock(), answers, submit_after=quiz.time_limit_seconds + 45)
    roster_path = tmp_path / "canvas.csv"
    roster_path.write_text(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section\n"
        "    Points Possible,,,,\n"
        '"Kim, Min",101,kim,kim@uni,A\n'
        '"Lee, Ha",102,lee,lee@uni,"=HYPERLINK(""x"")"\n',
        encoding="utf-8",
    )
    roster = read_roster(roster_path)
    book = _grade(store, quiz, roster)
    assert csv_header(book)[:6] == [
        "student_id",
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
    ]
    assert gradebook_csv(book) == (
        "student_id,Student,ID,SIS User ID,SIS Login ID,Section,x-grad,y-value,y-node,w-leaf,"
        "total,max,flags,attempt,submitted_at,minutes_late\n"
        f'kim,"Kim, Min",101,kim,kim@uni,A,2.00,1.00,0.00,1.00,4.00,5.00,time-up,1,'
        f"{iso_utc(T0 + quiz.time_limit_seconds + 45)},1\n"
        'lee,"Lee, Ha",102,lee,lee@uni,"\'=HYPERLINK(""x"")",0.00,0.00,0.00,0.00,0.00,'
        "5.00,missing,,,\n"
    )


def test_spreadsheet_formulas_are_escaped_but_numbers_are_not():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("+cmd") == "'+cmd" and safe_cell("-x") == "'-x"
    assert safe_cell("-2.5") == "-2.5" and safe_cell("plain") == "plain"


def test_grading_twice_gives_the_same_csv(quiz, store):
    clock = ServerClock()
    for student in ("n1", "n2", "n3"):
        sit(store, quiz, student, clock, {"x-grad": "[[1, 1], [1, 1]]", "y-value": "3"})
    first = gradebook_csv(_grade(store, quiz))
    assert gradebook_csv(_grade(store, quiz, now=T0 + 99999)) == first


def test_report_content(quiz, store):
    clock = ServerClock()
    for student in ("m1", "m2", "m3"):
        variant = Variants(quiz, SECRET).for_student(student)
        answers = right_answers(variant)
        if student != "m1":
            expected = variant.expected["x-grad"]
            forward = expected.alternatives["forward-value"]
            answers["x-grad"] = format_answer(replace(expected, value=forward))
            verdict = grade(quiz.question("x-grad").question, expected, answers["x-grad"])
            assert verdict.misconception == "forward-value"
        sit(store, quiz, student, clock, answers)
    report = build_report(_grade(store, quiz, roster=["m1", "m2", "m3", "m4"]))
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
