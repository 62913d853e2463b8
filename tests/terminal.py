"""Provides Terminal: a command in a 120×40 pane of a private tmux server, driven by keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

TMUX = shutil.which("tmux")
WIDTH, HEIGHT = 120, 40
PATIENCE = 30.0  # seconds to wait for the app; waiting, never a timing assertion
POLL = 0.1
# pytest sets COLUMNS/LINES, which would make the app draw at 80×24 inside the larger pane
DROPPED_ENV = ("COLUMNS", "LINES", "TMUX", "TMUX_PANE")


def shell_reporting_exit(command: Sequence[str]) -> list[str]:
    """`command` run by sh, which prints `EXITED <status>` after it (tmux's own pane_dead_status
    is not reliable: it is sometimes never filled in)."""
    return ["sh", "-c", '"$@"; echo "EXITED $?"', "sh", *command]


def running(pid: int) -> bool:
    """Whether the process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def wait_gone(pid: int) -> None:
    """Wait until the process no longer runs."""
    end = time.monotonic() + PATIENCE
    while running(pid):
        if time.monotonic() > end:
            raise AssertionError(f"process {pid} still runs")
        time.sleep(POLL)


def tutor_command() -> list[str]:
    """The installed `tutor` console script next to this Python, else `python -m tutor`."""
    script = shutil.which("tutor", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "tutor"]


class Terminal:
    """A private tmux server (its own socket name) whose one pane runs `command` directly, so the
    pane's pid is the command's pid; the pane stays after the command ends (remain-on-exit)."""

    def __init__(self, command: Sequence[str]) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"tutor-test-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        self.tmux(
            "-f",
            os.devnull,
            "start-server",
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            "-e",
            "TERM=xterm-256color",
            *command,
            check=True,
        )

    def tmux(self, *args: str, check: bool = False) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=15,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self, *, history: bool = False) -> str:
        """What the pane shows now, as plain text; with `history`, the lines scrolled off too."""
        return self.tmux("capture-pane", "-p", *(["-S", "-"] if history else []))

    def info(self, fmt: str) -> str:
        """A tmux format (e.g. `#{pane_pid}`) for the pane."""
        return self.tmux("display-message", "-p", fmt).strip()

    def wait_until(self, ready: Callable[[str], bool], what: str, *, history: bool = False) -> str:
        """Poll the pane until `ready(screen)`; the screen then, or AssertionError showing it."""
        end = time.monotonic() + PATIENCE
        while True:
            shown = self.screen(history=history)
            if ready(shown):
                return shown
            if time.monotonic() > end:
                raise AssertionError(f"{what} never appeared; the pane shows:\n{shown}")
            time.sleep(POLL)

    def wait_for(self, *texts: str) -> str:
        """Poll the pane until every one of `texts` is on it at once."""
        return self.wait_until(
            lambda shown: all(text in shown for text in texts), " and ".join(map(repr, texts))
        )

    def keys(self, *keys: str) -> None:
        """tmux key names: `Enter`, `Escape`, `n`, `C-u`, …"""
        self.tmux("send-keys", *keys, check=True)

    def type(self, text: str) -> None:
        """Literal text, as if typed."""
        self.tmux("send-keys", "-l", text, check=True)

    def pid(self) -> int:
        return int(self.info("#{pane_pid}"))

    def wait_closed(self) -> None:
        """Wait until the pane's command has ended (its terminal closed)."""
        self._wait_info("#{pane_dead}", lambda dead: dead == "1")

    def _wait_info(self, fmt: str, ready: Callable[[str], bool]) -> str:
        end = time.monotonic() + PATIENCE
        while True:
            value = self.info(fmt)
            if ready(value):
                return value
            if time.monotonic() > end:
                raise AssertionError(f"{fmt} stayed {value!r}; the pane shows:\n{self.screen()}")
            time.sleep(POLL)

    def close(self) -> None:
        """Kill the server and remove its socket (tmux 3.3 leaves it behind)."""
        socket = self.info("#{socket_path}")
        self.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
