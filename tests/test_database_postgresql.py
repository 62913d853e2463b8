"""The stores on PostgreSQL (tutor.progress.database, `tutor serve --database`) against a real
server (tests/pg.py): URLs said without their password, bad ones refused in one line at start;
processes racing for the same attempt or the same login counted exactly once (on SQLite too);
the server restarted or stopped under a store call, a connection cut inside a transaction, a
commit whose answer was lost: the call goes through once, nothing committed is lost; and a class
served from PostgreSQL over the websocket, its progress landing there."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from serve_client import Browser, ServedTutor
from test_quiz_support import BASIC

from tutor.progress import Attempt, ProgressError, Store
from tutor.progress import database as db_module
from tutor.progress.database import (
    DatabaseError,
    add_listener,
    check_url,
    open_postgresql,
    redact,
    remove_listener,
)
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.serve import command
from tutor.serve.accounts import FREE_FAILURES, Accounts
from tutor.serve.roster import Roster, Student

CHEAP = 2**4
T0 = 1_800_000_000.0
ROOT = Path(__file__).resolve().parent.parent
COURSE, LESSON, QUESTION = "autograd-basics", "requires-grad", "x-requires-grad"


def roster_of(*ids: str) -> Roster:
    students = [Student(i, {"student_id": i}) for i in ids]
    return Roster(Path("roster.csv"), ["student_id"], "student_id", students)


# URLs and errors


def test_a_url_is_said_without_its_password():
    assert redact("postgresql://tutor:s3cr%40t@db.example:5432/class") == (
        "postgresql://tutor:***@db.example:5432/class"
    )
    assert redact("postgresql://db/class?user=t&password=hunter2&sslmode=require") == (
        "postgresql://db/class?user=t&password=***&sslmode=require"
    )
    assert redact("postgres://tutor@db/class") == "postgres://tutor@db/class"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://root:pw@db/class", "mysql://root:***@db/class: not a postgresql:// URL"),
        ("class.sqlite3", "class.sqlite3: not a postgresql:// URL"),
        ("postgresql://tutor:pw@db:port/class", "postgresql://tutor:***@db:port/class: "),
    ],
)
def test_a_url_that_is_not_one_is_one_line(url, said):
    with pytest.raises(DatabaseError) as caught:
        check_url(url)
    assert str(caught.value).startswith(said) and "\n" not in str(caught.value)
    assert ":pw@" not in str(caught.value)


def test_a_wrong_password_or_a_missing_database_is_one_line_without_the_password(
    postgres_server, postgres_url
):
    wrong = postgres_server.url(postgres_url.rsplit("/", 1)[1], password="not-the-password")
    with pytest.raises(ProgressError) as caught:
        Store.open(database=wrong, learner="s1")
    said = str(caught.value)
    assert "password authentication failed" in said and "\n" not in said
    assert "not-the-password" not in said and "tutor:***@" in said
    with pytest.raises(ProgressError) as caught:
        Store.open(database=postgres_server.url("no_such_database"), learner="s1")
    assert 'database "no_such_database" does not exist' in str(caught.value)
    assert postgres_server.password not in str(caught.value)


def test_a_database_that_does_not_answer_at_start_fails_at_once(postgres_server):
    from pg import free_port

    url = f"postgresql://tutor:{postgres_server.password}@127.0.0.1:{free_port()}/class"
    with pytest.raises(ProgressError) as caught:
        Store.open(database=url, learner="s1")
    said = str(caught.value)
    assert "Connection refused" in said and "\n" not in said
    assert postgres_server.password not in said


def serve_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_tutor_serve_with_a_bad_database_is_one_line_and_exit_2(
    tmp_path, capsys, postgres_server, postgres_url
):
    wrong = postgres_url.replace(postgres_server.password, "wrong-password")
    for url, said in ((wrong, "password authentication failed"), ("sqlite:///x", "not a post")):
        args = serve_args("--data-dir", str(tmp_path), "--database", url)
        assert command.run(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("tutor serve: --database: ") and err.count("\n") == 1
        assert said in err and "wrong-password" not in err


def test_the_app_processes_get_the_url_in_their_environment_not_their_argv(tmp_path):
    args = serve_args("--data-dir", str(tmp_path), "--database", "postgresql://u:pw@db/class")
    argv = command.session_argv(args, tmp_path)
    assert not any("pw" in part for part in argv)


# races between processes: exactly once, on SQLite and on PostgreSQL alike

RACER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    job, data_dir, database = json.loads(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None
    if job["kind"] == "login":
        from tutor.serve.accounts import Accounts
        store = Accounts.open(data_dir, database=database, scrypt_n=job["n"])
    else:
        from tutor.quiz.attempts import AttemptStore, Closed
        store = AttemptStore.open(data_dir, database=database)
    print("ready", flush=True)
    sys.stdin.readline()  # every racer is ready: go
    out = []
    if job["kind"] == "sweep":
        out = [record.id for record in store.close_expired(job["now"])]
    elif job["kind"] == "save":
        record = store.attempt(job["attempt"])
        for i in range(job["count"]):
            try:
                store.save(record, job["holder"], "y-value", str(i), job["now"] + i * 1e-3)
            except Closed:
                break
            out.append(str(i))
    elif job["kind"] == "submit":
        record = store.submit(store.attempt(job["attempt"]), job["now"], "student")
        out = [record.submitted_at, record.how]
    elif job["kind"] == "login":
        for r in range(job["rounds"]):
            for k in range(job["tries"]):
                address = f"10.{job['me']}.{r}.{k}"
                login = store.login(f"id{r}", "WRONG-CODE-HERE", address, now=job["now"] + r)
                out.append(login.retry_after)
        out.append(store.login("s1", job["code"], "10.9.9.9", now=job["now"]).ok)
    store.close()
    print(json.dumps(out), flush=True)
    """
)


