"""Provides `tutor try FILE QUESTION_ID [--json] [--lang ko|en] [--student ID] [--] ANSWER …`:
an author's candidate answers graded exactly as a learner's would be.

FILE is a lesson file (inside a course directory) or a `*.quiz.toml`, whose variant `--student`
picks (the instructor's secret is found as `tutor quiz key` finds it). Each ANSWER is graded on
its own, in order. `--json` prints one object per answer per line:
`{"verdict": "correct"|"partial"|"wrong"|"unreadable", "score": 0..1, "misconception": id|null,
"feedback": text}`. An unknown file or question is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from tutor.text import clean

DEFAULT_STUDENT = "preview"


class _Refused(Exception):
    """One line for stderr: why the answers cannot be graded."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a lesson .toml or a .quiz.toml")
    parser.add_argument("question", metavar="QUESTION_ID")
    parser.add_argument(
        "answers", metavar="ANSWER", nargs="+", help="`--` before one that starts with -"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per answer")
    parser.add_argument("--lang", choices=("en", "ko"), default=None, help="feedback language")
    parser.add_argument(
        "--student",
        metavar="ID",
        default=None,
        help=f"a quiz's variant (default {DEFAULT_STUDENT})",
    )
    parser.add_argument("--secret-file", metavar="FILE", help="a quiz's secret, as for quiz key")


def run(args: argparse.Namespace) -> int:
    lang = args.lang or ("ko" if os.environ.get("LANG", "").lower().startswith("ko") else "en")
    try:
        question, expected = _question(args)
    except _Refused as refused:
        print(f"tutor: try: {refused}", file=sys.stderr)
        return 2
    from tutor.checking import grade

    for answer in args.answers:
        verdict = grade(question, expected, clean(answer))
        feedback = verdict.feedback.get(lang)
        if args.json:
            row = {
                "verdict": verdict.outcome,
                "score": round(verdict.score, 6),
                "misconception": verdict.misconception,
                "feedback": feedback,
            }
            print(json.dumps(row, ensure_ascii=False))
        else:
            named = f" [{verdict.misconception}]" if verdict.misconception else ""
            print(f"{clean(answer)!r}: {verdict.outcome} {verdict.score:g}{named} — {feedback}")
    return 0


def _question(args: argparse.Namespace) -> tuple[Any, Any]:
    path = Path(args.file)
    if not path.is_file():
        raise _Refused(f"{path}: no such file")
    if path.name.endswith(".quiz.toml"):
        return _quiz_question(path, args)
    if args.student is not None:
        raise _Refused("--student picks a quiz's variant; a lesson has none")
    return _lesson_question(path, args.question)


def _lesson_question(path: Path, question_id: str) -> tuple[Any, Any]:
    from tutor.course import CourseError, build_trace, load_lesson

    try:
        lesson = load_lesson(path)
        ids = [q.id for q in lesson.questions()]
        if question_id not in ids:
            raise _Refused(_unknown(question_id, path, ids))
        trace = build_trace(lesson)
    except CourseError as error:
        raise _Refused(_first(error.problems)) from None
    (question,) = [q for q in lesson.questions() if q.id == question_id]
    return question, trace.expected[question_id]


def _quiz_question(path: Path, args: argparse.Namespace) -> tuple[Any, Any]:
    from tutor.quiz.load import load_quiz
    from tutor.quiz.model import QuizError
    from tutor.quiz.secret import check_student_id, resolve_secret
    from tutor.quiz.variant import Variants

    try:
        quiz = load_quiz(path)
        ids = [q.id for q in quiz.questions()]
        if args.question not in ids:
            raise _Refused(_unknown(args.question, path, ids))
        student = check_student_id(args.student or DEFAULT_STUDENT)
        variant = Variants(quiz, resolve_secret(quiz, args.secret_file)).for_student(student)
    except QuizError as error:
        raise _Refused(str(error)) from None
    return quiz.question(args.question).question, variant.expected[args.question]


def _unknown(question_id: str, path: Path, ids: list[str]) -> str:
    return f"{path}: no question `{clean(question_id)}` (its questions: {', '.join(ids)})"


def _first(problems: tuple) -> str:
    more = f" (and {len(problems) - 1} more; run `tutor check`)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}" if problems else "the file cannot be read"
