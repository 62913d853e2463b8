"""One learner cannot starve the class: a hostile program in one served session (a tensor list
past the address-space limit, then a long loop of matrix products within the statement
limits) while another session keeps answering its keys; the busy process is reaped on close."""

from __future__ import annotations

import asyncio
import time

import pytest
from serve_client import Browser, ServedTutor, issue_codes, wait_gone

RESPONDS_WITHIN = 10.0  # generous: whether the other session answers at all, not how fast


@pytest.fixture
def served(tmp_path):
    codes = issue_codes(tmp_path, ["busy", "calm"])
    with ServedTutor(tmp_path, "--reap-after", "1") as server:
        server.codes = codes
        yield server


async def enter_line(browser: Browser, line: str, then: str, patience: float = 30.0) -> None:
    await browser.type(line)
    await browser.press("enter")
    await browser.wait_for(then, patience)


async def open_playground(browser: Browser, student: str, code: str) -> None:
    await browser.log_in(student, code)
    await browser.wait_for("PyTorch autograd, by hand")
    await browser.press("p")
    await browser.wait_for("A PyTorch statement, then Enter")
    await asyncio.sleep(0.3)  # the line editor takes focus once the screen is up


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


async def test_a_hostile_program_in_one_session_leaves_the_other_responsive(served):
    async with Browser.open(served.url) as busy:
        await open_playground(busy, "busy", served.codes["busy"])
        (busy_pid,) = served.sessions()
        async with Browser.open(served.url) as calm:
            await calm.log_in("calm", served.codes["calm"])
            await calm.wait_for("PyTorch autograd, by hand")
            await hostile_while_calm_answers(busy, calm, busy_pid)
    assert await asyncio.to_thread(wait_gone, busy_pid, 15.0)


async def hostile_while_calm_answers(busy: Browser, calm: Browser, busy_pid: int) -> None:
    await enter_line(busy, "import torch", ">>> import torch")
    # zeros: address space taken and no page touched, so the limit is what refuses it (touching
    # 1.2 GB of fresh pages took this VM ~10 s of CPU, racing the per-run CPU budget)
    await enter_line(
        busy, "xs = [torch.zeros(10000, 1000) for i in range(100)]", "the program ran out of"
    )
    # its run over (the variables show x), or the next Enter would come while it is busy
    await enter_line(busy, "x = torch.ones(1500, 1500)", "x = tensor([[1., 1., 1.")
    await enter_line(busy, "for i in range(50000): y = x @ x", ">>> for i in range")
    spent = cpu_seconds(busy_pid)
    await asyncio.sleep(1.0)
    assert cpu_seconds(busy_pid) - spent > 0.5, "the hostile loop is not running"

    started = time.monotonic()
    await calm.press("p")
    await calm.wait_for("A PyTorch statement, then Enter", RESPONDS_WITHIN)
    await asyncio.sleep(0.3)
    await enter_line(calm, "6 * 7", "42", RESPONDS_WITHIN)
    await calm.press("escape")
    await calm.wait_for("PyTorch autograd, by hand", RESPONDS_WITHIN)
    assert time.monotonic() - started < 3 * RESPONDS_WITHIN
    assert cpu_seconds(busy_pid) > spent + 1.0  # still busy all along
