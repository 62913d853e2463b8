"""The progress store: attempts survive restarts, kills, corruption and a second tutor on the same
dir. What the store keeps and answers is tested on SQLite (the learner's file) and on PostgreSQL
(`database`, tests/conftest.py: every learner in the same tables, each row with its learner's
id); files, migrations of old files and corruption are SQLite's own."""

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
from tutor.progress.schema import MIGRATIONS, VERSION, sqlite_script


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


def opened(tmp_path: Path, database: str | None, learner: str = "s1") -> Store:
    """The store of `learner`: its file in tmp_path, or its rows in `database`."""
    return Store.open(tmp_path, database=database, learner=learner)


@pytest.fixture
def store(tmp_path, database):
    with opened(tmp_path, database) as s:
        yield s


def test_an_attempt_round_trips_with_every_field(store):
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    original = attempt(
        misconception="sign-flipped", hints_used=2, duration_ms=1234, answer="−2x", at=at
    )
    store.record(original)
    assert store.attempts() == [original]


def test_an_attempt_keeps_the_numbers_it_was_asked_with(store, raw):
    numbers = (("a", 3), ("h", -1.5), ("op", "mul"), ("shape", (2, 3)))
    store.record(attempt(question="q1", numbers=numbers))
    store.record(attempt(question="q2"))  # a lesson without params: no numbers
    assert [a.numbers for a in store.attempts()] == [numbers, ()]
    raw(store, "UPDATE attempt SET numbers = 'not json' WHERE question_id = 'q1'")
    raw(store, "UPDATE attempt SET numbers = '[1, 2]' WHERE question_id = 'q2'")
    assert [a.numbers for a in store.attempts()] == [(), ()]  # a hand edit: read as none


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


def test_position_resumes_after_reopening(tmp_path, database):
    with opened(tmp_path, database) as first:
        first.set_position("c", "forward-graph", 3)
        first.set_position("c", "forward-graph", 4)
    with opened(tmp_path, database) as again:
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


def test_furthest_step_only_grows_while_the_position_follows_the_learner(store):
    assert store.furthest("c", "a") is None
    for step in (0, 1, 3, 2, 0):
        store.set_position("c", "a", step)
    assert (store.position("c", "a"), store.furthest("c", "a")) == (0, 3)


OUTLINE = ((), ("q1", "q2"), ("q3",))


def test_lesson_progress_counts_steps_and_scores_first_tries(store):
    store.record(attempt("q1", correct=False))
    store.record(attempt("q1", correct=True))
    store.record(attempt("q1", correct=True))
    store.record(attempt("q2", correct=True))
    store.record(attempt("removed", correct=True))
    store.set_position("autograd-basics", "backward", 2)
    progress = store.lesson_progress("autograd-basics", "backward", OUTLINE)
    assert (progress.steps_done, progress.steps) == (2, 3)
    assert (progress.questions_settled, progress.questions) == (2, 3)
    assert progress.score == pytest.approx(1 / 3)  # q1 missed first, q2 right, q3 unanswered
    assert not progress.complete
    assert progress.last_activity is not None


def test_progress_of_an_untouched_lesson(store):
    progress = store.lesson_progress("autograd-basics", "detach", OUTLINE)
    assert (progress.steps_done, progress.steps, progress.score) == (0, 3, None)
    assert progress.last_activity is None and not progress.started


def test_last_activity_is_the_newest_answer_or_visit(store):
    at = datetime(2000, 1, 1, tzinfo=UTC)  # long before the visit below, whatever the clock
    store.record(attempt("q1", at=at))
    store.record(attempt("q2", at=at + timedelta(hours=1)))
    (progress,) = store.course_progress("autograd-basics", [("backward", OUTLINE)])
    assert progress.last_activity == at + timedelta(hours=1)
    store.set_position("autograd-basics", "backward", 1)
    (progress,) = store.course_progress("autograd-basics", [("backward", OUTLINE)])
    assert progress.last_activity > at + timedelta(hours=1)


def test_the_outline_is_saved_in_order_and_rewritten_only_when_it_changes(tmp_path, database, raw):
    lessons = [("b", (("q1",), ())), ("a", ((), ("q2", "q3")))]
    with opened(tmp_path, database) as s:
        assert s.outlines("c") == []
        s.save_outline("c", lessons)
        if database is None:  # data_version moves when another connection writes
            watcher = sqlite3.connect(s.path)

            def version():
                return watcher.execute("PRAGMA data_version").fetchone()[0]

        else:  # a row's xmin is the transaction that wrote it

            def version():
                return raw(s, "SELECT lesson_id, xmin::text FROM outline ORDER BY lesson_id")

        before = version()
        s.save_outline("c", lessons)
        assert version() == before
        s.save_outline("c", lessons[::-1])
        assert version() != before
        s.save_outline("c", lessons)
        if database is None:
            watcher.close()
    with opened(tmp_path, database) as s:
        assert s.outlines("c") == lessons
        assert [p.lesson_id for p in s.course_progress("c")] == ["b", "a"]
        s.save_outline("c", lessons[1:])
        assert s.outlines("c") == lessons[1:]
        assert s.courses() == ["c"]


