"""Provides grade_attempts: the gradebook of a quiz from the server's records (tutor.quiz.attempts),
and the regrade that shows what an edited quiz would change before anything does.

The rules, in order:

- An attempt is graded with the quiz version it was taken with (its content hash) and the
  parameter values stored when it was drawn, never drawn again. The answers counted are the last
  typed before the attempt closed; with after-each feedback each try after the first costs what
  the quiz says (`try_penalty`); the late policy applies to its submission time.
- The first time an attempt is graded its grade is written (a `grade` row naming the version).
  From then on the gradebook shows that grade: editing the quiz file changes no score by itself.
- `Grading.changes()` computes every submitted attempt's score under the quiz file given (stored
  values by name; a parameter the file adds or renames takes the value the student's draw gives
  it) and lists each score that would change; `apply` writes them, and only then do they count.
  A stored variant the file makes unusable (degenerate) keeps its old score, said so.
- A student's score is the best of their submitted attempts (on a tie, the earlier attempt).
  An attempt still open is in progress and not graded; one whose time is up is first submitted,
  stamped at its closing time, as the server's sweep would have.
- Students of the roster with no attempt are `missing`; students not on it are `unlisted`."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tutor.quiz.attempts import AnswerEvent, AppliedGrade, AttemptRecord, AttemptStore
from tutor.quiz.grading import (
    Gradebook,
    GradeRow,
    QuestionResult,
    empty_row,
    grade_question,
    late_factor,
    minutes_past,
    ordered,
)
from tutor.quiz.model import Quiz, QuizError
from tutor.quiz.params import token
from tutor.quiz.server_taking import final_answers, tries_charged, try_factor
from tutor.quiz.variant import Variant, Variants

EPSILON = 1e-9


@dataclass(frozen=True)
class AttemptScore:
    """One submitted attempt graded with one quiz version: each question's points (in that
    version's order, after any try penalty), the total after the late policy, and notes about
    the parameter values used."""

    record: AttemptRecord
    version: str
    results: tuple[QuestionResult, ...]
    total: float
    max_points: float
    minutes_late: int
    late: bool
    notes: tuple[str, ...] = ()
    problem: str | None = None  # why only the applied points are known (no verdicts)

    @property
    def points(self) -> dict[str, float]:
        return {r.question_id: r.points for r in self.results}


@dataclass(frozen=True)
class ScoreChange:
    """What grading an attempt with the quiz file given would change. `new` is the score to
    apply; None when the file makes this attempt's variant unusable (`kept` says why, and the
    old score stays)."""

    student_id: str
    attempt: int
    attempt_id: int
    old_total: float | None
    old_version: str | None
    new: AttemptScore | None
    questions: tuple[str, ...] = ()
    kept: str | None = None

    @property
    def new_total(self) -> float | None:
        return None if self.new is None else self.new.total

    @property
    def notes(self) -> tuple[str, ...]:
        return () if self.new is None else self.new.notes


def iso_utc(seconds: float) -> str:
    """A server time as ISO 8601 in UTC, to the second: `2025-03-01T09:05:00Z`."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def attempt_values(
    quiz: Quiz, secret: bytes, record: AttemptRecord
) -> tuple[dict[str, object], tuple[str, ...]]:
    """The values of `quiz`'s parameters for a stored attempt (the same as
    tutor.quiz.server_taking.attempt_variant's when `quiz` is the version it was taken with):
    its stored values by name; a parameter it has no value for (added or renamed since) takes
    the value the student's own draw gives it. Also a note for each such difference."""
    drawn: dict[str, object] | None = None
    values: dict[str, object] = {}
    notes: list[str] = []
    for param in quiz.params:
        if param.name in record.params:
            stored = record.params[param.name]
            value = tuple(stored) if isinstance(stored, list) else stored
            if value not in param.values:
                notes.append(f"`{param.name}` = {token(value)} is not among its values now; kept")
        else:
            if drawn is None:
                drawn = Variants(quiz, secret, cache=False).values(
                    record.student_id, record.draw, record.number
                )
            value = drawn[param.name]
            notes.append(f"new parameter `{param.name}` (added or renamed): drawn {token(value)}")
        values[param.name] = value
    dropped = sorted(set(record.params) - {p.name for p in quiz.params})
    notes += [f"parameter `{name}` is no longer used" for name in dropped]
    return values, tuple(notes)


