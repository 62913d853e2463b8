"""Run as `python session_imports.py DATA_DIR`: imports what `tutor serve`'s zygote imports
(tutor.serve.zygote.preload), then takes a served session the way a learner does (signs in,
opens the lesson of derivatives, answers a question wrong and gets new numbers, opens the review
and the mastery map) and prints, as JSON, the modules that session imported: each is memory every
forked session has to itself (tests/test_serve_zygote.py wants none)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

LESSON = "derivation"
WRONG = ("[[0, 0], [0, 0]]", "[0, 0]", "0", "7", "AddBackward0", "1")


async def visit(data_dir: Path, code: str) -> None:
    from tutor.checking import grade
    from tutor.serve.session import AccountsGate
    from tutor.tui.screens.home import HomeScreen
    from tutor.tui.screens.lesson import LessonScreen
    from tutor.tui.screens.mastery import MasteryScreen
    from tutor.tui.served import ServedApp, load

    app = ServedApp(course=load(None), gate=AccountsGate(data_dir, "127.0.0.1"), data_dir=data_dir)

    async def until(pilot, done) -> None:
        for _ in range(400):
            if done():
                return
            await pilot.pause(0.05)
        raise AssertionError("the session did not get there")

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"s1", "tab", *code, "enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.open_lesson(LESSON)
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.session)
        session = app.screen.session
        while session.question is None:
            await pilot.press("n")
            await pilot.pause()
        question, expected = session.question, session.trace.expected[session.question.id]
        shown = dict(session.values)
        app.screen.query_one("#answer").value = next(
            text
            for text in WRONG
            if not (verdict := grade(question, expected, text)).correct
            and verdict.outcome != "unreadable"
        )
        await pilot.press("enter")
        await until(pilot, lambda: dict(session.values) != shown)
        await pilot.press("ctrl+l")  # home
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r")
        await pilot.pause(0.3)
        if not isinstance(app.screen, HomeScreen):
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MasteryScreen))
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)


def main(data_dir: Path) -> None:
    from serve_client import issue_codes

    from tutor.serve import zygote

    code = issue_codes(data_dir, ["s1"])["s1"]
    zygote.preload(zygote.PRELOAD_SESSION, ["--data-dir", str(data_dir)])
    before = set(sys.modules)
    asyncio.run(visit(data_dir, code))
    print(json.dumps(sorted(set(sys.modules) - before)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
