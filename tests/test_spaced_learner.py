"""A simulated learner over 60 days on a fake clock: 12 questions in 4 concept groups, answered
in a lesson on day 0, then reviewed twice a day, exactly what `store.due()` returns. At every
sitting the questions due, each card's interval and its retrievability must be what an
independent `fsrs.Scheduler` (same parameters) computes from the same ratings at the same
times, and each concept's mastery the mean of its questions' reference retrievability (0 for a
question never answered or last answered wrong); at the end, the schedules must have the shape spaced review promises: what the learner
knows comes back after weeks, what they keep missing comes back within the day and is the least
likely to be recalled. On SQLite and on PostgreSQL (`database`, tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from tutor.progress import Attempt, Store
from tutor.progress.mastery import ConceptQuestions, mastery
from tutor.progress.spacing import rating
from tutor.text import Text

COURSE = "autograd-basics"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DAYS = 60
SITTINGS = (timedelta(hours=9), timedelta(hours=20))  # into each day


@dataclass(frozen=True)
class Try:
    """One answer the learner gives: right or not, hints taken before it, seconds it took, and
    the rating the tutor's rule must give it."""

    correct: bool
    hints: int
    seconds: int
    rating: Rating


# how the learner answers each group's questions, every time: one or more tries in a sitting
GROUPS: dict[str, tuple[Try, ...]] = {
    "fluent": (Try(True, 0, 8, Rating.Easy),),  # right at once, quickly
    "known": (Try(True, 0, 45, Rating.Good),),  # right at once, taking time
    "hinted": (Try(True, 1, 40, Rating.Hard),),  # right, after a hint
    # wrong, then right at once: quick, yet Good (not Easy), as it follows a miss
    "weak": (Try(False, 0, 30, Rating.Again), Try(True, 0, 10, Rating.Good)),
    "lost": (Try(False, 0, 50, Rating.Again),),  # wrong, and left at that
}
QUESTIONS = {  # (lesson, question) -> group; lessons and groups cut across each other
    (f"lesson-{n % 2}", f"{group}-{n}"): group for group in GROUPS for n in range(3)
}
NEVER_ASKED = ("lesson-0", "unseen-0")
# concepts as a course declares them: one per group, one across groups with a question the
# learner never meets, one holding nothing but that question
CONCEPTS = [
    ConceptQuestions(
        group, Text(group, group), tuple(k for k in QUESTIONS if QUESTIONS[k] == group)
    )
    for group in GROUPS
] + [
    ConceptQuestions("mixed", Text("mixed", "mixed"), (*list(QUESTIONS)[::4], NEVER_ASKED)),
    ConceptQuestions("unseen", Text("unseen", "unseen"), (NEVER_ASKED,)),
]


class Learner:
    """The learner's answers, recorded in the store and mirrored on a reference fsrs card."""

    def __init__(self, store: Store, now: list[datetime]) -> None:
        self.store = store
        self.now = now
        self.fsrs = Scheduler(desired_retention=0.9, enable_fuzzing=False)
        self.cards: dict[tuple[str, str], Card] = {}
        self.last_right: dict[tuple[str, str], bool] = {}

    def answer(self, key: tuple[str, str]) -> None:
        lesson, question = key
        wrong = 0
        for tried in GROUPS[QUESTIONS[key]]:
            self.now[0] += timedelta(seconds=tried.seconds)
            self.store.record(
                Attempt(
                    lesson_id=lesson,
                    question_id=question,
                    answer="…",
                    correct=tried.correct,
                    score=float(tried.correct),
                    hints_used=tried.hints,
                    course_id=COURSE,
                    duration_ms=tried.seconds * 1000,
                    at=self.now[0],
                    wrong_before=wrong,
                )
            )
            wrong += not tried.correct
            self.last_right[key] = tried.correct
            card = self.cards.get(key) or Card(card_id=1, due=self.now[0])
            self.cards[key], _ = self.fsrs.review_card(card, tried.rating, self.now[0])

    def expected_due(self) -> list[tuple[str, str, datetime]]:
        due = [(c.due, key) for key, c in self.cards.items() if c.due <= self.now[0]]
        return [(lesson, question, when) for when, (lesson, question) in sorted(due)]

    def check(self) -> None:
        """The store's cards, intervals and retrievability now are the reference's."""
        found = self.store.cards(COURSE)
        assert set(found) == set(self.cards)
        for key, card in self.cards.items():
            mine = found[key]
            assert mine.due - mine.last_review == card.due - card.last_review, key
            assert (mine.state, mine.step, mine.stability, mine.difficulty, mine.due) == (
                card.state,
                card.step,
                card.stability,
                card.difficulty,
                card.due,
            ), key
        recall = {
            key: self.fsrs.get_card_retrievability(card, self.now[0])
            for key, card in self.cards.items()
        }
        assert self.store.retrievability(COURSE) == recall
        rows = mastery(CONCEPTS, recall, self.store.attempts(course_id=COURSE))
        for concept, row in zip(CONCEPTS, rows, strict=True):
            shares = [recall[key] if self.last_right.get(key) else 0.0 for key in concept.questions]
            assert row.id == concept.id and row.questions == len(concept.questions)
            assert row.answered == sum(key in self.cards for key in concept.questions)
            assert row.recalled == pytest.approx(sum(shares) / len(shares), abs=1e-12), row.id


