"""`tutor check`: a clean course passes, each fault is a path:line line, bad input is one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tutor.cli import main
from tutor.course import default_course_dir, load_course

SEED = Path(__file__).parent / "courses" / "seed"
ROOT = Path(__file__).resolve().parents[1]


def test_seed_course_checks_clean(capsys):
    assert main(["check", str(SEED)]) == 0
    out, err = capsys.readouterr()
    questions = len(load_course(SEED).lessons[0].questions())
    assert out.startswith("ok: ") and f"{questions} questions" in out
    assert err == ""


def test_shipped_course_checks_clean(capsys):
    status = main(["check"])
    out, err = capsys.readouterr()
    assert status == 0, out + err


def test_default_course_dir_is_the_shipped_lessons():
    directory = default_course_dir()
    assert (directory / "course.toml").is_file()
    assert directory.resolve() in (ROOT / "lessons", ROOT / "tutor" / "lessons") or (
        directory.parent.name == "tutor"
    )


def test_faults_are_reported_as_path_line_message_and_exit_1(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(SEED, course)
    lesson = course / "seed.toml"
    source = lesson.read_text(encoding="utf-8")
    source = source.replace('after = "y = x3.sum()"', 'after = "y = x3.max()"')
    source = source.replace("misconceptions = { forward-value", "misconceptions = { forwrd-value")
    lesson.write_text(source, encoding="utf-8")
    assert main(["check", str(course)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1  # the unreachable step stops the run before the misconception's step
    assert lines[0].startswith(f"{lesson}:") and "no such top-level statement" in lines[0]
    assert err.strip() == f"tutor: check: 1 problem in {course}"


def test_unknown_misconception_is_reported(tmp_path, capsys):
    course = tmp_path / "course"
    shutil.copytree(SEED, course)
    lesson = course / "seed.toml"
    source = lesson.read_text(encoding="utf-8")
    lesson.write_text(source.replace("{ forward-value", "{ forwrd-value"), encoding="utf-8")
    assert main(["check", str(course)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{lesson}:") and "misconception `forwrd-value` is unknown" in line


def test_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "no such directory" in err


def test_bad_files_are_one_line_each_never_a_traceback(tmp_path):
    (tmp_path / "course.toml").write_bytes(b'id = "a"\ntitle = "\xff"\n')
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stdout == f"{tmp_path / 'course.toml'}:2: not UTF-8 text\n"
    assert "Traceback" not in result.stderr


def test_directory_without_course_toml(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line == f"{tmp_path / 'course.toml'}:1: missing: a course directory needs course.toml"


def _edited_seed(tmp_path, old: str, new: str) -> Path:
    course = tmp_path / "course"
    shutil.copytree(SEED, course)
    lesson = course / "seed.toml"
    source = lesson.read_text(encoding="utf-8")
    assert old in source
    lesson.write_text(source.replace(old, new, 1), encoding="utf-8")
    return course


def test_a_misconception_that_gives_the_right_answer_is_reported(tmp_path, capsys):
    course = _edited_seed(
        tmp_path,
        'misconceptions = { forward-value = "x1" }',
        'misconceptions = { forward-value = "x2" }',
    )
    assert main(["check", str(course)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "`forward-value` gives the right answer" in line


def test_a_misconception_that_cannot_explain_the_question_is_reported(tmp_path, capsys):
    course = _edited_seed(
        tmp_path,
        'derivative = { of = "sum((x+2)*(x-2))", wrt = "x" }',
        'derivative = { of = "sum((x+2)*(x-2))", wrt = "x" }\n  misconceptions = { doubled = "4*x" }',
    )
    assert main(["check", str(course)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "`doubled` explains gradient questions, not derivative questions" in line
