"""Provides AppProcess: one browser's app process, as textual-serve's AppService runs it, but
started without a shell (forked from the server's zygote, tutor.serve.zygote, or else spawned),
in a process group of its own, and never left running: killed when it does not quit after its
websocket closed, or leaves its input unread."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from textual_serve.app_service import AppService

from tutor.serve.session import ADDRESS_ENV

if TYPE_CHECKING:
    from tutor.serve.spares import Spares
    from tutor.serve.zygote import Forker

log = logging.getLogger("tutor.serve")

# seconds an app process has to end after its websocket closed, before it is killed
REAP_AFTER = 3.0
# seconds an app process may leave its input unread (a full pipe) before it is killed
STUCK_AFTER = 20.0
# what every app process gets: one thread for numpy's linear algebra (a learner's matrix
# product takes one core, not all of them) and fewer malloc arenas (less memory per session)
SESSION_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "PYTHONUNBUFFERED": "1",
    # textual-serve's web driver, hearing also the browser's address given to a spare
    "TEXTUAL_DRIVER": "tutor.tui.web_driver:ServedWebDriver",
}


def base_environment(debug: bool = False, width: int = 80, height: int = 24) -> dict[str, str]:
    """What textual-serve puts in every app process's environment (the server's own, the web
    driver, the terminal size), as AppService builds it."""
    return AppService._build_environment(SimpleNamespace(debug=debug), width, height)  # type: ignore[arg-type]


class AppProcess(AppService):
    """One app process: started without a shell (forked by `forker`'s zygote when there is one,
    else spawned), in a process group of its own, told the browser's address; killed (the
    group) when it has not ended `reap_after` seconds after its websocket closed; its websocket
    closed when it ends by itself (a crash, a resource limit)."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        reap_after: float,
        *,
        forker: Forker | None = None,
        spares: Spares | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)
        self.extra_env = env
        self.reap_after = reap_after
        self.forker = forker
        self.spares = spares
        self.size: tuple[int, int] | None = None  # the terminal size the app was last given

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self.size = (width, height)
        spare = None if self.spares is None else self.spares.take()
        if spare is not None:
            self._process = process = spare  # type: ignore[assignment]
            self.size = self.spares.size
        else:
            environment = self._build_environment(width=width, height=height)
            environment.update(self.extra_env)
            forked = None if self.forker is None else await self.forker.fork(environment)
            if forked is not None:
                self._process = process = forked  # type: ignore[assignment]
            else:
                self._process = process = await self._spawn(environment)
        # AppService.run reads the app's stderr into memory until it ends: give it nothing
        nothing = asyncio.StreamReader()
        nothing.feed_eof()
        process.stderr = nothing
        assert process.stdin is not None
        self._stdin = process.stdin
        if spare is not None:  # before anything the browser sends: who it is, its size
            await self.send_meta({"type": "client", "address": self.extra_env.get(ADDRESS_ENV, "")})
            await self.set_terminal_size(width, height)
        return process

    async def _spawn(self, environment: dict[str, str]) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None,  # the app's warnings and tracebacks go to the server's log as they come
            env=environment,
            start_new_session=True,
        )

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Tell the app its new size; not the size it has (a browser says its size as soon as
        it connects, and the app would lay out and draw its whole screen again for nothing)."""
        size = terminal_size(width, height)
        if size != self.size:
            self.size = size
            await super().set_terminal_size(*size)

    async def send_bytes(self, data: bytes) -> bool:
        return await self._send(self.encode_packet(b"D", data))

    async def send_meta(self, data: dict[str, str | None | int | bool]) -> bool:
        return await self._send(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

    async def _send(self, packet: bytes) -> bool:
        """Write to the app's stdin; an app that leaves a full pipe unread for STUCK_AFTER
        seconds (stopped, hung) is killed rather than block this websocket for ever."""
        if self._stdin is None or self._stdin.is_closing():
            return False
        try:
            self._stdin.write(packet)
            await asyncio.wait_for(self._stdin.drain(), STUCK_AFTER)
        except TimeoutError:
            log.warning("app process %s reads no input: killed", self.pid)
            self.kill()
            return False
        except (RuntimeError, ConnectionError, OSError):
            return False
        return True

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            if self._process is not None and self._process.returncode not in (None, 0):
                log.info(
                    "app process %s ended with %s", self._process.pid, self._process.returncode
                )
            with contextlib.suppress(Exception):  # the websocket may be gone already
                await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit, wait `reap_after` seconds, then kill its process group."""
        task, self._task = self._task, None
        process = self._process
        if task is None or process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)

        async def quit_and_wait() -> None:
            await self.send_meta({"type": "quit"})
            await process.wait()

        try:
            await asyncio.wait_for(quit_and_wait(), self.reap_after)
        except TimeoutError:
            log.warning("app process %s did not quit: killed", process.pid)
            kill_group(process.pid)
            await process.wait()
        if self._stdin is not None:
            self._stdin.close()
        try:
            await asyncio.wait_for(task, self.reap_after)
        except TimeoutError:
            task.cancel()

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            kill_group(self._process.pid)


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """A browser's terminal size, within what a screen can be (a client may say anything)."""
    width = width if isinstance(width, int) else 80
    height = height if isinstance(height, int) else 24
    return max(20, min(500, width)), max(5, min(300, height))


def kill_group(pid: int) -> None:
    """SIGKILL the process group led by `pid` (a stopped process dies of it too)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
