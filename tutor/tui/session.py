"""Provides LessonSession: where a learner is in a lesson, grading and recording each answer.

No Textual here: the lesson screen drives it, and tests can too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from tutor.checking import HintLadder, Verdict, grade
from tutor.course import LessonTrace, Question, StepTrace, format_answer
from tutor.course.trace import Asked
from tutor.course.variants import Drawn, LessonVariants
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
    # the answer shown once settled, kept when the lesson's numbers change after
    answer: str | None = None

    @property
    def settled(self) -> bool:
        return self.solved or self.wrong >= REVEAL_AFTER


class LessonSession:
    """One learner in one lesson: the current step and question, hints, answers, progress.

    With `variants` (a lesson with `[params]`), a wrong answer with tries left changes the
    numbers: the retry waits for a fresh variant (new values, every expected answer computed
    from its program), which the screen draws in a worker once the verdict is on screen
    (`draw`, then `offer`); the session swaps it in, keeping the step and every question's
    state. Nothing is drawn ahead: a session holds the trace it shows and, while a retry
    waits, the one being drawn (a trace is up to ~1 MB, times 200 served sessions).
    """

    def __init__(
        self,
        trace: LessonTrace,
        store: Store,
        course_id: str,
        *,
        variants: LessonVariants | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.trace = trace
        self.lesson = trace.lesson
        self.store = store
        self.course_id = course_id
        self.variants = variants
        # the values of the numbers on screen (the canonical ones unless told)
        if values is None and variants is not None:
            values = variants.canonical_values
        self.values: Mapping[str, object] = MappingProxyType(dict(values or {}))
        self._waiting: tuple[str, int] | None = None  # a retry waiting for new numbers
        self._drawing = threading.Lock()
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
                wrong_before=state.wrong,
                at=self.store.clock(),
                numbers=tuple(self.values.items()),
            )
        )
        state.last, state.last_answer = verdict, text
        if verdict.correct:
            state.solved = True
            self._asked_at = time.monotonic()
        else:
            state.wrong += 1
            if not state.settled and self.varies:
                self._waiting = (question.id, state.wrong)
        if state.settled:
            state.answer = self.answer_of(question)
        return verdict

    # new numbers for a retry

    @property
    def varies(self) -> bool:
        """Whether the lesson has other numbers to draw (params with more than one value)."""
        return self.variants is not None and any(len(p.values) > 1 for p in self.lesson.params)

    @property
    def needs_draw(self) -> bool:
        """Whether a retry is waiting for new numbers (the question still open, as it was)."""
        question = self.question
        return (
            self._waiting is not None
            and question is not None
            and self._waiting == (question.id, self.states[question.id].wrong)
        )

    def draw(self) -> Drawn:
        """A fresh variant: other values than those on screen, not degenerate (slow: the
        screen calls it in a worker thread). NoVariant or CourseError when there is none."""
        assert self.variants is not None
        with self._drawing:
            return self.variants.fresh(avoid=self.values)

    def offer(self, drawn: Drawn) -> bool:
        """Use a variant `draw` made if the retry it was drawn for still waits (True: the
        numbers changed); a variant no retry waits for any more is dropped."""
        if not self.needs_draw or _key(drawn.values) == _key(self.values):
            return False
        self._waiting = None
        self.use(drawn)
        return True

    def use(self, drawn: Drawn) -> None:
        """Show another variant of the lesson: its program, numbers and expected answers, at
        the same step, every question keeping its state; a settled question keeps the answer
        it was settled with."""
        for question in self.lesson.questions():
            state = self.states[question.id]
            if state.settled and state.answer is None:
                state.answer = self.answer_of(question)
        self.trace = drawn.trace
        self.lesson = drawn.lesson
        self.values = MappingProxyType(dict(drawn.values))
        self._masks = {qid: answer_masks(e) for qid, e in drawn.trace.expected.items()}

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
        """The computed answer, as a learner would type it (shown after REVEAL_AFTER misses);
        for a settled question, the answer it was settled with."""
        kept = self.states[question.id].answer
        return kept if kept is not None else format_answer(self.trace.expected[question.id])


def _key(values: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, repr(value)) for name, value in values.items()))


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
