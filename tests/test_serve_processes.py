"""`tutor serve`'s app processes: one per websocket, no shell, under resource limits; each ends
when its websocket closes (killed if it does not quit), when it crashes the websocket closes,
all die with the server; a session cap and a per-address rate refuse politely."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest
from serve_client import Browser, ServedTutor, issue_codes, running, wait_gone

from tutor.serve.presence import Presence
from tutor.serve.session import ADDRESS_SPACE, CPU_SECONDS, OPEN_FILES

PATIENCE = 15.0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("processes")
    codes = issue_codes(data_dir, ["s1"])
    with ServedTutor(data_dir, "--max-sessions", "2", "--reap-after", "1") as server:
        server.codes = codes
        yield server


async def settled(server: ServedTutor) -> None:
    """Wait until the server has no app process left from an earlier test."""
    end = time.monotonic() + PATIENCE
    while server.sessions() and time.monotonic() < end:
        await asyncio.sleep(0.1)
    assert not server.sessions(), "app processes of an earlier test still run"


async def new_session(server: ServedTutor, before: set[int]) -> int:
    end = time.monotonic() + PATIENCE
    while time.monotonic() < end:
        fresh = set(server.sessions()) - before
        if fresh:
            return fresh.pop()
        await asyncio.sleep(0.05)
    raise AssertionError("no app process started")


async def test_each_websocket_has_its_own_app_process_without_a_shell(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        pid = await new_session(served, set())
        # forked from the zygote, whose command names the session's (tutor.serve.zygote)
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"tutor.serve.session" in command
        assert not any(part.endswith(b"sh") for part in command[:1])
        environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"OPENBLAS_NUM_THREADS=1" in environment
        # the browser's address, as the session read it from its own environment (a forked
        # session's /proc/PID/environ is the zygote's, from before the fork)
        await browser.log_in("s1", served.codes["s1"])
        await browser.wait_for("PyTorch autograd, by hand")
        assert await asyncio.to_thread(seen_from, served.data_dir, "s1") == "127.0.0.1"


def seen_from(data_dir: Path, student_id: str) -> str | None:
    """The address the student's session reports in its presence row, once it has one."""
    end = time.monotonic() + PATIENCE
    while time.monotonic() < end:
        with Presence.open(data_dir) as presence:
            rows = [r for r in presence.connected(time.time()) if r.account_id == student_id]
        if rows:
            return rows[0].address
        time.sleep(0.1)
    return None


async def test_each_app_process_runs_under_resource_limits(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        pid = await new_session(served, set())
        limits = {
            line[:26].strip(): line[26:].split()
            for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]
        }
        assert limits["Max address space"][0] == str(ADDRESS_SPACE)
        assert limits["Max cpu time"][0] == str(CPU_SECONDS)
        assert limits["Max open files"][0] == str(OPEN_FILES)
        assert limits["Max core file size"][0] == "0"


async def test_closing_the_websocket_ends_the_app_process(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        pid = await new_session(served, set())
    assert await asyncio.to_thread(wait_gone, pid, PATIENCE)


async def test_an_app_process_that_does_not_quit_is_killed(served):
    """A stopped process cannot read the quit message: it is killed a second (--reap-after)
    after its websocket closed."""
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        pid = await new_session(served, set())
        os.kill(pid, signal.SIGSTOP)
    try:
        assert await asyncio.to_thread(wait_gone, pid, PATIENCE)
    finally:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
    assert "did not quit: killed" in served.log.read_text()


async def test_an_app_process_that_dies_closes_its_websocket_and_progress_stays(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.log_in("s1", served.codes["s1"])
        await browser.wait_for("PyTorch autograd, by hand")
        pid = await new_session(served, set())
        os.kill(pid, signal.SIGKILL)
        await asyncio.wait_for(browser.closed.wait(), PATIENCE)
    async with Browser.open(served.url) as browser:
        await browser.log_in("s1", served.codes["s1"])
        await browser.wait_for("PyTorch autograd, by hand")


async def test_the_session_cap_refuses_one_more_politely(served):
    await settled(served)
    async with Browser.open(served.url) as first, Browser.open(served.url) as second:
        await first.wait_for("Student ID")
        await second.wait_for("Student ID")
        before = set(served.sessions())
        async with Browser.open(served.url) as third:
            await third.wait_for("The tutor is full (2 sessions open)")
            assert "접속한 사람이 너무 많습니다" in third.text()
            await asyncio.sleep(0.3)
            assert set(served.sessions()) == before  # no process was started for it
    await settled(served)
    async with Browser.open(served.url) as again:
        await again.wait_for("Student ID")


async def test_one_address_opening_sessions_too_fast_is_asked_to_wait(tmp_path):
    with ServedTutor(tmp_path, "--burst", "3", "--rate", "0.01") as server:
        for _ in range(3):
            async with Browser.open(server.url) as browser:
                await browser.wait_for("Student ID")
        async with Browser.open(server.url) as browser:
            await browser.wait_for("Too many new sessions from your address")
            assert not browser.shows("Student ID")


async def test_app_processes_die_with_the_server(tmp_path):
    server = ServedTutor(tmp_path)
    try:
        async with Browser.open(server.url) as browser:
            await browser.wait_for("Student ID")
            pid = await new_session(server, set())
            os.kill(server.pid, signal.SIGKILL)
            assert await asyncio.to_thread(wait_gone, pid, PATIENCE)
    finally:
        server.stop()
