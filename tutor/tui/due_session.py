"""Provides DueSession: a review session over the questions the schedule (FSRS, in the progress
store) says are due, each asked once with numbers drawn afresh, graded, and recorded (the store
schedules it again from the verdict).

No Textual here: the review screen drives it, and tests can too.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from tutor.checking import HintLadder, Verdict, grade
from tutor.course import Course, Question, format_answer
from tutor.course.trace import Asked, StepTrace
from tutor.course.variants import Drawn, LessonVariants
from tutor.progress import Attempt, Store
from tutor.text import Text, clean
from tutor.tui.due_list import due_in
from tutor.tui.widgets.veil import Veil, answer_masks


@dataclass
class DueCard:
    """One due question made ready: its lesson drawn with fresh numbers, the step it is asked
    at, what it expects, and how it went."""

    drawn: Drawn
    step: StepTrace
    question: Question
    ladder: HintLadder
    asked_at: float = field(default_factory=time.monotonic)
    verdict: Verdict | None = None

    @property
    def lesson_title(self) -> Text:
        return self.drawn.lesson.title

    @property
    def expected(self) -> object:
        return self.drawn.trace.expected[self.question.id]

    @property
    def answer(self) -> str:
        """The right answer, as a learner would type it (shown after a wrong one)."""
        return format_answer(self.expected)

    def veil(self) -> Veil:
        """What the panes hold back while the question is open: what it asks."""
        if self.verdict is not None:
            return Veil()
        asked = self.step.asked.get(self.question.id, Asked())
        return Veil(asked, tuple(answer_masks(self.expected)))


class DueSession:
    """The questions due in `course` now, oldest first; `card(i)` draws and traces the i-th (slow:
    call it off the UI thread), `submit` grades and records an answer to it."""

    def __init__(self, course: Course, store: Store, rng: random.Random | None = None) -> None:
        self.course = course
        self.store = store
        self.rng = rng or random.Random()
        self.due = due_in(course, store)
        self._lessons = {lesson.id: lesson for lesson in course.lessons}
        self.right = 0
        self.answered = 0

    def __len__(self) -> int:
        return len(self.due)

    def card(self, index: int) -> DueCard:
        """The index-th due question with fresh numbers (other than the lesson's own)."""
        due = self.due[index]
        variants = LessonVariants(self._lessons[due.lesson_id], self.rng)
        drawn = variants.fresh(avoid=variants.canonical().values)
        for step in drawn.trace.steps:
            for question in step.step.questions:
                if question.id == due.question_id:
                    return DueCard(drawn, step, question, HintLadder(question.hints))
        raise KeyError(due.question_id)

    def submit(self, card: DueCard, text: str) -> Verdict:
        """Grade an answer; a readable one is recorded (once: the card is then answered)."""
        text = clean(text)
        verdict = grade(card.question, card.expected, text)
        if verdict.outcome == "unreadable" or card.verdict is not None:
            return verdict
        self.store.record(
            Attempt(
                lesson_id=card.drawn.lesson.id,
                question_id=card.question.id,
                answer=text,
                correct=verdict.correct,
                score=verdict.score,
                misconception=verdict.misconception,
                hints_used=card.ladder.used,
                course_id=self.course.id,
                duration_ms=int((time.monotonic() - card.asked_at) * 1000),
                at=self.store.clock(),
                numbers=tuple(card.drawn.values.items()),
            )
        )
        card.verdict = verdict
        self.answered += 1
        self.right += verdict.correct
        return verdict
