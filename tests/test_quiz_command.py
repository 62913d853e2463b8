"""`tutor quiz key|take|grade|dashboard`: outputs, the TUI seams and one-line errors."""

from __future__ import annotations

import argparse
import json

import pytest
from test_quiz_support import BASIC, SECRET, basic_quiz, submit

from tutor.course.answer_key import format_answer
from tutor.quiz import command
from tutor.quiz.secret import ENV_VAR
from tutor.quiz.variant import Variants


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_bytes(SECRET)
    return path


def _args(*argv: str, **extra) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args(list(argv))
    for name, value in extra.items():
        setattr(args, name, value)
    return args


def test_key_prints_the_variant_and_its_answers(secret_file, capsys):
    assert (
        command.run(
            _args("key", str(BASIC), "--student", "alice", "--secret-file", str(secret_file))
        )
        == 0
    )
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
    assert (
        command.run(_args("key", str(broken), "--student", "a", "--secret-file", str(secret_file)))
        == 2
    )
    assert capsys.readouterr().err.count("\n") == 1
    assert (
        command.run(
            _args("key", str(BASIC), "--student", "no spaces", "--secret-file", str(secret_file))
        )
        == 2
    )
    assert "student id" in capsys.readouterr().err


def test_take_calls_the_handler_with_a_session(tmp_path, secret_file, capsys):
    argv = ("take", str(BASIC), "--student", "alice", "--secret-file", str(secret_file))
    assert command.run(_args(*argv)) == 2
    assert "not available" in capsys.readouterr().err
    seen = []

    def handler(args):
        taking = command.prepare_take(args)
        seen.append(taking.remaining())
        taking.answer("y-value", "1")
        return 0

    args = _args(
        *argv, "--out", str(tmp_path / "out"), take_handler=handler, data_dir=str(tmp_path / "data")
    )
    assert command.run(args) == 0
    assert 0 < seen[0] <= 600
    assert (tmp_path / "data" / "quiz-sessions.sqlite3").exists()


def test_dashboard_handler_gets_the_report(tmp_path, secret_file):
    quiz = basic_quiz()
    submit(quiz, "alice", {"y-value": "0"}, tmp_path / "subs")
    reports = []

    def handler(args):
        gradebook, report = command.prepare_dashboard(args)
        reports.append(report)
        return 0

    args = _args(
        "dashboard",
        str(BASIC),
        str(tmp_path / "subs"),
        "--secret-file",
        str(secret_file),
        dashboard_handler=handler,
    )
    assert command.run(args) == 0
    assert reports[0].graded == 1


def test_grade_reports_unreadable_files_and_exits_1(tmp_path, secret_file, capsys):
    quiz = basic_quiz()
    subs = tmp_path / "subs"
    submit(quiz, "alice", {}, subs)
    (subs / "broken.json").write_text('{"format": ', encoding="utf-8")
    args = _args("grade", str(BASIC), str(subs), "--secret-file", str(secret_file), "--csv", "-")
    assert command.run(args) == 1
    out = capsys.readouterr()
    assert out.out.splitlines()[1] == "alice,0.00,0.00,0.00,0.00,0.00,5.00,"
    assert "broken.json: truncated" in out.err
    assert (
        command.run(
            _args("grade", str(BASIC), str(tmp_path / "none"), "--secret-file", str(secret_file))
        )
        == 2
    )


def test_progress_bar_draws_only_on_a_terminal_for_large_batches():
    import io

    from tutor.quiz.progress_bar import progress_bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert progress_bar(1000, io.StringIO()) is None
    assert progress_bar(10, Terminal()) is None
    stream = Terminal()
    draw = progress_bar(100, stream)
    draw(50, 100)
    draw(100, 100)
    assert "grading 50/100" in stream.getvalue() and stream.getvalue().endswith("]\n")
