"""Benchmarks `tutor serve` for a class: N browser sessions open, every one signed in and inside
a lesson, at a question graded with sympy; the memory each costs; the time a class arriving at
once waits for its first screen; the keystroke-to-screen latency while some of them type; the
CPU all this takes. Side by side with a bare Textual app (a header, an input box, a footer)
served the same way (TutorServer: one process per websocket, forked from a zygote).

Run: python bench/serve.py [--sessions 50] [--typing 10] [--keys 40] [--burst 30] [--rate 3]
                           [--spawn]
The class of issue 14: python bench/serve.py --sessions 200 --typing 20
Targets: ≤ 40 MB PSS per session with 200 sessions open, every one in a lesson; the 30 sessions
opened in the same second all on their first screen within 2 s; keystroke to screen median
≤ 50 ms and p95 ≤ 150 ms with 20 of 200 sessions typing 3 keys a second.

What is measured:
- the burst: once the server has its spares ready (tutor.serve.spares: sessions started ahead
  of their browsers, as `tutor serve` keeps them), the first BURST sessions open their
  websockets at the same moment; each one's time from opening to its first screen (the login;
  the bare app's input) drawn for its own size (a frame reaching the browser's last line),
  the slowest one counts;
- then the rest open, BURST at a time; each tutor session signs in, opens the lesson "Why the
  gradient is 2x" (the 4th) and answers its question (an expression, graded with sympy) wrong,
  so that the answer box stays open, the cursor blinking, as a learner thinking it over;
- memory: PSS from /proc/PID/smaps_rollup of every app process plus the zygote's and the
  spares' waiting for the next browsers (as `tutor serve` keeps them: for the tutor, no more
  than its students not signed in, and 2; the bare app, with no class, keeps 20) (the pages
  shared between them counted once in all),
  divided by the sessions; USS is what each session
  has to itself; the server's own PSS apart;
- typing: TYPING sessions type letters into the answer box (the bare app's input) and delete
  them again, RATE keys a second each, the others idle; a keystroke's latency runs from sending
  it (as xterm.js does, one websocket frame) to the moment the screen, drawn by a terminal
  emulator from the frames that came back, shows the box with that key's effect; then each of
  them answers right, and the verdict on its screen must say so (grading under load);
- CPU: the seconds of CPU the server, its zygote and every app process used (/proc/PID/stat),
  per session opened and while typing (in cores).

--spawn adds the tutor with every session spawned as a new process (no zygote), as before.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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

PSS_TARGET_MB = 40
FIRST_SCREEN_TARGET_S = 2.0
MEDIAN_TARGET_MS = 50
P95_TARGET_MS = 150
SETTLE = 6.0  # seconds for warm-ups to finish before memory is read
OPENING_AT_ONCE = 10  # sessions signing in and opening the lesson together, after the burst
BARE_READY = "bare app ready"
BARE_PLACEHOLDER = "Type here"
TUTOR_FIRST = "Student ID"
TUTOR_HOME = "PyTorch autograd, by hand"
TUTOR_PLACEHOLDER = "Type your answer and press Enter"
LESSON = "Why the gradient is"  # the 4th lesson (the rest of its title is veiled: "2x")
LESSON_DOWN = 3
RIGHT, WRONG = "1", "2"  # ∂x1ᵢ/∂xᵢ for x1 = x + 2
WORD = "abcdefgh"
CLK_TCK = os.sysconf("SC_CLK_TCK")
ZYGOTE_NAME = "tutor-zygote"


# -- the bare app, served through a zygote of its own as `python -m serve --bare-app` ----------


def zygote_preload(args: list[str]) -> None:
    """What a zygote imports before forking bare app processes (tutor.serve.zygote)."""
    import textual.app
    import textual.drivers.web_driver
    import textual.widgets  # noqa: F401
    from textual.widgets import Footer, Header, Input, Static  # noqa: F401


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

        def client_arrived(self, address: str) -> None:
            """A spare given a browser is a session (tutor.tui.web_driver), as the tutor's is."""
            Path("/proc/self/comm").write_bytes(b"tutor-session")

    Bare().run()


