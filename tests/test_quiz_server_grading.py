"""Regrading that cannot surprise: each attempt is graded with the quiz version it was taken with;
after the quiz file is edited, `tutor quiz grade` shows each score that would change and changes
it only with --apply."""

from __future__ import annotations

import csv
import io

import pytest
from test_quiz_support import BASIC, SECRET, T0, ServerClock, right_answers, sit, write_quiz

from tutor.checking import grade
from tutor.cli import main
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.secret import ENV_VAR
from tutor.quiz.server_grading import Grading, attempt_values
from tutor.quiz.variant import VariantError, Variants

STUDENTS = ("s1", "s2", "s3", "s4", "s5", "s6")
PROGRAM_LINE = "y = (x * {a} + {h}).sum()"


@pytest.fixture
def sat(tmp_path, monkeypatch):
    """The fixture quiz (a copy in tmp_path) and its data dir, where every student answered every
    question right (as the engine computes it for their variant) and submitted. The server's
    secret is SECRET."""
    monkeypatch.setenv(ENV_VAR, SECRET.decode())
    path = write_quiz(tmp_path, BASIC.read_text(encoding="utf-8"), "basic.quiz.toml")
    quiz = load_quiz(path)
    data_dir = tmp_path / "data"
    with AttemptStore.open(data_dir) as store:
        for student in STUDENTS:
            sit(store, quiz, student, ServerClock())
    return path, data_dir


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def grade_cli(capsys, path, data_dir, *extra: str) -> tuple[int, list[dict], str, str]:
    """`tutor quiz grade PATH --data-dir DIR --csv - …`: status, CSV rows, the diff, stderr."""
    status = main(["quiz", "grade", str(path), "--data-dir", str(data_dir), "--csv", "-", *extra])
    out = capsys.readouterr()
    return status, list(csv.DictReader(io.StringIO(out.out))), out.err, out.out


def totals(rows) -> dict[str, str]:
    return {row["student_id"]: row["total"] for row in rows}


def expected_totals(path, data_dir) -> dict[str, str]:
    """What the engine says each attempt scores under the file at `path`: its stored values by
    name (a parameter they lack drawn for the student), each final answer graded."""
    quiz = load_quiz(path)
    with AttemptStore.open(data_dir) as store:
        found = {}
        for record in store.attempts(quiz.id):
            values, _ = attempt_values(quiz, SECRET, record)
            variant = Variants(quiz, SECRET).with_values(record.student_id, record.draw, values)
            typed = {e.question_id: e.text for e in store.events(record.id)}
            points = 0.0
            for question in quiz.questions():
                verdict = grade(
                    question.question, variant.expected[question.id], typed[question.id]
                )
                share = 1.0 if verdict.correct else verdict.score * (question.partial != "none")
                points += question.points * share
            found[record.student_id] = f"{points:.2f}"
    return found


def test_renaming_a_parameter_changes_nothing_until_applied(sat, capsys):
    path, data_dir = sat
    status, before, _, _ = grade_cli(capsys, path, data_dir)
    assert status == 0 and set(totals(before).values()) == {"5.00"}

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("a = {", "k = {").replace("{a}", "{k}"), encoding="utf-8")
    edited = load_quiz(path)
    intended = expected_totals(path, data_dir)
    changing = {s for s, total in intended.items() if total != "5.00"}
    assert changing and changing != set(STUDENTS)  # some drew k = a, some did not

    status, rows, err, _ = grade_cli(capsys, path, data_dir)
    assert status == 0 and totals(rows) == totals(before)  # nothing moved
    diff = [line for line in err.splitlines() if line.split(" ")[0] in STUDENTS]
    assert {line.split()[0] for line in diff} == changing
    with AttemptStore.open(data_dir) as store:
        for line in diff:
            student = line.split()[0]
            (record,) = store.attempts(edited.id, student)
            drawn = Variants(edited, SECRET).values(student, record.draw, record.number)["k"]
            assert f"5.00 → {intended[student]}" in line
            assert f"new parameter `k` (added or renamed): drawn {drawn}" in line
            assert "parameter `a` is no longer used" in line
    assert f"{len(changing)} scores would change; run again with --apply" in err

    status, again, _, _ = grade_cli(capsys, path, data_dir)
    assert again == rows  # grading twice: the same CSV

    status, applied, err, _ = grade_cli(capsys, path, data_dir, "--apply")
    assert status == 0 and totals(applied) == intended
    assert f"applied: {len(changing)} scores changed" in err
    with AttemptStore.open(data_dir) as store:
        assert {g.version for g in store.grades().values()} == {edited.digest} | (
            {load_quiz(BASIC).digest} if len(changing) < len(STUDENTS) else set()
        )
    status, after, err, _ = grade_cli(capsys, path, data_dir)
    assert after == applied and "would change" not in err


def test_changing_a_program_line_is_shown_then_applied(sat, capsys):
    path, data_dir = sat
    edit(path, PROGRAM_LINE, "y = (x * {a} * 2 + {h}).sum()")
    intended = expected_totals(path, data_dir)
    assert set(intended.values()) != {"5.00"}
    status, rows, err, _ = grade_cli(capsys, path, data_dir)
    assert set(totals(rows).values()) == {"5.00"}
    assert "x-grad, y-value" in err and f"{len(STUDENTS)} scores would change" in err
    status, rows, _, _ = grade_cli(capsys, path, data_dir, "--apply")
    assert totals(rows) == intended


