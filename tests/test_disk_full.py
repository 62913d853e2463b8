"""A full disk under the SQLite stores (a tmpfs of a few hundred KiB mounted by the test): the
write that does not fit is refused in one clear line, nothing written before it is lost, and the
file passes SQLite's integrity check once space is freed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tutor.progress import Attempt, ProgressError, Store


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=384k", "tmpfs", str(disk)], capture_output=True
        ).returncode
        == 0
    )
    if not mounted:
        if os.environ.get("TUTOR_REQUIRE_SERVER") == "1":
            pytest.fail("TUTOR_REQUIRE_SERVER=1 but a small tmpfs cannot be mounted here")
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def attempt(n: int) -> Attempt:
    return Attempt(
        lesson_id="forward-graph",
        question_id=f"q{n}",
        answer="[[2, 4], [6, 8]] " * 40,  # a long answer fills the disk sooner
        correct=n % 2 == 0,
        score=1.0 if n % 2 == 0 else 0.0,
        at=datetime(2026, 12, 1, tzinfo=UTC),
    )


def fill(disk: Path) -> Path:
    """Take most of what is left, leaving a little for the store to run into."""
    filler = disk / "filler"
    stat = os.statvfs(disk)
    filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - 48 * 1024))
    return filler


def test_a_full_disk_refuses_in_one_line_and_keeps_what_was_saved(small_disk):
    store = Store.open(small_disk / "learner")
    filler = fill(small_disk)
    saved = 0
    with pytest.raises(ProgressError) as refused:
        for n in range(10_000):
            store.record(attempt(n))
            saved += 1
    message = str(refused.value)
    assert "\n" not in message and "full" in message.lower()
    assert saved > 0
    store.close()
    filler.unlink()
    reopened = Store.open(small_disk / "learner")
    assert len(reopened.attempts()) == saved  # every attempt saved before the disk filled
    reopened.close()
    path = next((small_disk / "learner").glob("*.sqlite3"))
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
