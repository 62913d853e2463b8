"""Provides QuizTaking: one student's sitting of a quiz, for the TUI's quiz screen.

Each answer is committed as typed; reopening resumes the answers and the clock; `submit()`
writes the signed submission file. No hints are offered; feedback follows the quiz's policy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tutor.quiz.model import Quiz, QuizError, QuizQuestion
from tutor.quiz.secret import check_student_id, signing_key
from tutor.quiz.sessions import SessionRecord, SessionStore
from tutor.quiz.submission import Answer, Submission, write_submission
from tutor.quiz.variant import Variant, Variants
from tutor.text import Text, clean

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QuizTaking:
    """A sitting: the student's variant, their saved answers and the clock.

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
        key: bytes,
        out_dir: Path,
        clock: Clock,
    ) -> None:
        self.quiz = quiz
        self.variant = variant
        self.record = record
        self._store = store
        self._key = key
        self._out_dir = out_dir
        self._clock = clock
        self._answers = store.answers(record)

    @classmethod
    def open(
        cls,
        quiz: Quiz,
        secret: bytes,
        student_id: str,
        data_dir: Path,
        out_dir: Path | None = None,
        clock: Clock = _utc_now,
    ) -> QuizTaking:
        """Start or resume the student's attempt; QuizError (one line) if it cannot be."""
        check_student_id(student_id)
        variant = Variants(quiz, secret).for_student(student_id)
        store = SessionStore(data_dir)
        try:
            record = store.start(quiz.id, student_id, quiz.attempts, clock())
        except QuizError:
            store.close()
            raise
        out = Path(out_dir) if out_dir is not None else Path(data_dir) / "submissions"
        return cls(quiz, variant, store, record, signing_key(secret, quiz.id), out, clock)

    def close(self) -> None:
        self._store.close()

    @property
    def questions(self) -> tuple[QuizQuestion, ...]:
        return self.quiz.questions()

    def program(self, question: QuizQuestion) -> str:
        """The program (this student's variant) the question is about."""
        return self.variant.program_of(question)

    def prompt(self, question: QuizQuestion) -> Text:
        return self.variant.prompt_of(question)

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
        or, whatever the policy, when the answer cannot be read as the kind asked (saying so
        reveals nothing about the right answer and saves a student points lost to a typo)."""
        if self.submitted:
            raise QuizError("this attempt has been submitted; answers can no longer change")
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
            if q.id in self._answers
        }

    def submit(self) -> Path:
        """Write the signed submission (once; again returns the same file)."""
        if self.record.submitted_at is not None and self.record.submission_path:
            return Path(self.record.submission_path)
        now = self._clock()
        submission = Submission(
            quiz_id=self.quiz.id,
            student_id=self.record.student_id,
            attempt=self.record.attempt,
            started_at=self.record.started_at,
            submitted_at=now,
            answers=tuple(
                Answer(q.id, self._answers[q.id][0], self._answers[q.id][1])
                for q in self.questions
                if q.id in self._answers
            ),
        )
        name = f"{self.quiz.id}-{self.record.student_id}-{self.record.attempt}.json"
        path = write_submission(submission, self._key, self._out_dir / name)
        self.record = self._store.mark_submitted(self.record, now, path)
        return path
