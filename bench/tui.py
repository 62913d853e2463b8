"""Benchmarks the interface: start to first frame against a bare Textual app (same run, side by side,
each in a real pseudo-terminal), and Enter on an answer to its verdict drawn (Pilot).

Run: python bench/tui.py [--runs N] [--answers N] [--read S] [--only start|feedback] [--verbose]
Targets (DESIGN.md): first frame ≤ 1.1× the bare app; Enter to verdict drawn p95 ≤ 50 ms.
The machine may be busy with other work: run it more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import gc
import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FIRST_FRAME_RATIO = 1.1
FEEDBACK_P95_MS = 50

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def first_frame_seconds(command: list[str], marker: bytes, timeout: float = 30.0) -> float:
    """Seconds from spawning `command` in an 100×30 pseudo-terminal until `marker` is drawn."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if marker in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{command} drew no {marker!r} in {timeout}s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(leader)


def start_up(runs: int) -> tuple[float, float, float]:
    """The medians of `runs` first frames of the tutor and of the bare app, and the median of
    their ratios pair by pair: each pair is started back to back (which first alternates), so a
    pair sees one load even when other work on the machine comes and goes."""
    data_dir = tempfile.mkdtemp()
    # The installed console script, as a learner starts it.
    script = shutil.which("tutor", path=str(Path(sys.executable).parent)) or shutil.which("tutor")
    entry = [script] if script else [sys.executable, "-m", "tutor"]
    tutor = [*entry, "--lang", "en", "--data-dir", data_dir]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    from tutor.course import default_course_dir, load_course

    title = load_course(default_course_dir()).title.en.encode()
    # warm the file cache, the .pyc files and the course's cache (tutor.course.cache)
    first_frame_seconds(tutor, title)
    first_frame_seconds(bare, b"bare app ready")
    ours, theirs = [], []
    for run in range(runs):
        if run % 2 == 0:
            ours.append(first_frame_seconds(tutor, title))
            theirs.append(first_frame_seconds(bare, b"bare app ready"))
        else:
            theirs.append(first_frame_seconds(bare, b"bare app ready"))
            ours.append(first_frame_seconds(tutor, title))
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    return statistics.median(ours), statistics.median(theirs), ratio


# Lessons answered, slowest grading first: expressions (sympy), tensors, node names, outcomes.
FEEDBACK_LESSONS = (
    "derivation",
    "chain-rule",
    "retain-graph",
    "forward-graph",
    "broadcasting",
    "optimizer-step",
    "detach",
    "accumulation",
)
# Something no question of its kind can read: it costs no attempt and says the form wanted.
UNREADABLE = {
    "choice": "banana",
    "tensor": "[[1, 2",
    "backward-node": "[[1, 2",
    "number": "two",
    "expression": "x +* (",
    "grad_fn": "1 2 3",
    "outcome": "hmm",
}


def wrong_answer(question, expected, right: str) -> str:
    """A readable answer that is not the right one."""
    kind = expected.kind
    if kind == "choice":
        return str((int(expected.value) + 1) % len(question.choices) + 1)
    if kind in ("tensor", "number", "backward-node"):
        return re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", lambda m: str(float(m.group()) + 1.5), right)
    if kind == "expression":
        return f"({right}) + 1"
    if kind == "grad_fn":
        return "AddBackward0" if right == "MulBackward0" else "MulBackward0"
    return "no error" if expected.value.error else "RuntimeError"


