"""Provides the course cache: a course read and checked before, kept while its files are the same.

Reading and checking every lesson file takes tens of milliseconds, before the tutor's first
frame. As Python keeps bytecode, the course a directory loaded to is kept in its
`__pycache__`, written as Python writes bytecode there (`marshal`, for this Python only): plain
data (nothing in it is run), the exact text of every `.toml` file of the directory it came
from, and the size and time of each source file of the loader. It stands for the directory
only while the directory holds exactly those `.toml` files with exactly that text, read by
that loader; anything else, or a cache that cannot be read or written, and the files are read
as if there were none. Only a course that loaded without a problem is kept, and only after it
was checked to come back equal from the cache.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tutor.course.model import Choice, Concept, Course, Derivative, Lesson, Question, Step
from tutor.course.params import Param
from tutor.text import Text

FORMAT = 1
MAX_FILE_BYTES = 1_000_000  # as tutor.course.read (not imported: it imports the TOML reader)
CACHE_DIR = "__pycache__"
CACHE_FILE = f"course.{sys.implementation.cache_tag}.marshal"
_HERE = os.path.dirname(os.path.abspath(__file__))
# what decides what a directory loads to: this package's code and tutor.text
_LOADER = (_HERE, os.path.join(os.path.dirname(_HERE), "text.py"))


class Sources:
    """The `.toml` files of a course directory as read now (None: not all could be read)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.texts = _texts(directory)


def cached(sources: Sources) -> Course | None:
    """The course kept for these sources, or None."""
    if sources.texts is None:
        return None
    try:
        with open(sources.directory / CACHE_DIR / CACHE_FILE, "rb") as file:
            kept = marshal.loads(file.read())
        if (
            kept["format"] != FORMAT
            or kept["python"] != sys.hexversion
            or kept["loader"] != _loader()
            or kept["files"] != sources.texts
        ):
            return None
        return _course(kept["course"], sources.directory)
    except (OSError, EOFError, ValueError, LookupError, TypeError, AttributeError):
        return None


def keep(sources: Sources, course: Course) -> None:
    """Keep `course` (loaded from these sources, without a problem) for the next load."""
    if sources.texts is None:
        return
    try:
        data = marshal.dumps(
            {
                "format": FORMAT,
                "python": sys.hexversion,
                "loader": _loader(),
                "files": sources.texts,
                "course": _plain_course(course),
            }
        )
        if _course(marshal.loads(data)["course"], sources.directory) != course:
            return  # something the cache cannot hold as it is (not the case for any course now)
        folder = sources.directory / CACHE_DIR
        folder.mkdir(exist_ok=True)
        partial = folder / f"{CACHE_FILE}.{os.getpid()}"
        try:
            partial.write_bytes(data)
            os.replace(partial, folder / CACHE_FILE)  # whole, or not at all
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, ValueError, TypeError):
        pass


def _texts(directory: Path) -> dict[str, str] | None:
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(directory)
            if entry.name.endswith(".toml") and entry.is_file()
        )
        texts = {}
        for name in names:
            with open(directory / name, "rb") as file:
                raw = file.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                return None  # not a course file (tutor.course.read refuses it)
            texts[name] = raw.decode("utf-8")
        return texts
    except (OSError, UnicodeDecodeError):
        return None


def _loader() -> list[list[object]]:
    """The loader's source files, each as [name, size, time]: another loader, another cache."""
    package, text = _LOADER
    paths = sorted(entry.path for entry in os.scandir(package) if entry.name.endswith(".py"))
    found = []
    for path in [*paths, text]:
        status = os.stat(path)
        found.append([os.path.basename(path), status.st_size, status.st_mtime_ns])
    return found


# the course as plain data, and back


def _plain_text(text: Text) -> list[str]:
    return [text.en, text.ko]


def _text(plain: list[str]) -> Text:
    en, ko = plain
    return Text(en, ko)


def _plain_course(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": _plain_text(course.title),
        "lessons": [_plain_lesson(lesson, course.path) for lesson in course.lessons],
        "concepts": [_plain_concept(concept) for concept in course.concepts],
    }


