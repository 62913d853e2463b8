"""Provides LessonSession: where a learner is in a lesson, grading and recording each answer.

No Textual here: the lesson screen drives it, and tests can too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from tutor.checking import HintLadder, Verdict, grade
from tutor.course import LessonTrace, Question, StepTrace, format_answer
from tutor.course.trace import Asked
from tutor.progress import REVEAL_AFTER, Attempt, ProgressError, Store
from tutor.text import Text, clean
from tutor.tui.i18n import form_wanted
from tutor.tui.widgets.veil import Veil, answer_masks


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
        for qid, result in store.question_results(course_id, self.lesson.id).items():
            if qid in self.states:
                self.states[qid].solved = result.solved
                self.states[qid].wrong = min(result.misses, REVEAL_AFTER)
        saved = store.position(course_id, self.lesson.id)
        self.step_index = 0 if saved is None else max(0, min(saved, len(trace.steps) - 1))
        self.furthest = self.step_index
        self._asked_at = time.monotonic()
        self._masks = {qid: answer_masks(e) for qid, e in trace.expected.items()}
        self.unsaved: str | None = None  # why the last place could not be saved, if it could not
        self._save_position()

    def _save_position(self) -> None:
        """Keep the learner's place; a store that cannot write now (a full disk, a database
        restarting) costs only the place, which the next step saves again."""
        try:
            self.store.set_position(self.course_id, self.lesson.id, self.step_index)
        except ProgressError as error:
            self.unsaved = str(error)
        else:
            self.unsaved = None

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
        self._save_position()
        return True

    def go_back(self) -> bool:
        if self.step_index == 0:
            return False
        self.step_index -= 1
        self._save_position()
        return True

    def hint(self) -> Text | None:
        question = self.question
        if question is None:
            return None
        return self.states[question.id].ladder.next()

    def submit(self, text: str) -> Verdict | None:
        """Grade the typed answer to the current question and commit the attempt; an answer
        that cannot be read as the kind asked is only explained: no attempt, nothing stored.
        ProgressError when the attempt cannot be committed (nothing changes: submit again)."""
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

    def tries_left(self, question: Question) -> int:
        return max(0, REVEAL_AFTER - self.states[question.id].wrong)

    def settled_here(self) -> list[Question]:
        """The questions of this step already settled, in order (those before the open one)."""
        return [q for q in self.step.step.questions if self.states[q.id].settled]

    def veil(self) -> Veil:
        """What the screen holds back now: what the open questions of this step ask, and the
        answers of every unsettled question of the lesson wherever prose would print them."""
        asked = Asked()
        now = self.step.snapshot
        for step in self.trace.steps[self.step_index :]:
            for question in step.step.questions:
                if self.states[question.id].settled:
                    continue
                wanted = step.asked.get(question.id, Asked())
                asked = asked | (wanted if step is self.step else _unchanged(wanted, now, step))
        masks = tuple(
            mask
            for qid, state in self.states.items()
            if not state.settled
            for mask in self._masks.get(qid, ())
        )
        return Veil(asked, masks)

    def unsettled(self) -> list[tuple[Question, Asked]]:
        """Every question of the lesson not yet settled, with what it asks."""
        return [
            (question, step.asked.get(question.id, Asked()))
            for step in self.trace.steps
            for question in step.step.questions
            if not self.states[question.id].settled
        ]

    def form_of(self, question: Question) -> Text:
        """What to type for `question` (said when Enter is pressed on an empty box)."""
        return form_wanted(self.trace.expected[question.id], len(question.choices))

    def answer_of(self, question: Question) -> str:
        """The computed answer, as a learner would type it (shown after REVEAL_AFTER misses)."""
        return format_answer(self.trace.expected[question.id])


def _unchanged(asked: Asked, now: object, later: StepTrace) -> Asked:
    """What a later step's question asks that the screen would already show now: a value or
    a gradient that will not change before that step (and any node name it asks)."""

    def same(name: str, grad: bool) -> bool:
        a, b = now.variables.get(name), later.snapshot.variables.get(name)
        if a is None or b is None or a.tensor is None or b.tensor is None:
            return a is not None and b is not None and a.repr == b.repr
        x, y = (a.tensor.grad, b.tensor.grad) if grad else (a.tensor.values, b.tensor.values)
        if x is None or y is None:
            return x is None and y is None
        return x.shape == y.shape and bool(np.array_equal(x, y))

    return Asked(
        values=frozenset(n for n in asked.values if same(n, False)),
        grads=frozenset(n for n in asked.grads if same(n, True)),
        names=asked.names,
    )
