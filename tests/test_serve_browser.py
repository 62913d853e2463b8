"""A real browser (Debian's Chromium, headless, driven by Playwright) opens the served page,
signs in, opens the first lesson, answers a question, and saves a screenshot that is not
blank. Skipped without Playwright or Chromium; a failure instead under TUTOR_REQUIRE_SERVER=1."""

from __future__ import annotations

import collections
import os
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from serve_client import ServedTutor, issue_codes

from tutor.progress import Store
from tutor.serve.session import learner_dir

PATIENCE = 30.0
COURSE, LESSON, QUESTION = "autograd-basics", "requires-grad", "x-requires-grad"


def chromium() -> str:
    """Debian's Chromium (never a browser Playwright downloads), or a skip."""
    found = os.environ.get("TUTOR_CHROMIUM") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None
    )
    why = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        why = "Playwright is not installed (pip install playwright)"
    if why is None and found is None:
        why = "Chromium is not installed (apt-get install chromium)"
    if why is not None:
        if os.environ.get("TUTOR_REQUIRE_SERVER") == "1":
            pytest.fail(f"TUTOR_REQUIRE_SERVER=1 but {why}", pytrace=False)
        pytest.skip(f"{why}; set TUTOR_REQUIRE_SERVER=1 to make this fail")
    return found


def until(check, what: str, patience: float = PATIENCE):
    end = time.monotonic() + patience
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {patience} s")


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines (each led by its filter byte) of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, width, height, idat = 8, 0, 0, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def not_blank(path: Path) -> bool:
    """Whether the picture has something on it: many byte values, and not one of them (a dark
    background) all but everywhere. A page of one colour has a handful of values."""
    _, _, pixels = png_pixels(path)
    counts = collections.Counter(pixels)
    return len(counts) > 32 and counts.most_common(1)[0][1] < 0.99 * len(pixels)


def stored(data_dir: Path, student: str, read):
    where = learner_dir(data_dir, student)
    if not (where / "progress.sqlite3").is_file():
        return None
    with Store.open(where) as store:
        return read(store)


def test_a_browser_signs_in_answers_a_question_and_shows_the_lesson(tmp_path):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    codes = issue_codes(tmp_path, ["s1"])
    shot = Path(os.environ.get("TUTOR_SCREENSHOT_DIR") or tmp_path) / "served-lesson.png"
    with ServedTutor(tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url + "/")
            page.wait_for_selector("body.-first-byte", timeout=PATIENCE * 1000)
            page.focus("textarea.xterm-helper-textarea")
            time.sleep(0.5)
            page.keyboard.type("s1")
            page.keyboard.press("Tab")
            page.keyboard.type(codes["s1"])
            page.keyboard.press("Enter")
            until(lambda: stored(tmp_path, "s1", lambda s: True), "signed in")

            time.sleep(0.5)
            page.keyboard.press("Enter")  # the first lesson
            opened = lambda s: s.position(COURSE, LESSON) is not None  # noqa: E731
            until(lambda: stored(tmp_path, "s1", opened), "the first lesson opened")
            time.sleep(0.5)
            page.keyboard.press("n")  # past the introduction, to the first question
            moved = lambda s: s.position(COURSE, LESSON) == 1  # noqa: E731
            until(lambda: stored(tmp_path, "s1", moved), "the step with a question")
            time.sleep(0.5)
            page.keyboard.type("1")
            page.keyboard.press("Enter")
            answered = lambda s: s.attempts(LESSON, COURSE)  # noqa: E731
            (attempt,) = until(lambda: stored(tmp_path, "s1", answered), "an answer recorded")
            assert attempt.question_id == QUESTION and attempt.answer == "1" and attempt.correct

            time.sleep(1.0)
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.is_file()
    assert not_blank(shot), f"the screenshot {shot} is blank"


def write_png(path: Path, width: int, height: int, pixel) -> None:
    """An RGB PNG whose pixel at (x, y) is pixel(x, y)."""
    rows = b"".join(
        b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_the_blank_check_tells_a_blank_picture_from_a_drawn_one(tmp_path):
    blank, drawn = tmp_path / "blank.png", tmp_path / "drawn.png"
    write_png(blank, 200, 100, lambda x, y: (12, 24, 31))
    write_png(drawn, 200, 100, lambda x, y: (12, 24, 31) if y < 90 else (x, 255 - x, y))
    assert not not_blank(blank)
    assert not_blank(drawn)
