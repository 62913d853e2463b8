"""The `tutor` entry point: subcommands found after top-level options, one-line usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tutor.cli import _command_in


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["exec", "f.py"], "exec"),
        (["--lang", "ko", "derive", "x^2"], "derive"),
        (["--data-dir", "exec", "progress", "--export", "a.csv"], "progress"),
        (["--lessons", "d", "--lang", "en"], None),
        (["--lang=ko", "check"], "check"),
        ([], None),
        (["nonsense"], None),
    ],
)
def test_the_subcommand_is_found_after_top_level_options(argv, command):
    assert _command_in(argv) == command


def tutor(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, **kwargs
    )


def test_a_top_level_language_reaches_the_subcommand():
    korean = tutor("--lang", "ko", "derive", "x^2")
    english = tutor("derive", "x^2", "--lang", "en")
    assert korean.returncode == english.returncode == 0
    assert korean.stdout != english.stdout
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean.stdout)


def test_a_top_level_data_dir_reaches_progress_export(tmp_path):
    out = tmp_path / "attempts.csv"
    result = tutor("--data-dir", str(tmp_path / "data"), "progress", "--export", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("time,course,lesson")
    assert (tmp_path / "data" / "progress.sqlite3").exists()


def test_an_unknown_command_is_a_usage_error():
    result = tutor("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_a_broken_course_or_data_dir_is_one_line_not_a_traceback(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.toml").write_text(
        'format = 1\nid = "c"\ntitle = { en = "A" }\nlessons = ["a"]\n'
    )
    broken = tutor("--lessons", str(course), "--data-dir", str(tmp_path / "data"))
    assert broken.returncode == 1
    assert broken.stderr.count("\n") == 1 and "(and 1 more: run `tutor check`)" in broken.stderr
    blocker = tmp_path / "file"
    blocker.write_text("")
    unwritable = tutor("--data-dir", str(blocker / "data"))
    assert unwritable.returncode == 1
    assert unwritable.stderr.startswith("tutor: cannot create the data directory")
    assert unwritable.stderr.count("\n") == 1


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    result = tutor("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"tutor {version('tutor')}\n"


@pytest.mark.parametrize(
    ("argv", "usage", "error"),
    [
        (
            ["exec", "--tarce", "prog.py"],
            "usage: tutor exec ",
            "tutor exec: error: unrecognized arguments: --tarce (did you mean --trace?)",
        ),
        (
            ["derive", "x^2", "--jsno"],
            "usage: tutor derive ",
            "tutor derive: error: unrecognized arguments: --jsno (did you mean --json?)",
        ),
        (
            ["quiz", "key", "q.quiz.toml", "--student", "s1", "--bogus"],
            "usage: tutor quiz key ",
            "tutor quiz key: error: unrecognized arguments: --bogus",
        ),
    ],
)
def test_a_mistyped_subcommand_flag_shows_that_subcommands_usage(argv, usage, error):
    result = tutor(*argv)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(usage)
    assert result.stderr.splitlines()[-1] == error
    assert "COMMAND ..." not in result.stderr  # not the top-level usage


def test_check_of_a_file_says_a_directory_is_expected(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# not a course\n", encoding="utf-8")
    result = tutor("check", str(readme))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"tutor: check: {readme}: not a directory "
        "(a course or quiz directory, or a .quiz.toml file, is expected)\n"
    )


@pytest.mark.parametrize("make", ["missing", "file"])
def test_check_and_lessons_word_a_bad_directory_the_same(tmp_path, make):
    path = tmp_path / "course"
    if make == "file":
        path.write_text("", encoding="utf-8")
    check = tutor("check", str(path))
    lessons = tutor("--lessons", str(path), "--data-dir", str(tmp_path / "data"))
    assert check.returncode == lessons.returncode == 2
    assert check.stderr.count("\n") == lessons.stderr.count("\n") == 1
    problem = "no such directory" if make == "missing" else "not a directory ("
    assert check.stderr.startswith(f"tutor: check: {path}: {problem}")
    assert lessons.stderr.startswith(f"tutor: --lessons: {path}: {problem}")


def test_progress_without_export_summarises(tmp_path):
    result = tutor("progress", "--data-dir", str(tmp_path / "data"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip()