class Grading:
    """The grading of one quiz from one store. `gradebook()` (which writes the grade of every
    attempt graded for the first time), `changes()` against the quiz file given, `apply()`.

    `quiz` is the quiz file as it is now; `now` (seconds since the epoch, the server's clock)
    stamps grades and closes attempts whose time is up."""

    def __init__(
        self,
        store: AttemptStore,
        quiz: Quiz,
        secret: bytes,
        roster: object | None = None,
        now: float | None = None,
    ) -> None:
        self.store = store
        self.quiz = quiz
        self.secret = secret
        self.roster = roster
        self.now = time.time() if now is None else now
        self._versions: dict[str, Quiz] = {quiz.digest: quiz} if quiz.digest else {}
        self._scores: dict[tuple[int, str], AttemptScore | str] = {}
        self._events: dict[int, list[AnswerEvent]] = {}
        self._variants: dict[str, Variants] = {}
        store.close_expired(self.now)
        self.records = store.attempts(quiz.id)

    # one attempt

    def version(self, digest: str) -> Quiz:
        if digest not in self._versions:
            self._versions[digest] = self.store.version(digest)
        return self._versions[digest]

    def events(self, record: AttemptRecord) -> list[AnswerEvent]:
        if record.id not in self._events:
            self._events[record.id] = self.store.events(record.id)
        return self._events[record.id]

    def score(self, record: AttemptRecord, digest: str) -> AttemptScore | str:
        """The attempt graded with version `digest`, or why it cannot be (one line)."""
        key = (record.id, digest)
        if key not in self._scores:
            try:
                self._scores[key] = self._score(record, digest)
            except QuizError as error:
                self._scores[key] = str(error)
        return self._scores[key]

    def _score(self, record: AttemptRecord, digest: str) -> AttemptScore:
        quiz = self.version(digest)
        values, notes = attempt_values(quiz, self.secret, record)
        if digest not in self._variants:  # one per version: equal values are traced once
            self._variants[digest] = Variants(quiz, self.secret)
        variant = self._variants[digest].with_values(record.student_id, record.draw, values)
        return score_attempt(quiz, digest, variant, record, self.events(record), notes)

    # the gradebook

    def gradebook(self) -> Gradebook:
        """Every student's row; an attempt graded for the first time has its grade written."""
        grades = self.store.grades()
        by_student: dict[str, list[AttemptRecord]] = {}
        for record in self.records:
            by_student.setdefault(record.student_id, []).append(record)
        listed = roster_ids(self.roster)
        rows: list[GradeRow] = []
        lines: list[str] = []
        for student_id, records in by_student.items():
            flags: set[str] = set()
            if listed is not None and student_id not in listed:
                flags.add("unlisted")
            if any(not r.submitted for r in records):
                flags.add("in-progress")
            scored = []
            for record in (r for r in records if r.submitted):
                found = self._counted(record, grades.get(record.id))
                if isinstance(found, str):
                    flags.add("no-variant")
                    lines.append(f"{student_id}, attempt {record.number}: {found}")
                else:
                    scored.append(found)
                    if found.problem:
                        lines.append(f"{student_id}, attempt {record.number}: {found.problem}")
            submitted = sum(r.submitted for r in records)
            if not scored:
                rows.append(empty_row(self.quiz, student_id, flags, attempts=submitted))
                continue
            best = max(scored, key=lambda s: (round(s.total, 9), -s.record.number))
            rows.append(self._row(best, flags, submitted))
        for student_id in sorted((listed or set()) - set(by_student)):
            rows.append(empty_row(self.quiz, student_id, ("missing",)))
        rows.sort(key=lambda row: row.student_id)
        return Gradebook(self.quiz, tuple(rows), tuple(lines), self.roster)

    def _counted(self, record: AttemptRecord, applied: AppliedGrade | None) -> AttemptScore | str:
        """The attempt's score as it counts: its applied grade, or (graded for the first time)
        its score with its own version, written now."""
        if applied is None:
            score = self.score(record, record.version)
            if not isinstance(score, AttemptScore) or self.store.first_grade(
                record.id, score.version, score.points, score.total, self.now
            ):
                return score
            applied = self.store.grades()[record.id]  # graded meanwhile (a regrade applied)
        score = self.score(record, applied.version)
        if isinstance(score, str):  # the verdicts cannot be recomputed: the points still stand
            try:
                quiz = self.version(applied.version)
            except QuizError:
                quiz = self.quiz
            assert record.submitted_at is not None
            over = record.submitted_at - record.deadline
            factor, _ = late_factor(quiz, over)
            score = AttemptScore(
                record,
                applied.version,
                _results_from(quiz, applied.points),
                applied.total,
                quiz.max_points,
                minutes_past(over),
                factor < 1.0,
                problem=f"its grade stands, but it cannot be graded again: {score}",
            )
        results = tuple(
            replace(r, points=applied.points.get(r.question_id, 0.0)) for r in score.results
        )
        return replace(score, results=results, total=applied.total)

    def _row(self, best: AttemptScore, flags: set[str], submitted: int) -> GradeRow:
        record = best.record
        by_id = {r.question_id: r for r in best.results}
        ids = [q.id for q in self.quiz.questions()]
        if set(ids) != set(by_id):
            flags.add("old-version")
        results = tuple(
            by_id.get(q.id, QuestionResult(q.id, 0.0, q.points)) for q in self.quiz.questions()
        )
        if best.late:
            flags.add("late")
        if record.how == "time-up":
            flags.add("time-up")
        assert record.submitted_at is not None
        return GradeRow(
            record.student_id,
            results,
            best.total,
            best.max_points,
            ordered(flags),
            best.minutes_late,
            True,
            attempt=record.number,
            attempts=submitted,
            submitted_at=iso_utc(record.submitted_at),
            version=best.version,
        )

    # regrading

    def changes(self) -> list[ScoreChange]:
        """Each submitted attempt whose score under the quiz file given differs from the one that
        counts (or that the file cannot grade: kept). Nothing is written."""
        grades = self.store.grades()
        found: list[ScoreChange] = []
        for record in (r for r in self.records if r.submitted):
            applied = grades.get(record.id)
            old_version = applied.version if applied else None
            new = self.score(record, self.quiz.digest)
            if isinstance(new, str):
                if old_version != self.quiz.digest:
                    found.append(
                        ScoreChange(
                            record.student_id,
                            record.number,
                            record.id,
                            None if applied is None else applied.total,
                            old_version,
                            None,
                            kept=new,
                        )
                    )
                continue
            if applied is None:
                found.append(
                    ScoreChange(record.student_id, record.number, record.id, None, None, new)
                )
                continue
            old, now = applied.points, new.points
            questions = tuple(
                qid
                for qid in dict.fromkeys([*old, *now])
                if qid not in old or qid not in now or abs(old[qid] - now[qid]) > EPSILON
            )
            if questions or abs(applied.total - new.total) > EPSILON:
                found.append(
                    ScoreChange(
                        record.student_id,
                        record.number,
                        record.id,
                        applied.total,
                        old_version,
                        new,
                        questions,
                    )
                )
        found.sort(key=lambda c: (c.student_id, c.attempt))
        return found

    def apply(self, changes: Iterable[ScoreChange]) -> int:
        """Write the new score of each change (those the file can grade); how many."""
        changes = [c for c in changes if c.new is not None]
        if not changes:
            return 0
        digest = self.store.remember(self.quiz, self.now)
        for change in changes:
            new = change.new
            assert new is not None
            self.store.apply_grade(change.attempt_id, digest, new.points, new.total, self.now)
        return len(changes)


