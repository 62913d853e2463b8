"""Provides load_course and load_lesson: course files read into frozen data, every fault located."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from tutor.course.model import KINDS, Concept, Course, Lesson, Question, Step
from tutor.course.problems import CourseError, problem

if TYPE_CHECKING:
    from tutor.course.fields import Fields
    from tutor.course.problem_record import Problem

FORMAT = 1
COURSE_FILE = "course.toml"
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")

_COURSE_KEYS = ("format", "id", "title", "lessons", "concept")
_CONCEPT_KEYS = ("id", "title", "summary", "misconceptions")
_LESSON_KEYS = ("id", "title", "program", "params", "step")
_STEP_KEYS = ("after", "node", "node_occurrence", "text", "question")
_QUESTION_KEYS = (
    *(
        "id",
        "kind",
        "prompt",
        "answer",
        "derivative",
        "hints",
        "choices",
        "misconceptions",
        "flatten",
        "concepts",
    ),
)


def load_course(directory: Path | str) -> Course:
    """The course in `directory` (course.toml and one <id>.toml per lesson); CourseError if any
    fault. A course loaded before from the same files comes from its cache (tutor.course.cache)."""
    from tutor.course.cache import Sources, cached, keep

    directory = Path(directory)
    sources = Sources(directory)
    course = cached(sources)
    if course is not None:
        return course
    course, found = read_course(directory)
    if found or course is None:
        raise CourseError(found)
    keep(sources, course)
    return course


def read_course(directory: Path) -> tuple[Course | None, list[Problem]]:
    """The course (holding the lessons that loaded) and every problem found reading it.

    The course is None only if course.toml itself is unusable.
    """
    from tutor.course.fields import read_fields

    course_file = directory / COURSE_FILE
    if not directory.is_dir():
        return None, [problem(directory, 1, "not a directory")]
    if not course_file.exists():
        return None, [problem(course_file, 1, "missing: a course directory needs course.toml")]
    fields, found = read_fields(course_file, _COURSE_KEYS, FORMAT)
    if fields is None:
        return None, found
    course_id = fields.string("id")
    title = fields.text("title")
    lessons = []
    for lesson_id in _lesson_ids(fields):
        lesson, lesson_found = read_lesson(directory / f"{lesson_id}.toml", lesson_id)
        if not lesson_found and lesson is None:
            fields.report("lessons", f"lesson `{lesson_id}`: no file {lesson_id}.toml")
        found.extend(lesson_found)
        if lesson is not None:
            lessons.append(lesson)
    concepts = _concepts(fields)
    if course_id is None or title is None:
        return None, found
    return Course(course_id, title, tuple(lessons), directory, concepts), found


def _concepts(fields: Fields) -> tuple[Concept, ...]:
    """The `[[concept]]` tables: ids unique, each misconception under one concept at most.

    That questions name them and the misconceptions exist is for `tutor check`
    (tutor.course.check.concept_problems)."""
    concepts = []
    first_lines: dict[str, int] = {}
    owners: dict[str, str] = {}
    for concept_fields, table in fields.tables("concept"):
        concept_fields.only_keys(_CONCEPT_KEYS)
        concept_id = concept_fields.string("id")
        if concept_id is not None and not _ID.match(concept_id):
            concept_fields.report(
                "id", f"concept id `{concept_id}` must be lowercase letters, digits, - or _"
            )
            concept_id = None
        elif concept_id in first_lines:
            concept_fields.report(
                "id",
                f"concept `{concept_id}` is declared twice (first at line "
                f"{first_lines[concept_id]})",
            )
            concept_id = None
        elif concept_id is not None:
            first_lines[concept_id] = concept_fields.line("id")
        title = concept_fields.text("title")
        summary = concept_fields.text("summary", required=False)
        misconceptions = _id_list(concept_fields, table, "misconceptions", "misconception")
        for misconception in misconceptions if concept_id is not None else ():
            if misconception in owners:
                concept_fields.report(
                    "misconceptions",
                    f"misconception `{misconception}` is listed under concept "
                    f"`{owners[misconception]}` already: each belongs to one concept",
                )
            else:
                owners[misconception] = concept_id
        if concept_id is not None and title is not None:
            concepts.append(
                Concept(concept_id, title, summary, misconceptions, concept_fields.line())
            )
    return tuple(concepts)


def _id_list(fields: Fields, table: dict, key: str, noun: str) -> tuple[str, ...]:
    """`key = ["an-id", …]`: a non-empty list of ids, none twice (() when absent or faulty)."""
    value = table.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        fields.report(key, f"{fields.label(key)} must be a non-empty list of {noun} ids")
        return ()
    for item in value:
        if not _ID.match(item):
            fields.report(key, f"{noun} id `{item}` must be lowercase letters, digits, - or _")
            return ()
    for index, item in enumerate(value):
        if item in value[:index]:
            fields.report(key, f"{fields.label(key)} names {noun} `{item}` twice")
            return ()
    return tuple(value)


def _lesson_ids(fields: Fields) -> list[str]:
    value = fields.table.get("lessons")
    if value is None:
        fields.report(None, "missing `lessons` (the lesson ids in order)")
        return []
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        fields.report("lessons", "`lessons` must be a non-empty list of lesson ids")
        return []
    ids = []
    for lesson_id in value:
        if not _ID.match(lesson_id):
            fields.report(
                "lessons", f"lesson id `{lesson_id}` must be lowercase letters, digits, - or _"
            )
        elif lesson_id in ids:
            fields.report("lessons", f"lesson `{lesson_id}` is listed twice")
        else:
            ids.append(lesson_id)
    return ids


def load_lesson(path: Path | str) -> Lesson:
    """One lesson file on its own; CourseError if any fault."""
    path = Path(path)
    lesson, found = read_lesson(path, path.stem)
    if found or lesson is None:
        raise CourseError(found)
    return lesson


def read_lesson(path: Path, expected_id: str) -> tuple[Lesson | None, list[Problem]]:
    """The lesson and its problems; (None, []) means the file does not exist."""
    from tutor.course.fields import program_first_line, read_fields
    from tutor.course.params import (
        check_placeholders,
        first_values,
        lesson_texts,
        read_params,
        rendered_lesson,
    )

    if not path.exists():
        return None, []
    fields, found = read_fields(path, _LESSON_KEYS)
    if fields is None:
        return None, found
    lesson_id = fields.string("id")
    if lesson_id is not None and lesson_id != expected_id:
        fields.report(
            "id", f"`id` is `{lesson_id}` but the file and course.toml say `{expected_id}`"
        )
    title = fields.text("title")
    program = fields.string("program")
    params = read_params(fields, need_first=True)
    step_tables = fields.tables("step")
    if not step_tables and "step" not in fields.table:
        fields.report(None, "no [[step]]: a lesson needs at least one step")
    steps = [_step(step_fields, table) for step_fields, table in step_tables]
    _check_unique_ids(fields, steps)
    template = Lesson(
        id=expected_id,
        title=title,
        program=program or "",
        steps=tuple(step for step in steps if step is not None),
        path=path,
        program_line=program_first_line(fields) if program is not None else 1,
    )
    complete = program is not None and None not in steps
    check_placeholders(fields, params, lesson_texts(template), complete)
    if found or None in (lesson_id, title, program) or None in steps:
        return None, found
    if not params:
        return template, found
    return rendered_lesson(template, tuple(params), first_values(params)), found


def _step(fields: Fields, table: dict) -> Step | None:
    fields.only_keys(_STEP_KEYS)
    after = fields.string("after")
    node = fields.string("node", required=False)
    occurrence = fields.integer("node_occurrence", 1)
    if "node_occurrence" in table and node is None:
        fields.report("node_occurrence", "`node_occurrence` is only for a step with `node`")
    text = fields.text("text")
    questions = [_question(q_fields, q) for q_fields, q in fields.tables("question")]
    if after is None or text is None or None in questions:
        return None
    return Step(after, text, tuple(questions), node, occurrence, fields.line())


def _question(fields: Fields, table: dict) -> Question | None:
    from tutor.course.fields import derivative_field

    fields.only_keys(_QUESTION_KEYS)
    question_id = fields.string("id")
    kind = fields.string("kind")
    if kind is not None and kind not in KINDS:
        fields.report("kind", f"unknown kind `{kind}` (one of: {', '.join(KINDS)})")
        kind = None
    prompt = fields.text("prompt")
    answer = fields.string("answer", required=False)
    derivative = derivative_field(fields, table)
    if kind is not None and answer is None and derivative is None:
        how = "`answer` or `derivative`" if kind == "expression" else "`answer`"
        fields.report(None, f"missing {how}: where the answer comes from")
    if answer is not None and derivative is not None:
        fields.report("derivative", "give `answer` or `derivative`, not both")
    if derivative is not None and kind not in (None, "expression"):
        fields.report("derivative", '`derivative` is only for kind = "expression"')
    hints = fields.hints("hints")
    choices = ()
    if kind == "choice":
        choices = fields.choices("choices")
    elif "choices" in table:
        fields.report("choices", '`choices` is only for kind = "choice"')
    misconceptions = fields.string_table("misconceptions")
    flatten = table.get("flatten", False)
    if not isinstance(flatten, bool) or (flatten and kind not in (None, "tensor", "backward-node")):
        fields.report("flatten", "`flatten` is true or false, for tensor questions")
        flatten = False
    concepts = _id_list(fields, table, "concepts", "concept")
    if None in (question_id, kind, prompt) or not hints or (kind == "choice" and not choices):
        return None
    return Question(
        id=question_id,
        kind=kind,
        prompt=prompt,
        answer=answer,
        derivative=derivative,
        hints=hints,
        choices=choices,
        misconceptions=MappingProxyType(misconceptions),
        flatten=flatten,
        concepts=concepts,
        line=fields.line(),
    )


def _check_unique_ids(fields: Fields, steps: list[Step | None]) -> None:
    seen: dict[str, int] = {}
    for step_index, step in enumerate(steps):
        for index, question in enumerate(step.questions if step is not None else ()):
            line = fields.lines.line(("step", step_index, "question", index, "id"))
            if question.id in seen:
                fields.found.append(
                    problem(
                        fields.file,
                        line,
                        f"question id `{question.id}` is used twice (first at line "
                        f"{seen[question.id]})",
                    )
                )
            else:
                seen[question.id] = line
