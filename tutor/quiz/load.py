"""Provides load_quiz and read_quiz: a quiz TOML file read into a Quiz, every fault located."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tutor.course.fields import Fields, derivative_field, program_first_line, read_fields
from tutor.course.model import KINDS, Question
from tutor.course.params import check_placeholders, read_params
from tutor.course.problems import Problem, problem
from tutor.quiz.model import (
    FEEDBACK_POLICIES,
    PARTIAL_RULES,
    LatePolicy,
    Param,
    Part,
    Quiz,
    QuizError,
    QuizQuestion,
)

FORMAT = 1
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_QUIZ_KEYS = (
    *("format", "id", "title", "time_limit_minutes", "attempts", "points", "partial"),
    *("feedback", "tries", "try_penalty", "late", "secret_file", "params", "part"),
)
_PART_KEYS = ("program", "question")
_QUESTION_KEYS = (
    *("id", "kind", "prompt", "answer", "derivative", "choices", "misconceptions", "flatten"),
    *("after", "node", "node_occurrence", "points", "partial"),
)
_LATE_KEYS = ("grace_seconds", "penalty_per_minute", "max_minutes")


def load_quiz(path: Path | str) -> Quiz:
    """The quiz in `path`; QuizError (one line: the first problem and how many) if any fault."""
    quiz, found = read_quiz(Path(path))
    if found or quiz is None:
        more = f" (and {len(found) - 1} more; run `tutor quiz check`)" if len(found) > 1 else ""
        raise QuizError(f"{found[0]}{more}" if found else f"{path}: cannot be read")
    return quiz


def read_quiz(path: Path) -> tuple[Quiz | None, list[Problem]]:
    """The quiz (None if any fault) and every problem found reading it."""
    fields, found = read_fields(path, _QUIZ_KEYS, FORMAT)
    if fields is None:
        return None, found
    data = fields.table
    quiz_id = fields.string("id")
    if quiz_id is not None and not _ID.match(quiz_id):
        fields.report("id", "`id` must be lowercase letters, digits, - or _")
    title = fields.text("title")
    limit = _positive(fields, "time_limit_minutes", None)
    attempts = fields.integer("attempts", 1)
    points = _positive(fields, "points", 1.0)
    partial = _one_of(fields, "partial", PARTIAL_RULES, "proportional")
    feedback = _one_of(fields, "feedback", FEEDBACK_POLICIES, "after-submit")
    tries = fields.integer("tries", 1)
    if tries > 100:
        fields.report("tries", "`tries` must be a whole number from 1 to 100")
    try_penalty = data.get("try_penalty", 0.0)
    if isinstance(try_penalty, bool) or not isinstance(try_penalty, int | float):
        fields.report("try_penalty", "`try_penalty` must be a number from 0 to 1")
        try_penalty = 0.0
    elif not 0 <= try_penalty <= 1:
        fields.report("try_penalty", "`try_penalty` is a share of the points: from 0 to 1")
    late = _late(fields, data.get("late"))
    secret_file = fields.string("secret_file", required=False)
    params = read_params(fields, need_first=False)
    parts = [
        _part(part_fields, table, index, points or 1.0, partial)
        for index, (part_fields, table) in enumerate(fields.tables("part"))
    ]
    if not parts and "part" not in data:
        fields.report(None, "no [[part]]: a quiz needs at least one program with questions")
    _check_placeholders(fields, params, parts)
    _check_unique_ids(fields, [p for p in parts if p is not None])
    if found or None in (quiz_id, title, limit, *parts):
        return None, found
    quiz = Quiz(
        id=quiz_id,
        title=title,
        path=path,
        time_limit_seconds=float(limit) * 60.0,
        attempts=attempts,
        partial=partial,
        feedback=feedback,
        late=late,
        secret_file=(path.parent / secret_file) if secret_file else None,
        params=tuple(params),
        parts=tuple(parts),
        digest=hashlib.sha256(path.read_bytes()).hexdigest(),
        tries=min(tries, 100),
        try_penalty=float(try_penalty),
    )
    return quiz, found


def _positive(fields: Fields, key: str, default: float | None) -> float | None:
    value = fields.table.get(key, default)
    if value is None:
        fields.report(None, f"missing {fields.label(key)}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e6:
        fields.report(key, f"{fields.label(key)} must be a positive number")
        return default
    return float(value)


def _one_of(fields: Fields, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = fields.table.get(key, default)
    if value not in allowed:
        fields.report(key, f"{fields.label(key)} must be one of: {', '.join(allowed)}")
        return default
    return value


def _late(fields: Fields, value: object) -> LatePolicy:
    if value is None:
        return LatePolicy()
    if value == "reject":
        return LatePolicy(reject=True)
    if not isinstance(value, dict):
        fields.report(
            "late",
            '`late` must be "reject" or a table like '
            "{ grace_seconds = 60, penalty_per_minute = 0.1, max_minutes = 10 }",
        )
        return LatePolicy()
    inner = fields.at("late", value)
    inner.only_keys(_LATE_KEYS)
    numbers = {}
    for key in _LATE_KEYS:
        number = value.get(key, 0 if key != "max_minutes" else None)
        if number is None:
            numbers[key] = None
        elif isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            inner.report(key, f"`late.{key}` must be a number ≥ 0")
            numbers[key] = 0.0
        else:
            numbers[key] = float(number)
    if (numbers["penalty_per_minute"] or 0) > 1:
        inner.report("penalty_per_minute", "`late.penalty_per_minute` is a share: at most 1")
    return LatePolicy(
        False,
        numbers["grace_seconds"] or 0.0,
        numbers["penalty_per_minute"] or 0.0,
        numbers["max_minutes"],
    )


def _part(
    fields: Fields, table: dict[str, Any], index: int, points: float, partial: str
) -> Part | None:
    fields.only_keys(_PART_KEYS)
    template = fields.string("program")
    questions = [
        _question(q_fields, q, index, points, partial) for q_fields, q in fields.tables("question")
    ]
    if not questions and "question" not in table:
        fields.report(None, "no [[part.question]]: a part needs at least one question")
    if template is None or not questions or None in questions:
        return None
    return Part(template, program_first_line(fields), tuple(questions), fields.line())


def _question(
    fields: Fields, table: dict[str, Any], part: int, points: float, partial: str
) -> QuizQuestion | None:
    fields.only_keys(_QUESTION_KEYS)
    question_id = fields.string("id")
    kind = fields.string("kind")
    if kind is not None and kind not in KINDS:
        fields.report("kind", f"unknown kind `{kind}` (one of: {', '.join(KINDS)})")
        kind = None
    prompt = fields.text("prompt")
    after = fields.string("after")
    node = fields.string("node", required=False)
    occurrence = fields.integer("node_occurrence", 1)
    answer = fields.string("answer", required=False)
    derivative = derivative_field(fields, table)
    if kind is not None and answer is None and derivative is None:
        fields.report(None, "missing `answer`: where the answer comes from (never the answer)")
    if derivative is not None and (answer is not None or kind != "expression"):
        fields.report(
            "derivative", '`derivative` is only for kind = "expression", without `answer`'
        )
    choices = fields.choices("choices") if kind == "choice" else ()
    if kind != "choice" and "choices" in table:
        fields.report("choices", '`choices` is only for kind = "choice"')
    misconceptions = fields.string_table("misconceptions")
    flatten = table.get("flatten", False)
    if not isinstance(flatten, bool) or (flatten and kind not in (None, "tensor", "backward-node")):
        fields.report("flatten", "`flatten` is true or false, for tensor questions")
        flatten = False
    question_points = _positive(fields, "points", points) or points
    question_partial = _one_of(fields, "partial", PARTIAL_RULES, partial)
    if None in (question_id, kind, prompt, after) or (kind == "choice" and not choices):
        return None
    question = Question(
        id=question_id,
        kind=kind,
        prompt=prompt,
        answer=answer,
        derivative=derivative,
        choices=choices,
        misconceptions=MappingProxyType(misconceptions),
        flatten=flatten,
        line=fields.line(),
    )
    return QuizQuestion(question, part, after, node, occurrence, question_points, question_partial)


def _check_placeholders(fields: Fields, params: list[Param], parts: list[Part | None]) -> None:
    texts: list[tuple[str, int, bool]] = []
    for part in parts:
        if part is None:
            continue
        texts.append((part.template, part.program_line, True))
        for question in part.questions:
            q = question.question
            where = (q.prompt.en, q.prompt.ko, question.after, q.answer or "")
            where += tuple(q.misconceptions.values())
            where += (q.derivative.of,) if q.derivative else ()
            texts.extend((text, q.line, False) for text in where)
    check_placeholders(fields, params, texts, complete=None not in parts)


def _check_unique_ids(fields: Fields, parts: list[Part]) -> None:
    seen: dict[str, int] = {}
    for question in (q for part in parts for q in part.questions):
        line = question.question.line
        if question.id in seen:
            fields.found.append(
                problem(
                    fields.file,
                    line,
                    f"question id `{question.id}` is used twice (first at line {seen[question.id]})",
                )
            )
        else:
            seen[question.id] = line