class Feedback:
    """What feedback_latencies measured: seconds per answer, the answers' kinds and outcomes,
    and the cyclic collector's full scans (those that fell between Enter and the verdict)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.kinds: Counter = Counter()
        self.outcomes: Counter = Counter()
        self.full_scans = 0
        self.full_scans_in_answers = 0


def typed_answer(attempt: str, question, expected) -> str:
    """What the bench types for an "unreadable", "wrong" or "right" attempt at `expected`."""
    from tutor.course import format_answer

    right = format_answer(expected)
    if attempt == "unreadable":
        return UNREADABLE[expected.kind]
    return wrong_answer(question, expected, right) if attempt == "wrong" else right


async def feedback_latencies(answers: int, read: float, verbose: bool = False) -> Feedback:
    """Seconds from Enter reaching the app (as a terminal's key would) to the end of the frame
    that draws the verdict, over `answers` answers: for each open question of the lessons in
    FEEDBACK_LESSONS an unreadable one, a wrong one and the right one, typed key by key
    (Pilot, 120x40), sent with Enter, and read for `read` seconds. The headless driver writes
    nothing, so each frame is also turned into the bytes a terminal would get. The cyclic
    collector is set up as the `tutor` command has it."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Input

    from tutor.cli import collector_scheduled_by_the_app
    from tutor.tui.factory import make_app
    from tutor.tui.screens.lesson import LessonScreen

    found = Feedback()
    times = found.times
    clock = {"pressed": None, "handled": False, "displayed": None}
    display, timer_update = App._display, Screen._on_timer_update
    answered = LessonScreen.on_question_panel_answered

    def timed_display(self: App, screen: Screen, renderable) -> None:
        display(self, screen, renderable)
        if renderable is not None and self.is_headless:
            renderable.render_segments(self.console)  # what a terminal would be sent
        clock["displayed"] = time.perf_counter()

    def timed_timer_update(self: Screen) -> None:
        clock["displayed"] = None
        timer_update(self)
        drawn = clock["displayed"]
        if clock["pressed"] is not None and clock["handled"] and drawn is not None:
            times.append(drawn - clock["pressed"])
            clock["pressed"] = None

    def timed_answered(self: LessonScreen, event) -> None:
        answered(self, event)
        clock["handled"] = True

    def full_scan(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            found.full_scans += 1
            found.full_scans_in_answers += clock["pressed"] is not None

    async def answer(pilot, lesson_id: str, question, expected, typed: str) -> None:
        pilot.app.screen.query_one("#answer", Input).value = ""  # what was tried before
        await pilot.press(*typed)
        await pilot.pause()
        before = len(times)
        clock["handled"] = False
        clock["pressed"] = time.perf_counter()
        await pilot.press("enter")
        deadline = time.perf_counter() + 5
        while len(times) == before and time.perf_counter() < deadline:
            await asyncio.sleep(0.001)
        if len(times) == before:
            raise RuntimeError(f"no verdict drawn for {typed!r} ({lesson_id})")
        verdict = pilot.app.screen.session.state(question).last
        outcome = "right" if verdict.correct else verdict.outcome
        found.kinds[expected.kind] += 1
        found.outcomes[outcome] += 1
        if verbose:
            print(
                f"  {times[-1] * 1000:6.1f} ms  {lesson_id:15} {expected.kind:13} {outcome:10}"
                f" {typed[:40]!r}"
            )
        await asyncio.sleep(read)
        session, deadline = pilot.app.screen.session, time.perf_counter() + 5
        while session.needs_draw and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)  # a retry's numbers, drawn once its verdict is read

    App._display, Screen._on_timer_update = timed_display, timed_timer_update
    LessonScreen.on_question_panel_answered = timed_answered
    gc.callbacks.append(full_scan)
    try:
        with collector_scheduled_by_the_app():
            app = make_app(data_dir=tempfile.mkdtemp(), lang="en")
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await asyncio.sleep(0.5)  # sympy loads after the first frame, as one reads
                await app.workers.wait_for_complete()
                await pilot.pause()
                for lesson_id in FEEDBACK_LESSONS:
                    if len(times) >= answers:
                        break
                    app.open_lesson(lesson_id)
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                    session = app.screen.session
                    while len(times) < answers:
                        question = session.question
                        if question is None:
                            if session.finished:
                                break
                            await pilot.press("n")
                            continue
                        for attempt in ("unreadable", "wrong", "right"):
                            # a wrong answer draws the retry new numbers, and their answers
                            question = session.question
                            expected = session.trace.expected[question.id]
                            typed = typed_answer(attempt, question, expected)
                            await answer(pilot, lesson_id, question, expected, typed)
                            if session.question is None or session.question.id != question.id:
                                break  # settled (three misses reveal it)
    finally:
        gc.callbacks.remove(full_scan)
        App._display, Screen._on_timer_update = display, timer_update
        LessonScreen.on_question_panel_answered = answered
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--answers", type=int, default=45)
    parser.add_argument(
        "--read", type=float, default=0.8, help="seconds a learner reads each verdict"
    )
    parser.add_argument("--verbose", action="store_true", help="print every answer's time")
    parser.add_argument("--only", choices=("start", "feedback"), help="measure one of the two")
    args = parser.parse_args()
    # As installed by pip: bytecode compiled (PYTHONDONTWRITEBYTECODE would otherwise make every
    # spawned run recompile the tutor from source).
    compileall.compile_dir(ROOT / "tutor", quiet=1)
    if args.only != "feedback":
        start_up_report(args.runs)
    if args.only != "start":
        feedback_report(args.answers, args.read, args.verbose)


def start_up_report(runs: int) -> None:
    ours, bare, ratio = start_up(runs)
    print(
        f"first frame: tutor {ours * 1000:.0f} ms, bare Textual app {bare * 1000:.0f} ms "
        f"(medians of {runs}) -> {ratio:.2f}x, the median of the side-by-side pairs' ratios "
        f"(target <= {FIRST_FRAME_RATIO}x) {'OK' if ratio <= FIRST_FRAME_RATIO else 'OVER'}"
    )


def feedback_report(answers: int, read: float, verbose: bool = False) -> None:
    found = asyncio.run(feedback_latencies(answers, read, verbose))
    ms = [each * 1000 for each in found.times]
    high = p95(ms)
    mix = ", ".join(f"{n} {name}" for name, n in sorted(found.outcomes.items()))
    kinds = ", ".join(f"{n} {name}" for name, n in sorted(found.kinds.items()))
    print(
        f"Enter to verdict drawn: median {statistics.median(ms):.1f} ms, p95 {high:.1f} ms, "
        f"max {max(ms):.1f} ms over {len(ms)} answers ({mix}; {kinds}) "
        f"(target p95 <= {FEEDBACK_P95_MS} ms) {'OK' if high <= FEEDBACK_P95_MS else 'OVER'}"
    )
    print(
        f"  cyclic collector: {found.full_scans} full scans, "
        f"{found.full_scans_in_answers} of them between an Enter and its verdict"
    )


if __name__ == "__main__":
    main()