def interval(card: Card) -> timedelta:
    return card.due - card.last_review


def test_sixty_days_of_review_follow_fsrs_and_space_what_is_known(tmp_path, database):
    now = [START]
    with Store.open(tmp_path, database=database, learner="s1", clock=lambda: now[0]) as store:
        learner = Learner(store, now)
        for key in QUESTIONS:  # day 0: the lesson asks every question once
            learner.answer(key)
        learner.check()
        reviews = {group: 0 for group in GROUPS}
        intervals: dict[str, list[timedelta]] = {group: [] for group in GROUPS}
        for day in range(DAYS):
            for sitting in SITTINGS:
                now[0] = max(now[0], START.replace(hour=0) + timedelta(days=day) + sitting)
                due = store.due(COURSE)
                assert [(d.lesson_id, d.question_id, d.due) for d in due] == learner.expected_due()
                assert store.due_count(COURSE) == len(due)
                for d in due:
                    learner.answer((d.lesson_id, d.question_id))
                    reviews[QUESTIONS[(d.lesson_id, d.question_id)]] += 1
                assert store.due_count(COURSE) == len(learner.expected_due())  # come due again
                learner.check()
            for key, card in store.cards(COURSE).items():
                intervals[QUESTIONS[key]].append(interval(card))

        final = store.cards(COURSE)
        by_group = {g: [final[k] for k in QUESTIONS if QUESTIONS[k] == g] for g in GROUPS}
        for known in by_group["fluent"] + by_group["known"]:  # spaced out past weeks
            assert interval(known) > timedelta(weeks=3)
        for group in ("hinted", "weak", "lost"):  # never let go for a day: still (re)learning
            assert max(intervals[group]) < timedelta(days=1)
        # a week after the last sitting, what is known is likelier recalled than what is not
        later = store.retrievability(COURSE, at=now[0] + timedelta(weeks=1))
        recall = {g: [later[k] for k in QUESTIONS if QUESTIONS[k] == g] for g in GROUPS}
        assert min(recall["fluent"] + recall["known"]) > 0.85
        assert max(recall["weak"]) < 0.5
        assert max(recall["weak"]) < min(recall["hinted"]) < min(recall["known"])
        # the map: what is known near whole, what was last missed nothing, the rest between
        rows = {r.id: r for r in mastery(CONCEPTS, later, store.attempts(course_id=COURSE))}
        assert rows["lost"].recalled == rows["unseen"].recalled == 0.0
        assert rows["fluent"].recalled > rows["known"].recalled > 0.85
        assert 0 < rows["weak"].recalled < rows["hinted"].recalled < rows["known"].recalled
        assert 0 < rows["mixed"].recalled < rows["fluent"].recalled
        assert (
            rows["unseen"].answered == 0
            and rows["mixed"].answered == len(CONCEPTS[-2].questions) - 1
        )
        # the weak and lost questions came back at every sitting but the lesson's (a lost one
        # already due a minute after the lesson asked it), the known a few times
        assert reviews["weak"] == 3 * (len(SITTINGS) * DAYS - 1) < reviews["lost"]
        assert reviews["fluent"] < reviews["known"] <= 3 * 10


@pytest.mark.parametrize("group", list(GROUPS))
def test_each_groups_answers_get_the_rating_the_simulation_expects(group):
    """The ratings the reference is fed are the tutor's rule's (not merely the test's say)."""
    wrong = 0
    for tried in GROUPS[group]:
        assert rating(tried.correct, tried.hints, wrong, tried.seconds * 1000) == tried.rating
        wrong += not tried.correct