def serve(port: int, zygote: bool, argv: list[str]) -> None:
    """TutorServer on `port` serving `argv`, with or without a zygote (--serve …); for the
    tutor, spares for the students not signed in, as `tutor serve` keeps them."""
    from tutor.serve.absent import Absent
    from tutor.serve.server import Limits, TutorServer

    limits = Limits(max_sessions=10_000, burst=10_000, rate=1000)
    data_dir = argv[argv.index("--data-dir") + 1] if "--data-dir" in argv else None
    absent = Absent(Path(data_dir)) if data_dir else None
    TutorServer(argv, port=port, limits=limits, title="bench", zygote=zygote, absent=absent).serve()


class BenchServer:
    """A TutorServer serving `argv` (in a process of its own), as ServedTutor has `tutor serve`."""

    def __init__(self, data_dir: Path, argv: list[str], zygote: bool, name: str) -> None:
        from serve_client import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.zygote = zygote
        self.log = data_dir / f"{name}.log"
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(self.port)]
        command += ["zygote" if zygote else "spawn", "--", *argv]
        environment = {**os.environ, "PYTHONPATH": str(HERE)}
        environment.pop("COLUMNS", None)
        environment.pop("LINES", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
                cwd=ROOT,
            )
        from serve_client import ServedTutor

        ServedTutor._wait_until_up(self)  # type: ignore[arg-type]

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- the browsers ------------------------------------------------------------------------------


def browser(width: int = 120, height: int = 36):
    """A browser stand-in (tests/serve_client.Browser) whose screen text is rendered again only
    on the lines that changed: the terminal emulator is this process's, on the machine under
    measure, and the whole screen rendered for every frame of 20 typists would be most of
    its CPU."""
    from serve_client import Browser
    from wcwidth import wcwidth

    class BenchBrowser(Browser):
        def text(self) -> str:
            screen = self.screen
            lines = self.__dict__.setdefault("_lines", [""] * screen.lines)
            for y in screen.dirty:
                if y < screen.lines:
                    lines[y] = _line_text(screen.buffer[y], screen.columns, wcwidth)
            screen.dirty.clear()
            return "\n".join(lines)

    return BenchBrowser(width=width, height=height)


def _line_text(line, columns: int, wcwidth) -> str:
    """One line of a pyte screen as pyte.Screen.display has it (a wide character's stub out)."""
    chars, wide = [], False
    for x in range(columns):
        if wide:
            wide = False
            continue
        char = line[x].data
        wide = wcwidth(char[0]) == 2
        chars.append(char)
    return "".join(chars)


# -- reading processes ---------------------------------------------------------------------


