"""ServedApp under Pilot, signing in through the real class accounts (AccountsGate): nothing of
the course before the code is right, the reason in one line when it is not, the learner's own
store and the home once it is, the login screen and what was typed in it gone."""

from __future__ import annotations

import pytest
from serve_client import issue_codes
from textual.widgets import Input

from tutor.serve.session import AccountsGate, learner_dir
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.login import LoginScreen
from tutor.tui.served import GATE_FAILED, Admission, ServedApp, load


@pytest.fixture(scope="module")
def course():
    return load(None)


@pytest.fixture
def accounts(tmp_path):
    return tmp_path, issue_codes(tmp_path, ["s1", "s2"])


async def sign_in(pilot, student_id: str, code: str) -> None:
    await pilot.press(*student_id, "tab", *code, "enter")
    for _ in range(100):
        await pilot.pause(0.05)
        screen = pilot.app.screen
        if not isinstance(screen, LoginScreen) or not screen.checking:
            return


async def test_the_first_screen_is_the_login_with_the_id_box_focused(course, accounts):
    data_dir, _ = accounts
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is app.screen.query_one("#student-id")
        assert app.screen.query_one("#code", Input).password
        assert list(app.get_system_commands(app.screen)) == []  # no lesson from the palette


async def test_a_wrong_code_says_why_and_empties_the_code_box(course, accounts):
    data_dir, codes = accounts
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"))
    async with app.run_test() as pilot:
        await sign_in(pilot, "s1", codes["s2"])
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        reason = str(screen.query_one("#login-reason").render())
        assert reason == "Unknown student ID or wrong access code."
        assert screen.query_one("#code", Input).value == ""
        assert app.focused is screen.query_one("#code")
        assert not (data_dir / "learners").exists()


async def test_the_right_code_opens_the_home_on_the_learners_store(course, accounts):
    data_dir, codes = accounts
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"))
    async with app.run_test() as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.admission.student_id == "s1" and app.admission.role == "student"
        assert app.store.path == learner_dir(data_dir, "s1") / "progress.sqlite3"
        assert not any(isinstance(s, LoginScreen) for s in app.screen_stack)
        assert "login" not in app._modes
        assert list(app.get_system_commands(app.screen))  # the lessons are offered now


async def test_korean_chosen_on_the_login_screen_carries_to_the_home(course, accounts):
    data_dir, codes = accounts
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"))
    async with app.run_test() as pilot:
        await pilot.press("f2")
        assert "학번" in str(app.screen.query_one("#student-id-label").render())
        await sign_in(pilot, "s2", "WRONG")
        assert str(app.screen.query_one("#login-reason").render()) == (
            "학번이나 접속 코드가 맞지 않습니다."
        )
        await pilot.press(*codes["s2"], "enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, HomeScreen):
                break
        assert isinstance(app.screen, HomeScreen)
        assert app.lang == "ko" and app.store.get_setting("lang") == "ko"


async def test_a_gate_that_fails_is_one_line_and_the_login_stays(course, capsys):
    def broken(student_id: str, code: str) -> Admission:
        raise OSError("disk on fire")

    app = ServedApp(course=course, gate=broken)
    async with app.run_test() as pilot:
        await sign_in(pilot, "s1", "CODE")
        assert isinstance(app.screen, LoginScreen)
        assert str(app.screen.query_one("#login-reason").render()) == GATE_FAILED.en


async def test_empty_boxes_say_what_to_type(course):
    app = ServedApp(course=course, gate=lambda i, c: Admission(None))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert "student ID first" in str(app.screen.query_one("#login-reason").render())
        await pilot.press("s", "1", "enter")
        assert app.focused is app.screen.query_one("#code")
        await pilot.press("enter")
        assert "access code" in str(app.screen.query_one("#login-reason").render())


async def test_an_instructor_code_opens_the_instructors_view_over_the_course(course, tmp_path):
    from tutor.serve.accounts import Accounts
    from tutor.tui.screens.instructor import InstructorScreen

    with Accounts.open(tmp_path) as accounts:
        code = accounts.issue_instructor_code("teacher")
    app = ServedApp(course=course, gate=AccountsGate(tmp_path, "127.0.0.1"), data_dir=tmp_path)
    async with app.run_test() as pilot:
        await sign_in(pilot, "teacher", code)
        for _ in range(100):
            if isinstance(app.screen, InstructorScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, InstructorScreen)
        assert app.admission.role == "instructor" and app.is_instructor
        assert app.store.path == tmp_path / "instructors" / "teacher" / "progress.sqlite3"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.check_action("instructor", ()) and not app.screen.check_action(
            "quizzes", ()
        )
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InstructorScreen)


async def test_a_student_has_no_instructors_view(course, accounts):
    data_dir, codes = accounts
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"), data_dir=data_dir)
    async with app.run_test() as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.check_action("instructor", ()) is False
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
