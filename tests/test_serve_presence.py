"""Presence: each served app process's row of who is connected where (DATA_DIR/presence.sqlite3),
fresh rows only, its own row deleted when it ends; and a ServedApp keeping its row as the learner
moves — the rows on SQLite and on PostgreSQL (`database`, tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from serve_client import issue_codes

from tutor.serve.absent import Absent
from tutor.serve.presence import FORGET_AFTER, STALE_AFTER, Presence
from tutor.serve.session import AccountsGate
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.served_quiz import ServedQuizScreen
from tutor.tui.served import ServedApp, load

NOW = 1_767_000_000.0
QUIZ = Path(__file__).parent / "quizzes" / "basic.quiz.toml"


def test_fresh_rows_are_connected_and_a_session_that_leaves_is_gone(tmp_path, database):
    with Presence.open(tmp_path, database=database) as presence:
        presence.report("a", "s1", "student", "home", NOW - 100)
        presence.report("a", "s1", "student", "lesson:backward", NOW - 5)
        presence.report("b", "s2", "student", "quiz:basic", NOW - STALE_AFTER)
        presence.report("c", "s3", "student", "home", NOW - STALE_AFTER - 1)  # killed: stale
        presence.report("t", "teacher", "instructor", "instructor", NOW)
        rows = presence.connected(NOW)
        assert [(r.account_id, r.place) for r in rows] == [
            ("s1", "lesson:backward"),
            ("s2", "quiz:basic"),
            ("teacher", "instructor"),
        ]
        assert rows[0].since == NOW - 100 and rows[0].seen == NOW - 5  # since: first report
        presence.leave("a")
        assert [r.session_id for r in presence.connected(NOW)] == ["b", "t"]


def test_rows_long_stale_are_forgotten_by_the_next_writer(tmp_path, database):
    with Presence.open(tmp_path, database=database) as presence:
        presence.report("old", "s1", "student", "home", NOW - FORGET_AFTER - 1)
        presence.report("new", "s2", "student", "home", NOW)
        assert [r.session_id for r in presence.connected(NOW, stale_after=2 * FORGET_AFTER)] == [
            "new"
        ]


def test_two_processes_share_the_file(tmp_path, database):
    with (
        Presence.open(tmp_path, database=database) as one,
        Presence.open(tmp_path, database=database) as two,
    ):
        one.report("a", "s1", "student", "home", NOW, since=NOW - 10)
        two.report("b", "s2", "student", "home", NOW)
        assert {r.session_id for r in one.connected(NOW)} == {"a", "b"}
        assert {r.session_id for r in two.connected(NOW)} == {"a", "b"}


def test_absent_counts_the_students_issued_a_code_and_not_connected(tmp_path, database):
    issue_codes(tmp_path, ["s1", "s2", "s3", "s4"], database=database)
    absent = Absent(tmp_path, database=database)
    try:
        assert absent(NOW) == 4
        with Presence.open(tmp_path, database=database) as presence:
            presence.report("a", "s1", "student", "home", NOW)
            presence.report("b", "s1", "student", "lesson:backward", NOW)  # two tabs: one student
            presence.report("c", "s2", "student", "home", NOW - STALE_AFTER - 1)  # killed
            presence.report("t", "teacher", "instructor", "instructor", NOW)
            assert absent(NOW) == 3
            presence.report("d", "s3", "student", "home", NOW)
            assert absent(NOW) == 2
            presence.leave("a")
            presence.leave("b")
            assert absent(NOW) == 3
        issue_codes(tmp_path, ["s5"], database=database)  # codes issued while serving count
        assert absent(NOW) == 4
    finally:
        absent.close()


def test_absent_says_none_when_the_class_cannot_be_read(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a directory")
    absent = Absent(blocked)
    assert absent(NOW) is None
    assert absent(NOW) is None  # and tries again at the next count


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


async def test_a_served_app_keeps_its_row_where_the_learner_is(tmp_path, database):
    codes = issue_codes(tmp_path, ["s1"], database)
    clock = Clock()
    app = ServedApp(
        course=load(None),
        gate=AccountsGate(tmp_path, "127.0.0.1", database),
        quiz_files=[QUIZ],
        data_dir=tmp_path,
        clock=clock,
        address="10.0.0.7",
        quiz_interval=3600,
        heartbeat=3600,
        database=database,
    )

    def places() -> list[tuple[str, str, str]]:
        with Presence.open(tmp_path, database=database) as presence:
            return [(r.account_id, r.role, r.place) for r in presence.connected(clock.now)]

    async def until(pilot, done) -> None:
        for _ in range(200):
            if done():
                return
            await pilot.pause(0.05)
        assert done()

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"s1", "tab", *codes["s1"], "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await until(pilot, lambda: places() == [("s1", "student", "home")])
        await until(pilot, lambda: app.screen.query_one("#quiz-list").option_count == 1)
        await pilot.press("z", "enter")
        await until(pilot, lambda: isinstance(app.screen, ServedQuizScreen))
        await until(pilot, lambda: places() == [("s1", "student", "quiz:basic")])
        await pilot.press("escape")
        await until(pilot, lambda: places() == [("s1", "student", "home")])
        app.open_lesson(app.course.lessons[1].id)
        lesson = f"lesson:{app.course.lessons[1].id}"
        await until(pilot, lambda: places() == [("s1", "student", lesson)])
        with Presence.open(tmp_path, database=database) as presence:
            (row,) = presence.connected(clock.now)
        assert row.address == "10.0.0.7" and row.since == NOW
        await app.workers.wait_for_complete()
    assert places() == []  # the app ended: its row is gone
    if database is not None:  # the learner's rows and the quiz are in PostgreSQL, not files
        assert not (tmp_path / "learners").exists() and not list(tmp_path.glob("*.sqlite3"))