def rollup(pid: int) -> dict[str, int]:
    """/proc/PID/smaps_rollup in kB ({} once the process is gone)."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, value = line.partition(":")
            found[key] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def processes(server: int) -> tuple[list[int], int | None, list[int]]:
    """The server's app processes (given a browser), its zygote (None: it has none) and its
    spares (started, waiting for a browser)."""
    from serve_client import SPARE_NAME, children, comm

    kids = children(server)
    names = {pid: comm(pid) for pid in kids}
    zygote = next((pid for pid in kids if names[pid] == ZYGOTE_NAME), None)
    spares = [pid for pid in kids if names[pid] == SPARE_NAME]
    return [pid for pid in kids if pid != zygote and pid not in spares], zygote, spares


def tree_cpu(server: int) -> float:
    apps, zygote, spares = processes(server)
    pids = [server, *apps, *spares, *([zygote] if zygote else [])]
    return sum(cpu_seconds(pid) for pid in pids)


async def spares_ready(server: int, patience: float = 120.0) -> None:
    from tutor.serve.spares import SPARES

    end = time.monotonic() + patience
    while len(processes(server)[2]) < SPARES and time.monotonic() < end:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# -- one served app under measure -------------------------------------------------------------


class Side:
    """One served app under measure: its sessions, their memory, their keys' latencies."""

    tutor = True

    def __init__(self, name: str, server) -> None:
        self.name, self.server = name, server
        self.browsers: list = []
        self.first_screen: list[float] = []
        self.to_lesson: list[float] = []
        self.latencies: list[float] = []
        self.arrivals: list[float] = []
        self.graded: list[bool] = []
        self.typing = 0  # the first sessions opened type later; the others stay idle

    first, placeholder = TUTOR_FIRST, TUTOR_PLACEHOLDER

    async def arrive(self, timed: bool):
        """A page opened: its websocket, until its first screen (timed: how long that took)."""
        page = browser()
        page.keep()  # the screen drawn later: a browser of the class's costs this machine nothing
        started = time.perf_counter()
        await page.connect(self.server.url)
        await page.wait_for_bytes(self.first.encode(), 120)
        # a spare shows first the screen it drew for the size it was started with: what counts
        # is a screen drawn for this browser's size, one that reaches its last line
        await page.wait_for_bytes(b"\x1b[%d;1H" % page.height, 120)
        if timed:
            self.first_screen.append(time.perf_counter() - started)
        return page, started

    async def settle_in(self, arrived, student: str | None, code: str | None) -> None:
        """An arrived page (or a new one) into the lesson."""
        browser, started = arrived or await self.arrive(False)
        browser.draw()
        await self.enter(browser, student, code)
        self.to_lesson.append(time.perf_counter() - started)
        self.browsers.append(browser)
        if len(self.browsers) > self.typing:
            browser.drawing = False  # an idle session: its frames are read, not drawn

    async def enter(self, browser, student: str | None, code: str | None) -> None:
        """Sign in, open the lesson, answer its question wrong (sympy grades it)."""
        assert student is not None and code is not None
        await browser.log_in(student, code)
        await browser.wait_for(TUTOR_HOME, 120)
        await asyncio.sleep(0.3)
        await browser.press(*["down"] * LESSON_DOWN, "enter")
        await browser.wait_for(LESSON, 120)
        await browser.wait_for(TUTOR_PLACEHOLDER, 120)
        await browser.type(WRONG)
        await browser.press("enter")
        await browser.wait_for("✘", 120)

    async def open(self, count: int, burst: int, codes: dict[str, str] | None) -> None:
        """The class arriving (`burst` pages opened at the same moment, each timed to its first
        screen), then everyone into the lesson, OPENING_AT_ONCE at a time."""
        people = list(codes.items())[:count] if codes else [(None, None)] * count
        arrived = await asyncio.gather(*(self.arrive(True) for _ in range(burst)))
        pages = list(arrived) + [None] * (count - burst)
        for start in range(0, count, OPENING_AT_ONCE):
            batch = range(start, min(count, start + OPENING_AT_ONCE))
            await asyncio.gather(*(self.settle_in(pages[n], *people[n]) for n in batch))

    def memory(self) -> dict[str, float]:
        apps, zygote, spares = processes(self.server.pid)
        rolls = [rollup(pid) for pid in apps]
        zygote_roll = rollup(zygote) if zygote else {}
        spare_pss = sum(rollup(pid).get("Pss", 0) for pid in spares)
        server_roll = rollup(self.server.pid)
        count = max(1, len(apps))
        # the zygote and the spares waiting for the next browsers are the sessions' cost too
        pss = sum(r.get("Pss", 0) for r in rolls) + zygote_roll.get("Pss", 0) + spare_pss
        uss = [r.get("Private_Clean", 0) + r.get("Private_Dirty", 0) for r in rolls]
        return {
            "pss": pss / count / 1024,
            "uss": statistics.mean(uss) / 1024 if uss else 0.0,
            "zygote": zygote_roll.get("Pss", 0) / 1024,
            "spares": spare_pss / 1024,
            "spare count": len(spares),
            "server": server_roll.get("Pss", 0) / 1024,
            "sessions": len(apps),
        }

    async def type_into_box(self, browser, keys: int, rate: float, phase: float) -> None:
        await browser.wait_for(self.placeholder if not self.tutor else LESSON, 60)
        if self.tutor:  # the wrong answer is still in the box: emptied first
            await browser.press("backspace")
            await browser.wait_for(self.placeholder, 60)
        # learners type each at their own moments: the typists' keys are spread over the
        # interval between two keys, not sent all at once
        await asyncio.sleep(0.5 + phase / rate)
        value = ""
        next_key = time.perf_counter()
        for n in range(keys):
            adding = (n // len(WORD)) % 2 == 0
            key = WORD[len(value)] if adding else "backspace"
            value = value + key if adding else value[:-1]
            shown = self.placeholder if not value else f"▊  {value} "
            started = time.perf_counter()
            await browser.press(key)
            await browser.wait_for(shown, 30)
            self.latencies.append(time.perf_counter() - started)
            self.arrivals.append(browser.received_at - started)  # the frame that showed it
            next_key += 1.0 / rate
            await asyncio.sleep(max(0.0, next_key - time.perf_counter()))
        if self.tutor:
            await browser.press(*["backspace"] * len(value))
            await browser.wait_for(self.placeholder, 30)
            await browser.type(RIGHT)
            await browser.press("enter")
            try:
                await browser.wait_for("✔", 60)
                self.graded.append(True)
            except AssertionError:
                self.graded.append(False)

    async def type(self, typing: int, keys: int, rate: float) -> None:
        typists = self.browsers[:typing]
        await asyncio.gather(
            *(self.type_into_box(b, keys, rate, n / len(typists)) for n, b in enumerate(typists))
        )

    async def close(self) -> None:
        await asyncio.gather(*(b.close() for b in self.browsers))


class BareSide(Side):
    tutor = False
    first, placeholder = BARE_READY, BARE_PLACEHOLDER

    async def enter(self, browser, student: str | None, code: str | None) -> None:
        await browser.wait_for(BARE_PLACEHOLDER, 60)


async def measure(side: Side, args: argparse.Namespace, codes) -> dict:
    side.typing = args.typing
    try:
        if getattr(side.server, "zygote", False):  # a class comes once the spares are ready
            await spares_ready(side.server.pid)
        cpu_before = tree_cpu(side.server.pid)
        started = time.perf_counter()
        await side.open(args.sessions, min(args.burst, args.sessions), codes)
        opened = time.perf_counter() - started
        cpu_open = tree_cpu(side.server.pid) - cpu_before
        gc.collect()
        gc.freeze()  # this process's screens: not scanned again while it times keys
        await asyncio.sleep(SETTLE)
        idle = side.memory()
        cpu_before, wall_before = tree_cpu(side.server.pid), time.perf_counter()
        client_before, server_before = time.process_time(), cpu_seconds(side.server.pid)
        await side.type(args.typing, args.keys, args.rate)
        wall = time.perf_counter() - wall_before
        cpu_typing = (tree_cpu(side.server.pid) - cpu_before) / wall
        server_typing = (cpu_seconds(side.server.pid) - server_before) / wall
        client_typing = (time.process_time() - client_before) / wall
        await asyncio.sleep(1.0)
        typed = side.memory()
    finally:
        await side.close()
    ms = [s * 1000 for s in side.latencies] or [0.0]
    arrived = [s * 1000 for s in side.arrivals] or [0.0]
    return {
        "sessions": idle["sessions"],
        f"first {min(args.burst, args.sessions)} at once: slowest first screen (s)": max(
            side.first_screen
        ),
        f"first {min(args.burst, args.sessions)} at once: median first screen (s)": (
            statistics.median(side.first_screen)
        ),
        "open all, to the lesson (s)": opened,
        "open one, to the lesson, median (s)": statistics.median(side.to_lesson),
        "CPU per session opened (s)": cpu_open / max(1, idle["sessions"]),
        "PSS per session, in the lesson (MB)": idle["pss"],
        "PSS per session, after typing (MB)": typed["pss"],
        "USS per session (MB)": typed["uss"],
        "zygote PSS (MB)": typed["zygote"],
        "spares waiting": typed["spare count"],
        "spares' PSS, all (MB)": typed["spares"],
        "server PSS (MB)": typed["server"],
        "keys measured": len(side.latencies),
        "key to screen median (ms)": statistics.median(ms),
        "key to screen p95 (ms)": percentile(ms, 0.95),
        "key to screen p99 (ms)": percentile(ms, 0.99),
        "key to screen max (ms)": max(ms),
        "key to its frame's arrival, median (ms)": statistics.median(arrived),
        "key to its frame's arrival, p95 (ms)": percentile(arrived, 0.95),
        "CPU while typing (cores)": cpu_typing,
        "of which the server's (cores)": server_typing,
        "the bench's own CPU while typing (cores)": client_typing,
        "answers graded right": sum(side.graded),
    }


def report(columns: dict[str, dict | str], args: argparse.Namespace) -> None:
    """The columns side by side (a side that failed: why), the ratio tutor/bare, the targets."""
    for name, column in columns.items():
        if isinstance(column, str):
            print(f"{name}: failed: {column}")
    measured = {name: c for name, c in columns.items() if isinstance(c, dict)}
    if not measured:
        return
    names = list(measured)
    tutor, bare = measured.get("tutor"), measured.get("bare")
    header = "".join(f"{name:>16}" for name in names)
    print(f"{'':52}{header}{'tutor/bare' if tutor and bare else '':>12}")
    for key in next(iter(measured.values())):
        cells = ""
        for name in names:
            value = measured[name][key]
            cells += f"{value:16.0f}" if isinstance(value, int) else f"{value:16.2f}"
        ratio = ""
        if tutor and bare and bare[key] and key != "sessions":
            ratio = f"{tutor[key] / bare[key]:12.2f}"
        print(f"{key:52}{cells}{ratio}")
    print()
    if tutor:
        burst = min(args.burst, args.sessions)
        slowest = tutor[f"first {burst} at once: slowest first screen (s)"]
        print(
            f"targets: PSS per session ≤ {PSS_TARGET_MB} MB ({args.sessions} open): "
            f"{max(tutor['PSS per session, in the lesson (MB)'], tutor['PSS per session, after typing (MB)']):.1f} MB; "
            f"{burst} at once, slowest first screen ≤ {FIRST_SCREEN_TARGET_S:.0f} s: {slowest:.2f} s; "
            f"median ≤ {MEDIAN_TARGET_MS} ms: {tutor['key to screen median (ms)']:.0f} ms; "
            f"p95 ≤ {P95_TARGET_MS} ms: {tutor['key to screen p95 (ms)']:.0f} ms; "
            f"graded right: {tutor['answers graded right']} of {min(args.typing, args.sessions)}"
        )  # fmt: skip
    print(f"(machine: {os.cpu_count()} CPUs visible, {len(os.sched_getaffinity(0))} usable)")


async def one_side(columns: dict, name: str, start, side_class, args, codes) -> None:
    """Serve (start() is the server), measure, stop; a failure is the column's text."""
    print(f"{name}: {args.sessions} sessions, {args.typing} typing …", file=sys.stderr)
    server = start()
    try:
        columns[name] = await measure(side_class(name, server), args, codes)
    except Exception as error:  # one side failing leaves the others' figures
        print(f"{name}: {error}", file=sys.stderr)  # with the screen it stopped at
        columns[name] = (
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        )
    finally:
        server.stop()
    print(f"{name}: {columns[name]}", file=sys.stderr)


async def main_async(args: argparse.Namespace) -> None:
    from serve_client import ServedTutor, issue_codes

    data_dir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    students = [f"s{n:04d}" for n in range(args.sessions)]
    print(f"issuing {len(students)} codes …", file=sys.stderr)
    codes = issue_codes(data_dir, students)
    columns: dict[str, dict | str] = {}
    limits = ("--max-sessions", "10000", "--burst", "10000", "--rate", "1000")

    def tutor():
        return ServedTutor(data_dir, *limits, lifetime=3600)

    def bare():
        return BenchServer(data_dir, [sys.executable, "-m", "serve", "--bare-app"], True, "bare")

    await one_side(columns, "tutor", tutor, Side, args, codes)
    await one_side(columns, "bare", bare, BareSide, args, None)
    if args.spawn:
        from tutor.serve.command import add_arguments, session_argv

        parser = argparse.ArgumentParser()
        add_arguments(parser)
        spawn_dir = data_dir / "spawned"
        spawn_codes = issue_codes(spawn_dir, students)
        argv = session_argv(parser.parse_args([]), spawn_dir)

        def spawned():
            return BenchServer(spawn_dir, argv, False, "spawned")

        await one_side(columns, "spawned", spawned, Side, args, spawn_codes)
    report(columns, args)


def main() -> None:
    if sys.argv[1:2] == ["--bare-app"]:
        return bare_app()
    if sys.argv[1:2] == ["--serve"]:
        return serve(int(sys.argv[2]), sys.argv[3] == "zygote", sys.argv[5:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="sessions open (50)")
    parser.add_argument("--typing", type=int, default=10, help="of them typing (10)")
    parser.add_argument("--keys", type=int, default=40, help="keys each typing session types")
    parser.add_argument("--burst", type=int, default=30, help="sessions opened at once (30)")
    parser.add_argument("--rate", type=float, default=3.0, help="keys a second, each typist (3)")
    parser.add_argument(
        "--spawn", action="store_true", help="also the tutor with sessions spawned, no zygote"
    )
    args = parser.parse_args()
    args.typing = min(args.typing, args.sessions)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
