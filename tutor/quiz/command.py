"""Provides `tutor quiz check|key|take|grade|dashboard`: the instructor's quiz commands.

Quizzes for a grade run on `tutor serve`: `grade`, `dashboard` and `key --data-dir` read the
server's records in its data dir (or, with `--database URL` or TUTOR_DATABASE_URL, in the
PostgreSQL database of `tutor serve --database`; the data dir still holds the server's quiz
secret). `take` is practice on the learner's own machine.

`take` and `dashboard` open Textual screens, which this package may not import: `run` calls
`args.take_handler(args)` / `args.dashboard_handler(args)`, set by tutor.cli (e.g.
`parser.set_defaults(take_handler=…)`); those handlers build their data with `prepare_take`
and `prepare_dashboard` below.

Exit status: 0 done; 1 graded, but nobody on the roster took the quiz (or `check` found
problems); 2 one line on stderr (a quiz, data dir, roster or secret that cannot be used).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.quiz.model import QuizError

_SECRET_HELP = "the instructor's secret (else $TUTOR_QUIZ_SECRET, else the quiz's secret_file)"
_DATA_DIR_HELP = "the data dir of `tutor serve` (default: TUTOR_DATA_DIR, else the user data dir)"
RETIRED = (
    "submission files are no longer graded: quizzes for a grade run on `tutor serve --quiz "
    "QUIZ`, and `tutor quiz grade QUIZ --data-dir DIR` grades its records"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="quiz_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="prove a quiz answerable over many variants")
    check.add_argument("quiz", metavar="QUIZ")
    check.add_argument("--variants", type=int, default=30, metavar="N", help="students to try")

    key = actions.add_parser("key", help="answer keys: one student's, or a whole roster's")
    key.add_argument("quiz", metavar="QUIZ")
    who = key.add_mutually_exclusive_group(required=True)
    who.add_argument("--student", metavar="ID")
    who.add_argument("--roster", metavar="FILE", help="a class roster (CSV with student_id)")
    _data_dir(key, "the data dir of `tutor serve`: its secret, and the attempts taken there")
    key.add_argument("--secret-file", metavar="FILE", help=_SECRET_HELP)
    shape = key.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print JSON")
    shape.add_argument("--csv", action="store_true", help="print CSV, one row per key")
    _lang(key)

    take = actions.add_parser("take", help="practise a quiz in the terminal (not graded)")
    take.add_argument("quiz", metavar="QUIZ")
    take.add_argument("--student", default=None, metavar="ID", help="whose practice (optional)")
    # kept so that older scripts still run; practice needs no secret and writes no file
    take.add_argument("--secret-file", help=argparse.SUPPRESS)
    take.add_argument("--out", help=argparse.SUPPRESS)
    _lang(take)

    grade = actions.add_parser("grade", help="the gradebook from `tutor serve`'s records")
    dashboard = actions.add_parser("dashboard", help="the class dashboard in the terminal")
    for sub in (grade, dashboard):
        sub.add_argument("quiz", metavar="QUIZ")
        sub.add_argument("files", nargs="*", help=argparse.SUPPRESS)  # retired: said so
        _data_dir(sub)
        sub.add_argument("--roster", metavar="FILE", help="the class roster (CSV)")
        _lang(sub)
    grade.add_argument("--csv", metavar="FILE", help="write the gradebook CSV (- for stdout)")
    grade.add_argument("--report", action="store_true", help="print the class report")
    grade.add_argument(
        "--apply",
        action="store_true",
        help="apply the scores of an edited quiz file (shown first without it)",
    )


def _data_dir(parser: argparse.ArgumentParser, text: str = _DATA_DIR_HELP) -> None:
    from tutor.progress.database import add_database_argument

    # SUPPRESS: `tutor --data-dir DIR quiz …` keeps the value given before the subcommand
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=text)
    add_database_argument(
        parser, "the records of `tutor serve --database` (default: $TUTOR_DATABASE_URL)"
    )


def _lang(parser: argparse.ArgumentParser) -> None:
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
        if action == "dashboard" and args.files:
            raise QuizError(RETIRED)
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


def _language(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "en"


def data_dir_of(args: argparse.Namespace, must_exist: bool = True) -> Path:
    """The data dir named (else TUTOR_DATA_DIR, else the user data dir); QuizError when it is
    not a directory."""
    from tutor.progress.paths import resolve_data_dir

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    if must_exist and not data_dir.is_dir():
        raise QuizError(f"{data_dir}: no such data directory")
    return data_dir


def student_id(text: str) -> str:
    """A student id as the class knows it (tutor.ids), or QuizError saying why not."""
    from tutor.ids import id_problem, normalize_id

    found = normalize_id(text)
    problem = id_problem(found)
    if problem is not None:
        raise QuizError(f"student id {text[:40]!r}: {problem}")
    return found


def read_class(path: str | Path):
    """The roster (tutor.serve.roster) at `path`; QuizError in one line when it cannot be."""
    from tutor.serve.roster import RosterError, read_roster

    try:
        return read_roster(path)
    except RosterError as error:
        raise QuizError(str(error)) from None


def open_records(args: argparse.Namespace):
    """(quiz, store, secret, roster) for grading `args.quiz` from the server's records in the
    data dir; QuizError (one line) when there are none to grade."""
    from tutor.progress.database import database_of
    from tutor.quiz.attempts import DB_NAME, AttemptStore
    from tutor.quiz.load import load_quiz
    from tutor.quiz.secret import server_secret

    if getattr(args, "files", None):
        raise QuizError(RETIRED)
    quiz = load_quiz(args.quiz)
    data_dir = data_dir_of(args)
    database = database_of(args)
    if database is None and not (data_dir / DB_NAME).is_file():
        raise QuizError(f"no quiz records in {data_dir} (no {DB_NAME}): not a `tutor serve` dir?")
    roster = read_class(args.roster) if getattr(args, "roster", None) else None
    store = AttemptStore.open(data_dir, database=database)
    try:
        if not store.attempts(quiz.id):
            where = store.where if database is not None else data_dir
            raise QuizError(f"no attempts at quiz {quiz.id} in {where}")
        secret = server_secret(quiz, data_dir)
    except QuizError:
        store.close()
        raise
    return quiz, store, secret, roster


def _key(args: argparse.Namespace) -> int:
    from tutor.quiz.key import format_keys, keys_csv, keys_json, student_keys
    from tutor.quiz.load import load_quiz
    from tutor.quiz.secret import resolve_secret, server_secret

    quiz = load_quiz(args.quiz)
    if args.student is not None:
        students = [student_id(args.student)]
    else:
        students = [student.id for student in read_class(args.roster).students]
    from tutor.progress.database import database_of

    store = None
    database = database_of(args)
    if getattr(args, "data_dir", None) is not None or getattr(args, "database", None):
        if args.secret_file:
            raise QuizError("give --data-dir (the server's secret) or --secret-file, not both")
        from tutor.quiz.attempts import DB_NAME, AttemptStore

        data_dir = data_dir_of(args)
        secret = server_secret(quiz, data_dir)
        if database is not None:
            store = AttemptStore.open(data_dir, database=database)
        elif (data_dir / DB_NAME).is_file():
            store = AttemptStore.open(data_dir)
    else:
        secret = resolve_secret(quiz, args.secret_file)
    try:
        keys = student_keys(quiz, secret, students, store)
    finally:
        if store is not None:
            store.close()
    if args.json:
        print(keys_json(keys, as_list=args.roster is not None))
    elif args.csv:
        print(keys_csv(quiz, keys), end="")
    else:
        print(format_keys(keys, _language(args)), end="")
    return 0


def prepare_take(args: argparse.Namespace):
    """The practice QuizTaking for `tutor quiz take QUIZ` (resumed if one is open). No secret is
    read: practice draws its own numbers."""
    from tutor.progress.paths import resolve_data_dir
    from tutor.quiz.load import load_quiz
    from tutor.quiz.taking import LEARNER, QuizTaking

    quiz = load_quiz(args.quiz)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    return QuizTaking.open(quiz, data_dir, getattr(args, "student", None) or LEARNER)


def prepare_dashboard(args: argparse.Namespace):
    """(Gradebook, Report) for `tutor quiz dashboard QUIZ --data-dir DIR`."""
    from tutor.quiz.report import build_report
    from tutor.quiz.server_grading import grade_attempts

    quiz, store, secret, roster = open_records(args)
    try:
        gradebook = grade_attempts(store, quiz, secret, roster)
    finally:
        store.close()
    return gradebook, build_report(gradebook)


def _grade(args: argparse.Namespace) -> int:
    from tutor.quiz.export import gradebook_csv, write_csv
    from tutor.quiz.report import build_report, format_report
    from tutor.quiz.server_grading import Grading, format_changes

    quiz, store, secret, roster = open_records(args)
    try:
        grading = Grading(store, quiz, secret, roster)
        gradebook = grading.gradebook()
        changes = grading.changes()
        say = sys.stderr if args.csv == "-" else sys.stdout
        if changes:
            print(format_changes(changes), end="", file=say)
        changing = sum(1 for c in changes if c.new is not None)
        if args.apply and changing:
            grading.apply(changes)
            gradebook = grading.gradebook()
            print(f"applied: {_scores(changing)} changed (graded with {quiz.path})", file=say)
        elif changing:
            print(f"{_scores(changing)} would change; run again with --apply", file=say)
    finally:
        store.close()
    for line in gradebook.unreadable:
        print(f"tutor: quiz grade: {line}", file=sys.stderr)
    if args.csv == "-":
        print(gradebook_csv(gradebook), end="")
    elif args.csv:
        write_csv(gradebook, Path(args.csv))
    if args.report:
        print(format_report(build_report(gradebook), _language(args)), end="")
    rows = gradebook.rows
    count = {flag: sum(flag in r.flags for r in rows) for flag in ("missing", "unlisted")}
    progress = sum("in-progress" in r.flags for r in rows)
    print(
        f"graded {sum(r.graded for r in rows)} of {len(rows)} students; "
        f"{count['missing']} missing; {count['unlisted']} unlisted; {progress} in progress",
        file=sys.stderr,
    )
    if (
        roster is not None
        and rows
        and all("missing" in r.flags or "unlisted" in r.flags for r in rows)
    ):
        print(
            f"tutor: quiz grade: nobody on the roster {args.roster} took quiz {quiz.id}",
            file=sys.stderr,
        )
        return 1
    return 0


def _scores(count: int) -> str:
    return f"{count} score{'s' * (count != 1)}"
