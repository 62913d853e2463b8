"""Provides `tutor check [DIR]`: a course directory, its quiz files, or one quiz file, validated."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.course.check import check_course
from tutor.course.paths import default_course_dir
from tutor.quiz.check import check_quiz, quiz_files


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="a course or quiz directory, or one .quiz.toml file (default: the shipped course)",
    )


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory) if args.directory else default_course_dir()
    if not target.exists():
        print(f"tutor: check: {target}: no such directory", file=sys.stderr)
        return 2
    if target.is_file():
        quizzes, course = [target], False
    else:
        quizzes, course = (
            quiz_files(target),
            (target / "course.toml").exists() or not quiz_files(target),
        )
    found, proven = [], 0
    if course:
        found, proven = check_course(target)
    for quiz in quizzes:
        found.extend(check_quiz(quiz))
    for each in found:
        print(each)
    if found:
        noun = "problem" if len(found) == 1 else "problems"
        print(f"tutor: check: {len(found)} {noun} in {target}", file=sys.stderr)
        return 1
    what = [f"{proven} questions answerable and graded correct"] if course else []
    if quizzes:
        what.append(f"{len(quizzes)} quiz file{'s' if len(quizzes) != 1 else ''} proven")
    print(f"ok: {target}: {'; '.join(what)}")
    return 0