def race(data_dir: Path, database: str | None, jobs: list[dict]) -> list:
    """Each job in a process of its own, all let go at once once every one is ready; what
    each printed."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, json.dumps(job), str(data_dir), database or ""],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for job in jobs
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    out = []
    for proc in procs:
        printed, _ = proc.communicate()
        assert proc.returncode == 0
        out.append(json.loads(printed.strip().splitlines()[-1]))
    return out


def started(store: AttemptStore, students: list[str]) -> list:
    quiz = load_quiz(BASIC)
    return [store.start(quiz, s, T0, lambda n: (0, {}), f"holder-{s}") for s in students]


def test_sweeps_of_several_servers_at_once_submit_each_attempt_once(tmp_path, database):
    students = [f"s{i}" for i in range(40)]
    with AttemptStore.open(tmp_path, database=database) as store:
        records = started(store, students)
        now = records[0].closes_at + 60
        closed = race(tmp_path, database, [{"kind": "sweep", "now": now}] * 4)
        after = store.attempts()
    ids = [i for each in closed for i in each]
    assert sorted(ids) == sorted(r.id for r in records)  # each attempt closed by one sweep
    assert {(r.how, r.submitted_at == r.closes_at) for r in after} == {("time-up", True)}


def test_answers_racing_a_submit_are_kept_exactly_when_they_were_accepted(tmp_path, database):
    with AttemptStore.open(tmp_path, database=database) as store:
        (record,) = started(store, ["s1"])
        saver = {"kind": "save", "attempt": record.id, "holder": "holder-s1"}
        saved, (submitted_at, how) = race(
            tmp_path,
            database,
            [
                {**saver, "count": 300, "now": T0 + 1},
                {"kind": "submit", "attempt": record.id, "now": T0 + 2},
            ],
        )
        events = [e.text for e in store.events(record.id)]
        assert store.attempt(record.id).submitted_at == submitted_at == T0 + 2
    assert how == "student"
    assert events == saved  # every accepted answer is there, and no answer after the submit
    assert saved == [str(i) for i in range(len(saved))]


ROUNDS = 60


def test_failed_logins_racing_from_four_processes_are_each_counted(tmp_path, database):
    with Accounts.open(tmp_path, database=database, scrypt_n=CHEAP) as accounts:
        code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    job = {"kind": "login", "n": CHEAP, "rounds": ROUNDS, "tries": 1, "now": T0, "code": code}
    results = race(tmp_path, database, [{**job, "me": me} for me in range(4)])
    assert [each[-1] for each in results] == [True] * 4  # every right login went through
    assert all(wait == 0 for each in results for wait in each[:-1])
    with Accounts.open(tmp_path, database=database, scrypt_n=CHEAP) as accounts:
        # one failure from each process, none lost: the next one is the fifth, which locks
        assert FREE_FAILURES == 5
        for r in range(ROUNDS):
            assert accounts.login(f"id{r}", "WRONG-CODE-HERE", "10.8.8.8", T0 + r).retry_after


# the database going away under the stores


@pytest.fixture
def heard():
    events: list[tuple[str, str]] = []
    waiting = threading.Event()

    def listener(event: str, where: str, seconds: float) -> None:
        events.append((event, where))
        if event == "waiting":
            waiting.set()

    add_listener(listener)
    try:
        yield events, waiting
    finally:
        remove_listener(listener)


def attempt(question: str) -> Attempt:
    return Attempt("backward", question, "2", True, 1.0, course_id="c")


def test_a_restart_between_two_calls_is_waited_out_and_nothing_is_lost(
    postgres_server, postgres_url, heard
):
    events, _ = heard
    with Store.open(database=postgres_url, learner="s1") as store:
        store.record(attempt("before"))
        store.set_position("c", "backward", 3)
        postgres_server.restart()
        store.record(attempt("after"))  # the connection was cut: reconnected, run again
        assert [a.question_id for a in store.attempts()] == ["before", "after"]
        assert store.position("c", "backward") == 3
    where = redact(postgres_url)
    assert events == [("waiting", where), ("back", where)]
    assert postgres_server.password not in where


def test_a_call_made_while_the_database_is_down_goes_through_once_it_is_back(
    postgres_server, postgres_url, heard
):
    events, waiting = heard
    done = threading.Event()
    failed: list[BaseException] = []
    with (
        Store.open(database=postgres_url, learner="s1") as store,
        AttemptStore.open(Path("."), database=postgres_url) as records,
    ):
        store.record(attempt("first"))
        (record,) = started(records, ["s1"])
        postgres_server.stop()

        def answer() -> None:
            try:
                store.record(attempt("typed while down"))
                records.save(record, "holder-s1", "y-value", "42", T0 + 5)
            except BaseException as error:
                failed.append(error)
            done.set()

        thread = threading.Thread(target=answer)
        thread.start()
        assert waiting.wait(60)  # the call waits (told once), and keeps waiting
        assert not done.is_set()
        postgres_server.start()
        thread.join(120)
        assert done.is_set() and not failed
        assert [a.question_id for a in store.attempts()] == ["first", "typed while down"]
        assert [e.text for e in records.events(record.id)] == ["42"]
    assert [e for e, _ in events] == ["waiting", "back"]


MIGRATIONS = (("CREATE TABLE item (id {id}, name TEXT NOT NULL)",),)


def test_a_connection_cut_inside_a_transaction_runs_it_again_whole(postgres_url):
    runs = []

    def body(tx):
        runs.append(1)
        tx.execute("INSERT INTO item (name) VALUES (?)", ("one",))
        if len(runs) == 1:  # the server ends this connection mid-transaction
            tx.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        tx.execute("INSERT INTO item (name) VALUES (?)", ("two",))
        return len(runs)

    database = open_postgresql(postgres_url, "tutor_test", MIGRATIONS)
    try:
        assert database.transaction(body) == 2
        assert database.execute("SELECT name FROM item ORDER BY id").fetchall() == [
            ("one",),
            ("two",),
        ]
    finally:
        database.close()


@pytest.mark.parametrize("committed", [True, False])
def test_a_commit_whose_answer_is_lost_is_looked_up_not_run_twice(
    postgres_url, monkeypatch, committed
):
    """The connection dies as COMMIT is sent: whether it committed is asked of the server
    (pg_xact_status) once reconnected; committed, the call returns, else it runs again."""
    import psycopg

    real_commit = psycopg.Connection.commit
    cut = []

    def commit_then_cut(conn):
        if not cut:  # the first commit only
            cut.append(1)
            if committed:
                real_commit(conn)
            conn.close()  # unanswered: the server rolls back what was not committed
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return real_commit(conn)

    runs = []

    def body(tx):
        runs.append(1)
        tx.execute("INSERT INTO item (name) VALUES (?)", ("once",))
        return "done"

    database = open_postgresql(postgres_url, "tutor_test", MIGRATIONS)
    try:
        monkeypatch.setattr(psycopg.Connection, "commit", commit_then_cut)
        assert database.transaction(body) == "done"
        monkeypatch.undo()
        assert len(runs) == (1 if committed else 2)
        assert database.execute("SELECT name FROM item").fetchall() == [("once",)]
    finally:
        database.close()


def test_stores_of_one_process_share_one_connection(postgres_url):
    with (
        Accounts.open(database=postgres_url, scrypt_n=CHEAP) as accounts,
        Store.open(database=postgres_url, learner="s1") as store,
        AttemptStore.open(Path("."), database=postgres_url) as records,
    ):
        links = {accounts._db._link, store._db._link, records._db._link}
        assert len(links) == 1 and next(iter(links)).users == 3
    assert postgres_url not in db_module._links


# a class served from PostgreSQL


def stored(url: str, student: str, read):
    with Store.open(database=url, learner=student) as store:
        return read(store)


async def until(check, what: str):
    import asyncio
    import time

    end = time.monotonic() + 60
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {what}")


async def test_tutor_serve_database_signs_in_and_keeps_progress_in_postgresql(
    tmp_path, postgres_server, postgres_url
):
    data_dir = tmp_path / "served"
    with Accounts.open(database=postgres_url) as accounts:
        code = dict(accounts.issue_codes(roster_of("s1")))["s1"]
    with ServedTutor(data_dir, "--database", postgres_url) as server:
        async with Browser.open(server.url) as browser:
            await browser.log_in("s1", "AAAA-BBBB-CCCC")
            await browser.wait_for("Unknown student ID or wrong access code.")
            await browser.type(code)
            await browser.press("enter")
            await browser.wait_for("PyTorch autograd, by hand")
            await until(lambda: stored(postgres_url, "s1", lambda s: s.outlines(COURSE)), "home")
            for pid in server.sessions():  # what every user of the machine may read
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                assert postgres_server.password.encode() not in cmdline
            await browser.press("enter")  # the first lesson
            opened = lambda s: s.position(COURSE, LESSON) is not None  # noqa: E731
            await until(lambda: stored(postgres_url, "s1", opened), "the first lesson")
            await browser.press("n")  # past the introduction, to the first question
            moved = lambda s: s.position(COURSE, LESSON) == 1  # noqa: E731
            await until(lambda: stored(postgres_url, "s1", moved), "the step with a question")
            await browser.type("1")
            await browser.press("enter")
            answered = lambda s: s.attempts(LESSON, COURSE)  # noqa: E731
            (answer,) = await until(lambda: stored(postgres_url, "s1", answered), "an answer")
            assert (answer.question_id, answer.answer, answer.correct) == (QUESTION, "1", True)
        log = server.log.read_text()
    assert stored(postgres_url, "s1", lambda s: s.get_setting("lang")) == "en"
    assert postgres_server.password not in log
    # nothing of the class in the data dir: accounts, progress and presence are in PostgreSQL
    assert not (data_dir / "learners").exists()
    assert not list(data_dir.glob("*.sqlite3"))


def test_tutor_class_and_tutor_quiz_take_database(tmp_path, postgres_url, capsys, monkeypatch):
    from tutor import cli

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\ns1\ns2\n", encoding="utf-8")
    out = tmp_path / "codes.csv"
    codes_argv = ["class", "codes", str(roster), "--out", str(out)]
    assert cli.main([*codes_argv, "--database", postgres_url]) == 0
    assert capsys.readouterr().out.startswith("wrote 2 access codes")
    codes = dict(line.split(",") for line in out.read_text().splitlines()[1:])
    with Accounts.open(database=postgres_url) as accounts:
        assert accounts.login("s2", codes["s2"], "10.0.0.1").ok
    # tutor quiz grade: the records in PostgreSQL, the secret in the data dir
    data_dir = tmp_path / "data"
    quiz = load_quiz(BASIC)
    from tutor.quiz.secret import server_secret
    from tutor.quiz.server_taking import ServerTaking

    monkeypatch.delenv("TUTOR_QUIZ_SECRET", raising=False)
    with AttemptStore.open(data_dir, database=postgres_url) as records:
        taking = ServerTaking.open(quiz, server_secret(quiz, data_dir), "s1", records)
        taking.submit()
    argv = ["quiz", "grade", str(BASIC), "--data-dir", str(data_dir), "--csv", "-"]
    assert cli.main([*argv, "--database", postgres_url]) == 0
    printed = capsys.readouterr()
    assert printed.out.splitlines()[1].startswith("s1,") and "graded 1 of 1" in printed.err
    monkeypatch.setenv("TUTOR_DATABASE_URL", postgres_url)  # the same from the environment
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("s1,")
    monkeypatch.delenv("TUTOR_DATABASE_URL")
    assert cli.main(argv) == 2  # the data dir has no records of its own
    assert "no quiz records" in capsys.readouterr().err
    assert os.environ.get("TUTOR_DATABASE_URL") is None


def test_a_call_that_waits_longer_than_its_patience_fails_in_one_line(
    postgres_server, postgres_url
):
    database = open_postgresql(postgres_url, "tutor_test", MIGRATIONS, patience=1.0)
    try:
        database.execute("INSERT INTO item (name) VALUES (?)", ("kept",))
        postgres_server.stop()
        try:
            with pytest.raises(DatabaseError) as caught:
                database.execute("SELECT name FROM item")
        finally:
            postgres_server.start()
        said = str(caught.value)
        assert "not answering for 1 s" in said and "\n" not in said
        assert postgres_server.password not in said
        assert database.execute("SELECT name FROM item").fetchall() == [("kept",)]
    finally:
        database.close()


async def test_a_served_session_says_the_database_is_gone_and_then_back(
    tmp_path, postgres_server, postgres_url
):
    from serve_client import issue_codes

    from tutor.serve.session import AccountsGate
    from tutor.tui.screens.home import HomeScreen
    from tutor.tui.served import DATABASE_BACK, DATABASE_WAITING, ServedApp, load

    codes = issue_codes(tmp_path, ["s1"], postgres_url)
    app = ServedApp(
        course=load(None),
        gate=AccountsGate(tmp_path, "127.0.0.1", postgres_url),
        data_dir=tmp_path,
        heartbeat=3600,
        database=postgres_url,
    )

    def said() -> list[str]:
        return [n.message for n in app._notifications]

    async def until(pilot, done) -> None:
        for _ in range(1200):
            if done():
                return
            await pilot.pause(0.05)
        assert done()

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"s1", "tab", *codes["s1"], "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await app.workers.wait_for_complete()
        postgres_server.stop()
        app.report_presence()  # the presence row: a store call off the event loop, waiting
        await until(pilot, lambda: DATABASE_WAITING.en in said())
        postgres_server.start()
        await until(pilot, lambda: any(m.startswith("The class database is back") for m in said()))
        await app.workers.wait_for_complete()
        app.store.record(attempt("after the restart"))
    assert DATABASE_BACK.en.startswith("The class database is back")
    with Store.open(database=postgres_url, learner="s1") as store:
        assert [a.question_id for a in store.attempts()] == ["after the restart"]


FORKER = textwrap.dedent(
    """
    import gc, os, sys
    from tutor.progress import Attempt, Store
    from tutor.progress.database import add_listener
    heard = []
    add_listener(lambda event, where, seconds: heard.append(event))
    url = sys.argv[1]
    parent = Store.open(database=url, learner="parent")
    parent.record(Attempt("l", "before the fork", "1", True, 1.0))
    pid = os.fork()
    if pid == 0:  # the child: its own connection; the inherited one dropped, collected
        child = Store.open(database=url, learner="child")
        child.record(Attempt("l", "in the child", "1", True, 1.0))
        del parent
        gc.collect()
        sys.exit(0)  # a normal exit: finalizers and atexit run
    _, status = os.waitpid(pid, 0)
    parent.record(Attempt("l", "after the fork", "1", True, 1.0))
    print(status, heard, [a.question_id for a in parent.attempts()])
    """
)


def test_a_forked_child_never_touches_its_parents_connection(postgres_url):
    done = subprocess.run(
        [sys.executable, "-c", FORKER, postgres_url], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    # the parent's connection went on without a wait: the child said no goodbye on it
    assert done.stdout.split() == [
        "0",
        "[]",
        "['before",
        "the",
        "fork',",
        "'after",
        "the",
        "fork']",
    ]
    with Store.open(database=postgres_url, learner="child") as child:
        assert [a.question_id for a in child.attempts()] == ["in the child"]
