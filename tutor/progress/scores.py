"""Provides what attempts add up to, defined once for home, review, the CSV and `tutor progress`:
when a question is settled, a lesson's score, the steps done, and which lesson to continue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tutor.progress.model import Attempt

REVEAL_AFTER = 3  # graded misses before the answer is shown and the question is settled

Outline = tuple[tuple[str, ...], ...]
"""A lesson's steps in order, each as the ids of the questions it asks."""


@dataclass(frozen=True)
class QuestionResult:
    """One question's graded attempts reduced to what counts (unreadable answers are never stored,
    so they are not attempts)."""

    attempts: int = 0
    first_score: float | None = None
    misses: int = 0  # graded answers not correct, before the first correct one
    correct: bool = False  # some answer was correct (perhaps only after the answer was shown)

    @property
    def revealed(self) -> bool:
        """The answer was shown: REVEAL_AFTER misses came before any correct answer."""
        return self.misses >= REVEAL_AFTER

    @property
    def solved(self) -> bool:
        return self.correct and not self.revealed

    @property
    def settled(self) -> bool:
        """Never asked again: solved, or its answer was shown."""
        return self.solved or self.revealed

    @property
    def score(self) -> float:
        """0 when the answer was shown, else the first graded answer's score (0 if none)."""
        if self.revealed or self.first_score is None:
            return 0.0
        return self.first_score


def question_results(attempts: Iterable[Attempt]) -> dict[str, QuestionResult]:
    """Each question's result from its attempts, taken in the order they were made."""
    results: dict[str, QuestionResult] = {}
    for a in attempts:
        r = results.get(a.question_id, QuestionResult())
        results[a.question_id] = QuestionResult(
            attempts=r.attempts + 1,
            first_score=a.score if r.first_score is None else r.first_score,
            misses=r.misses + (not a.correct and not r.correct),
            correct=r.correct or a.correct,
        )
    return results


def lesson_score(
    question_ids: Iterable[str], results: Mapping[str, QuestionResult]
) -> float | None:
    """THE lesson score: the mean over all the lesson's questions of each one's first graded
    answer, 0 for a question revealed or not yet answered; None before any answer.

    First try, not best: the tutor never asks a settled question again, so a question's best is
    100% for anyone who got there within REVEAL_AFTER tries and would only repeat the count of
    questions done, while the first answer is what the learner knew before any feedback."""
    ids = list(dict.fromkeys(question_ids))
    if not ids or not any(q in results for q in ids):
        return None
    return sum(results[q].score for q in ids if q in results) / len(ids)


def as_percent(score: float) -> str:
    """A score as every screen and `tutor progress` print it: a whole percentage."""
    return f"{score:.0%}"


def progress_bar(done: float, total: float, width: int) -> str:
    """A bar of `width` cells, filled in proportion to done/total, as every screen and
    `tutor progress` draw one."""
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class LessonProgress:
    """A lesson as home, review and `tutor progress` show it. Steps are what the lesson screen
    counts ("Step 2 of 5"): a step is done once the learner has reached it and settled its
    questions."""

    lesson_id: str
    steps_done: int
    steps: int
    questions_settled: int
    questions: int
    score: float | None
    last_activity: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.steps > 0 and self.steps_done >= self.steps

    @property
    def started(self) -> bool:
        return self.last_activity is not None or self.score is not None


def lesson_progress(
    lesson_id: str,
    outline: Outline,
    results: Mapping[str, QuestionResult],
    reached: int | None,
    last_activity: datetime | None = None,
) -> LessonProgress:
    """Progress through `outline`, the furthest step shown being `reached` (None: never opened).
    A step holding an answered question was reached too (older progress files did not keep the
    furthest step)."""
    answered = [i for i, step in enumerate(outline) if any(q in results for q in step)]
    furthest = max([reached if reached is not None else -1, *answered])
    ids = [q for step in outline for q in step]
    settled = {q for q in ids if q in results and results[q].settled}
    done = sum(
        1 for i, step in enumerate(outline) if i <= furthest and all(q in settled for q in step)
    )
    return LessonProgress(
        lesson_id=lesson_id,
        steps_done=done,
        steps=len(outline),
        questions_settled=len(settled),
        questions=len(set(ids)),
        score=lesson_score(ids, results),
        last_activity=last_activity,
    )


def next_unfinished(
    order: Sequence[str], progress: Mapping[str, LessonProgress], last: str | None
) -> str | None:
    """The lesson "Continue" opens: the last one worked on while unfinished, else the next
    unfinished one after it in the course (wrapping round); None when nothing was started or
    everything is complete."""
    if last is None or last not in order:
        return None
    start = order.index(last)
    for lesson_id in (*order[start:], *order[:start]):
        if lesson_id in progress and not progress[lesson_id].complete:
            return lesson_id
    return None


def outline_of(lesson: Any) -> Outline:
    """The outline of a course lesson (anything with `.steps`, each with `.questions` having
    `.id`): progress stays independent of the course package."""
    return tuple(tuple(q.id for q in step.questions) for step in lesson.steps)
