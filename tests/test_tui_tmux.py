"""The installed `tutor` in a real terminal (tmux): home, a lesson, a graded answer, quitting,
and a SIGKILL right after grading that loses no attempt."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.course import build_trace, default_course_dir, format_answer, load_course
from tutor.progress import Store

TMUX = shutil.which("tmux")
if TMUX is None:
    if os.environ.get("CI") or os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
        pytest.fail("tmux is required here (.ci/run installs it)", pytrace=False)
    pytest.skip("tmux is not installed", allow_module_level=True)

COURSE = load_course(default_course_dir())
FIRST = COURSE.lessons[0]


def tutor_command() -> list[str]:
    script = shutil.which("tutor", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "tutor"]


class Pane:
    """One tmux server on a private socket, running one command in a 120×40 pane."""

    def __init__(self, socket: Path, command: list[str]) -> None:
        self.socket = socket
        self.env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
        self.tmux(
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            "TERM=xterm-256color",
            shlex.join(command),
        )
        self.tmux("set-option", "-g", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-S", str(self.socket), *args], capture_output=True, text=True, env=self.env
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, deadline: float = 30.0) -> str:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the pane shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)

    def info(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", fmt).strip()

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def pane_for(tmp_path):
    panes: list[Pane] = []

    def start(*extra: str) -> Pane:
        pane = Pane(tmp_path / "tmux.sock", [*tutor_command(), *extra])
        panes.append(pane)
        return pane

    yield start
    for pane in panes:
        pane.close()


def first_question(lesson):
    """(steps to press `n` before the first question, the question, its computed answer)."""
    trace = build_trace(lesson)
    for index, step in enumerate(trace.steps):
        if step.step.questions:
            question = step.step.questions[0]
            return index, question, format_answer(trace.expected[question.id])
    raise AssertionError("the lesson asks nothing")


def test_home_lesson_answer_and_quit_in_a_real_terminal(pane_for, tmp_path):
    pane = pane_for("--data-dir", str(tmp_path / "data"), "--lang", "en")
    pane.wait_for(COURSE.title.en)
    pane.wait_for(FIRST.title.en)
    pane.keys("Enter")
    pane.wait_for("Step 1 of")
    steps, question, answer = first_question(FIRST)
    for _ in range(steps):
        pane.keys("n")
    pane.wait_for(question.prompt.en[:30])
    pane.type(answer)
    pane.keys("Enter")
    pane.wait_for("Correct")
    pane.keys("Escape")  # alone: Escape then q at once reads as Alt+q
    pane.wait_for("Next")
    pane.keys("q")
    shown = pane.wait_for("1/")
    assert COURSE.title.en in shown
    pane.keys("q")
    end = time.monotonic() + 30
    while pane.info("#{pane_dead}") != "1" and time.monotonic() < end:
        time.sleep(0.1)
    assert pane.info("#{pane_dead} #{pane_dead_status}") == "1 0", pane.screen()


def test_sigkill_right_after_grading_loses_no_attempt(pane_for, tmp_path):
    data = tmp_path / "data"
    pane = pane_for("--data-dir", str(data), "--lang", "en")
    pane.wait_for(FIRST.title.en)
    pane.keys("Enter")
    pane.wait_for("Step 1 of")
    steps, question, answer = first_question(FIRST)
    for _ in range(steps):
        pane.keys("n")
    pane.wait_for(question.prompt.en[:30])
    wrong = "[[123456]]" if question.kind == "tensor" else "123456"
    pane.type(wrong)
    pane.keys("Enter")
    pane.wait_for("✘")
    pane.tmux("send-keys", "C-u")
    pane.wait_for("Type your answer")  # cleared before typing: the key binding runs later
    pane.type(answer)
    pane.keys("Enter")
    pane.wait_for("✔")
    os.kill(int(pane.info("#{pane_pid}")), signal.SIGKILL)
    end = time.monotonic() + 10
    while pane.info("#{pane_dead}") != "1" and time.monotonic() < end:
        time.sleep(0.05)
    with Store.open(data) as store:
        assert store.notice is None
        attempts = store.attempts(lesson_id=FIRST.id)
    assert [(a.question_id, a.answer, a.correct) for a in attempts] == [
        (question.id, wrong, False),
        (question.id, answer, True),
    ]
