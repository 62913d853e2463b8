"""The installed `tutor` in a real terminal (tmux): home, a lesson, graded answers, quitting, and a
SIGKILL right after grading that loses no attempt."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from terminal import TMUX, Terminal, running, shell_reporting_exit, tutor_command, wait_gone

from tutor.checking import grade
from tutor.course import build_trace, default_course_dir, format_answer, load_course
from tutor.progress import Store
from tutor.tui.i18n import t

if TMUX is None:
    if os.environ.get("CI") or os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
        pytest.fail("tmux is required here (.ci/run installs it)", pytrace=False)
    pytest.skip("tmux is not installed", allow_module_level=True)

COURSE = load_course(default_course_dir())
LESSON = COURSE.lessons[0]
TRACE = build_trace(LESSON)
STEPS = len(TRACE.steps)
# (index of the step that asks it, the question), in the order the lesson asks them
ASKED = [(index, q) for index, step in enumerate(TRACE.steps) for q in step.step.questions]


def opening(text: str, *, markdown: bool = False, words: int = 3) -> str:
    """The first few words of a text's first line as the pane shows them: a step's text is
    markdown (its marks are not drawn), a question's prompt is drawn as written."""
    line = next(line for line in text.splitlines() if line.strip())
    if markdown:
        line = re.sub(r"[*`]", "", line).lstrip("#>-+ ")
    return " ".join(line.split()[:words])


def step_label(index: int) -> str:
    return t("step_of", "en", n=index + 1, total=STEPS)


def right_answer(question) -> str:
    answer = format_answer(TRACE.expected[question.id])
    assert grade(question, TRACE.expected[question.id], answer).correct, answer
    return answer


def wrong_answer(question) -> str:
    """A readable answer the checker calls wrong: another choice, or the right numbers negated."""
    answer = format_answer(TRACE.expected[question.id])
    if question.choices:
        candidates = [str(n) for n in range(1, len(question.choices) + 1)]
    else:
        candidates = [re.sub(r"(?<![\w.])(\d)", r"-\1", answer), "[[123456.]]", "123456"]
    for candidate in candidates:
        if not grade(question, TRACE.expected[question.id], candidate).correct:
            return candidate
    raise AssertionError(f"no wrong answer found for {question.id}")


def start(data: Path, *, report_exit: bool = False) -> Terminal:
    """`tutor` on the course home, in English, keeping its progress in `data`; run directly (the
    pane's pid is tutor's) or, with `report_exit`, by a shell that prints its exit status."""
    command = [*tutor_command(), "--data-dir", str(data), "--lang", "en"]
    term = Terminal(shell_reporting_exit(command) if report_exit else command)
    term.wait_for(COURSE.title.en, LESSON.title.en)
    return term


def open_first_lesson(term: Terminal) -> None:
    term.keys("Enter")
    # the step counter is drawn once the lesson's trace is built and its session is ready
    term.wait_for(step_label(0), opening(TRACE.steps[0].step.text.en, markdown=True))


def go_to_step(term: Terminal, current: int, target: int) -> int:
    """Press `n` until the lesson shows step `target`; each press waits for its step to appear."""
    while current < target:
        term.keys("n")
        current += 1
        term.wait_for(step_label(current))
    return current


def answer(term: Terminal, question, text: str, verdict: str) -> str:
    term.wait_for(opening(question.prompt.en))
    term.type(text)
    term.keys("Enter")
    return term.wait_for(verdict)


def test_home_lesson_graded_answer_and_quit(tmp_path):
    assert ASKED, "the first lesson asks nothing"
    data = tmp_path / "data"
    with start(data, report_exit=True) as term:
        open_first_lesson(term)
        index, question = ASKED[0]
        go_to_step(term, 0, index)
        text = right_answer(question)
        shown = answer(term, question, text, "✔")
        assert "✔" in shown, shown
        # another question may be open (letters then go to its answer box): ctrl+l is Home
        term.wait_until(lambda s: "Home" in s.splitlines()[-1], "the lesson footer's Home key")
        term.keys("C-l")
        home = term.wait_until(
            lambda s: COURSE.title.en in s and LESSON.title.en in s and step_label(index) not in s,
            "the course home",
        )
        assert LESSON.title.en in home, home
        term.keys("q")
        # the line may scroll off when tmux reports the pane dead, so look in its history too
        shown = term.wait_until(lambda s: "EXITED" in s, "the shell's EXITED line", history=True)
        assert re.search(r"EXITED (\d+)", shown).group(1) == "0", shown
    with Store.open(data) as store:
        attempts = store.attempts(lesson_id=LESSON.id)
    assert [(a.question_id, a.answer, a.correct) for a in attempts] == [(question.id, text, True)]


def test_sigkill_right_after_grading_loses_no_attempt(tmp_path):
    assert len(ASKED) >= 2, "the first lesson asks fewer than two questions"
    data = tmp_path / "data"
    (first_step, first), (second_step, second) = ASKED[:2]
    right, wrong = right_answer(first), wrong_answer(second)
    with start(data) as term:
        open_first_lesson(term)
        step = go_to_step(term, 0, first_step)
        answer(term, first, right, "✔")
        go_to_step(term, step, second_step)
        answer(term, second, wrong, "✘")
        pid = term.pid()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert str(data).encode() in command, f"pane pid {pid} is not tutor: {command}"
        assert running(pid)
        os.kill(pid, signal.SIGKILL)
        term.wait_closed()
        wait_gone(pid)
    with Store.open(data) as store:
        assert store.notice is None, store.notice
        attempts = store.attempts(lesson_id=LESSON.id)
        position = store.position(COURSE.id, LESSON.id)
    assert [(a.course_id, a.question_id, a.answer, a.correct) for a in attempts] == [
        (COURSE.id, first.id, right, True),
        (COURSE.id, second.id, wrong, False),
    ]
    assert position == second_step


NAVIGATION = "bndpgqh"  # every letter the lesson screen uses as a key once a step is settled


def test_an_answer_with_every_navigation_letter_arrives_intact(tmp_path):
    """Typed into the answer box, and typed again after Tab moved the focus to a pane: the
    letters are text, never keys (the step, the screen and the lesson stay where they are)."""
    index, question = ASKED[0]
    data = tmp_path / "data"
    with start(data) as term:
        open_first_lesson(term)
        go_to_step(term, 0, index)
        term.wait_for(opening(question.prompt.en))
        typed = f"{NAVIGATION} {NAVIGATION.upper()}"
        term.type(typed)
        shown = term.wait_for(typed)
        term.keys("Tab")  # the focus leaves the answer box
        term.type(" " + NAVIGATION)
        shown = term.wait_for(f"{typed} {NAVIGATION}")
        assert step_label(index) in shown and opening(question.prompt.en) in shown, shown
        term.keys("Enter")
        term.wait_for(t("not_counted", "en"))  # read as no choice: costs nothing
        term.keys(*["BSpace"] * len(f"{typed} {NAVIGATION}"))  # Backspace, too, means the box
        term.wait_for(t("answer_placeholder", "en"))  # the box is empty again
        term.type(right_answer(question))
        term.keys("Enter")
        term.wait_for("✔")
    with Store.open(data) as store:
        attempts = store.attempts(lesson_id=LESSON.id)
    assert [(a.question_id, a.correct) for a in attempts] == [(question.id, True)]