def score_attempt(
    quiz: Quiz,
    digest: str,
    variant: Variant,
    record: AttemptRecord,
    events: list[AnswerEvent],
    notes: tuple[str, ...] = (),
) -> AttemptScore:
    """An attempt's answers (the last typed before it closed) graded against `variant`, each
    question's try penalty and the late policy applied."""
    if record.submitted_at is None:
        raise QuizError(f"attempt {record.number} of {record.student_id} is not submitted")
    final = final_answers(events, record.closes_at)
    results = []
    for question in quiz.questions():
        event = final.get(question.id)
        result = grade_question(quiz, variant, question.id, None if event is None else event.text)
        factor = try_factor(quiz, tries_charged(events, question.id, record.closes_at))
        if factor < 1.0:
            result = replace(result, points=result.points * factor)
        results.append(result)
    over = record.submitted_at - record.deadline
    factor, _ = late_factor(quiz, over)
    return AttemptScore(
        record,
        digest,
        tuple(results),
        sum(r.points for r in results) * factor,
        quiz.max_points,
        minutes_past(over),
        factor < 1.0,
        notes,
    )


def _results_from(quiz: Quiz, points: dict[str, float]) -> tuple[QuestionResult, ...]:
    """Results known only by their points (no verdict to say more)."""
    results = []
    for question in quiz.questions():
        got = points.get(question.id, 0.0)
        results.append(QuestionResult(question.id, got, question.points, got > 0, False))
    return tuple(results)


def roster_ids(roster: object | None) -> set[str] | None:
    """The student ids of a Roster (tutor.serve.roster) or of an iterable of ids."""
    if roster is None:
        return None
    students = getattr(roster, "students", None)
    if students is not None:
        return {student.id for student in students}
    return set(roster)  # type: ignore[call-overload]


def grade_attempts(
    store: AttemptStore,
    quiz: Quiz,
    secret: bytes,
    roster: object | None = None,
    now: float | None = None,
) -> Gradebook:
    """The gradebook of `quiz` (by its id) from the server's records: each student's best
    submitted attempt, as graded (an attempt graded for the first time is graded with its own
    version, and that grade is written). `roster`: a Roster or student ids."""
    return Grading(store, quiz, secret, roster, now).gradebook()


def format_changes(changes: list[ScoreChange]) -> str:
    """The per-student diff: student, attempt, old total → new total, the questions whose points
    change, and notes (parameters added or renamed; a variant kept)."""
    if not changes:
        return ""
    rows = [("student", "attempt", "old → new", "questions changed")]
    for change in changes:
        old = "—" if change.old_total is None else f"{change.old_total:.2f}"
        if change.new is None:
            moved = f"{old} (kept)"
            what = f"the quiz file cannot grade it: {change.kept}"
        else:
            moved = f"{old} → {change.new.total:.2f}"
            what = ", ".join(change.questions) or "—"
            if change.notes:
                what += " (" + "; ".join(change.notes) + ")"
        rows.append((change.student_id, str(change.attempt), moved, what))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:<{widths[2]}}  {d}".rstrip() + "\n"
        for a, b, c, d in rows
    )
