"""`tutor quiz key|take|grade|dashboard`: outputs, the TUI seams and one-line errors."""

from __future__ import annotations

import argparse
import csv
import io
import json

import pytest
from test_quiz_support import BASIC, SECRET, ServerClock, basic_quiz, sit

from tutor.cli import main
from tutor.course.answer_key import format_answer
from tutor.quiz import command
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.key import answer_key_csv
from tutor.quiz.secret import ENV_VAR, SERVER_SECRET
from tutor.quiz.server_taking import attempt_variant
from tutor.quiz.variant import Variants

ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section\n"
    "    Points Possible,,,,\n"
    '"Kim, Min",101,s1,kim@uni,A\n'
    '"Lee, Ha",102,s2,lee@uni,A\n'
    '"Park, Jo",103,s3,park@uni,B\n'
)


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_bytes(SECRET)
    return path


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "canvas.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A server's data dir (its secret SECRET) where s1 and s2 took the quiz; s3 did not."""
    monkeypatch.setenv(ENV_VAR, SECRET.decode())
    data_dir = tmp_path / "data"
    with AttemptStore.open(data_dir) as store:
        sit(store, basic_quiz(), "s1", ServerClock())
        sit(store, basic_quiz(), "s2", ServerClock(), {"y-value": "1"})
    return data_dir


def _args(*argv: str, **extra) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args(list(argv))
    for name, value in extra.items():
        setattr(args, name, value)
    return args


def test_key_prints_the_variant_and_its_answers(secret_file, capsys):
    argv = ("key", str(BASIC), "--student", "alice", "--secret-file", str(secret_file))
    assert command.run(_args(*argv)) == 0
    out = capsys.readouterr().out
    variant = Variants(basic_quiz(), SECRET).for_student("alice")
    assert f"student alice, draw {variant.draw}" in out
    assert f"y = (x * {variant.values['a']} + " in out
    for question_id, expected in variant.expected.items():
        assert f"  {question_id} (" in out
        assert f"    → {format_answer(expected)}" in out


