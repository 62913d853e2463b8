"""Two `tutor serve` nodes sharing one PostgreSQL behind haproxy, configured by the shipped
deploy/haproxy.cfg: a learner whose node dies mid-quiz reconnects through the proxy to the other
node, signs in, and continues with the same answers and the same quiz clock; an attempt whose time
runs out with no browser open is submitted exactly once although both nodes sweep for it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from serve_client import ROOT, Browser, ServedTutor, free_port, wait_gone
from test_serve_quiz_server import BASIC, short_quiz

from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.server_taking import ServerTaking, attempt_variant

SECRET = "failover-test-secret-0123456789abcdef"
STUDENTS = ["s1", "s2"]
PATIENCE = 30.0


def haproxy() -> str:
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if found is None:
        if os.environ.get("TUTOR_REQUIRE_SERVER") == "1":
            pytest.fail("TUTOR_REQUIRE_SERVER=1 but haproxy is not installed", pytrace=False)
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    return found


class Proxy:
    """haproxy with deploy/haproxy.cfg on a free loopback port, in front of `nodes`."""

    def __init__(self, nodes: list[ServedTutor], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "TUTOR_PROXY_BIND": f"127.0.0.1:{self.port}",
            "TUTOR_NODE1": f"127.0.0.1:{nodes[0].port}",
            "TUTOR_NODE2": f"127.0.0.1:{nodes[1].port}",
        }
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                ["timeout", "-s", "TERM", "-k", "5", "600", haproxy(), "-db",
                 "-f", str(ROOT / "deploy" / "haproxy.cfg")],
                stdout=out, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        end = time.monotonic() + PATIENCE
        while time.monotonic() < end:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url + "/", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.1)
        self.close()
        raise RuntimeError(f"haproxy did not answer: {log.read_text()[-2000:]}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def class_codes(tmp_path: Path, database: str) -> dict[str, str]:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    out = tmp_path / "codes.csv"
    subprocess.run(
        [sys.executable, "-m", "tutor", "class", "codes", str(roster), "--out", str(out),
         "--database", database, "--data-dir", str(tmp_path / "codes-data")],
        check=True, capture_output=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    lines = out.read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split(",") for line in lines)


@pytest.fixture
def cluster(tmp_path, postgres_url):
    haproxy()
    codes = class_codes(tmp_path, postgres_url)
    short = short_quiz(tmp_path, 20.0)
    options = ("--database", postgres_url, "--quiz", str(BASIC), "--quiz", str(short),
               "--trusted-proxy", "127.0.0.1")  # fmt: skip
    env = {"TUTOR_QUIZ_SECRET": SECRET}
    with contextlib.ExitStack() as stack:
        nodes = [
            stack.enter_context(ServedTutor(tmp_path / f"node{n}", *options, env=env))
            for n in (1, 2)
        ]
        proxy = Proxy(nodes, tmp_path / "haproxy.log")
        stack.callback(proxy.close)
        yield nodes, proxy, codes, postgres_url, short


async def open_quiz(browser: Browser, student: str, code: str, nth: int = 0) -> str:
    await browser.log_in(student, code)
    await browser.wait_for("attempts")
    await browser.press("z")
    for _ in range(nth):
        await browser.press("down")
    await browser.press("enter")
    return await browser.wait_for("Question 1 of")


def attempts(database: str, student: str):
    with AttemptStore.open(Path("."), database=database) as store:
        return [(r, store.events(r.id)) for r in store.attempts(student_id=student)]


async def test_a_learner_whose_node_dies_continues_on_the_other(cluster):
    nodes, proxy, codes, database, _ = cluster
    async with Browser.open(proxy.url) as browser:
        await open_quiz(browser, "s1", codes["s1"])
        ((record, _),) = attempts(database, "s1")
        quiz = load_quiz(BASIC)
        from tutor.course.answer_key import format_answer

        variant = attempt_variant(quiz, SECRET.encode(), record)
        answer = format_answer(variant.expected["x-grad"])
        await browser.type(answer)
        await browser.press("enter")
        await browser.wait_for("Saved.")
        (serving,) = [node for node in nodes if node.sessions()]
        server_pid = serving.pid
        os.kill(server_pid, signal.SIGKILL)  # the node dies; its app processes die with it
        assert wait_gone(server_pid)
    (survivor,) = [node for node in nodes if node is not serving]

    async with Browser.open(proxy.url) as browser:  # Restart: through the proxy again
        screen = await open_quiz(browser, "s1", codes["s1"])
        assert survivor.sessions()  # the other node took the learner
        assert answer.replace(" ", "") in screen.replace(" ", "")
        await browser.press("ctrl+s")
        await browser.wait_for("Submit your answers?")
        await browser.press("y")
        await browser.wait_for("was received by the server")
    ((after, events),) = attempts(database, "s1")
    assert after.id == record.id and after.started_at == record.started_at  # the same clock
    assert after.how == "student" and after.submitted_at < after.deadline
    assert [e.text for e in events if e.question_id == "x-grad"][0] == answer


async def test_time_up_is_submitted_once_though_both_nodes_sweep(cluster):
    nodes, proxy, codes, database, short = cluster
    quiz = load_quiz(short)
    with AttemptStore.open(Path("."), database=database) as store:
        taking = ServerTaking.open(quiz, SECRET.encode(), "s2", store)
        taking.answer("y-value", "7")
        taking.close()  # no browser holds it: only the nodes' sweeps can submit it
        end = time.monotonic() + PATIENCE + quiz.time_limit_seconds
        while not store.attempt(taking.record.id).submitted and time.monotonic() < end:
            time.sleep(0.2)
        time.sleep(3)  # both nodes have swept again since
        (record,) = store.attempts(quiz.id, "s2")
    assert record.how == "time-up" and record.submitted_at == record.closes_at
    for node in nodes:
        assert "Traceback" not in node.log.read_text(errors="replace")
