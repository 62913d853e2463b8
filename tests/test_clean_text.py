"""Control and bidi characters and lone surrogates never reach a screen, a file or the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.checking import Expected, grade
from tutor.course import build_trace, load_lesson
from tutor.progress import Attempt, Store
from tutor.text import clean

SEED = Path(__file__).parent / "courses" / "seed"
HOSTILE = ["\u202e", "\u2066", "\u200f", "\x1b[31m", "\x00", "\x07", "\ud800", "\udfff", "\ufeff"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_clean_removes_what_cannot_be_shown_and_keeps_the_rest(bad):
    text = f"x.grad = [1,\t2]\n한국어 {bad}ok"
    cleaned = clean(text)
    assert bad not in cleaned and "x.grad = [1,\t2]\n한국어 " in cleaned and cleaned.endswith("ok")
    cleaned.encode("utf-8")  # a lone surrogate would make this raise


@pytest.mark.parametrize("bad", HOSTILE)
def test_feedback_never_echoes_hostile_text(bad):
    import numpy as np

    for expected, typed in (
        (Expected("tensor", np.ones(2)), f"[1, {bad}2x]"),
        (Expected("number", 1.0), f"{bad}1.5"),
        (Expected("grad_fn", "MulBackward0"), f"Add{bad}Backward0"),
        (
            Expected(
                "outcome",
                __import__("tutor.checking", fromlist=["Outcome"]).Outcome(
                    "RuntimeError", "m", None
                ),
            ),
            f"Value{bad}Error",
        ),
    ):
        verdict = grade(None, expected, typed)
        for text in (verdict.feedback.en, verdict.feedback.ko):
            assert bad not in text
            text.encode("utf-8")


def test_the_store_keeps_answers_clean(tmp_path):
    with Store.open(tmp_path) as store:
        store.record(Attempt("l", "q", "[1,\u202e 2]\ud800", False, 0.0))
        (attempt,) = store.attempts()
        assert attempt.answer == "[1, 2]\ufffd"
        out = tmp_path / "a.csv"
        store.export_csv(out)
        assert "\u202e" not in out.read_text(encoding="utf-8")


def test_lesson_files_are_cleaned_as_they_are_read(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(SEED, course)
    lesson = course / "seed.toml"
    source = lesson.read_text(encoding="utf-8")
    lesson.write_text(
        source.replace('prompt = { en = "', 'prompt = { en = "\\u202e', 1), encoding="utf-8"
    )
    loaded = load_lesson(lesson)
    texts = [q.prompt.en for q in loaded.questions()]
    assert not any("\u202e" in text for text in texts)
    build_trace(loaded)