def test_key_json_and_korean(secret_file, capsys):
    argv = ("key", str(BASIC), "--student", "bob", "--secret-file", str(secret_file))
    assert command.run(_args(*argv, "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    variant = Variants(basic_quiz(), SECRET).for_student("bob")
    assert data["student_id"] == "bob" and data["params"]["a"] == variant.values["a"]
    assert data["attempt"] == 1 and data["version"] == basic_quiz().digest
    assert [q["id"] for q in data["questions"]] == ["x-grad", "y-value", "y-node", "w-leaf"]
    assert data["questions"][0]["answer"] == format_answer(variant.expected["x-grad"])
    assert command.run(_args(*argv, "--lang", "ko")) == 0
    assert "기본 autograd 퀴즈" in capsys.readouterr().out


def test_secret_from_environment(monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, SECRET.decode())
    assert command.run(_args("key", str(BASIC), "--student", "alice", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["student_id"] == "alice"


def test_missing_or_short_secret_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert command.run(_args("key", str(BASIC), "--student", "alice")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no quiz secret" in err
    short = tmp_path / "short"
    short.write_text("abc")
    assert command.run(_args("key", str(BASIC), "--student", "a", "--secret-file", str(short))) == 2
    assert "shorter than 16 bytes" in capsys.readouterr().err


def test_bad_quiz_and_bad_student_are_one_line(tmp_path, secret_file, capsys):
    broken = tmp_path / "b.quiz.toml"
    broken.write_text("id = [", encoding="utf-8")
    secret = ("--secret-file", str(secret_file))
    assert command.run(_args("key", str(broken), "--student", "a", *secret)) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert command.run(_args("key", str(BASIC), "--student", "tab\there", *secret)) == 2
    assert "student id" in capsys.readouterr().err
    assert command.run(_args("key", str(BASIC), "--student", " 김영희 ", *secret)) == 0
    assert "student 김영희, draw" in capsys.readouterr().out  # the server's rule: any script


def test_the_batch_key_covers_the_whole_roster_in_one_run(roster, secret_file, capsys):
    argv = ("key", str(BASIC), "--roster", str(roster), "--secret-file", str(secret_file))
    variants = Variants(basic_quiz(), SECRET)
    assert command.run(_args(*argv, "--csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["student_id"] for row in rows] == ["s1", "s2", "s3"]
    for row in rows:
        variant = variants.for_student(row["student_id"])
        assert row["attempt"] == "1" and row["draw"] == str(variant.draw)
        assert row["param:a"] == str(variant.values["a"])
        for question_id, expected in variant.expected.items():
            assert row[question_id] == format_answer(expected)
    assert command.run(_args(*argv, "--json")) == 0
    keys = json.loads(capsys.readouterr().out)
    assert [k["student_id"] for k in keys] == ["s1", "s2", "s3"]
    assert command.run(_args(*argv)) == 0
    assert capsys.readouterr().out.count("part 1:") == 3


def test_the_batch_key_with_the_servers_records_keys_each_attempt_taken(served, roster, capsys):
    argv = ["quiz", "key", str(BASIC), "--roster", str(roster), "--data-dir", str(served)]
    assert main([*argv, "--csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    quiz = basic_quiz()
    with AttemptStore.open(served) as store:
        for row in rows[:2]:
            (record,) = store.attempts(quiz.id, row["student_id"])
            variant = attempt_variant(quiz, SECRET, record)
            assert row["draw"] == str(record.draw) and row["version"] == record.version[:12]
            assert row["x-grad"] == format_answer(variant.expected["x-grad"])
        assert answer_key_csv(quiz, SECRET, ["s1", "s2", "s3"], store) == out
    untaken = Variants(quiz, SECRET).for_student("s3")  # not taken: attempt 1's variant
    assert rows[2]["y-value"] == format_answer(untaken.expected["y-value"])


def test_key_with_a_data_dir_uses_the_servers_secret(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ENV_VAR, raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    argv = ["quiz", "key", str(BASIC), "--student", "s1", "--data-dir", str(data_dir), "--json"]
    assert main(argv) == 0
    secret = (data_dir / SERVER_SECRET).read_bytes().strip()
    variant = Variants(basic_quiz(), secret).for_student("s1")
    assert json.loads(capsys.readouterr().out)["params"]["a"] == variant.values["a"]
    assert main(["quiz", "key", str(BASIC), "--student", "s1", "--data-dir", "nowhere"]) == 2
    assert "nowhere: no such data directory" in capsys.readouterr().err


def test_take_calls_the_handler_with_a_practice_session(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ENV_VAR, raising=False)  # practice needs no secret
    argv = ("take", str(BASIC))
    assert command.run(_args(*argv)) == 2
    assert "not available" in capsys.readouterr().err
    seen = []

    def handler(args):
        taking = command.prepare_take(args)
        seen.append((taking.remaining(), taking.record.student_id))
        taking.answer("y-value", "1")
        taking.close()
        return 0

    args = _args(*argv, take_handler=handler, data_dir=str(tmp_path / "data"))
    assert command.run(args) == 0
    assert 0 < seen[0][0] <= 600 and seen[0][1] == "me"
    assert (tmp_path / "data" / "quiz-practice.sqlite3").exists()
    assert not (tmp_path / "data" / "submissions").exists()


def test_dashboard_handler_gets_the_servers_report(served):
    reports = []

    def handler(args):
        gradebook, report = command.prepare_dashboard(args)
        reports.append(report)
        return 0

    args = _args("dashboard", str(BASIC), "--data-dir", str(served), dashboard_handler=handler)
    assert command.run(args) == 0
    assert reports[0].graded == 2


def test_grade_writes_the_csv_and_the_report(served, roster, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    argv = ["quiz", "grade", str(BASIC), "--data-dir", str(served), "--roster", str(roster)]
    assert main([*argv, "--csv", str(out), "--report"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["student_id"], r["Student"], r["total"], r["flags"]) for r in rows] == [
        ("s1", "Kim, Min", "5.00", ""),
        ("s2", "Lee, Ha", "0.00", ""),
        ("s3", "Park, Jo", "0.00", "missing"),
    ]
    assert "Percent correct by question" in captured.out
    assert "graded 2 of 3 students; 1 missing" in captured.err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--data-dir", "{tmp}/nowhere"], "nowhere: no such data directory"),
        (["--data-dir", "{tmp}"], "no quiz records in"),
        (["--data-dir", "{data}", "--roster", "{tmp}/none.csv"], "cannot read the roster"),
        (["--data-dir", "{data}", "--roster", "{tmp}/bad.csv"], "no student_id column"),
    ],
)
def test_grade_errors_are_one_line(served, tmp_path, capsys, argv, says):
    (tmp_path / "bad.csv").write_text("name,email\nA,a@b\n", encoding="utf-8")
    filled = [a.format(tmp=tmp_path, data=served) for a in argv]
    assert main(["quiz", "grade", str(BASIC), *filled]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err


def test_a_quiz_never_offered_is_one_line(served, tmp_path, capsys):
    other = tmp_path / "other.quiz.toml"
    other.write_text(BASIC.read_text(encoding="utf-8").replace('id = "basic"', 'id = "other"'))
    assert main(["quiz", "grade", str(other), "--data-dir", str(served)]) == 2
    err = capsys.readouterr().err
    assert err == f"tutor: quiz grade: no attempts at quiz other in {served}\n"


def test_an_unreadable_database_is_one_line(tmp_path, capsys):
    (tmp_path / "quiz.sqlite3").write_bytes(b"not a database" * 100)
    assert main(["quiz", "grade", str(BASIC), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open the quiz records" in err


def test_nobody_on_the_roster_took_it_exits_1_saying_so(served, tmp_path, capsys):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("student_id\nx1\nx2\n", encoding="utf-8")
    assert (
        main(["quiz", "grade", str(BASIC), "--data-dir", str(served), "--roster", str(wrong)]) == 1
    )
    err = capsys.readouterr().err
    assert "nobody on the roster" in err and "graded 2 of 4 students; 2 missing; 2 unlisted" in err
