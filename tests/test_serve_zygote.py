"""`tutor serve`'s zygote (tutor.serve.zygote): every session is forked from one process that
imported everything once, and is still a process of its own — its own pid, session and process
group, adopted by the server, under the resource limits, reaped when its websocket closes, dead
with the server; a zygote that dies is replaced and the sessions it forked go on; two learners'
sessions share nothing of each other (their stores, their random numbers).

Run as `python -m test_serve_zygote --probe` (forked by a zygote) this module is the probe that
says, on its standard output, what a forked process is."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_client import Browser, ServedTutor, comm, issue_codes, spares_of, wait_gone
from test_serve_processes import seen_from

from tutor.serve.accounts import DB_NAME
from tutor.serve.app_process import SESSION_ENV, base_environment
from tutor.serve.session import (
    ADDRESS_SPACE,
    CPU_SECONDS,
    OPEN_FILES,
    SERVER_PID_ENV,
    SESSION_NAME,
    SPARE_NAME,
)
from tutor.serve.spares import COUNT_EVERY, QUIET, RECONNECTS
from tutor.serve.zygote import ZYGOTE_NAME, Forker, unsupported

PATIENCE = 30.0
HERE = Path(__file__).resolve().parent
PR_SET_CHILD_SUBREAPER = 36


@pytest.fixture(autouse=True)
def zygotes_here():
    why = unsupported()
    if why is not None:
        if os.environ.get("TUTOR_REQUIRE_SERVER") == "1":
            pytest.fail(f"TUTOR_REQUIRE_SERVER=1 but no zygote here: {why}", pytrace=False)
        pytest.skip(f"no zygote here: {why}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("zygote")
    codes = issue_codes(data_dir, ["s1", "s2"])
    with ServedTutor(data_dir, "--reap-after", "1") as server:
        server.codes = codes
        yield server


async def until(what, why: str, patience: float = PATIENCE):
    """What `what()` returns once it is true; AssertionError with `why` after `patience`."""
    end = time.monotonic() + patience
    while time.monotonic() < end:
        found = await asyncio.to_thread(what)
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{why} (waited {patience:.0f} s)")


async def settled(server: ServedTutor) -> None:
    await until(lambda: not server.sessions(), "app processes of an earlier test still run")


async def new_sessions(server: ServedTutor, count: int) -> list[int]:
    return sorted(await until(lambda: len(server.sessions()) >= count and server.sessions(),
                              f"{count} app processes"))  # fmt: skip


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def gone_entirely(pid: int) -> bool:
    """Ended and reaped: no /proc entry left, not even a zombie's."""
    return not Path(f"/proc/{pid}").exists()


def open_files(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found.add(os.readlink(fd))
    return found


def limits(pid: int) -> dict[str, list[str]]:
    return {
        line[:26].strip(): line[26:].split()
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]
    }


async def test_sessions_are_forked_each_in_a_session_and_process_group_of_its_own(served):
    await settled(served)
    async with Browser.open(served.url) as one, Browser.open(served.url) as two:
        await one.wait_for("Student ID")
        await two.wait_for("Student ID")
        first, second = await new_sessions(served, 2)
        zygote = served.zygote()
        assert zygote is not None and zygote not in (first, second)
        assert comm(zygote) == ZYGOTE_NAME.decode()
        for pid in (first, second):
            assert comm(pid) == SESSION_NAME.decode()  # forked, not spawned
            assert os.getsid(pid) == pid and os.getpgid(pid) == pid
            assert parent(pid) == served.pid  # adopted by the server, which reaps it
        assert os.getpgid(zygote) == zygote and os.getsid(zygote) == zygote
    assert "zygote ready" in served.log.read_text()


async def test_the_zygote_forks_with_one_thread_and_no_descriptor_but_its_socket(served):
    zygote = await until(served.zygote, "a zygote")
    assert len(list(Path(f"/proc/{zygote}/task").iterdir())) == 1
    theirs = {fd.name: os.readlink(fd) for fd in Path(f"/proc/{zygote}/fd").iterdir()}
    sockets = [target for fd, target in theirs.items() if fd not in ("0", "1", "2")]
    assert len(sockets) == 1 and sockets[0].startswith("socket:")
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        (pid,) = await new_sessions(served, 1)
        assert sockets[0] not in open_files(pid)  # the zygote's socket was closed in the session