def _course(plain: dict[str, Any], directory: Path) -> Course:
    lessons = tuple(_lesson(each, directory) for each in plain["lessons"])
    concepts = tuple(_concept(each) for each in plain["concepts"])
    return Course(plain["id"], _text(plain["title"]), lessons, directory, concepts)


def _plain_concept(concept: Concept) -> dict[str, Any]:
    summary = concept.summary
    return {
        "id": concept.id,
        "title": _plain_text(concept.title),
        "summary": None if summary is None else _plain_text(summary),
        "misconceptions": list(concept.misconceptions),
        "line": concept.line,
    }


def _concept(plain: dict[str, Any]) -> Concept:
    summary = plain["summary"]
    return Concept(
        id=plain["id"],
        title=_text(plain["title"]),
        summary=None if summary is None else _text(summary),
        misconceptions=tuple(plain["misconceptions"]),
        line=plain["line"],
    )


def _plain_lesson(lesson: Lesson, directory: Path) -> dict[str, Any]:
    if lesson.path != directory / f"{lesson.id}.toml":
        raise ValueError(f"lesson {lesson.id} is not read from its course's directory")
    return {
        "id": lesson.id,
        "title": _plain_text(lesson.title),
        "program": lesson.program,
        "program_line": lesson.program_line,
        "steps": [_plain_step(step) for step in lesson.steps],
        "params": [[p.name, p.values, p.line, p.first] for p in lesson.params],
        "template": None if lesson.template is None else _plain_lesson(lesson.template, directory),
    }


def _lesson(plain: dict[str, Any], directory: Path) -> Lesson:
    return Lesson(
        id=plain["id"],
        title=_text(plain["title"]),
        program=plain["program"],
        steps=tuple(_step(each) for each in plain["steps"]),
        path=directory / f"{plain['id']}.toml",
        program_line=plain["program_line"],
        params=tuple(
            Param(name, values, line, first) for name, values, line, first in plain["params"]
        ),
        template=None if plain["template"] is None else _lesson(plain["template"], directory),
    )


def _plain_step(step: Step) -> dict[str, Any]:
    return {
        "after": step.after,
        "text": _plain_text(step.text),
        "questions": [_plain_question(question) for question in step.questions],
        "node": step.node,
        "node_occurrence": step.node_occurrence,
        "line": step.line,
    }


def _step(plain: dict[str, Any]) -> Step:
    return Step(
        after=plain["after"],
        text=_text(plain["text"]),
        questions=tuple(_question(each) for each in plain["questions"]),
        node=plain["node"],
        node_occurrence=plain["node_occurrence"],
        line=plain["line"],
    )


def _plain_question(question: Question) -> dict[str, Any]:
    derivative = question.derivative
    return {
        "id": question.id,
        "kind": question.kind,
        "prompt": _plain_text(question.prompt),
        "answer": question.answer,
        "derivative": None if derivative is None else [derivative.of, derivative.wrt],
        "hints": [_plain_text(hint) for hint in question.hints],
        "choices": [[_plain_text(c.text), c.value] for c in question.choices],
        "misconceptions": dict(question.misconceptions),
        "flatten": question.flatten,
        "concepts": list(question.concepts),
        "line": question.line,
    }


def _question(plain: dict[str, Any]) -> Question:
    derivative, choices = plain["derivative"], plain["choices"]
    if derivative is not None:
        of, wrt = derivative
    return Question(
        id=plain["id"],
        kind=plain["kind"],
        prompt=_text(plain["prompt"]),
        answer=plain["answer"],
        derivative=None if derivative is None else Derivative(of, wrt),
        hints=tuple(_text(each) for each in plain["hints"]),
        choices=tuple(Choice(_text(text), value) for text, value in choices),
        misconceptions=MappingProxyType(dict(plain["misconceptions"])),
        flatten=plain["flatten"],
        concepts=tuple(plain["concepts"]),
        line=plain["line"],
    )