def test_an_unreadable_outline_row_is_skipped_not_fatal(store, raw):
    store.save_outline("c", [("a", (("q1",),)), ("b", (("q2",),))])
    raw(store, "UPDATE outline SET steps = 'not json' WHERE lesson_id = 'a'")
    assert store.outlines("c") == [("b", (("q2",),))]


def test_misconceptions_are_counted(store):
    for m in ("sign-flipped", "sign-flipped", "doubled", None):
        store.record(attempt(correct=m is None, misconception=m))
    assert store.misconception_counts("autograd-basics", "backward") == {
        "sign-flipped": 2,
        "doubled": 1,
    }
    assert store.misconception_counts("autograd-basics", "other") == {}


def test_settings_persist(tmp_path, database):
    with opened(tmp_path, database) as s:
        assert s.get_setting("lang") is None
        assert s.get_setting("lang", "en") == "en"
        s.set_setting("lang", "ko")
        s.set_setting("lang", "en")
        s.set_setting("theme", "textual-light")
    with opened(tmp_path, database) as s:
        assert (s.get_setting("lang"), s.get_setting("theme")) == ("en", "textual-light")


def test_the_database_uses_wal_and_the_current_schema(tmp_path):
    with Store.open(tmp_path) as store:
        conn = sqlite3.connect(store.path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION == len(MIGRATIONS)
        assert conn.execute("SELECT DISTINCT learner_id FROM attempt").fetchall() == []
        conn.close()


def test_postgresql_has_the_same_schema_at_the_same_version(
    tmp_path, postgres_server, postgres_url
):
    def columns(table: str, schema: str | None) -> list[str]:
        if schema is None:
            with sqlite3.connect(tmp_path / DB_NAME) as conn:
                return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        rows = postgres_server.sql(
            postgres_url,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = %s ORDER BY ordinal_position",
            (schema, table),
        )
        return [row[0] for row in rows]

    Store.open(tmp_path).close()
    Store.open(database=postgres_url, learner="s1").close()
    version = postgres_server.sql(postgres_url, "SELECT version FROM tutor_progress.schema_version")
    assert version == [(VERSION,)]
    for table in ("attempt", "position", "setting", "outline", "card"):
        assert columns(table, "tutor_progress") == columns(table, None)
        assert "learner_id" in columns(table, None)


def test_learners_share_the_postgresql_tables_and_see_only_their_own_rows(postgres_url):
    with (
        Store.open(database=postgres_url, learner="s1") as one,
        Store.open(database=postgres_url, learner="s2") as two,
    ):
        one.record(attempt("q1", misconception="doubled", correct=False))
        one.set_position("autograd-basics", "backward", 2)
        one.set_setting("lang", "ko")
        one.save_outline("autograd-basics", [("backward", OUTLINE)])
        assert two.attempts() == [] and two.position("autograd-basics", "backward") is None
        assert two.get_setting("lang") is None and two.outlines("autograd-basics") == []
        assert two.courses() == [] and two.misconception_counts("autograd-basics") == {}
        assert two.last_lesson("autograd-basics") is None
        two.record(attempt("q2"))
        two.save_outline("autograd-basics", [("detach", OUTLINE)])
        assert [a.question_id for a in one.attempts()] == ["q1"]
        assert [lesson for lesson, _ in one.outlines("autograd-basics")] == ["backward"]
        assert one.courses() == ["autograd-basics"]
        assert one.learners() == two.learners() == ["s1", "s2"]


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(sqlite_script(1))
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


def test_a_version_2_database_gains_the_furthest_step_and_loses_nothing(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(sqlite_script(1))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(sqlite_script(2))
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO attempt (course_id, lesson_id, question_id, answer, correct, score, at) "
        "VALUES ('c', 'backward', 'q3', '2x', 1, 1.0, '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("INSERT INTO position VALUES ('c', 'backward', 1, '2026-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO setting VALUES ('lang', 'ko')")
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as s:
        assert s.notice is None
        assert [a.answer for a in s.attempts()] == ["2x"]
        assert (s.position("c", "backward"), s.furthest("c", "backward")) == (1, 1)
        assert s.get_setting("lang") == "ko"
        # the answer to step 3's question proves step 3 was reached, though position says 1:
        # steps 1 (asks nothing) and 3 are done, step 2's questions are still open
        progress = s.lesson_progress("c", "backward", OUTLINE)
        assert (progress.steps_done, progress.questions_settled) == (2, 1)
        s.set_position("c", "backward", 2)
        assert s.furthest("c", "backward") == 2


def test_a_version_3_file_gains_the_learner_column_and_keeps_every_row(tmp_path):
    conn = sqlite3.connect(tmp_path / DB_NAME)
    for version in (1, 2, 3):
        conn.executescript(sqlite_script(version))
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO attempt (course_id, lesson_id, question_id, answer, correct, score, at) "
        "VALUES ('c', 'backward', 'q1', '2x', 1, 0.5, '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("INSERT INTO position VALUES ('c', 'backward', 2, '2026-01-01T00:00:00+00:00', 3)")
    conn.execute("INSERT INTO setting VALUES ('theme', 'textual-light')")
    conn.execute("INSERT INTO outline VALUES ('c', 'backward', 0, '[[\"q1\"], []]')")
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as s:
        assert s.notice is None
        assert [(a.answer, a.score) for a in s.attempts()] == [("2x", 0.5)]
        assert (s.position("c", "backward"), s.furthest("c", "backward")) == (2, 3)
        assert s.get_setting("theme") == "textual-light"
        assert s.outlines("c") == [("backward", (("q1",), ()))]
        assert s.learners() == [""]
        s.set_position("c", "backward", 1)
        assert s.furthest("c", "backward") == 3


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
        assert s.notice_text.en == s.notice and "옮겨 두고" in s.notice_text.ko
        assert "\n" not in s.notice_text.ko
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
    store.record(
        attempt("q2", correct=False, misconception="doubled", hints_used=1, numbers=(("a", 3),))
    )
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
    assert [(r["question_score"], r["lesson_score"]) for r in rows] == [("1", ""), ("0", "")]
    assert [r["numbers"] for r in rows] == ["", '{"a": 3}']


def test_export_shows_the_scores_home_shows(store, tmp_path):
    store.save_outline("autograd-basics", [("backward", OUTLINE)])
    for question, correct in (("q1", False), ("q1", True), ("q2", True), ("q3", False)):
        store.record(attempt(question, correct=correct))
    out = tmp_path / "attempts.csv"
    store.export_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["question_score"] for r in rows] == ["0", "0", "1", "0"]
    (progress,) = store.course_progress("autograd-basics")
    assert {r["lesson_score"] for r in rows} == {f"{progress.score:g}"}
    assert progress.score == pytest.approx(1 / 3)


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


def test_progress_without_export_summarises_each_lesson(tmp_path):
    at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    with Store.open(tmp_path) as s:
        s.save_outline("autograd-basics", [("backward", OUTLINE), ("detach", ((), ("d1",)))])
        s.record(attempt("q1", correct=False, at=at))
        s.record(attempt("q1", correct=True, at=at + timedelta(minutes=1)))
        s.record(attempt("q2", correct=True, at=at + timedelta(minutes=2)))
    result = _tutor("progress", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "course autograd-basics"
    assert lines[1].split() == ["lesson", "score", "questions", "steps", "last", "activity"]
    when = (at + timedelta(minutes=2)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert lines[2].split() == ["backward", "33%", "2/3", "2/3", *when.split()]
    assert lines[3].split() == ["detach", "-", "0/1", "0/2", "-"]
    assert "first answer" in result.stdout


def test_progress_summary_in_korean_and_of_an_empty_data_dir(tmp_path):
    with Store.open(tmp_path / "d") as s:
        s.save_outline("c", [("a", (("q",),))])
        s.record(attempt("q", lesson_id="a", course_id="c"))
    result = _tutor("--lang", "ko", "progress", env_dir=tmp_path / "d")
    assert result.returncode == 0, result.stderr
    assert "코스 c" in result.stdout and "마지막 활동" in result.stdout
    assert result.stdout.splitlines()[2].split()[:4] == ["a", "100%", "1/1", "1/1"]
    empty = _tutor("progress", env_dir=tmp_path / "none")
    assert (empty.returncode, empty.stderr) == (0, "")
    assert empty.stdout.startswith("No progress yet in ")
    assert not (tmp_path / "none").exists()


def test_progress_summary_without_a_saved_outline_counts_what_was_answered(tmp_path):
    with Store.open(tmp_path) as s:
        s.record(attempt("q1"))
    result = _tutor("progress", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].split()[:4] == ["backward", "-", "1/?", "?"]
    assert "open this course in the tutor" in result.stdout


def test_progress_command_runs_with_a_namespace_either_way(tmp_path, capsys):
    from argparse import Namespace

    from tutor.progress import command

    with Store.open(tmp_path) as s:
        s.save_outline("c", [("a", (("q",),))])
        s.record(attempt("q", lesson_id="a", course_id="c"))
    assert command.run(Namespace(data_dir=str(tmp_path))) == 0
    assert "100%" in capsys.readouterr().out
    out = tmp_path / "x.csv"
    assert command.run(Namespace(data_dir=str(tmp_path), export=str(out), lang="en")) == 0
    assert capsys.readouterr().out == f"wrote 1 attempts to {out}\n"


@pytest.mark.parametrize(("lang", "said"), [("en", "moved to"), ("ko", "옮겨 두고")])
def test_progress_on_a_corrupt_file_says_one_line_and_keeps_it(tmp_path, lang, said):
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    result = _tutor("--lang", lang, "progress", env_dir=tmp_path)
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and said in result.stderr
    assert list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))


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
