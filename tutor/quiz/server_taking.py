"""Provides ServerTaking: one student's sitting of a quiz on `tutor serve`, every fact of it kept
by the server (tutor.quiz.attempts): the variant drawn there from a secret that never leaves it,
the clock on the server's time, each answer as typed, tries charged, the submission.

It offers what the TUI's quiz screen reads of the local QuizTaking (`questions`, `program`,
`prompt`, `answers`, `answer`, `remaining`, `submitted`, `feedback`, `submit`), and what only a
server can say: whether this session still holds the attempt (`holds`), how many tries a
question has left (`tries_left`), whether its answer can still change (`locked`).

Also the rules grading shares with it: `final_answers` (the last answer typed before the attempt
closed) and `tries_charged`, `try_factor` (what after-each feedback costs)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tutor.ids import id_problem
from tutor.quiz.attempts import (
    AnswerEvent,
    AttemptRecord,
    AttemptStore,
    Closed,
    TakenOver,
    new_holder,
)
from tutor.quiz.model import Quiz, QuizError
from tutor.quiz.variant import OnVariant, Variant, Variants
from tutor.text import Text, clean

Clock = Callable[[], float]

NO_TRIES = Text(
    "No tries left for this question: its answer stays as it was checked.",
    "이 문제는 시도 횟수를 모두 썼습니다. 확인한 답이 그대로 남습니다.",
)


@dataclass(frozen=True)
class Receipt:
    """What the learner is told once submitted: which attempt, when (server time), and how."""

    quiz_id: str
    student_id: str
    attempt: int
    submitted_at: float
    how: str

    def __str__(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.submitted_at))
        return f"{self.quiz_id}, attempt {self.attempt}, received by the server at {when}"


def final_answers(events: Iterable[AnswerEvent], closes_at: float) -> dict[str, AnswerEvent]:
    """question id → the last answer saved before the attempt closed."""
    final: dict[str, AnswerEvent] = {}
    for event in events:
        if event.at < closes_at:
            final[event.question_id] = event
    return final


def tries_charged(events: Iterable[AnswerEvent], question_id: str, closes_at: float) -> int:
    """Tries used on a question: its checked answers (readable ones), and the final answer
    once more if it was changed after the last check (grading checks it too)."""
    tries, last_checked, final = 0, None, None
    for event in events:
        if event.question_id != question_id or event.at >= closes_at:
            continue
        final = event.text
        if event.checked:
            tries += 1
            last_checked = event.text
    if final is not None and final.strip() and final != last_checked:
        tries += 1
    return tries


def try_factor(quiz: Quiz, tries: int) -> float:
    """The share of a question's points kept after `tries` tries (after-each feedback only)."""
    if quiz.feedback != "after-each" or tries <= 1:
        return 1.0
    return max(0.0, 1.0 - quiz.try_penalty * (tries - 1))


def attempt_variant(quiz: Quiz, secret: bytes, record: AttemptRecord) -> Variant:
    """The variant of a stored attempt: its own parameter values, never drawn again."""
    return Variants(quiz, secret, cache=False).with_values(
        record.student_id, record.draw, record.params
    )


