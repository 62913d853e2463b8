"""A Textual timer asked to fire in the past (a toast mounted just after its notification
expired) fires at once, and the app goes on: without tutor.tui.timers the app's event loop
stopped for good. Each app runs in a child process, which a hung loop could not leave."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# seconds a child may take before it counts as hung (a liveness bound, not a speed target)
HUNG_AFTER = 120

CHILD = textwrap.dedent(
    """
    import asyncio, sys, time
    from textual.app import App
    from textual.notifications import Notification
    from textual.widgets._toast import Toast
    from tutor.tui.timers import guard_timers

    if sys.argv[1] == "guarded":
        guard_timers()
    elif sys.argv[1] == "tutor":  # the tutor's app guards them as it is made
        import tempfile
        from tutor.course import load_course
        from tutor.progress import Store
        from tutor.tui.app import TutorApp

        TutorApp(course=load_course("lessons"), store=Store.open(tempfile.mkdtemp()))
    fired = []

    class Probe(App):
        async def on_mount(self):
            self.set_timer(-0.0002, lambda: fired.append("negative"))
            self.set_timer(0, lambda: fired.append("zero"))
            # a toast whose notification expired between ToastRack's check and the toast
            late = Notification("signed in", timeout=4)
            late.raised_at = time.time() - 4.0002
            await self.mount(Toast(late))

    async def main():
        app = Probe()
        async with app.run_test() as pilot:
            await pilot.pause(0.5)
            print(sorted(fired), len(app.query(Toast)), flush=True)

    asyncio.run(main())
    """
)


def run_child(mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        capture_output=True,
        text=True,
        timeout=HUNG_AFTER,
        cwd=ROOT,
    )


@pytest.mark.parametrize("mode", ["guarded", "tutor"])
def test_a_timer_due_in_the_past_fires_at_once_and_the_app_goes_on(mode):
    done = run_child(mode)
    assert done.returncode == 0, done.stderr[-2000:]
    # both timers fired, and the expired toast removed itself
    assert done.stdout.split("\n")[0] == "['negative', 'zero'] 0"


@pytest.mark.skipif(sys.platform != "linux", reason="the hang is measured on Linux")
def test_without_the_guard_textual_hangs_on_such_a_timer():
    """What the guard is for: if Textual fixes this, this test says the guard can go."""
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", CHILD, "bare"], capture_output=True, timeout=15)