async def test_forked_sessions_run_under_the_resource_limits(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        (pid,) = await new_sessions(served, 1)
        assert comm(pid) == SESSION_NAME.decode()
        bounds = limits(pid)
        assert bounds["Max address space"][0] == str(ADDRESS_SPACE)
        assert bounds["Max cpu time"][0] == str(CPU_SECONDS)
        assert bounds["Max open files"][0] == str(OPEN_FILES)
        assert bounds["Max core file size"][0] == "0"
        zygote = served.zygote()
        assert limits(zygote)["Max address space"][0] == "unlimited"  # the zygote's are its own


async def test_a_forked_session_is_reaped_when_its_websocket_closes(served):
    await settled(served)
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        (pid,) = await new_sessions(served, 1)
    await until(lambda: gone_entirely(pid), "the app process reaped, no zombie left")


async def test_two_learners_sessions_hold_only_their_own_progress(served):
    await settled(served)
    async with Browser.open(served.url) as one, Browser.open(served.url) as two:
        await one.log_in("s1", served.codes["s1"])
        await two.log_in("s2", served.codes["s2"])
        await one.wait_for("PyTorch autograd, by hand")
        await two.wait_for("PyTorch autograd, by hand")
        mine = {}
        for student in ("s1", "s2"):
            store = str(served.data_dir / "learners" / student / "progress.sqlite3")
            mine[student] = await until(
                lambda store=store: [p for p in served.sessions() if store in open_files(p)],
                f"{student}'s session with its store open",
            )
        ((first,), (second,)) = mine["s1"], mine["s2"]
        assert first != second
        files = {pid: " ".join(open_files(pid)) for pid in (first, second)}
        assert "learners/s2/" not in files[first] and "learners/s1/" not in files[second]
        assert "learners/" not in " ".join(open_files(served.zygote()))


async def test_a_zygote_that_dies_is_replaced_and_open_sessions_go_on(tmp_path):
    codes = issue_codes(tmp_path, ["s1"])
    with ServedTutor(tmp_path, "--spares", "0") as server:  # the later browser's session is forked
        async with Browser.open(server.url) as browser:
            await browser.log_in("s1", codes["s1"])
            await browser.wait_for("PyTorch autograd, by hand")
            (pid,) = await new_sessions(server, 1)
            zygote = await until(server.zygote, "a zygote")
            os.kill(zygote, signal.SIGKILL)
            replaced = await until(
                lambda: server.zygote() not in (None, zygote) and server.zygote(), "a new zygote"
            )
            await browser.press("l")  # the session forked by the dead zygote still answers
            await browser.wait_for("PyTorch autograd (자동 미분)")
            assert os.getsid(pid) == pid and parent(pid) == server.pid
            async with Browser.open(server.url) as later:
                await later.wait_for("Student ID")
                (fresh,) = [p for p in await new_sessions(server, 2) if p != pid]
                assert comm(fresh) == SESSION_NAME.decode()  # forked by the new zygote
                assert fresh != replaced
        log = await until(
            lambda: (text := server.log.read_text()).count("zygote ready") == 2 and text,
            "the new zygote ready, said in the log",
        )
        assert f"the zygote (pid {zygote}) is gone" in log


async def test_forked_sessions_the_spares_and_the_zygote_die_with_the_server(tmp_path):
    server = ServedTutor(tmp_path, "--spares", "2")
    try:
        async with Browser.open(server.url) as browser:
            await browser.wait_for("Student ID")
            (pid,) = await new_sessions(server, 1)
            spares = await until(lambda: len(spares_of(server.pid)) >= 2 and spares_of(server.pid),
                                 "two spares")  # fmt: skip
            zygote = server.zygote()
            os.kill(server.pid, signal.SIGKILL)
            for each in (pid, zygote, *spares):
                assert await asyncio.to_thread(wait_gone, each, PATIENCE)
    finally:
        server.stop()


def centred(text: str, width: int) -> bool:
    """The login box is centred across `width` columns (drawn for the browser's size)."""
    row = next((line for line in text.splitlines() if "Student ID" in line), "")
    if row.count("│") < 2:
        return False
    return abs(row.index("│") - (width - 1 - row.rindex("│"))) <= 1


async def test_a_browser_is_given_a_spare_told_its_address_and_size_and_the_spare_replaced(
    tmp_path,
):
    codes = issue_codes(tmp_path, ["s1"])
    with ServedTutor(tmp_path, "--spares", "2") as server:
        waiting = await until(lambda: len(spares_of(server.pid)) == 2 and spares_of(server.pid),
                              "two spares started before any browser")  # fmt: skip
        assert server.sessions() == []
        for pid in waiting:
            assert comm(pid) == SPARE_NAME.decode() and parent(pid) == server.pid
            assert os.getsid(pid) == pid
        async with Browser.open(server.url, width=100, height=30) as browser:
            await browser.wait_for("Student ID")
            (given,) = await new_sessions(server, 1)
            assert given in waiting  # no process started for this browser: a spare took it
            assert comm(given) == SESSION_NAME.decode()
            end = time.monotonic() + PATIENCE
            while not centred(browser.text(), 100) and time.monotonic() < end:
                await asyncio.sleep(0.05)
            assert centred(browser.text(), 100), browser.text()  # drawn again for 100×30
            await browser.log_in("s1", codes["s1"])
            await browser.wait_for("PyTorch autograd, by hand")
            # the address came after the spare started: its presence row has it
            assert await asyncio.to_thread(seen_from, server.data_dir, "s1") == "127.0.0.1"
            fresh = await until(
                lambda: [p for p in spares_of(server.pid) if p not in waiting],
                "the spare given away replaced once no browser came for a moment",
            )
            assert len(fresh) == 1 and len(spares_of(server.pid)) == 2


async def test_spares_are_kept_for_the_students_who_may_still_come(tmp_path):
    codes = issue_codes(tmp_path, ["s1", "s2", "s3"])
    with ServedTutor(tmp_path, "--spares", "4", "--reap-after", "1") as server:
        # three students may come, and RECONNECTS (2) more: the --spares 4 at most
        await until(lambda: len(spares_of(server.pid)) == 4, "4 spares before anyone came")
        async with Browser.open(server.url) as one, Browser.open(server.url) as two:
            for browser, student in ((one, "s1"), (two, "s2")):
                await browser.wait_for("Student ID")
                await browser.log_in(student, codes[student])
                await browser.wait_for("PyTorch autograd, by hand")
            # one may still come: 1 + RECONNECTS
            await until(lambda: len(spares_of(server.pid)) == 1 + RECONNECTS, "3 spares")
            await asyncio.sleep(2 * COUNT_EVERY + QUIET)
            assert len(spares_of(server.pid)) == 1 + RECONNECTS
        await until(lambda: len(spares_of(server.pid)) == 4, "4 spares once both left", 60)


async def test_failed_sign_ins_in_a_spare_count_against_the_browsers_address(tmp_path):
    codes = issue_codes(tmp_path, ["s1"])
    with ServedTutor(tmp_path, "--spares", "1") as server:
        await until(lambda: spares_of(server.pid), "a spare")
        async with Browser.open(server.url) as browser:
            await browser.wait_for("Student ID")
            (given,) = await new_sessions(server, 1)
            await browser.log_in("s1", "wrong-code")
            await browser.wait_for("wrong access code")
        with sqlite3.connect(server.data_dir / DB_NAME) as accounts:
            rows = accounts.execute("SELECT address FROM address_failure").fetchall()
        assert rows == [("127.0.0.1",)]  # not against "" (the spare knew no address at start)
        assert comm(given) == SESSION_NAME.decode() and codes


def test_a_learners_session_imports_nothing_the_zygote_has_not(tmp_path):
    """A module a forked session imports is memory it has to itself (on top of pages of the
    zygote's it then writes): signing in, a lesson, a wrong answer's new numbers, the review and
    the mastery map use only what the zygote preloaded."""
    run = subprocess.run(
        [sys.executable, str(HERE / "session_imports.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        },
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.splitlines()[-1]) == []


# -- the zygote itself, its probe forked -------------------------------------------------------


@contextlib.contextmanager
def adopting():
    """This test process adopts what its zygote forks (as the server does); not after."""
    try:
        yield
    finally:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def probe_command() -> tuple[list[str], dict[str, str]]:
    environment = {**base_environment(), **SESSION_ENV, SERVER_PID_ENV: str(os.getpid())}
    environment["PYTHONPATH"] = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    return [sys.executable, "-m", "test_serve_zygote", "--probe"], environment


async def probed(forker: Forker, environment: dict[str, str]) -> dict:
    process = await forker.fork(environment)
    assert process is not None, "the zygote did not fork"
    line = await asyncio.wait_for(process.stdout.readline(), PATIENCE)
    assert await asyncio.wait_for(process.wait(), PATIENCE) == 0
    return json.loads(line)


async def test_forked_processes_draw_their_own_random_numbers_in_their_own_environment():
    argv, environment = probe_command()
    forker = Forker(argv, environment)
    with adopting():
        try:
            assert await forker.start(), forker.given_up
            one = await probed(forker, {**environment, "PROBE": "one"})
            two = await probed(forker, {**environment, "PROBE": "two"})
        finally:
            forker.close()
    assert (one["probe"], two["probe"]) == ("one", "two")
    assert one["pid"] != two["pid"] and forker.zygote.pid not in (one["pid"], two["pid"])
    for seen in (one, two):
        assert seen["sid"] == seen["pid"] == seen["pgid"]
        assert seen["ppid"] == os.getpid()  # adopted by whoever asked, not the zygote's
        assert seen["fds"] == [0, 1, 2]
    # the zygote drew from each generator before forking: the same state in every child,
    # unless each is seeded afresh
    for generator in ("random", "numpy", "sympy"):
        assert one[generator] != two[generator], generator


async def test_without_a_python_module_or_with_a_broken_one_sessions_are_spawned():
    argv, environment = probe_command()
    not_python = Forker(["/bin/cat"], environment)
    assert not await not_python.start()
    assert "python -m" in not_python.given_up
    assert await not_python.fork(environment) is None
    broken = Forker([sys.executable, "-m", "no_such_module_for_a_zygote"], environment)
    with adopting():
        try:
            assert not await broken.start()
        finally:
            broken.close()
    assert "did not start" in broken.given_up and "no_such_module" in broken.given_up
    assert await broken.fork(environment) is None


def zygote_preload(args: list[str]) -> None:
    """The probe's zygote: the generators imported and drawn from before any fork."""
    import random

    import numpy
    import sympy.core.random

    random.random()
    numpy.random.random()
    sympy.core.random.random()


def probe() -> None:
    """Say what this forked process is: one JSON line on the standard output."""
    import random

    import numpy
    import sympy.core.random

    seen = {
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "pgid": os.getpgid(0),
        "sid": os.getsid(0),
        "probe": os.environ.get("PROBE"),
        "fds": sorted(fd for fd in map(int, os.listdir("/proc/self/fd")) if _open(fd)),
        "random": random.random(),
        "numpy": float(numpy.random.random()),
        "sympy": sympy.core.random.random(),
    }
    os.write(1, json.dumps(seen).encode() + b"\n")


def _open(fd: int) -> bool:
    """Open still (not the descriptor that listing the directory used)."""
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


if __name__ == "__main__" and sys.argv[1:2] == ["--probe"]:
    probe()


async def test_a_spare_given_before_it_has_drawn_still_draws_for_the_browsers_size(tmp_path):
    with ServedTutor(tmp_path, "--spares", "1") as server:
        for width in (90, 110):
            # the moment a spare exists (forked, its app not started yet: that takes ~0.15 s),
            # a browser takes it, once the server has had a moment to hear of it
            spare = await until(lambda: spares_of(server.pid), "a spare", patience=60)
            await asyncio.sleep(0.05)
            async with Browser.open(server.url, width=width, height=30) as browser:
                await browser.wait_for("Student ID")
                assert spare[0] in server.sessions()
                end = time.monotonic() + PATIENCE
                while not centred(browser.text(), width) and time.monotonic() < end:
                    await asyncio.sleep(0.05)
                assert centred(browser.text(), width), browser.text()