class ServerTaking(OnVariant):
    """A live sitting on the server. Open with `ServerTaking.open(...)`; the session that opened
    it last holds the attempt (a second login takes it over; this one then refuses answers with
    TakenOver). Times come from `clock` (seconds since the epoch on the server)."""

    def __init__(
        self,
        quiz: Quiz,
        variant: Variant,
        store: AttemptStore,
        record: AttemptRecord,
        holder: str,
        clock: Clock,
    ) -> None:
        self.quiz = quiz
        self.variant = variant
        self.record = record
        self.holder = holder
        self._store = store
        self._clock = clock
        self._events = store.events(record.id)

    @classmethod
    def open(
        cls,
        quiz: Quiz,
        secret: bytes,
        student_id: str,
        store: AttemptStore,
        clock: Clock = time.time,
    ) -> ServerTaking:
        """Resume the student's open attempt (taking it over from any other session) or start
        the next; an attempt whose time ran out while no one held it is submitted on time
        first. QuizError (one line) when no attempt is left."""
        problem = id_problem(student_id)
        if problem is not None:
            raise QuizError(f"student id {student_id[:40]!r}: {problem}")
        store.close_expired(clock())
        variants = Variants(quiz, secret, cache=False)

        def draw_for(number: int) -> tuple[int, dict[str, object]]:
            variant = variants.for_student(student_id, attempt=number)
            return variant.draw, dict(variant.values)

        holder = new_holder()
        record = store.start(quiz, student_id, clock(), draw_for, holder)
        version = quiz if record.version == quiz.digest else store.version(record.version)
        variant = attempt_variant(version, secret, record)
        return cls(version, variant, store, record, holder, clock)

    # what the quiz screen reads

    def answers(self) -> dict[str, str]:
        """question id → the latest text saved."""
        return {e.question_id: e.text for e in self._events}

    @property
    def submitted(self) -> bool:
        return self.record.submitted

    def remaining(self) -> float:
        return self.record.remaining(self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def holds(self) -> bool:
        """Whether this session still holds the attempt (False once another login took it)."""
        return self._store.holds(self.record.id, self.holder)

    def refresh(self) -> None:
        """Read the attempt again (the server's sweep may have submitted it)."""
        self.record = self._store.attempt(self.record.id)

    def tries_left(self, question_id: str) -> int | None:
        """Tries left with after-each feedback (None when answers are not checked one by one)."""
        if self.quiz.feedback != "after-each":
            return None
        used = sum(1 for e in self._events if e.question_id == question_id and e.checked)
        return max(0, self.quiz.tries - used)

    def locked(self, question_id: str) -> bool:
        """Whether the answer can no longer change: submitted, or (after-each) no tries left,
        or checked right."""
        if self.submitted:
            return True
        if self.quiz.feedback != "after-each":
            return False
        checked = [e for e in self._events if e.question_id == question_id and e.checked]
        return len(checked) >= self.quiz.tries or any(e.outcome == "correct" for e in checked)

    def answer(self, question_id: str, text: str, checked: bool = False) -> object | None:
        """Save what is typed (a row on the server, with the server's time). `checked` (Enter)
        asks for the verdict: with after-each feedback it is given and a readable answer uses a
        try; otherwise, as locally, only an unreadable answer is told so."""
        question = self.quiz.question(question_id)
        text = clean(text)
        if self.locked(question_id):
            if self.submitted:
                raise Closed("this attempt has been submitted; answers can no longer change")
            raise Closed(NO_TRIES.en)
        verdict = None
        if text.strip():
            from tutor.checking import grade

            verdict = grade(question.question, self.variant.expected[question_id], text)
        charge = checked and self.quiz.feedback == "after-each" and verdict is not None
        charge = charge and verdict.outcome != "unreadable"
        now = self._clock()
        try:
            self._store.save(
                self.record,
                self.holder,
                question_id,
                text,
                now,
                checked=charge,
                outcome=verdict.outcome if charge else None,
            )
        except Closed:
            self.refresh()
            if not self.submitted:
                self.submit()
            raise
        self._events.append(
            AnswerEvent(question_id, text, now, charge, verdict.outcome if charge else None)
        )
        if verdict is None:
            return None
        if charge or verdict.outcome == "unreadable":
            return verdict
        return None

    def feedback(self) -> dict[str, object]:
        """question id → Verdict of the final answer, once the policy allows it."""
        if self.quiz.feedback != "after-each" and not self.submitted:
            return {}
        from tutor.checking import grade

        final = final_answers(self._events, self.record.closes_at)
        return {
            qid: grade(self.quiz.question(qid).question, self.variant.expected[qid], event.text)
            for qid, event in final.items()
            if event.text.strip()
        }

    def submit(self) -> Receipt:
        """Submit on the server (once; `time-up` when the clock ran out first). Only while this
        session holds the attempt: TakenOver when another window took it."""
        if self.record.submitted:
            return self.receipt()
        now = self._clock()
        how = "time-up" if now >= self.record.deadline else "student"
        # once the attempt has closed, submitting it is anyone's to do (as the sweep does)
        holder = None if now >= self.record.closes_at else self.holder
        try:
            self.record = self._store.submit(self.record, now, how, holder=holder)
        except TakenOver:
            self.refresh()
            if not self.record.submitted:
                raise
        return self.receipt()

    def receipt(self) -> Receipt:
        if not self.record.submitted:
            raise QuizError("this attempt has not been submitted")
        record = self.record
        assert record.submitted_at is not None and record.how is not None
        return Receipt(
            record.quiz_id, record.student_id, record.number, record.submitted_at, record.how
        )

    def close(self) -> None:
        """Leave: the attempt stays open (and its clock runs) for the student's next login."""
        if not self.submitted:
            with contextlib.suppress(QuizError):  # leaving: the sweep and next login still work
                self._store.release(self.record.id, self.holder)
