"""The server's own part of a quiz: every quiz given to `tutor serve --quiz` is checked, kept as
a version and given a secret on the server at start; an attempt whose time is up is submitted by
the server's sweep, on time, with no browser open (and by one of two servers sharing a
PostgreSQL database, once)."""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

from serve_client import ROOT, ServedTutor, serve_command

from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.secret import SERVER_SECRET, server_secret
from tutor.quiz.server_taking import ServerTaking

BASIC = ROOT / "tests" / "quizzes" / "basic.quiz.toml"


def short_quiz(directory: Path, seconds: float) -> Path:
    text = BASIC.read_text(encoding="utf-8")
    text = text.replace("time_limit_minutes = 10", f"time_limit_minutes = {seconds / 60!r}")
    text = text.replace('id = "basic"', 'id = "short"').replace("Basic autograd quiz", "Short quiz")
    text = text.replace(
        "late = { grace_seconds = 60, penalty_per_minute = 0.1, max_minutes = 10 }",
        'late = "reject"',
    )
    path = directory / "short.quiz.toml"
    path.write_text(text, encoding="utf-8")
    return path


def serve(data_dir: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*serve_command(), "--port", "1", "--data-dir", str(data_dir), *options],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_a_broken_quiz_is_said_at_start_in_one_line(tmp_path):
    broken = tmp_path / "broken.quiz.toml"
    broken.write_text(BASIC.read_text().replace('id = "basic"', 'id = "Not An Id"'))
    done = serve(tmp_path / "data", "--quiz", str(broken))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("tutor serve: --quiz:") and "id" in done.stderr


def test_two_quizzes_with_one_id_are_refused(tmp_path):
    copy = tmp_path / "copy.quiz.toml"
    copy.write_text(BASIC.read_text())
    done = serve(tmp_path / "data", "--quiz", str(BASIC), "--quiz", str(copy))
    assert done.returncode == 2
    assert "quiz id 'basic'" in done.stderr and done.stderr.count("\n") == 1


def test_the_server_keeps_the_version_and_makes_its_secret_at_start(tmp_path):
    data_dir = tmp_path / "data"
    with ServedTutor(data_dir, "--quiz", str(BASIC)):
        secret = data_dir / SERVER_SECRET
        assert secret.is_file() and secret.stat().st_mode & 0o077 == 0
        quiz = load_quiz(BASIC)
        with AttemptStore.open(data_dir) as store:
            assert store.version(quiz.digest).parts == quiz.parts


def test_the_server_submits_a_quiz_whose_time_is_up_with_no_browser_open(tmp_path, database):
    data_dir = tmp_path / "data"
    path = short_quiz(tmp_path, seconds=1.5)
    quiz = load_quiz(path)
    # on PostgreSQL two servers (data dirs of their own, one secret) sweep the same records
    nodes = [data_dir] if database is None else [data_dir, tmp_path / "other"]
    options = ["--quiz", str(path)] + ([] if database is None else ["--database", database])
    env = {"TUTOR_QUIZ_SECRET": "a class secret long enough for the two nodes"}
    with contextlib.ExitStack() as running:
        for node in nodes:
            running.enter_context(ServedTutor(node, *options, env=env))
        store = running.enter_context(AttemptStore.open(data_dir, database=database))
        secret = server_secret(quiz, data_dir, env)
        taking = ServerTaking.open(quiz, secret, "s1", store)
        taking.answer("y-value", "12")
        taking.close()  # the browser is gone: nobody holds the attempt
        end = time.monotonic() + 30
        while not store.attempt(taking.record.id).submitted and time.monotonic() < end:
            time.sleep(0.2)
        record = store.attempt(taking.record.id)
    assert record.how == "time-up"
    assert record.submitted_at == record.closes_at  # on time, not when the sweep noticed
    assert [e.text for e in store_events(data_dir, record.id, database)] == ["12"]


def store_events(data_dir: Path, attempt_id: int, database: str | None = None):
    with AttemptStore.open(data_dir, database=database) as store:
        return store.events(attempt_id)
