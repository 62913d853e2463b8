"""Quizzes in the served app (ServedApp under Pilot, signed in through the real class accounts,
every fact in the server's AttemptStore): opened from the home screen, answered (rows on the
server), submitted with a receipt, submitted on time when the server's clock runs out, taken
over by a second window, tries charged with after-each feedback, resumed with the server's
time. The server's clock is faked; the screen's own once-a-second tick is kept out of the way
and driven by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from serve_client import issue_codes
from textual.widgets import Input, OptionList

from tutor.course import format_answer
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.serve.session import AccountsGate
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.login import LoginScreen
from tutor.tui.screens.served_quiz import WORDS, QuizSection, ReceiptScreen, ServedQuizScreen
from tutor.tui.served import TAKEN_OVER, ServedApp, load
from tutor.tui.widgets.countdown import Countdown, clock_text

QUIZ = Path(__file__).parent / "quizzes" / "basic.quiz.toml"
SIZE = (120, 40)
START = 1_767_000_000.0  # the server's clock in these tests (seconds since the epoch)
QUIET = 3600.0  # the screen's own tick and the presence heartbeat: never during a test


class ServerClock:
    """The server's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def course():
    return load(None)


@pytest.fixture
def server(tmp_path):
    """A data dir with accounts for s1 and s2; the codes."""
    return tmp_path, issue_codes(tmp_path, ["s1", "s2"])


def after_each_quiz(tmp_path: Path, tries: int = 2) -> Path:
    text = QUIZ.read_text(encoding="utf-8").replace(
        'feedback = "after-submit"', f'feedback = "after-each"\ntries = {tries}\ntry_penalty = 0.25'
    )
    path = tmp_path / "after-each.quiz.toml"
    path.write_text(text, encoding="utf-8")
    return path


def served(course, data_dir, clock, quiz=QUIZ, lang="en") -> ServedApp:
    return ServedApp(
        course=course,
        gate=AccountsGate(data_dir, "127.0.0.1"),
        lang=lang,
        quiz_files=[quiz],
        data_dir=data_dir,
        clock=clock,
        quiz_interval=QUIET,
        save_delay=0.05,
        heartbeat=QUIET,
    )


async def until(pilot, done, tries: int = 200) -> None:
    """Let the app run until `done()` holds (waiting, never a timing assertion)."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.05)
    assert done()


async def sign_in(pilot, student_id: str, code: str) -> None:
    await pilot.press(*student_id, "tab", *code, "enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, LoginScreen))
    await until(pilot, lambda: quiz_rows(pilot.app) and quiz_rows(pilot.app)[0][0] is not None)


def quiz_rows(app) -> list[tuple[str | None, str]]:
    """The home screen's quiz list: (quiz id, line) per row."""
    if not isinstance(app.screen, HomeScreen) or not app.screen.query(QuizSection):
        return []
    listing = app.screen.query_one("#quiz-list", OptionList)
    return [(option.id, str(option.prompt)) for option in listing.options]


def reason(app) -> str:
    return str(app.screen.query_one("#quiz-reason").render())


async def open_quiz(pilot) -> ServedQuizScreen:
    await pilot.press("z", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ServedQuizScreen))
    return pilot.app.screen


async def type_answer(pilot, text: str, *, enter: bool = True) -> None:
    answer = pilot.app.screen.query_one("#answer", Input)
    answer.focus()
    await pilot.press("ctrl+u", *text, *(["enter"] if enter else []))
    await pilot.pause()


def right(screen: ServedQuizScreen, question_id: str) -> str:
    return format_answer(screen.taking.variant.expected[question_id])


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def latest(events) -> dict[str, tuple[str, float]]:
    """question id → (text, server time) of the last answer saved (saves come as typed)."""
    return {e.question_id: (e.text, e.at) for e in events}


def records(data_dir, student="s1", quiz_id="basic"):
    with AttemptStore.open(data_dir) as store:
        found = store.attempts(quiz_id, student)
        return found, [store.events(r.id) for r in found]


