"""Provides the answer key: students' variants and their computed answers, for the instructor —
one student or a whole roster in one run.

With the server's records (an AttemptStore), a student who took the quiz gets the key of each of
their attempts: its stored parameter values, with the quiz version it was taken with. A student
who has not is given attempt 1's variant, the one the server will draw for them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from tutor.course.answer_key import format_answer
from tutor.quiz.export import safe_cell
from tutor.quiz.model import Quiz
from tutor.quiz.variant import Variant, Variants


@dataclass(frozen=True)
class StudentKey:
    """One key: the student, the attempt, the quiz version it is of and the variant; `taken`
    when it is an attempt of the server's records (else the variant the server would draw)."""

    student_id: str
    attempt: int
    quiz: Quiz
    variant: Variant
    taken: bool = False


def student_keys(
    quiz: Quiz, secret: bytes, student_ids: Iterable[str], store: object | None = None
) -> list[StudentKey]:
    """Each student's keys, in the order given: one per attempt taken (with `store`), else
    attempt 1's variant of `quiz`. VariantError (one line) names a student with no variant."""
    from tutor.quiz.server_taking import attempt_variant

    variants = Variants(quiz, secret)
    versions: dict[str, Quiz] = {quiz.digest: quiz}
    keys: list[StudentKey] = []
    for student_id in student_ids:
        records = store.attempts(quiz.id, student_id) if store is not None else []
        for record in records:
            if record.version not in versions:
                versions[record.version] = store.version(record.version)
            version = versions[record.version]
            variant = attempt_variant(version, secret, record)
            keys.append(StudentKey(student_id, record.number, version, variant, True))
        if not records:
            keys.append(StudentKey(student_id, 1, quiz, variants.for_student(student_id)))
    return keys


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


def key_object(quiz: Quiz, variant: Variant, attempt: int = 1) -> dict:
    return {
        "quiz_id": quiz.id,
        "student_id": variant.student_id,
        "attempt": attempt,
        "version": quiz.digest,
        "draw": variant.draw,
        "params": {name: _plain(value) for name, value in variant.values.items()},
        "programs": list(variant.programs),
        "questions": key_entries(quiz, variant),
    }


def key_json(quiz: Quiz, variant: Variant, attempt: int = 1) -> str:
    return json.dumps(key_object(quiz, variant, attempt), ensure_ascii=False, indent=2)


def keys_json(keys: list[StudentKey], as_list: bool = False) -> str:
    """One key: its object (unless `as_list`); several: a list of them."""
    objects = [key_object(k.quiz, k.variant, k.attempt) for k in keys]
    shown = objects[0] if len(objects) == 1 and not as_list else objects
    return json.dumps(shown, ensure_ascii=False, indent=2)


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def format_key(quiz: Quiz, variant: Variant, lang: str = "en", attempt: int = 1) -> str:
    """The key as text: parameters, each part's program, then each question and its answer."""
    which = f", attempt {attempt}" if attempt != 1 else ""
    lines = [
        f"{quiz.title.get(lang)} ({quiz.id}) — student {variant.student_id}{which}, "
        f"draw {variant.draw}",
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


def format_keys(keys: list[StudentKey], lang: str = "en") -> str:
    """Every key as text, one after another (a line of `=` between students' keys)."""
    return ("\n" + "=" * 60 + "\n\n").join(
        format_key(k.quiz, k.variant, lang, k.attempt) for k in keys
    )


def keys_csv(quiz: Quiz, keys: list[StudentKey]) -> str:
    """One row per key: student_id, attempt, draw, version (12 hex digits), `param:NAME` for each
    parameter, then each question's answer as typed. Columns are those of the quiz file given,
    then any a taken version has that it lacks."""
    params = list(dict.fromkeys([p.name for p in quiz.params]))
    questions = [q.id for q in quiz.questions()]
    for key in keys:
        params += [name for name in key.variant.values if name not in params]
        questions += [q.id for q in key.quiz.questions() if q.id not in questions]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["student_id", "attempt", "draw", "version"]
    writer.writerow(header + [f"param:{p}" for p in params] + [safe_cell(q) for q in questions])
    for key in keys:
        values = key.variant.values
        answers = {q: format_answer(e) for q, e in key.variant.expected.items()}
        writer.writerow(
            [safe_cell(key.student_id), str(key.attempt), str(key.variant.draw)]
            + [key.quiz.digest[:12]]
            + [safe_cell(_cell(values[p])) if p in values else "" for p in params]
            + [safe_cell(answers.get(q, "")) for q in questions]
        )
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(n) for n in value) + "]"
    return str(value)


def answer_key_csv(
    quiz: Quiz, secret: bytes, student_ids: Iterable[str], store: object | None = None
) -> str:
    """The answer key of every student given, as CSV (see keys_csv); with `store` (the server's
    AttemptStore) each attempt taken is keyed by its stored variant."""
    return keys_csv(quiz, student_keys(quiz, secret, student_ids, store))
