"""Provides spaced review's rules: the one FSRS scheduler the tutor uses (SCHEDULER, the `fsrs`
package Anki's scheduler comes from), how a graded answer becomes a rating (`rating`), and a
question's card as the fold of its rated answers (`fold`).

Each question of a course is a card. Every graded answer is a review of it, at the time it was
made: wrong → Again; right after hints → Hard; right at the first try, without hints, within
EASY_SECONDS → Easy; any other right answer → Good. A right answer after wrong tries at the same
question is Good, not Easy: the wrong try was already reviewed as Again and put the card back
into (re)learning, and the answer that follows is FSRS's next (re)learning step, which Good
advances. Unreadable answers are never attempts, so never reviews.

SCHEDULER has fsrs's default parameters, desired retention 0.9, its default learning steps
(1 and 10 minutes) and relearning step (10 minutes), and no fuzz. fsrs fuzzes a review interval
(a random few percent) to spread cards learnt together over several days; that is worth little
for one learner's few dozen questions, and without it a schedule is a pure function of the
answers and their times: the same after replaying attempts (a migration, an answer recorded out
of order), the same on SQLite and PostgreSQL, and what `fsrs` itself computes for the same
ratings, so tests can check it exactly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from tutor.progress.due_rows import utc

DESIRED_RETENTION = 0.9
EASY_SECONDS = 20  # a right first try without hints this fast is Easy: the answer was at hand
SCHEDULER = Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)
_RATINGS = frozenset(int(r) for r in Rating)


def rating(
    correct: bool, hints_used: int = 0, wrong_before: int = 0, duration_ms: int | None = None
) -> Rating:
    """The review a graded answer is: Again, Hard, Good or Easy (see the module's docstring).
    `duration_ms` None (not measured) is never Easy."""
    if not correct:
        return Rating.Again
    if hints_used > 0:
        return Rating.Hard
    if wrong_before == 0 and duration_ms is not None and duration_ms <= EASY_SECONDS * 1000:
        return Rating.Easy
    return Rating.Good


@dataclass(frozen=True)
class Answer:
    """One stored answer as a review: when, and its rating (None, or a value no tutor wrote:
    rated here from its other fields, as answers made before ratings were stored are)."""

    at: datetime
    correct: bool
    hints_used: int = 0
    duration_ms: int | None = None
    rating: int | None = None


@dataclass(frozen=True)
class Folded:
    """A card after all its reviews; `ratings` are the answers' in the order given."""

    card: Card
    ratings: tuple[Rating, ...]
    last: Rating  # the latest answer's
    reps: int
    lapses: int  # Again on a card in review (it had been learnt, then forgotten)


def fold(answers: Iterable[Answer]) -> Folded | None:
    """The card the answers make, reviewing them in time order (ties in the order given); None
    for no answers. An answer without a rating is rated as the lesson screen would have: its
    wrong tries before are the wrong answers since the question was last answered right."""
    answers = list(answers)
    order = sorted(range(len(answers)), key=lambda i: utc(answers[i].at))
    ratings = [Rating.Again] * len(answers)
    card: Card | None = None
    wrong = lapses = 0
    for i in order:
        a = answers[i]
        given = rating(a.correct, a.hints_used, wrong, a.duration_ms)
        ratings[i] = Rating(a.rating) if a.rating in _RATINGS else given
        wrong = 0 if a.correct else wrong + 1
        if card is not None and card.state == State.Review and ratings[i] == Rating.Again:
            lapses += 1
        card = review(card, ratings[i], a.at)
    if card is None:
        return None
    return Folded(card, tuple(ratings), ratings[order[-1]], len(answers), lapses)


def review(card: Card | None, given: Rating, at: datetime) -> Card:
    """`card` (None: a new one, made at `at`) reviewed with `given` at `at`."""
    at = utc(at)
    if card is None:  # its id as fsrs makes it, the epoch milliseconds of its making
        card = Card(card_id=int(at.timestamp() * 1000), due=at)
    return SCHEDULER.review_card(card, given, at)[0]


def retrievability(card: Card, at: datetime) -> float:
    """The probability FSRS gives that the answer is recalled at `at`."""
    return SCHEDULER.get_card_retrievability(card, utc(at))
