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