async def test_a_student_opens_answers_submits_and_gets_a_receipt(course, server):
    data_dir, codes = server
    clock = ServerClock()
    app = served(course, data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        ((quiz_id, line),) = quiz_rows(app)
        assert quiz_id == "basic"
        assert line == "Basic autograd quiz  ·  10 min  ·  attempts 0/1"

        screen = await open_quiz(pilot)
        taking = screen.taking
        assert app.focused is screen.query_one("#answer")
        assert screen.query_one(Countdown).seconds == taking.record.deadline - clock.now
        typed = {"x-grad": right(screen, "x-grad"), "y-value": "1" + right(screen, "y-value")}
        clock.advance(30)
        await type_answer(pilot, typed["x-grad"])
        assert shown(screen, "#status") == "✔ Saved."
        await pilot.press("ctrl+n")
        clock.advance(30)
        await type_answer(pilot, typed["y-value"], enter=False)  # saved as typed, debounced
        await until(pilot, lambda: taking.answers().get("y-value") == typed["y-value"])

        (record,), (events,) = records(data_dir)
        assert latest(events) == {
            "x-grad": (typed["x-grad"], START + 30),
            "y-value": (typed["y-value"], START + 60),
        }
        assert not any(e.checked for e in events)  # after-submit: Enter is no try
        assert record.holder == taking.holder and not record.submitted

        clock.advance(60)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        receipt = app.screen
        lines = shown(receipt, "#receipt-lines")
        assert lines.startswith("Attempt 1 was received by the server at 2025-12-29 09:22:00 UTC.")
        assert "You submitted it." in lines
        feedback = shown(receipt, "#receipt-feedback")
        assert "✔ x-grad" in feedback and "✘ y-value" in feedback  # after-submit: now
        assert str(data_dir) not in lines + feedback  # no file paths for a student

        await pilot.press("enter")
        await until(pilot, lambda: "submitted" in quiz_rows(app)[0][1])
        assert isinstance(app.screen, HomeScreen) and app.is_running
        assert quiz_rows(app)[0][1].endswith("attempts 1/1  ·  submitted")

        await pilot.press("z", "enter")  # the one attempt is used: one line why, no quiz
        await pilot.pause()
        assert reason(app) == WORDS["no_attempt"].en
        assert isinstance(app.screen, HomeScreen)

    (record,), _ = records(data_dir)
    assert record.submitted_at == START + 120 and record.how == "student"


async def test_time_up_submits_on_the_servers_clock(course, server):
    data_dir, codes = server
    clock = ServerClock()
    app = served(course, data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        screen = await open_quiz(pilot)
        deadline = screen.taking.record.deadline  # the clock shown; answers close after grace
        await type_answer(pilot, right(screen, "x-grad"), enter=False)
        clock.advance(deadline - clock.now - 30)
        screen.tick()
        await pilot.pause()
        countdown = screen.query_one(Countdown)
        assert countdown.seconds == 30 and clock_text(30) in str(countdown.render())
        assert countdown.has_class("warning")

        clock.advance(31)  # one second past the deadline: submitted as time-up, on time
        screen.tick()
        await until(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        assert app.screen.time_up
        assert "submitted when the time ran out" in shown(app.screen, "#receipt-lines")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))

    (record,), (events,) = records(data_dir)
    assert record.how == "time-up" and record.submitted_at == deadline + 1
    assert record.submitted_at < record.closes_at  # within the grace: never late
    assert set(latest(events)) == {"x-grad"}  # typed before the deadline: kept


async def test_a_second_window_takes_the_quiz_over_and_the_first_is_told(course, server):
    data_dir, codes = server
    clock = ServerClock()
    first = served(course, data_dir, clock)
    second = served(course, data_dir, clock)
    async with first.run_test(size=SIZE) as one:
        await sign_in(one, "s1", codes["s1"])
        screen = await open_quiz(one)
        typed = right(screen, "x-grad")
        await type_answer(one, typed)
        clock.advance(20)
        async with second.run_test(size=SIZE) as two:
            await sign_in(two, "s1", codes["s1"])
            assert "in progress" in quiz_rows(second)[0][1]
            other = await open_quiz(two)
            assert other.query_one("#answer", Input).value == typed  # saved answers stay

            # the first window's next tick (run by its own app: each is a process when served)
            screen.call_later(screen.tick)
            await until(one, lambda: isinstance(first.screen, HomeScreen))
            assert reason(first) == TAKEN_OVER.en
            await until(one, lambda: TAKEN_OVER.en in [n.message for n in first._notifications])

            await type_answer(two, right(other, "x-grad") + "0")
            (record,), (events,) = records(data_dir)
            assert record.holder == other.taking.holder
            assert latest(events)["x-grad"][0] == typed + "0"
            assert typed in [e.text for e in events]
            await two.press("escape")
            await until(two, lambda: isinstance(second.screen, HomeScreen))


async def test_a_save_refused_because_another_window_holds_it_leaves_too(course, server):
    data_dir, codes = server
    clock = ServerClock()
    app = served(course, data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        screen = await open_quiz(pilot)
        quiz = load_quiz(QUIZ)
        from tutor.quiz.secret import server_secret
        from tutor.quiz.server_taking import ServerTaking

        with AttemptStore.open(data_dir) as store:  # another window opens it (a new holder)
            ServerTaking.open(quiz, server_secret(quiz, data_dir), "s1", store, clock)
            await pilot.press("1")  # saved as typed: refused by the server (TakenOver)
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert reason(app) == TAKEN_OVER.en
            assert store.events(screen.taking.record.id) == []


async def test_after_each_enter_charges_a_try_and_the_question_locks(course, server):
    data_dir, codes = server
    quiz_path = after_each_quiz(data_dir, tries=2)
    app = served(course, data_dir, ServerClock(), quiz=quiz_path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        screen = await open_quiz(pilot)
        assert shown(screen, "#status") == "2 of 2 tries left"
        assert shown(screen, "#keys").startswith("Enter check")
        bad = "[[1, 1], [1, 1]]"  # x.grad is a·ones with a from 2 to 5: wrong for all

        await type_answer(pilot, "what")  # unreadable: told, no try used
        assert shown(screen, "#status").startswith("? ")
        assert screen.taking.tries_left("x-grad") == 2

        await type_answer(pilot, bad)
        status = shown(screen, "#status")
        assert status.startswith("✘ ") and status.endswith("1 of 2 tries left")
        await pilot.press("enter")  # the same answer again: told again, no second try
        assert screen.taking.tries_left("x-grad") == 1

        await type_answer(pilot, "[[0, 0], [0, 0]]")
        answer = screen.query_one("#answer", Input)
        assert answer.disabled and screen.taking.locked("x-grad")
        assert shown(screen, "#status").endswith(
            "No tries left: this answer stays as it was checked."
        )

        await pilot.press("ctrl+n")  # a right answer locks its question too
        await type_answer(pilot, right(screen, "y-value"))
        assert shown(screen, "#status").startswith("✔ ")
        assert shown(screen, "#status").endswith("Checked right: this answer stays.")
        assert screen.query_one("#answer", Input).disabled

        await pilot.press("ctrl+p")  # coming back: still locked, with the reason
        await pilot.pause()
        assert screen.query_one("#answer", Input).disabled
        assert shown(screen, "#status") == "No tries left: this answer stays as it was checked."

    _, (events,) = records(data_dir)
    checked = [(e.question_id, e.text) for e in events if e.checked]
    assert checked == [
        ("x-grad", bad),
        ("x-grad", "[[0, 0], [0, 0]]"),
        ("y-value", right(screen, "y-value")),
    ]
    assert [e.outcome for e in events if e.checked] == ["wrong", "wrong", "correct"]


async def test_a_resumed_attempt_shows_its_answers_and_the_servers_time(course, server):
    data_dir, codes = server
    clock = ServerClock()
    app = served(course, data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        screen = await open_quiz(pilot)
        first = right(screen, "x-grad")
        await type_answer(pilot, first)
        await pilot.press("ctrl+n")
        await type_answer(pilot, "41", enter=False)
        await pilot.press("ctrl+q")  # leaves the quiz, not the app; what was typed is saved
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.is_running
        (record,), (events,) = records(data_dir)
        assert record.holder is None and not record.submitted  # released, clock running
        assert {q: text for q, (text, _) in latest(events).items()} == {
            "x-grad": first,
            "y-value": "41",
        }

        clock.advance(100)
        app.screen.refresh_quizzes()
        left = record.deadline - clock.now
        await until(pilot, lambda: clock_text(left) in quiz_rows(app)[0][1])
        assert quiz_rows(app)[0][1].endswith(f"in progress, {clock_text(left)} left")

        screen = await open_quiz(pilot)
        assert screen.taking.record.id == record.id
        assert screen.query_one("#answer", Input).value == first
        assert screen.query_one(Countdown).seconds == left
        assert clock_text(left) in shown(screen, "#countdown")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.query_one("#answer", Input).value == "41"
        listed = screen.query_one("#question-list", OptionList)
        marks = [re.search("[●○]", str(o.prompt)).group() for o in listed.options]
        assert marks == ["●", "●", "○", "○"]


async def test_quizzes_speak_korean(course, server):
    data_dir, codes = server
    app = served(course, data_dir, ServerClock(), lang="ko")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s2", codes["s2"])
        assert str(app.screen.query_one("#quiz-heading").render()).startswith("퀴즈")
        assert quiz_rows(app)[0][1] == "기본 autograd 퀴즈  ·  10분  ·  응시 0/1회"
        screen = await open_quiz(pilot)
        assert "남은 시간" in shown(screen, "#countdown")
        assert shown(screen, "#keys").startswith("Enter 저장")
        await pilot.press("escape")
        await until(pilot, lambda: "푸는 중" in quiz_rows(app)[0][1])


async def test_a_roster_id_with_a_space_or_hangul_takes_a_quiz(course, tmp_path):
    ids = ["kim young-hee", "김영희"]
    codes = issue_codes(tmp_path, ids)
    for student in ids:
        app = served(course, tmp_path, ServerClock())
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, student, codes[student])
            screen = await open_quiz(pilot)
            await type_answer(pilot, right(screen, "x-grad"))
        (record,), (events,) = records(tmp_path, student)
        assert latest(events)["x-grad"][0] == right(screen, "x-grad")


async def test_a_quiz_that_cannot_be_opened_is_one_line_in_both_languages(course, server):
    data_dir, codes = server
    app = served(course, data_dir, ServerClock())
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        (data_dir / "quiz.sqlite3").unlink()  # the records vanish under the server
        (data_dir / "quiz.sqlite3").mkdir()
        app.quiz_desk.close()
        await pilot.press("z", "enter")
        await until(pilot, lambda: reason(app).startswith("This quiz cannot be opened: "))
        assert len(reason(app).splitlines()) == 1 and isinstance(app.screen, HomeScreen)
        await pilot.press("l")
        assert reason(app).startswith("퀴즈를 열 수 없습니다: ")


async def test_the_home_of_a_served_app_without_quizzes_has_no_quiz_section(course, server):
    data_dir, codes = server
    app = ServedApp(course=course, gate=AccountsGate(data_dir, "127.0.0.1"), data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"s1", "tab", *codes["s1"], "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not app.screen.query(QuizSection)
        assert app.screen.check_action("quizzes", ()) is False


async def test_a_save_after_the_close_shows_the_submitted_screen(course, server):
    data_dir, codes = server
    clock = ServerClock()
    app = served(course, data_dir, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "s1", codes["s1"])
        screen = await open_quiz(pilot)
        await type_answer(pilot, right(screen, "x-grad"))
        closes = screen.taking.record.closes_at
        clock.advance(closes - clock.now + 5)  # no tick yet: the next save finds it closed
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        assert app.screen.time_up
    (record,), (events,) = records(data_dir)
    assert record.how == "time-up" and record.submitted_at == closes
    assert latest(events)["x-grad"][0] == right(screen, "x-grad")  # nothing after the close
