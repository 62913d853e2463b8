"""Benchmarks the interface: start to first frame against a bare Textual app (same run, side by side,
each in a real pseudo-terminal), and Enter on an answer to feedback on screen (Pilot).

Run: python bench/tui.py [--runs N]
Targets: first frame ≤ 1.5× the bare app; feedback median ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


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


def start_up(runs: int) -> tuple[float, float]:
    data_dir = tempfile.mkdtemp()
    tutor = [sys.executable, "-m", "tutor", "--lang", "en", "--data-dir", data_dir]
    bare = [sys.executable, str(HERE / "bare_app.py")]
    from tutor.course import default_course_dir, load_course

    title = load_course(default_course_dir()).title.en.encode()
    first_frame_seconds(tutor, title)  # warm the file cache and the .pyc files
    first_frame_seconds(bare, b"bare app ready")
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(first_frame_seconds(tutor, title))
        theirs.append(first_frame_seconds(bare, b"bare app ready"))
    return statistics.median(ours), statistics.median(theirs)


async def feedback_latencies(answers: int) -> list[float]:
    from tutor.course import format_answer
    from tutor.tui.factory import make_app

    app = make_app(data_dir=tempfile.mkdtemp(), lang="en")
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lessons = [lesson.id for lesson in app.course.lessons]
        for index in range(len(lessons)):
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            session = screen.session
            feedback = screen.query_one("#feedback")
            while not session.finished and len(times) < answers:
                question = session.question
                if question is None:
                    await pilot.press("n")
                    await pilot.pause()
                    continue
                box = screen.query_one("#answer")
                box.value = format_answer(session.trace.expected[question.id])
                box.focus()
                await pilot.pause()
                before = str(feedback.render())
                start = time.perf_counter()
                await pilot.press("enter")
                while str(feedback.render()) == before:
                    await asyncio.sleep(0)
                times.append(time.perf_counter() - start)
            if len(times) >= answers:
                break
            await pilot.press("escape", "q")
            await pilot.pause()
            if index + 1 < len(lessons):
                await pilot.press("down")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--answers", type=int, default=40)
    args = parser.parse_args()
    ours, bare = start_up(args.runs)
    ratio = ours / bare
    print(
        f"first frame: tutor {ours * 1000:.0f} ms, bare Textual app {bare * 1000:.0f} ms "
        f"(medians of {args.runs}) -> {ratio:.2f}x (target <= 1.5x) "
        f"{'OK' if ratio <= 1.5 else 'OVER'}"
    )
    times = asyncio.run(feedback_latencies(args.answers))
    median = statistics.median(times) * 1000
    print(
        f"Enter to feedback: median {median:.1f} ms, max {max(times) * 1000:.1f} ms over "
        f"{len(times)} answers (target median <= 50 ms) {'OK' if median <= 50 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
