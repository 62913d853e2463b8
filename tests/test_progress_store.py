"""The progress store: attempts survive restarts, kills, corruption and a second tutor on the same dir."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tutor.progress import DB_NAME, Attempt, ProgressError, Store, resolve_data_dir
from tutor.progress.schema import MIGRATIONS, VERSION


def attempt(question: str = "q1", correct: bool = True, **extra) -> Attempt:
    fields = dict(
        lesson_id="backward",
        question_id=question,
        answer="[[2, 4], [6, 8]]",
        correct=correct,
        score=1.0 if correct else 0.0,
        course_id="autograd-basics",
    )
    fields.update(extra)
    return Attempt(**fields)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path) as s:
        yield s


def test_an_attempt_round_trips_with_every_field(store):
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    original = attempt(
        misconception="sign-flipped", hints_used=2, duration_ms=1234, answer="−2x", at=at
    )
    store.record(original)
    assert store.attempts() == [original]


def test_attempts_filter_by_lesson_and_course(store):
    store.record(attempt(lesson_id="a"))
    store.record(attempt(lesson_id="b"))
    store.record(attempt(lesson_id="a", course_id="other"))
    assert [a.lesson_id for a in store.attempts(lesson_id="a")] == ["a", "a"]
    assert len(store.attempts(course_id="autograd-basics")) == 2
    assert len(store.attempts(lesson_id="a", course_id="other")) == 1


def test_attempts_come_back_in_time_order(store):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for minutes in (5, 1, 3):
        store.record(attempt(question=f"q{minutes}", at=base + timedelta(minutes=minutes)))
    assert [a.question_id for a in store.attempts()] == ["q1", "q3", "q5"]


def test_position_resumes_after_reopening(tmp_path):
    with Store.open(tmp_path) as first:
        first.set_position("c", "forward-graph", 3)
        first.set_position("c", "forward-graph", 4)
    with Store.open(tmp_path) as again:
        assert again.position("c", "forward-graph") == 4
        assert again.position("c", "backward") is None
        assert again.position("other-course", "forward-graph") is None


def test_last_lesson_is_the_most_recently_positioned(store):
    assert store.last_lesson("c") is None
    store.set_position("c", "a", 1)
    store.set_position("c", "b", 0)
    assert store.last_lesson("c") == "b"
    store.set_position("c", "a", 2)
    assert store.last_lesson("c") == "a"


def test_summary_counts_questions_answered_correctly_once(store):
    store.record(attempt("q1", correct=False))
    store.record(attempt("q1", correct=True))
    store.record(attempt("q1", correct=True))
    store.record(attempt("q2", correct=False, score=0.5))
    summary = store.lesson_summary("autograd-basics", "backward", ["q1", "q2", "q3"])
    assert (summary.done, summary.total, summary.last_score) == (1, 3, 0.5)
    assert not summary.complete


def test_summary_ignores_questions_no_longer_in_the_lesson(store):
    store.record(attempt("removed"))
    store.record(attempt("q1"))
    summary = store.lesson_summary("autograd-basics", "backward", ["q1"])
    assert (summary.done, summary.total) == (1, 1)
    assert summary.complete


def test_summary_of_an_untouched_lesson(store):
    summary = store.lesson_summary("autograd-basics", "detach", ["a", "b"])
    assert (summary.done, summary.total, summary.last_score) == (0, 2, None)


def test_misconceptions_are_counted(store):
    for m in ("sign-flipped", "sign-flipped", "doubled", None):
        store.record(attempt(correct=m is None, misconception=m))
    assert store.misconception_counts("autograd-basics", "backward") == {
        "sign-flipped": 2,
        "doubled": 1,
    }
    assert store.misconception_counts("autograd-basics", "other") == {}


def test_settings_persist(tmp_path):
    with Store.open(tmp_path) as s:
        assert s.get_setting("lang") is None
        assert s.get_setting("lang", "en") == "en"
        s.set_setting("lang", "ko")
        s.set_setting("lang", "en")
        s.set_setting("theme", "textual-light")
    with Store.open(tmp_path) as s:
        assert (s.get_setting("lang"), s.get_setting("theme")) == ("en", "textual-light")


def test_the_database_uses_wal_and_the_current_schema(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION == len(MIGRATIONS)
    conn.close()


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(MIGRATIONS[0])
    conn.execute(
        "INSERT INTO attempt (lesson_id, question_id, answer, correct, score, at) "
        "VALUES ('backward', 'q1', '2x', 1, 1.0, '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("INSERT INTO position VALUES ('backward', 2, '2026-01-01T00:00:00+00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as s:
        (old,) = s.attempts()
        assert (old.lesson_id, old.answer, old.course_id, old.duration_ms) == (
            "backward",
            "2x",
            "",
            None,
        )
        assert s.position("", "backward") == 2
        s.record(attempt())
        assert len(s.attempts()) == 2


def test_a_database_from_a_newer_tutor_is_moved_aside_not_damaged(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {VERSION + 5}")
    conn.close()
    with Store.open(tmp_path) as s:
        assert s.notice and "newer tutor" in s.notice
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a database" * 100), id="garbage"),
        pytest.param(lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), id="header"),
        pytest.param(lambda p: p.mkdir(), id="directory"),
    ],
)
def test_an_unreadable_file_is_moved_aside_with_a_one_line_notice(tmp_path, damage):
    damage(tmp_path / DB_NAME)
    with Store.open(tmp_path) as s:
        assert s.notice is not None and "\n" not in s.notice
        assert "moved to" in s.notice
        s.record(attempt())
        assert len(s.attempts()) == 1
    aside = list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
    assert len(aside) == 1


def test_a_truncated_database_is_moved_aside(tmp_path):
    with Store.open(tmp_path) as s:
        for i in range(200):
            s.record(attempt(f"q{i}", answer="x" * 500))
    db = tmp_path / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    with Store.open(tmp_path) as s:
        assert s.notice is not None
        assert s.attempts() == []


def test_an_uncreatable_data_dir_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ProgressError, match="cannot create the data directory"):
        Store.open(blocker / "sub")


def test_data_dir_precedence(tmp_path):
    assert resolve_data_dir("/a", {"TUTOR_DATA_DIR": "/b"}) == Path("/a")
    assert resolve_data_dir(None, {"TUTOR_DATA_DIR": "/b"}) == Path("/b")
    default = resolve_data_dir(None, {})
    assert default.name == "tutor" and default.is_absolute()


def test_export_csv_reads_back(store, tmp_path):
    store.record(attempt("q1", answer='a "quoted", answer\nwith a newline'))
    store.record(attempt("q2", correct=False, misconception="doubled", hints_used=1))
    out = tmp_path / "attempts.csv"
    assert store.export_csv(out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["question"] for r in rows] == ["q1", "q2"]
    assert rows[0]["answer"] == 'a "quoted", answer\nwith a newline'
    assert (rows[1]["correct"], rows[1]["misconception"], rows[1]["hints_used"]) == (
        "0",
        "doubled",
        "1",
    )
    assert datetime.fromisoformat(rows[0]["time"]).tzinfo is not None


def test_export_to_an_unwritable_path_is_one_clear_error(store, tmp_path):
    with pytest.raises(ProgressError, match="cannot write"):
        store.export_csv(tmp_path / "missing-dir" / "out.csv")


def _tutor(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUTOR_DATA_DIR": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env
    )


def test_progress_export_command(tmp_path):
    with Store.open(tmp_path) as s:
        s.record(attempt())
    out = tmp_path / "grades.csv"
    result = _tutor("progress", "--export", str(out), env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list(csv.reader(out.open()))) == 2


def test_progress_export_command_with_a_bad_path_says_one_line(tmp_path):
    result = _tutor("progress", "--export", str(tmp_path / "no" / "x.csv"), env_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("tutor: cannot write")


WRITER = textwrap.dedent(
    """
    import sys
    from tutor.progress import Attempt, Store
    store = Store.open(sys.argv[1])
    if store.notice: print(store.notice, file=sys.stderr)
    for i in range(int(sys.argv[3])):
        store.record(Attempt(lesson_id="l", question_id=f"{sys.argv[2]}-{i}", answer="1",
                             correct=True, score=1.0))
        print(i, flush=True)
    if len(sys.argv) > 4:
        sys.stdin.read()
    """
)


def test_two_tutors_on_one_data_dir_lose_nothing(tmp_path):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), name, "150"], stdout=subprocess.PIPE
        )
        for name in ("a", "b")
    ]
    for p in procs:
        p.communicate()
        assert p.returncode == 0
    with Store.open(tmp_path) as s:
        ids = {a.question_id for a in s.attempts()}
    assert ids == {f"{n}-{i}" for n in "ab" for i in range(150)}


def test_sigkill_right_after_recording_loses_no_attempt(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), "k", "25", "wait"],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    printed = [proc.stdout.readline() for _ in range(25)]
    assert printed[-1].strip() == "24"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store.open(tmp_path) as s:
        assert s.notice is None
        assert {a.question_id for a in s.attempts()} == {f"k-{i}" for i in range(25)}
