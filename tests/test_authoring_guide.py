"""lessons/README.md stays true: its worked example, written to an empty directory, checks
clean, and every `tutor …` command it shows prints exactly the output shown."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "lessons" / "README.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks(kind: str) -> list[str]:
    return [
        body for lang, body in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")) if lang == kind
    ]


def sessions() -> list[tuple[str, str]]:
    """Each `$ command` of the console blocks with the output shown under it."""
    found: list[tuple[str, str]] = []
    for block in blocks("console"):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = part.partition("\n")
            found.append((command, output))
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("my-course")
    (course_file,) = [b for b in blocks("toml") if b.startswith("format = 1\n")]
    (lesson,) = [b for b in blocks("toml") if b.startswith('id = "squares"\n')]
    (directory / "course.toml").write_text(course_file, encoding="utf-8")
    (directory / "squares.toml").write_text(lesson, encoding="utf-8")
    return directory


def test_the_guide_shows_check_and_try():
    commands = [command.split()[:2] for command, _ in sessions()]
    assert ["tutor", "check"] in commands and ["tutor", "try"] in commands


@pytest.mark.parametrize(("command", "output"), sessions(), ids=lambda v: v[:40])
def test_every_command_prints_what_the_guide_shows(course, command, output):
    argv = shlex.split(command)
    assert argv[0] == "tutor"
    result = subprocess.run(
        [sys.executable, "-m", "tutor", *argv[1:]],
        cwd=course,
        capture_output=True,
        text=True,
        env={"LANG": "C.UTF-8", "PATH": "", "PYTHONPATH": str(GUIDE.parents[1])},
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == output
