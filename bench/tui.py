"""Benchmarks the interface: start to first frame against a bare Textual app (same run, side by side,
each in a real pseudo-terminal), and Enter on an answer to feedback on screen (Pilot).

Run: python bench/tui.py [--runs N]
Targets: first frame ≤ 1.5× the bare app; feedback median ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def start_up(runs: int) -> tuple[float, float]:
    data_dir = tempfile.mkdtemp()
    # The installed console script, as a learner starts it.
    script = shutil.which("tutor", path=str(Path(sys.executable).parent)) or shutil.which("tutor")
    entry = [script] if script else [sys.executable, "-m", "tutor"]
    tutor = [*entry, "--lang", "en", "--data-dir", data_dir]
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
    """Seconds from the Enter key reaching the answer box to the frame showing the verdict,
    timed inside the app while Pilot types each lesson's computed answers."""
    from textual.widgets import Input

    from tutor.course import format_answer
    from tutor.tui.factory import make_app
    from tutor.tui.widgets.question import QuestionPanel

    times: list[float] = []
    pressed: list[float] = []
    submit, show = Input.action_submit, QuestionPanel.show_verdict

    async def timed_submit(self: Input) -> None:
        pressed.append(time.perf_counter())
        await submit(self)

    def timed_show(self: QuestionPanel, *args, **kwargs) -> None:
        show(self, *args, **kwargs)
        start = pressed.pop()
        self.call_after_refresh(lambda: times.append(time.perf_counter() - start))

    Input.action_submit, QuestionPanel.show_verdict = timed_submit, timed_show
    try:
        app = make_app(data_dir=tempfile.mkdtemp(), lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for lesson in app.course.lessons:
                app.open_lesson(lesson.id)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                session = app.screen.session
                while not session.finished and len(times) < answers:
                    question = session.question
                    if question is None:
                        await pilot.press("n")
                        continue
                    box = app.screen.query_one("#answer", Input)
                    box.value = format_answer(session.trace.expected[question.id])
                    box.focus()
                    await pilot.press("enter")
                    await pilot.pause()
                if len(times) >= answers:
                    break
    finally:
        Input.action_submit, QuestionPanel.show_verdict = submit, show
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--answers", type=int, default=40)
    args = parser.parse_args()
    # As installed by pip: bytecode compiled (PYTHONDONTWRITEBYTECODE would otherwise make every
    # spawned run recompile the tutor from source).
    compileall.compile_dir(ROOT / "tutor", quiet=1)
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
