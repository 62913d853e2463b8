"""What `tutor` does to draw its first frame sooner changes nothing it does: the plain start is
read as the parser reads it, a cached course is the course its files load to, and the cyclic
collector the app schedules is as it was afterwards."""

from __future__ import annotations

import asyncio
import gc
import shutil
from pathlib import Path

import pytest

from tutor.cli import build_parser, collector_scheduled_by_the_app, plain_exec, plain_start
from tutor.course import CourseError, default_course_dir, load_course
from tutor.course.cache import CACHE_DIR, CACHE_FILE
from tutor.course.load import read_course

SEED = Path(__file__).parent / "courses" / "seed"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--lang", "ko"],
        ["--lang=en"],
        ["--lessons", "some/dir", "--data-dir", "other dir"],
        ["--data-dir=x", "--lang", "en", "--lang", "ko"],
        ["--data-dir", "exec"],
        ["--data-dir==x"],
    ],
)
def test_a_plain_start_is_read_as_the_parser_reads_it(argv):
    assert vars(plain_start(argv)) == vars(build_parser(argv).parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "fr"],
        ["--lan", "en"],
        ["--lessons"],
        ["--data-dir="],
        ["--data-dir", "-x"],
        ["-h"],
        ["--version"],
        ["exec", "program.py"],
        ["--lessons", "x", "progress"],
        ["--lang", "en", "--"],
    ],
)
def test_anything_else_is_left_to_the_parser(argv):
    assert plain_start(argv) is None


@pytest.mark.parametrize(
    "argv",
    [["exec", "program.py"], ["exec", "--trace", "prog.py"], ["exec", "-"], ["exec", "a b.py"]],
)
def test_a_plain_exec_is_read_as_the_parser_reads_it(argv):
    parsed = vars(build_parser(argv).parse_args(argv))
    assert vars(plain_exec(argv)) == parsed


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["exec"],
        ["exec", "-h"],
        ["exec", "--trace"],
        ["exec", "a.py", "b.py"],
        ["exec", "a.py", "--trace"],
        ["--lang", "ko", "exec", "a.py"],
        ["derive", "x"],
    ],
)
def test_any_other_exec_is_left_to_the_parser(argv):
    assert plain_exec(argv) is None


def course_copy(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(SEED, target, ignore=shutil.ignore_patterns(CACHE_DIR))
    return target


def test_a_course_loaded_again_comes_from_its_cache_equal(tmp_path):
    directory = course_copy(tmp_path)
    first = load_course(directory)
    assert (directory / CACHE_DIR / CACHE_FILE).is_file()
    again = load_course(directory)
    assert again == first and again is not first
    assert again == read_course(directory)[0]
    assert load_course(str(directory)).path == Path(str(directory))


def test_an_edited_file_is_read_again(tmp_path):
    directory = course_copy(tmp_path)
    course = load_course(directory)
    lesson = course.lessons[0]
    source = lesson.path.read_text(encoding="utf-8")
    title = lesson.title.en
    assert source.count(title) >= 1
    changed = title[:-1] + ("X" if title[-1] != "X" else "Y")  # same length, same size
    lesson.path.write_text(source.replace(title, changed, 1), encoding="utf-8")
    assert load_course(directory).lessons[0].title.en == changed


def test_a_fault_made_after_a_good_load_is_reported(tmp_path):
    directory = course_copy(tmp_path)
    lesson = load_course(directory).lessons[0]
    lesson.path.write_text(lesson.path.read_text(encoding="utf-8") + "\n[[", encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(directory)
    assert "TOML syntax" in str(caught.value)


def test_a_removed_lesson_file_is_missed(tmp_path):
    directory = course_copy(tmp_path)
    lesson = load_course(directory).lessons[0]
    lesson.path.unlink()
    with pytest.raises(CourseError):
        load_course(directory)


def test_a_cache_that_cannot_be_read_is_passed_over(tmp_path):
    directory = course_copy(tmp_path)
    first = load_course(directory)
    cache = directory / CACHE_DIR / CACHE_FILE
    for junk in (b"", b"\x00garbage", cache.read_bytes()[:100]):
        cache.write_bytes(junk)
        assert load_course(directory) == first
    cache.unlink()
    (directory / CACHE_DIR).rmdir()
    (directory / CACHE_DIR).write_text("not a directory")
    assert load_course(directory) == first


async def test_the_app_schedules_the_collector_and_leaves_it_as_it_was(tmp_path):
    from tutor.tui.app import NEVER
    from tutor.tui.factory import make_app

    before = gc.get_threshold()
    with collector_scheduled_by_the_app():
        assert not gc.isenabled()
        app = make_app(data_dir=tmp_path, lang="en")
        async with app.run_test() as pilot:
            for _ in range(100):  # the warm-up waits for the first frame, then a timer
                await asyncio.sleep(0.05)
                await app.workers.wait_for_complete()
                if gc.isenabled():
                    break
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[2] == NEVER
            await pilot.pause()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_an_app_started_otherwise_leaves_the_collector_alone(tmp_path):
    from tutor.tui.factory import make_app

    before = gc.get_threshold()
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gc.isenabled() and gc.get_threshold() == before and gc.get_freeze_count() == 0


FIRST_FRAME = """
import asyncio, json, sys
from textual.app import App
from tutor.tui.factory import make_app

seen = {}
display = App._display

def first_display(self, *args, **kwargs):
    seen.setdefault("modules", sorted(sys.modules))
    return display(self, *args, **kwargs)

App._display = first_display
app = make_app(data_dir=sys.argv[1], lang="en")

async def main():
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        seen["due"] = str(app.screen.query_one("#due").render())

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_home_screens_first_frame_counts_the_reviews_due_without_fsrs(tmp_path):
    """The line of reviews due is in the first frame, read off the card table: fsrs (and
    sympy, numpy) load after it."""
    import json
    import subprocess
    import sys
    from datetime import UTC, datetime, timedelta

    from tutor.progress import Attempt, Store

    course = load_course(default_course_dir())
    lesson = course.lessons[0]
    day_ago = datetime.now(UTC) - timedelta(days=1)
    with Store.open(tmp_path) as store:
        for question in lesson.questions()[:2]:  # wrong a day ago: due again since
            store.record(
                Attempt(lesson.id, question.id, "?", False, 0.0, course_id=course.id, at=day_ago)
            )
        due = store.due_count(course.id)
    assert due == 2
    run = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.splitlines()[-1])
    assert f"{due} to review today" in seen["due"]
    assert not {"fsrs", "sympy", "numpy"} & set(seen["modules"])
