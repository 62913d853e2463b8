"""Provides a real `tutor serve` on a free loopback port (ServedTutor) and a browser stand-in
(Browser): a websocket client speaking textual-serve's protocol whose screen is a terminal
emulator (pyte). Used by tests/test_serve_*.py and bench/serve.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import pyte

ROOT = Path(__file__).resolve().parent.parent
PATIENCE = 30.0  # seconds to wait for a server or a screen: waiting, never a timing assertion
KEYS = {
    "tab": "\t",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "down": "\x1b[B",
    "ctrl+s": "\x13",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command() -> list[str]:
    """`python -m tutor serve` once the command is registered, else its module run directly."""
    from tutor.cli import COMMANDS

    if "serve" in COMMANDS:
        return [sys.executable, "-m", "tutor", "serve"]
    return [sys.executable, "-m", "tutor.serve.command"]


def issue_codes(data_dir: Path, ids: Sequence[str], database: str | None = None) -> dict[str, str]:
    """Codes for `ids`, issued by the real accounts (the data dir's, or those in `database`, a
    postgresql:// URL) from a roster CSV written here."""
    from tutor.serve.accounts import Accounts
    from tutor.serve.roster import read_roster

    roster = Path(data_dir) / "roster.csv"
    roster.parent.mkdir(parents=True, exist_ok=True)
    roster.write_text("student_id,name\n" + "".join(f"{i},Student {i}\n" for i in ids))
    with Accounts.open(data_dir, database=database) as accounts:
        return dict(accounts.issue_codes(read_roster(roster)))


def children(pid: int) -> list[int]:
    """The pids whose parent is `pid`, running (zombies left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


ZYGOTE_NAME = "tutor-zygote"  # the zygote's /proc/PID/comm (tutor.serve.zygote)
SPARE_NAME = "tutor-spare"  # a spare's, until a browser is given it (tutor.serve.spares)


def comm(pid: int) -> str:
    """The process's name (/proc/PID/comm), "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def app_processes(server: int) -> list[int]:
    """The app processes (one per session) a server runs now: its children but its zygote and
    the spares no browser has been given yet."""
    return [pid for pid in children(server) if comm(pid) not in (ZYGOTE_NAME, SPARE_NAME)]


def spares_of(server: int) -> list[int]:
    """The spares a server keeps now (started, no browser given them yet)."""
    return [pid for pid in children(server) if comm(pid) == SPARE_NAME]


def zygote_of(server: int) -> int | None:
    """The pid of the server's zygote, None when it has none (now)."""
    return next((pid for pid in children(server) if comm(pid) == ZYGOTE_NAME), None)


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pid: int, patience: float = PATIENCE) -> bool:
    end = time.monotonic() + patience
    while running(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


class ServedTutor:
    """`tutor serve` in a subprocess on 127.0.0.1 and a free port; stop() (or leaving the
    `with`) ends it and every app process it started; it ends by itself after `lifetime`."""

    def __init__(
        self,
        data_dir: Path,
        *options: str,
        lifetime: float = 600.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(data_dir)
        self.log = self.data_dir / f"serve-{self.port}.log"
        command = [*serve_command(), "--port", str(self.port), "--data-dir", str(data_dir)]
        # `timeout` ends a server a failed test left behind (the app processes die with it)
        command = ["timeout", "-s", "TERM", "-k", "5", str(int(lifetime)), *command, *options]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, **(env or {})}
        environment.pop("COLUMNS", None)
        environment.pop("LINES", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
            )
        self._wait_until_up()

    @property
    def pid(self) -> int:
        """The server's own pid (the child of `timeout`)."""
        kids = children(self.process.pid)
        return kids[0] if kids else self.process.pid

    def sessions(self) -> list[int]:
        """The pids of the app processes running now (not the zygote they are forked from)."""
        return app_processes(self.pid)

    def zygote(self) -> int | None:
        """The pid of the server's zygote (None: it has none now)."""
        return zygote_of(self.pid)

    def _wait_until_up(self) -> None:
        end = time.monotonic() + PATIENCE
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"tutor serve ended: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"tutor serve did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            server, sessions = self.pid, self.sessions()
            with contextlib.suppress(ProcessLookupError):
                os.kill(server, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                with contextlib.suppress(ProcessLookupError):
                    os.kill(server, signal.SIGKILL)
                self.process.wait(10)
            for pid in sessions:
                if not wait_gone(pid, 5):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> ServedTutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Browser:
    """One browser tab: a websocket to /ws, keys sent as textual.js sends them, the app's
    output drawn on a pyte screen. Use `async with Browser.open(url)`."""

    def __init__(self, width: int = 100, height: int = 30) -> None:
        self.width, self.height = width, height
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()
        self.frames = 0
        self.received_at = 0.0
        self.texts: list[str] = []
        self.drawing = True  # False: frames are received and counted, the screen not drawn
        self.undrawn: bytearray | None = None  # not drawing: the frames kept (see keep())
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, url: str, width: int = 100, height: int = 30):
        browser = cls(width, height)
        await browser.connect(url)
        try:
            yield browser
        finally:
            await browser.close()

    async def connect(self, url: str) -> None:
        self._http = aiohttp.ClientSession()
        ws_url = url.replace("http", "ws", 1) + f"/ws?width={self.width}&height={self.height}"
        # a proxy under test has a self-signed certificate
        verify = not ws_url.startswith("wss:")
        self._socket = await self._http.ws_connect(ws_url, max_msg_size=0, ssl=verify)
        await self.send("resize", {"width": self.width, "height": self.height})
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._socket is not None
        try:
            async for message in self._socket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    if self.drawing:
                        self.stream.feed(message.data)
                    elif self.undrawn is not None:
                        self.undrawn += message.data
                    self.frames += 1
                    self.received_at = time.perf_counter()
                    self.changed.set()
                elif message.type == aiohttp.WSMsgType.TEXT:
                    self.texts.append(message.data)
        finally:
            self.closed.set()
            self.changed.set()

    async def send(self, kind: str, *payload: object) -> None:
        assert self._socket is not None
        await self._socket.send_str(json.dumps([kind, *payload]))

    async def type(self, text: str) -> None:
        """Each character its own frame, as xterm.js sends keystrokes."""
        for char in text:
            await self.send("stdin", char)

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.send("stdin", KEYS.get(key, key))

    def keep(self) -> None:
        """From now on keep the frames undrawn (cheap to receive), until draw()."""
        self.drawing, self.undrawn = False, bytearray()

    def draw(self) -> None:
        """Draw the frames kept since keep(), and every frame from now on."""
        if self.undrawn is not None:
            self.stream.feed(bytes(self.undrawn))
        self.drawing, self.undrawn = True, None

    async def wait_for_bytes(self, marker: bytes, patience: float = PATIENCE) -> None:
        """Until the frames kept since keep() contain `marker` (text the app drew)."""
        assert self.undrawn is not None, "keep() first"
        end = time.monotonic() + patience
        while marker not in self.undrawn:
            left = end - time.monotonic()
            if left <= 0 or self.closed.is_set():
                raise AssertionError(f"{marker!r} not received")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def shows(self, words: str) -> bool:
        return words in self.text()

    async def wait_for(self, words: str, patience: float = PATIENCE) -> str:
        """The screen once it shows `words`; AssertionError with the screen after `patience`."""
        end = time.monotonic() + patience
        while not self.shows(words):
            left = end - time.monotonic()
            if left <= 0 or (self.closed.is_set() and not self.shows(words)):
                why = "the websocket closed" if self.closed.is_set() else f"{patience} s passed"
                raise AssertionError(f"{words!r} not on screen ({why}):\n{self.text()}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
        return self.text()

    async def log_in(self, student_id: str, code: str) -> None:
        await self.wait_for("Student ID")
        await self.type(student_id)
        await self.press("tab")
        await self.type(code)
        await self.press("enter")

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 5)
        if self._http is not None:
            await self._http.close()
