"""Provides QuizTaking: practice with a quiz on the learner's own machine (`tutor quiz take`), for
the TUI's quiz screen.

Practice is not graded, and says so. It needs no instructor secret: each practice attempt draws
its numbers from a fresh random seed (kept with the session, so a killed one resumes with the
same numbers; the next attempt gets new ones). Each answer is committed as typed; reopening
resumes the answers and the clock; `submit()` ends the attempt and scores it for the learner
alone. A quiz for a grade runs on `tutor serve` (tutor.quiz.server_taking), where the secret,
the clock and the answers stay on the server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tutor.quiz.grading import QuestionResult, grade_question
from tutor.quiz.model import Quiz, QuizError
from tutor.quiz.sessions import SessionRecord, SessionStore
from tutor.quiz.variant import OnVariant, Variant, Variants
from tutor.text import Text, clean

Clock = Callable[[], datetime]
LEARNER = "me"  # whose practice it is when no --student is given
PRACTICE = Text("Practice — not graded", "연습 — 채점하지 않음")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PracticeResult:
    """The end of a practice attempt: its score for the learner (never sent anywhere), each
    question's result, and how it ended (`student`, or `time-up`)."""

    quiz_id: str
    attempt: int
    total: float
    max_points: float
    results: tuple[QuestionResult, ...]
    how: str

    def __str__(self) -> str:
        return f"{self.total:g} of {self.max_points:g} points"


class QuizTaking(OnVariant):
    """A practice sitting: a variant of its own, the saved answers and the clock.

    Use `QuizTaking.open(...)`; then `answer(qid, text)` as they type, `remaining()` for the
    countdown, `submit()` at the end or when `expired`. Closing without submitting keeps the
    session for resuming.
    """

    def __init__(
        self,
        quiz: Quiz,
        variant: Variant,
        store: SessionStore,
        record: SessionRecord,
        clock: Clock,
    ) -> None:
        self.quiz = quiz
        self.variant = variant
        self.record = record
        self._store = store
        self._clock = clock
        self._answers = store.answers(record)

    @classmethod
    def open(
        cls,
        quiz: Quiz,
        data_dir: Path,
        student_id: str = LEARNER,
        clock: Clock = _utc_now,
        seed: bytes | None = None,
    ) -> QuizTaking:
        """Resume the learner's open practice attempt, else start a new one with new numbers
        (drawn from a random seed; `seed` fixes it, for tests); QuizError (one line) if it
        cannot be."""
        from tutor.ids import id_problem

        problem = id_problem(student_id)
        if problem is not None:
            raise QuizError(f"student id {student_id[:40]!r}: {problem}")
        store = SessionStore(data_dir)
        try:
            record = store.start(quiz.id, student_id, clock(), seed)
            seed = bytes.fromhex(record.seed)
            variant = Variants(quiz, seed, cache=False).for_student(student_id)
        except QuizError:
            store.close()
            raise
        return cls(quiz, variant, store, record, clock)

    def close(self) -> None:
        self._store.close()

    def answers(self) -> dict[str, str]:
        """question id → the text saved so far."""
        return {qid: text for qid, (text, _) in self._answers.items()}

    @property
    def submitted(self) -> bool:
        return self.record.submitted_at is not None

    def remaining(self) -> float:
        """Seconds left on the countdown (0 when time is up)."""
        return self.record.remaining(self.quiz.time_limit_seconds, self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def answer(self, question_id: str, text: str) -> object | None:
        """Save what is typed; the Verdict when the policy gives feedback after each answer,
        or, whatever the policy, when the answer cannot be read as the kind asked. QuizError
        once the attempt is submitted (here or in another window)."""
        if self.submitted:
            raise QuizError("this practice was submitted; answers can no longer change")
        question = self.quiz.question(question_id)
        now = self._clock()
        text = clean(text)
        self._store.save_answer(self.record, question_id, text, now)
        self._answers[question_id] = (text, now)
        if not text.strip():
            return None
        from tutor.checking import grade

        verdict = grade(question.question, self.variant.expected[question_id], text)
        if self.quiz.feedback == "after-each" or verdict.outcome == "unreadable":
            return verdict
        return None

    def feedback(self) -> dict[str, object]:
        """question id → Verdict of the saved answer, once the policy allows it (after each
        answer, or after submitting); {} before then. Unanswered questions are left out."""
        if self.quiz.feedback != "after-each" and not self.submitted:
            return {}
        from tutor.checking import grade

        return {
            q.id: grade(q.question, self.variant.expected[q.id], self._answers[q.id][0])
            for q in self.questions
            if q.id in self._answers and self._answers[q.id][0].strip()
        }

    def submit(self) -> PracticeResult:
        """End the practice attempt (once; again returns the same result) and score it."""
        how = "time-up" if self.expired else "student"
        self.record = self._store.mark_submitted(self.record, self._clock())
        self._answers = self._store.answers(self.record)  # what was saved, in any window
        return self.result(how)

    def result(self, how: str = "student") -> PracticeResult:
        """The practice score of the saved answers (the quiz's partial credit rules; no late
        penalty and no tries: this is practice)."""
        results = tuple(
            grade_question(self.quiz, self.variant, q.id, self._answers.get(q.id, ("", None))[0])
            for q in self.questions
        )
        return PracticeResult(
            self.quiz.id,
            self.record.attempt,
            sum(r.points for r in results),
            self.quiz.max_points,
            results,
            how,
        )
