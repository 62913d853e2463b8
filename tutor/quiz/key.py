"""Provides the answer key: a student's variant and its computed answers, for the instructor."""

from __future__ import annotations

import json

from tutor.course.answer_key import format_answer
from tutor.quiz.model import Quiz
from tutor.quiz.variant import Variant


def key_entries(quiz: Quiz, variant: Variant) -> list[dict]:
    """Each question: id, part (1-based), kind, points, prompt (en, ko) and the answer as typed."""
    return [
        {
            "id": q.id,
            "part": q.part + 1,
            "kind": q.kind,
            "points": q.points,
            "prompt": {"en": variant.prompt_of(q).en, "ko": variant.prompt_of(q).ko},
            "answer": format_answer(variant.expected[q.id]),
        }
        for q in quiz.questions()
    ]


def key_json(quiz: Quiz, variant: Variant) -> str:
    return json.dumps(
        {
            "quiz_id": quiz.id,
            "student_id": variant.student_id,
            "draw": variant.draw,
            "params": {name: _plain(value) for name, value in variant.values.items()},
            "programs": list(variant.programs),
            "questions": key_entries(quiz, variant),
        },
        ensure_ascii=False,
        indent=2,
    )


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def format_key(quiz: Quiz, variant: Variant, lang: str = "en") -> str:
    """The key as text: parameters, each part's program, then each question and its answer."""
    lines = [
        f"{quiz.title.get(lang)} ({quiz.id}) — student {variant.student_id}, draw {variant.draw}",
        "params: " + ", ".join(f"{k} = {_plain(v)!r}" for k, v in variant.values.items()),
    ]
    entries = key_entries(quiz, variant)
    for index, program in enumerate(variant.programs, start=1):
        lines += ["", f"part {index}:", *("    " + line for line in program.strip().splitlines())]
        for entry in (e for e in entries if e["part"] == index):
            points = f"{entry['points']:g} point{'s' * (entry['points'] != 1)}"
            lines.append(f"  {entry['id']} ({entry['kind']}, {points}): {entry['prompt'][lang]}")
            lines.append(f"    → {entry['answer']}")
    return "\n".join(lines) + "\n"
