"""Benchmarks `tutor serve`: N browser sessions open (logged in, on the course home), the memory
each costs (PSS from /proc/PID/smaps_rollup, summed over each session's processes), and the
keystroke-to-screen latency while some of them type; side by side with a bare Textual app (a
header, an input box, a footer) served the same way (TutorServer, one process per websocket).

Run: python bench/serve.py [--sessions 50] [--typing 10] [--keys 40]
Targets (DESIGN.md): ≤ 40 MB PSS per session with 200 sessions open; keystroke to screen
median ≤ 50 ms, p95 ≤ 150 ms with 20 of 200 sessions typing.

A keystroke's latency: from sending it (as xterm.js does, one websocket frame) to the moment
the screen, drawn by a terminal emulator from the frames that came back, shows the input box
with that key's effect. Each typing session types letters into an input box (the tutor's
playground, the bare app's input) and deletes them again, one key every THINK seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from serve_client import Browser, ServedTutor, children, free_port, issue_codes  # noqa: E402

PSS_TARGET_MB = 40
MEDIAN_TARGET_MS = 50
P95_TARGET_MS = 150
THINK = 0.15  # seconds between one session's keys (a quick typist)
OPENING_AT_ONCE = 8  # sessions opened together (the class arriving)
SETTLE = 6.0  # seconds for warm-ups to finish before memory is read
BARE_READY = "bare app ready"
BARE_PLACEHOLDER = "Type here"
TUTOR_PLACEHOLDER = "A PyTorch statement, then Enter"
WORD = "abcdefgh"


def bare_app() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Input, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static(BARE_READY)
            yield Input(placeholder=BARE_PLACEHOLDER, id="box")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one("#box").focus()

    Bare().run()


def serve_bare(port: int) -> None:
    from tutor.serve.server import Limits, TutorServer

    argv = [sys.executable, str(Path(__file__).resolve()), "--bare-app"]
    limits = Limits(max_sessions=10_000, burst=10_000, rate=1000)
    TutorServer(argv, port=port, limits=limits, title="bare").serve()


class BareServer:
    """The bare app behind TutorServer, as ServedTutor has the tutor."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "bare.log"
        command = [sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(self.port)]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        ServedTutor._wait_until_up(self)  # type: ignore[arg-type]

    @property
    def pid(self) -> int:
        return self.process.pid

    def sessions(self) -> list[int]:
        return children(self.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def pss_kb(pid: int) -> int:
    """PSS of `pid` and every process under it, in kB."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    except OSError:
        return 0
    return total + sum(pss_kb(child) for child in children(pid))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Side:
    """One served app under measure: its sessions, their memory, their keys' latencies."""

    def __init__(self, name: str, server, ready: str, placeholder: str) -> None:
        self.name, self.server, self.ready, self.placeholder = name, server, ready, placeholder
        self.browsers: list[Browser] = []
        self.open_seconds: list[float] = []
        self.latencies: list[float] = []

    async def open_one(self, student: str | None, code: str | None) -> None:
        browser = Browser(width=120, height=36)
        started = time.perf_counter()
        await browser.connect(self.server.url)
        if student is not None:
            await browser.log_in(student, code)
        await browser.wait_for(self.ready, 120)
        self.open_seconds.append(time.perf_counter() - started)
        self.browsers.append(browser)

    async def open(self, count: int, codes: dict[str, str] | None) -> None:
        people = list(codes.items()) if codes else [(None, None)] * count
        for start in range(0, count, OPENING_AT_ONCE):
            batch = people[start : start + OPENING_AT_ONCE]
            await asyncio.gather(*(self.open_one(s, c) for s, c in batch))

    def memory(self) -> tuple[float, float]:
        """Mean PSS per session (each session's processes summed) and the server's own, in MB."""
        per_session = [pss_kb(pid) / 1024 for pid in self.server.sessions()]
        server_only = (pss_kb(self.server.pid) / 1024) - sum(per_session)
        return statistics.mean(per_session), server_only

    async def type_into_box(self, browser: Browser, keys: int, to_box: bool) -> None:
        if to_box:
            await browser.press("p")
        await browser.wait_for(self.placeholder, 60)
        await asyncio.sleep(0.5)
        value = ""
        for n in range(keys):
            adding = (n // len(WORD)) % 2 == 0
            key = WORD[len(value)] if adding else "backspace"
            value = value + key if adding else value[:-1]
            shown = self.placeholder if not value else f"▊  {value} "
            started = time.perf_counter()
            await browser.press(key)
            await browser.wait_for(shown, 30)
            self.latencies.append(time.perf_counter() - started)
            await asyncio.sleep(THINK)

    async def type(self, typing: int, keys: int, to_box: bool) -> None:
        await asyncio.gather(*(self.type_into_box(b, keys, to_box) for b in self.browsers[:typing]))

    async def close(self) -> None:
        await asyncio.gather(*(b.close() for b in self.browsers))


async def measure(side: Side, sessions: int, typing: int, keys: int, codes, to_box: bool) -> dict:
    started = time.perf_counter()
    await side.open(sessions, codes)
    opened = time.perf_counter() - started
    await asyncio.sleep(SETTLE)
    home_pss, server_pss = side.memory()
    await side.type(typing, keys, to_box)
    await asyncio.sleep(1.0)
    typed_pss, _ = side.memory()
    await side.close()
    ms = [s * 1000 for s in side.latencies]
    return {
        "sessions": len(side.browsers),
        "open all (s)": opened,
        "open one, median (s)": statistics.median(side.open_seconds),
        "PSS per session, idle (MB)": home_pss,
        "PSS per session, after typing (MB)": typed_pss,
        "server PSS (MB)": server_pss,
        "keys measured": len(ms),
        "key to screen median (ms)": statistics.median(ms),
        "key to screen p95 (ms)": percentile(ms, 0.95),
        "key to screen p99 (ms)": percentile(ms, 0.99),
        "key to screen max (ms)": max(ms),
    }


def report(tutor: dict, bare: dict) -> None:
    print(f"{'':38}{'tutor':>10}{'bare':>10}{'ratio':>8}")
    for key in tutor:
        ours, theirs = tutor[key], bare[key]
        ratio = f"{ours / theirs:8.2f}" if theirs and key != "sessions" else ""
        fmt = "{:10.0f}" if isinstance(ours, int) else "{:10.2f}"
        print(f"{key:38}{fmt.format(ours)}{fmt.format(theirs)}{ratio}")
    print()
    print(f"targets: PSS per session ≤ {PSS_TARGET_MB} MB (200 open): "
          f"{tutor['PSS per session, after typing (MB)']:.1f} MB here; "
          f"median ≤ {MEDIAN_TARGET_MS} ms: {tutor['key to screen median (ms)']:.0f} ms; "
          f"p95 ≤ {P95_TARGET_MS} ms: {tutor['key to screen p95 (ms)']:.0f} ms")  # fmt: skip
    print(f"(machine: {os.cpu_count()} CPUs visible, {len(os.sched_getaffinity(0))} usable)")


async def main_async(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    students = [f"s{n:04d}" for n in range(args.sessions)]
    print(f"issuing {len(students)} codes …", file=sys.stderr)
    codes = issue_codes(data_dir, students)
    limits = ("--max-sessions", "10000", "--burst", "10000", "--rate", "1000")
    tutor_server = ServedTutor(data_dir, *limits, lifetime=3600)
    try:
        print(f"tutor: {args.sessions} sessions, {args.typing} typing …", file=sys.stderr)
        side = Side("tutor", tutor_server, "PyTorch autograd, by hand", TUTOR_PLACEHOLDER)
        tutor = await measure(side, args.sessions, args.typing, args.keys, codes, True)
    finally:
        tutor_server.stop()
    bare_server = BareServer(data_dir)
    try:
        print(f"bare: {args.sessions} sessions, {args.typing} typing …", file=sys.stderr)
        side = Side("bare", bare_server, BARE_READY, BARE_PLACEHOLDER)
        bare = await measure(side, args.sessions, args.typing, args.keys, None, False)
    finally:
        bare_server.stop()
    report(tutor, bare)


def main() -> None:
    if sys.argv[1:2] == ["--bare-app"]:
        return bare_app()
    if sys.argv[1:2] == ["--serve-bare"]:
        return serve_bare(int(sys.argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="sessions open (50)")
    parser.add_argument("--typing", type=int, default=10, help="of them typing (10)")
    parser.add_argument("--keys", type=int, default=40, help="keys each typing session types")
    args = parser.parse_args()
    args.typing = min(args.typing, args.sessions)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
