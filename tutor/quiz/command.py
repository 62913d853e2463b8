"""Provides `tutor quiz check|key|take|grade|dashboard`: the instructor's quiz commands.

`take` and `dashboard` open Textual screens, which this package may not import: `run` calls
`args.take_handler(args)` / `args.dashboard_handler(args)`, set by tutor.cli (e.g.
`parser.set_defaults(take_handler=…)`); those handlers build their data with `prepare_take`
and `prepare_dashboard` below.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.quiz.model import Quiz, QuizError

_SECRET_HELP = "the instructor's secret (else $TUTOR_QUIZ_SECRET, else the quiz's secret_file)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="quiz_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="prove a quiz answerable over many variants")
    check.add_argument("quiz", metavar="QUIZ")
    check.add_argument("--variants", type=int, default=30, metavar="N", help="students to try")
    key = actions.add_parser("key", help="a student's variant and its answers")
    _common(key)
    key.add_argument("--json", action="store_true", help="print one JSON object")
    take = actions.add_parser("take", help="take a quiz in the TUI")
    _common(take)
    take.add_argument("--out", metavar="DIR", default=None, help="where the submission goes")
    grade = actions.add_parser("grade", help="grade submissions into a gradebook")
    dashboard = actions.add_parser("dashboard", help="the class dashboard in the TUI")
    for sub in (grade, dashboard):
        sub.add_argument("quiz", metavar="QUIZ")
        sub.add_argument("submissions", nargs="+", metavar="SUBMISSION", help="files or dirs")
        sub.add_argument("--roster", metavar="FILE", help="student ids, one a line")
        sub.add_argument("--secret-file", metavar="FILE", help=_SECRET_HELP)
        sub.add_argument("--lang", choices=("en", "ko"), default=argparse.SUPPRESS)
    grade.add_argument("--csv", metavar="FILE", help="write the gradebook CSV (- for stdout)")
    grade.add_argument("--report", action="store_true", help="print the class report")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("quiz", metavar="QUIZ")
    parser.add_argument("--student", required=True, metavar="ID")
    parser.add_argument("--secret-file", metavar="FILE", help=_SECRET_HELP)
    parser.add_argument("--lang", choices=("en", "ko"), default=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    action = args.quiz_command
    try:
        if action == "check":
            return _check(args)
        if action == "key":
            return _key(args)
        if action == "grade":
            return _grade(args)
        handler = getattr(args, f"{action}_handler", None)
        if handler is None:
            print(f"tutor: quiz {action}: the quiz screens are not available", file=sys.stderr)
            return 2
        return handler(args)
    except QuizError as error:
        print(f"tutor: quiz {action}: {error}", file=sys.stderr)
        return 2


def _check(args: argparse.Namespace) -> int:
    from tutor.quiz.check import check_quiz

    path = Path(args.quiz)
    if not path.is_file():
        print(f"tutor: quiz check: {path}: no such file", file=sys.stderr)
        return 2
    if args.variants < 1:
        print("tutor: quiz check: --variants must be at least 1", file=sys.stderr)
        return 2
    found = check_quiz(path, variants=args.variants)
    for each in found:
        print(each)
    if found:
        noun = "problem" if len(found) == 1 else "problems"
        print(f"tutor: quiz check: {len(found)} {noun} in {path}", file=sys.stderr)
        return 1
    print(f"ok: {path}: {args.variants} variants answerable, graded, wrong answers refused")
    return 0


def load(args: argparse.Namespace) -> tuple[Quiz, bytes]:
    """The quiz named by `args.quiz` and the secret (from `args.secret_file` or the fallbacks)."""
    from tutor.quiz.load import load_quiz
    from tutor.quiz.secret import resolve_secret

    quiz = load_quiz(args.quiz)
    return quiz, resolve_secret(quiz, getattr(args, "secret_file", None))


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "en"


def _key(args: argparse.Namespace) -> int:
    from tutor.quiz.key import format_key, key_json
    from tutor.quiz.secret import check_student_id
    from tutor.quiz.variant import Variants

    quiz, secret = load(args)
    variant = Variants(quiz, secret).for_student(check_student_id(args.student))
    if args.json:
        print(key_json(quiz, variant))
    else:
        print(format_key(quiz, variant, _lang(args)), end="")
    return 0


def prepare_take(args: argparse.Namespace):
    """The QuizTaking for `tutor quiz take QUIZ --student ID` (resumed if one is open)."""
    from tutor.progress.paths import resolve_data_dir
    from tutor.quiz.taking import QuizTaking

    quiz, secret = load(args)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    out = Path(args.out) if getattr(args, "out", None) else None
    return QuizTaking.open(quiz, secret, args.student, data_dir, out)


def submission_paths(items: list[str]) -> list[Path]:
    """The files named, each directory standing for its *.json files (sorted)."""
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(sorted(path.glob("*.json")))
        elif path.exists():
            paths.append(path)
        else:
            raise QuizError(f"{path}: no such file or directory")
    return paths


def read_roster(path: Path) -> list[str]:
    """Student ids, one a line (a CSV's first column; blank lines, `#` comments and a
    `student_id` header are skipped)."""
    from tutor.quiz.secret import check_student_id

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise QuizError(f"cannot read the roster {path}: {error}") from None
    ids = []
    for number, line in enumerate(text.splitlines(), start=1):
        student = line.split(",", 1)[0].strip().strip('"')
        if not student or student.startswith("#") or student == "student_id":
            continue
        try:
            ids.append(check_student_id(student))
        except QuizError as error:
            raise QuizError(f"{path}:{number}: {error}") from None
    return ids


def prepare_grading(args: argparse.Namespace, progress=None):
    """The Gradebook for `args` (quiz, submissions, roster, secret)."""
    from tutor.quiz.grading import grade_submissions

    quiz, secret = load(args)
    paths = submission_paths(args.submissions)
    roster = read_roster(Path(args.roster)) if args.roster else None
    bar = progress(len(paths)) if progress is not None else None
    return grade_submissions(quiz, secret, paths, roster, progress=bar)


def prepare_dashboard(args: argparse.Namespace):
    """(Gradebook, Report) for `tutor quiz dashboard`."""
    from tutor.quiz.report import build_report

    gradebook = prepare_grading(args)
    return gradebook, build_report(gradebook)


def _grade(args: argparse.Namespace) -> int:
    from tutor.quiz.export import gradebook_csv, write_csv
    from tutor.quiz.progress_bar import progress_bar
    from tutor.quiz.report import build_report, format_report

    gradebook = prepare_grading(args, progress_bar)
    for line in gradebook.unreadable:
        print(f"tutor: quiz grade: {line}", file=sys.stderr)
    if args.csv == "-":
        print(gradebook_csv(gradebook), end="")
    elif args.csv:
        write_csv(gradebook, Path(args.csv))
    if args.report:
        print(format_report(build_report(gradebook), _lang(args)), end="")
    flagged = sum(1 for row in gradebook.rows if row.flags)
    print(
        f"graded {sum(r.graded for r in gradebook.rows)} of {len(gradebook.rows)} students; "
        f"{flagged} flagged; {len(gradebook.unreadable)} unreadable files",
        file=sys.stderr,
    )
    return 1 if gradebook.unreadable else 0
