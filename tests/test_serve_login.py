"""`tutor serve` as a browser meets it: the page, the login screen, a wrong code refused with
its reason, the right code opening the course home in the learner's own progress store."""

from __future__ import annotations

import asyncio
import time
import urllib.request

import pytest
from serve_client import Browser, ServedTutor, issue_codes

from tutor.progress import Store
from tutor.serve.session import learner_dir

# the contract: the first screen within 3 s of connecting; asserted with room for a slow machine
FIRST_SCREEN_SECONDS = 3.0
SLACK = 3

STUDENTS = ["s1", "s2", "20240001", "kim young-hee"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("served")
    codes = issue_codes(data_dir, STUDENTS)
    with ServedTutor(data_dir) as server:
        server.codes = codes
        yield server


def test_the_page_answers_200_with_the_websocket_address(served):
    with urllib.request.urlopen(served.url + "/", timeout=10) as answer:
        page = answer.read().decode()
        assert answer.status == 200
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page


async def test_each_session_starts_on_the_login_screen_within_3_seconds(served):
    started = time.monotonic()
    async with Browser.open(served.url) as browser:
        screen = await browser.wait_for("Student ID")
        waited = time.monotonic() - started
        assert "Access code" in screen
        assert "PyTorch autograd, by hand" not in screen
    assert waited < FIRST_SCREEN_SECONDS * SLACK


async def test_a_wrong_code_stays_on_the_login_screen_with_the_reason(served):
    async with Browser.open(served.url) as browser:
        await browser.log_in("s1", "AAAA-BBBB-CCCC")
        screen = await browser.wait_for("Unknown student ID or wrong access code.")
        assert "Student ID" in screen
        # another student's code is as wrong
        await browser.type(served.codes["s2"])
        await browser.press("enter")
        await asyncio.sleep(1.0)
        screen = await browser.wait_for("Unknown student ID or wrong access code.")
        assert "PyTorch autograd, by hand" not in screen
        assert "Student ID" in screen


async def test_the_right_code_opens_the_course_home_in_the_learners_own_store(served):
    async with Browser.open(served.url) as browser:
        await browser.log_in("s2", served.codes["s2"])
        screen = await browser.wait_for("PyTorch autograd, by hand")
        assert "requires_grad: asking for a gradient" in screen
        assert "Student ID" not in screen
    store_dir = learner_dir(served.data_dir, "s2")
    assert (store_dir / "progress.sqlite3").is_file()
    with Store.open(store_dir) as store:
        assert store.get_setting("lang") == "en"


async def test_a_code_typed_in_lower_case_with_spaces_is_the_same_code(served):
    code = served.codes["20240001"].lower().replace("-", " ")
    async with Browser.open(served.url) as browser:
        await browser.log_in("20240001", code)
        await browser.wait_for("PyTorch autograd, by hand")


async def test_an_id_with_spaces_gets_a_directory_of_its_own(served):
    async with Browser.open(served.url) as browser:
        await browser.log_in("kim young-hee", served.codes["kim young-hee"])
        await browser.wait_for("PyTorch autograd, by hand")
    where = learner_dir(served.data_dir, "kim young-hee")
    assert where.parent == served.data_dir / "learners"
    assert " " not in where.name and (where / "progress.sqlite3").is_file()


async def test_the_login_speaks_korean_and_says_why_in_korean(served):
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        await browser.press("\x1bOQ")  # F2
        await browser.wait_for("학번")
        await browser.type("s1")
        await browser.press("tab")
        await browser.type("WRONG")
        await browser.press("enter")
        await browser.wait_for("학번이나 접속 코드가 맞지 않습니다.")
        await browser.type(served.codes["s1"])
        await browser.press("enter")
        await browser.wait_for("PyTorch autograd (자동 미분)")


async def test_keys_typed_at_once_land_where_a_person_would_put_them(served):
    """The id, Tab, the code and Enter in one burst, as a script or a paste sends them."""
    async with Browser.open(served.url) as browser:
        await browser.wait_for("Student ID")
        await browser.send("stdin", "s1\t" + served.codes["s1"] + "\r")
        await browser.wait_for("PyTorch autograd, by hand")
