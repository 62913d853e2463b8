"""Provides Spares: sessions forked and started before their browsers come, each already showing
its login screen, so that a class arriving at once is not kept waiting while its sessions start.

A session's start (Textual composing, styling and drawing its first screen) is ~0.12 s of CPU;
30 browsers opening in the same second on 2 cores wait ~2 s for the last of them. A spare given
to a browser only has to be told the browser's address (a `client` message ahead of its first
key, heard by tutor.tui.web_driver) and, when it differs, its size: ~0.01 s.

A spare is a forked session like any other (`tutor-spare` in `ps` until it is given a browser,
then `tutor-session`), started for SIZE with no browser's address. Spares used are replaced
one at a time once no new browser has come for QUIET seconds, so that replacing them never
competes with a class arriving. Without a zygote there are no spares: sessions are spawned.

A spare waiting costs what a session at its login screen costs (~17 MB): with `absent` (how many
of the class's students are not signed in, tutor.serve.absent) there are no more spares than
students who may still come, and RECONNECTS more (a reload, a second tab); those beyond are
retired. With 200 of 200 students in, 20 spares would add 1.7 MB to each session's share."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.serve.zygote import ForkedProcess, Forker

SPARES = 20  # `tutor serve --spares`: two thirds of a class arriving in the same second
SIZE = (80, 24)  # the terminal size spares start with
QUIET = 1.0  # seconds without a new browser before spares used are replaced
BETWEEN = 0.2  # seconds between two spares started (each draws its first screen meanwhile)
RETRY = 5.0  # seconds before trying again when a spare could not be forked
RECONNECTS = 2  # spares kept beyond the students absent: a reload, a second tab
COUNT_EVERY = 2.0  # seconds between two counts of the students absent


class Spares:
    """Up to `count` spare sessions forked by `forker`, each for the terminal size `size` with
    the environment `environment(size)`; with `absent`, no more than the students it counts
    (None: it cannot tell) and RECONNECTS."""

    def __init__(
        self,
        forker: Forker,
        count: int,
        environment,
        size: tuple[int, int] = SIZE,
        absent: Callable[[], int | None] | None = None,
    ):
        self.forker = forker
        self.count = count
        self.environment = environment
        self.size = size
        self.absent = absent
        self.wanted = count  # spares worth keeping now
        self.ready: list[ForkedProcess] = []
        self.wanted_at = 0.0  # when a browser last came: spares are replaced once it is QUIET
        self._changed = asyncio.Event()
        self._keeper: asyncio.Task | None = None
        self._counter: asyncio.Task | None = None

    def start(self) -> None:
        if self.count > 0 and self._keeper is None:
            loop = asyncio.get_running_loop()
            self._keeper = loop.create_task(self._keep())
            if self.absent is not None:
                self._counter = loop.create_task(self._count())

    def take(self) -> ForkedProcess | None:
        """A spare for a browser that has just come, started for `size` (None: none is
        ready)."""
        self.wanted_at = time.monotonic()
        self._changed.set()
        while self.ready:
            spare = self.ready.pop(0)
            if spare.returncode is None:
                return spare
        return None

    async def _count(self) -> None:
        assert self.absent is not None
        while True:
            absent = await asyncio.to_thread(self.absent)
            wanted = self.count if absent is None else min(self.count, absent + RECONNECTS)
            if wanted != self.wanted:
                self.wanted = wanted
                self._changed.set()
            await asyncio.sleep(COUNT_EVERY)

    async def _keep(self) -> None:
        while True:
            while len(self.ready) > self.wanted:
                self.ready.pop().kill()  # no student left to give it to
            if len(self.ready) >= self.wanted:
                self._changed.clear()
                await self._changed.wait()
                continue
            quiet = QUIET - (time.monotonic() - self.wanted_at)
            if quiet > 0:
                await asyncio.sleep(quiet)
                continue
            spare = await self.forker.fork(self.environment(self.size))
            if spare is None:  # no zygote now: spawned sessions have no spares
                await asyncio.sleep(RETRY)
                continue
            self.ready.append(spare)
            asyncio.get_running_loop().create_task(self._forget_when_gone(spare))
            await asyncio.sleep(BETWEEN)

    async def _forget_when_gone(self, spare: ForkedProcess) -> None:
        """A spare that ends before a browser takes it (killed, out of memory) is replaced."""
        await spare.wait()
        if spare in self.ready:
            self.ready.remove(spare)
            self._changed.set()

    def close(self) -> None:
        for task in (self._keeper, self._counter):
            if task is not None:
                task.cancel()
        for spare in self.ready:
            spare.kill()
        self.ready.clear()
