"""Provides make_app: the one way the CLI, the Pilot tests and the snapshots build the tutor."""

from __future__ import annotations

from pathlib import Path

from tutor.tui.i18n import language_from_env


class SetupError(Exception):
    """The course or the progress store could not be opened; the message is one line."""


def make_app(
    *,
    lessons_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    lang: str | None = None,
    seed: int | None = None,
    clock=None,
):
    """The tutor's app; `seed` makes the numbers a lesson draws for retries repeatable, `clock`
    (an aware datetime, now) is the review schedule's (tests move it by hand)."""
    from tutor.course.load import load_course
    from tutor.course.paths import default_course_dir
    from tutor.course.problems import CourseError
    from tutor.progress import ProgressError, Store, resolve_data_dir
    from tutor.tui.app import TutorApp

    directory = Path(lessons_dir) if lessons_dir else default_course_dir()
    try:
        course = load_course(directory)
    except CourseError as err:
        problems = [str(each) for each in err.problems] or ["the course is invalid"]
        more = f" (and {len(problems) - 1} more: run `tutor check`)" if len(problems) > 1 else ""
        raise SetupError(problems[0] + more) from None
    try:
        where = resolve_data_dir(str(data_dir) if data_dir else None)
        store = Store.open(where) if clock is None else Store.open(where, clock=clock)
    except ProgressError as err:
        raise SetupError(str(err)) from None
    chosen = lang or store.get_setting("lang") or language_from_env()
    import random

    rng = random.Random(seed) if seed is not None else None
    return TutorApp(course=course, store=store, lang=chosen, rng=rng)