def test_changing_points_is_shown_then_applied(sat, capsys):
    path, data_dir = sat
    edit(path, "points = 2", "points = 4")
    status, rows, err, _ = grade_cli(capsys, path, data_dir)
    assert set(totals(rows).values()) == {"5.00"} and {r["max"] for r in rows} == {"5.00"}
    lines = [line.split() for line in err.splitlines()]
    assert sorted(line for line in lines if line[0] in STUDENTS) == [
        [student, "1", "5.00", "→", "7.00", "x-grad"] for student in STUDENTS
    ]
    status, again, _, _ = grade_cli(capsys, path, data_dir)  # graded before: the same again
    assert again == rows
    status, rows, _, _ = grade_cli(capsys, path, data_dir, "--apply")
    assert set(totals(rows).values()) == {"7.00"} and {r["max"] for r in rows} == {"7.00"}


def test_a_renamed_question_loses_its_answers_which_is_shown_first(sat, capsys):
    """Answers are kept by question id: renaming one leaves it unanswered. The diff says so, and
    until it is applied the rows keep their score, flagged `old-version`."""
    path, data_dir = sat
    edit(path, 'id = "y-value"', 'id = "y-val"')
    status, rows, err, _ = grade_cli(capsys, path, data_dir)
    assert {r["flags"] for r in rows} == {"old-version"}
    assert {r["y-val"] for r in rows} == {"0.00"} and set(totals(rows).values()) == {"5.00"}
    assert "5.00 → 4.00  y-value, y-val" in err
    status, rows, _, _ = grade_cli(capsys, path, data_dir, "--apply")
    assert {r["flags"] for r in rows} == {""} and {r["y-val"] for r in rows} == {"0.00"}
    assert set(totals(rows).values()) == {"4.00"}


def test_a_variant_the_edit_makes_degenerate_keeps_its_score(sat, capsys):
    path, data_dir = sat
    edit(path, PROGRAM_LINE, "y = (x * 0 * {a} + {h}).sum()")  # x.grad is 0 for everyone
    quiz = load_quiz(path)
    with AttemptStore.open(data_dir) as store, pytest.raises(VariantError):
        record = store.attempts(quiz.id)[0]
        values, _ = attempt_values(quiz, SECRET, record)
        Variants(quiz, SECRET).with_values(record.student_id, record.draw, values)
    status, rows, err, _ = grade_cli(capsys, path, data_dir, "--apply")
    assert status == 0 and set(totals(rows).values()) == {"5.00"}
    assert "5.00 (kept)" in err and "the gradient is zero everywhere" in err
    assert "would change" not in err and "applied" not in err


def test_an_applied_grade_stands_whatever_the_file_says_now(sat, tmp_path):
    path, data_dir = sat
    (tmp_path / "still").mkdir()  # the server still offers the first version
    original = load_quiz(write_quiz(tmp_path / "still", path.read_text(encoding="utf-8")))
    edit(path, "points = 2", "points = 4")
    edited = load_quiz(path)
    with AttemptStore.open(data_dir) as store:
        book = Grading(store, edited, SECRET, now=T0 + 3600).gradebook()
        assert {row.total for row in book.rows} == {5.0}
        assert {row.version for row in book.rows} == {original.digest}
        # an attempt is graded with its own version even when graded for the first time now
        sit(store, original, "late-comer", ServerClock(T0 + 50))
        grading = Grading(store, edited, SECRET, now=T0 + 3600)
        row = {r.student_id: r for r in grading.gradebook().rows}["late-comer"]
        assert row.total == 5.0 and row.version == original.digest
        assert store.grades()[store.attempts(edited.id, "late-comer")[0].id].version == (
            original.digest
        )
        changes = grading.changes()
        assert len(changes) == len(STUDENTS) + 1
        assert grading.apply(changes) == len(STUDENTS) + 1
        assert {r.total for r in Grading(store, edited, SECRET).gradebook().rows} == {7.0}


def test_each_attempt_is_graded_with_the_quiz_it_was_taken_with(tmp_path):
    """Two versions offered one after the other: each attempt keeps its own."""
    path = write_quiz(tmp_path, BASIC.read_text(encoding="utf-8"), "basic.quiz.toml")
    first = load_quiz(path)
    data_dir = tmp_path / "data"
    with AttemptStore.open(data_dir) as store:
        sit(store, first, "old", ServerClock())
        edit(path, "points = 2", "points = 4")
        second = load_quiz(path)
        taking = sit(store, second, "new", ServerClock())
        assert taking.record.version == second.digest
        rows = {r.student_id: r for r in Grading(store, second, SECRET).gradebook().rows}
    assert (rows["old"].total, rows["old"].version) == (5.0, first.digest)
    assert (rows["new"].total, rows["new"].version) == (7.0, second.digest)
    assert right_answers(taking.variant)  # the engine computed both keys


def test_an_applied_grade_stands_even_when_its_version_cannot_be_read_again(sat, capsys):
    path, data_dir = sat
    status, before, _, _ = grade_cli(capsys, path, data_dir)
    first = load_quiz(path).digest
    edit(path, "points = 2", "points = 4")
    cached = data_dir / "quiz-versions" / f"{first}.quiz.toml"  # where the store reads it back
    cached.parent.mkdir(exist_ok=True)
    cached.write_text("id = [", encoding="utf-8")
    status, rows, err, _ = grade_cli(capsys, path, data_dir)
    assert status == 0 and totals(rows) == totals(before)
    assert [r["x-grad"] for r in rows] == [r["x-grad"] for r in before]
    assert "Traceback" not in err and f"{len(STUDENTS)} scores would change" in err
    assert err.count("its grade stands, but it cannot be graded again") == len(STUDENTS)
