"""Provides LessonSession: where a learner is in a lesson, grading and recording each answer.

No Textual here: the lesson screen drives it, and tests can too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tutor.checking import HintLadder, Verdict, grade
from tutor.course import LessonTrace, Question, StepTrace, format_answer
from tutor.progress import Attempt, Store
from tutor.text import Text, clean

REVEAL_AFTER = 3  # wrong attempts before the computed answer is shown and the learner may go on


@dataclass
class QuestionState:
    ladder: HintLadder
    wrong: int = 0
    solved: bool = False
    last: Verdict | None = None
    last_answer: str = ""

    @property
    def settled(self) -> bool:
        return self.solved or self.wrong >= REVEAL_AFTER


class LessonSession:
    """One learner in one lesson: the current step and question, hints, answers, progress."""

    def __init__(self, trace: LessonTrace, store: Store, course_id: str) -> None:
        self.trace = trace
        self.lesson = trace.lesson
        self.store = store
        self.course_id = course_id
        self.states = {q.id: QuestionState(HintLadder(q.hints)) for q in self.lesson.questions()}
        solved = {
            a.question_id
            for a in store.attempts(lesson_id=self.lesson.id, course_id=course_id)
            if a.correct
        }
        for qid in solved & self.states.keys():
            self.states[qid].solved = True
        saved = store.position(course_id, self.lesson.id)
        self.step_index = 0 if saved is None else max(0, min(saved, len(trace.steps) - 1))
        self.furthest = self.step_index
        self._asked_at = time.monotonic()
        store.set_position(course_id, self.lesson.id, self.step_index)

    @property
    def step(self) -> StepTrace:
        return self.trace.steps[self.step_index]

    @property
    def step_count(self) -> int:
        return len(self.trace.steps)

    @property
    def question(self) -> Question | None:
        """The first question of this step not yet settled (None when all are)."""
        for q in self.step.step.questions:
            if not self.states[q.id].settled:
                return q
        return None

    @property
    def reviewing(self) -> bool:
        return self.step_index < self.furthest

    def state(self, question: Question) -> QuestionState:
        return self.states[question.id]

    def can_advance(self) -> bool:
        return self.question is None and self.step_index + 1 < self.step_count

    @property
    def finished(self) -> bool:
        return self.question is None and self.step_index + 1 >= self.step_count

    def advance(self) -> bool:
        if not self.can_advance():
            return False
        self.step_index += 1
        self.furthest = max(self.furthest, self.step_index)
        self._asked_at = time.monotonic()
        self.store.set_position(self.course_id, self.lesson.id, self.step_index)
        return True

    def go_back(self) -> bool:
        if self.step_index == 0:
            return False
        self.step_index -= 1
        self.store.set_position(self.course_id, self.lesson.id, self.step_index)
        return True

    def hint(self) -> Text | None:
        question = self.question
        if question is None:
            return None
        return self.states[question.id].ladder.next()

    def submit(self, text: str) -> Verdict | None:
        """Grade the typed answer to the current question and commit the attempt; an answer
        that cannot be read as the kind asked is only explained: no attempt, nothing stored."""
        question = self.question
        if question is None:
            return None
        state = self.states[question.id]
        text = clean(text)
        verdict = grade(question, self.trace.expected[question.id], text)
        if verdict.outcome == "unreadable":
            state.last, state.last_answer = verdict, text
            return verdict
        elapsed = int((time.monotonic() - self._asked_at) * 1000)
        self.store.record(
            Attempt(
                lesson_id=self.lesson.id,
                question_id=question.id,
                answer=text,
                correct=verdict.correct,
                score=verdict.score,
                misconception=verdict.misconception,
                hints_used=state.ladder.used,
                course_id=self.course_id,
                duration_ms=elapsed,
            )
        )
        state.last, state.last_answer = verdict, text
        if verdict.correct:
            state.solved = True
            self._asked_at = time.monotonic()
        else:
            state.wrong += 1
        return verdict

    def answer_of(self, question: Question) -> str:
        """The computed answer, as a learner would type it (shown after REVEAL_AFTER misses)."""
        return format_answer(self.trace.expected[question.id])
