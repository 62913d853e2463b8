"""The instructor's view in the served app (ServedApp under Pilot, an instructor signed in through
the real class accounts): who is connected (presence rows), each learner's lesson progress (their
own progress stores), each quiz's live status, statistics and the gradebook from real attempts
graded by the engine, and the CSV downloads (deliver_text spied on) of the gradebook and the
batch answer key, for every student of the roster — the class in the data dir (SQLite) and in
PostgreSQL (`database`, tests/conftest.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from serve_client import issue_codes
from textual.widgets import DataTable, TabbedContent

from tutor.checking import MISCONCEPTIONS
from tutor.course import format_answer
from tutor.progress import Attempt, Store, lesson_score, question_results
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.report import build_report
from tutor.quiz.secret import server_secret
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.server_taking import ServerTaking
from tutor.serve.accounts import Accounts
from tutor.serve.presence import STALE_AFTER, Presence
from tutor.serve.session import AccountsGate, learner_dir
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.instructor import InstructorScreen
from tutor.tui.screens.login import LoginScreen
from tutor.tui.served import ServedApp, load
from tutor.tui.widgets.countdown import clock_text

QUIZ = Path(__file__).parent / "quizzes" / "basic.quiz.toml"
SIZE = (160, 45)
START = 1_767_000_000.0
STUDENTS = ["s1", "s2", "s3", "s4"]


class ServerClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def course():
    return load(None)


def answers_of(taking: ServerTaking) -> dict[str, str]:
    return {qid: format_answer(e) for qid, e in taking.variant.expected.items()}


def forward_value(taking: ServerTaking, question_id: str) -> str:
    """x.grad typed as the forward value x: the `forward-value` misconception."""
    expected = taking.variant.expected[question_id]
    return format_answer(replace(expected, value=expected.alternatives["forward-value"]))


@pytest.fixture
def classroom(tmp_path, course, database):
    """A class of four: s1 submitted all right, s2 submitted with a misconception, s3 in the
    middle of the quiz, s4 not started; s1 did part of the first lesson."""
    issue_codes(tmp_path, STUDENTS, database)
    with Accounts.open(tmp_path, database=database) as accounts:
        teacher = accounts.issue_instructor_code("teacher")
    clock = ServerClock()
    quiz = load_quiz(QUIZ)
    secret = server_secret(quiz, tmp_path)
    typed = {}
    with AttemptStore.open(tmp_path, database=database) as store:
        for student in ("s1", "s2", "s3"):
            taking = ServerTaking.open(quiz, secret, student, store, clock)
            answers = answers_of(taking)
            if student == "s2":
                answers["x-grad"] = forward_value(taking, "x-grad")
            if student == "s3":
                answers = {"y-value": answers["y-value"]}
            for qid, text in answers.items():
                clock.now += 10
                taking.answer(qid, text)
            typed[student] = answers
            if student != "s3":
                clock.now += 10
                taking.submit()
            taking.close()
    lesson = course.lessons[0]
    ids = [q.id for q in lesson.questions()]
    with Store.open(learner_dir(tmp_path, "s1"), database=database, learner="s1") as progress:
        for qid, correct in [(ids[0], True), (ids[1], False), (ids[1], True)]:
            progress.record(
                Attempt(lesson.id, qid, "typed", correct, float(correct), course_id=course.id)
            )
        attempts = progress.attempts(course_id=course.id)
    score = lesson_score(ids, question_results(attempts))
    with Presence.open(tmp_path, database=database) as presence:
        presence.report("a", "s1", "student", f"lesson:{lesson.id}", clock.now - 3)
        presence.report("b", "s2", "student", "quiz:basic", clock.now - 12)
        presence.report("c", "s3", "student", "home", clock.now - STALE_AFTER - 5)  # gone
    return tmp_path, teacher, clock, quiz, secret, typed, (lesson, ids, score)


def instructor_app(course, data_dir, clock, delivered, database=None) -> ServedApp:
    app = ServedApp(
        course=course,
        gate=AccountsGate(data_dir, "127.0.0.1", database),
        quiz_files=[QUIZ],
        data_dir=data_dir,
        clock=clock,
        heartbeat=3600,
        database=database,
    )

    def deliver_text(path_or_file, **options):  # the browser download, spied on
        delivered.append((path_or_file.read(), options))
        return "key"

    app.deliver_text = deliver_text
    return app


async def until(pilot, done, tries: int = 400) -> None:
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.05)
    assert done()


async def sign_in(pilot, name: str, code: str) -> InstructorScreen:
    await pilot.press(*name, "tab", *code, "enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, LoginScreen))
    await until(pilot, lambda: isinstance(pilot.app.screen, InstructorScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.quizzes)
    return screen


def has_tab(screen: InstructorScreen, tab: str) -> bool:
    try:
        screen.query_one("#tabs", TabbedContent).get_tab(tab)
    except Exception:  # the tabs are not mounted yet (a loaded machine)
        return False
    return True


async def show_tab(pilot, screen: InstructorScreen, tab: str) -> None:
    await until(pilot, lambda: has_tab(screen, tab))
    screen.shown.pop(tab, None)
    screen.query_one("#tabs", TabbedContent).active = tab
    await pilot.pause()
    screen.refresh_data(force=True)
    await until(pilot, lambda: tab in screen.shown)


def table(screen, selector: str) -> dict[str, list[str]]:
    found = screen.query_one(selector, DataTable)
    return {row.value: [str(c) for c in found.get_row(row)] for row in found.rows}


def headers(screen, selector: str) -> list[str]:
    return [str(c.label) for c in screen.query_one(selector, DataTable).columns.values()]


async def test_connected_progress_and_quiz_status(course, classroom, database):
    data_dir, teacher, clock, quiz, _, _, (lesson, ids, score) = classroom
    app = instructor_app(course, data_dir, clock, [], database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sign_in(pilot, "teacher", teacher)

        with Presence.open(
            data_dir, database=database
        ) as presence:  # the instructor's own session reports too
            await until(pilot, lambda: len(presence.connected(clock.now)) == 3)
        await show_tab(pilot, screen, "connected")
        rows = table(screen, "#connected-table")
        assert headers(screen, "#connected-table") == [
            "Student",
            "Role",
            "Since",
            "Where",
            "Last seen",
        ]
        assert rows["a"][0:2] == ["s1", "student"]
        assert rows["a"][3] == f"Lesson: {lesson.title.en}" and rows["a"][4] == "3 s ago"
        assert rows["b"][3] == "Quiz: Basic autograd quiz" and rows["b"][4] == "12 s ago"
        assert "c" not in rows  # not heard from for over 30 s: not connected
        (own,) = [r for r in rows.values() if r[0] == "teacher"]
        assert own[1] == "instructor" and own[3] == "Instructor's view"

        await show_tab(pilot, screen, "progress")
        rows = table(screen, "#progress-table")
        assert list(rows) == ["s1"]  # the others have no progress file
        assert rows["s1"][1] == f"2/{len(set(ids))} · {score:.0%}"
        assert rows["s1"][2:-1] == ["—"] * (len(course.lessons) - 1)

        await show_tab(pilot, screen, "quiz")
        rows = table(screen, "#quiz-table")
        assert list(rows) == STUDENTS
        assert rows["s1"][1:4] == ["submitted (by the student)", "1/1", "4/4"]
        assert rows["s2"][1] == "submitted (by the student)"
        with AttemptStore.open(data_dir, database=database) as store:
            (open_attempt,) = store.attempts("basic", "s3")
        left = open_attempt.deadline - clock.now
        assert rows["s3"][1:5] == ["in progress", "1/1", "1/4", clock_text(left)]
        assert rows["s4"][1:] == ["not started", "", "", "", ""]
        summary = str(screen.query_one("#quiz-summary").render())
        assert summary.endswith("3 of 4 started · 1 in progress · 2 submitted")

        await pilot.press("l")  # every word in Korean too
        await pilot.pause()
        tabs = screen.query_one("#tabs", TabbedContent)
        assert [str(tabs.get_tab(t).label) for t in ("connected", "quiz", "key")] == [
            "접속 중",
            "퀴즈",
            "정답지",
        ]
        rows = table(screen, "#quiz-table")
        assert rows["s3"][1] == "푸는 중" and rows["s4"][1] == "시작 전"
        labels = {b.action: b.description for _, b in screen._bindings}
        assert labels["download_gradebook"] == "성적표 CSV" and labels["leave"] == "과정"
        assert headers(screen, "#quiz-table")[0] == "학생"

        await pilot.press("escape")  # to the course home, and back with i
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InstructorScreen))


async def test_statistics_and_gradebook_come_from_the_graded_attempts(course, classroom, database):
    data_dir, teacher, clock, quiz, secret, typed, _ = classroom
    delivered: list[tuple[str, dict]] = []
    app = instructor_app(course, data_dir, clock, delivered, database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await sign_in(pilot, "teacher", teacher)
        await show_tab(pilot, screen, "statistics")
        with AttemptStore.open(data_dir, database=database) as store:
            gradebook = grade_attempts(store, quiz, secret, STUDENTS, clock.now)
        report = build_report(gradebook)
        rows = table(screen, "#stats-table")
        assert list(rows) == [q.id for q in quiz.questions()]
        for stats in report.questions:
            assert rows[stats.question_id][1:3] == [
                f"{stats.percent_correct:.1f}%",
                f"{stats.correct}/{stats.graded}",
            ]
        assert rows["x-grad"][1] == "50.0%"  # s2 typed the forward value
        assert rows["x-grad"][3] == f"{typed['s2']['x-grad']} ×1"
        assert rows["x-grad"][4] == f"{MISCONCEPTIONS['forward-value'].title.en} ×1"
        assert rows["y-value"][3] == "(none)"

        await show_tab(pilot, screen, "gradebook")
        rows = table(screen, "#gradebook-table")
        assert list(rows) == STUDENTS
        for row in gradebook.rows:
            assert rows[row.student_id][0] == row.student_id
            assert rows[row.student_id][5] == f"{row.total:.2f}/{row.max_points:g}"
        assert rows["s1"][5] == f"{quiz.max_points:.2f}/{quiz.max_points:g}"
        assert "in progress" in rows["s3"][6] and "missing" in rows["s4"][6]

        await pilot.press("d")
        await until(pilot, lambda: len(delivered) == 1)
        text, options = delivered[0]
        assert options["save_filename"] == "basic-gradebook.csv"
        lines = list(csv.DictReader(io.StringIO(text)))
        assert [line["student_id"] for line in lines] == STUDENTS
        assert [line["name"] for line in lines] == [f"Student {s}" for s in STUDENTS]
        assert {line["student_id"]: line["total"] for line in lines} == {
            row.student_id: f"{row.total:.2f}" for row in gradebook.rows
        }
        (kept,) = (data_dir / "exports").glob("basic-gradebook-*.csv")
        assert kept.read_text(encoding="utf-8") == text
        assert str(kept) in str(screen.query_one("#gradebook-saved").render())

        await show_tab(pilot, screen, "key")
        assert "4 students" in str(screen.query_one("#key-about").render())
        await pilot.click("#key-download")
        await until(pilot, lambda: len(delivered) == 2)
        text, options = delivered[1]
        assert options["save_filename"] == "basic-answer-key.csv"
        keys = list(csv.DictReader(io.StringIO(text)))
        assert [line["student_id"] for line in keys] == STUDENTS
        s1 = next(line for line in keys if line["student_id"] == "s1")
        assert s1["x-grad"] == typed["s1"]["x-grad"]  # s1 typed every right answer
        exported = list((data_dir / "exports").iterdir())
        assert len(exported) == 2  # answer keys and grades: readable by the server's user only
        assert all(path.stat().st_mode & 0o077 == 0 for path in exported)


async def test_the_instructor_view_without_a_quiz_says_so(course, tmp_path):
    with Accounts.open(tmp_path) as accounts:
        teacher = accounts.issue_instructor_code("teacher")
    app = ServedApp(
        course=course, gate=AccountsGate(tmp_path, "127.0.0.1"), data_dir=tmp_path, heartbeat=3600
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"teacher", "tab", *teacher, "enter")
        await until(pilot, lambda: isinstance(app.screen, InstructorScreen))
        screen = app.screen
        await show_tab(pilot, screen, "quiz")
        assert str(screen.query_one("#quiz-summary").render()).startswith("No quiz is served")
        await pilot.press("d")
        await pilot.pause()
        assert str(screen.query_one("#gradebook-saved").render()).startswith("No quiz is served")
