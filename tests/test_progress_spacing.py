"""Spaced review in the progress store: how an answer becomes an FSRS rating, each question's card
written with its attempt (all or nothing, surviving SIGKILL), what is due by the store's clock,
and an upgraded store's attempts replayed into cards; on SQLite and on PostgreSQL (`database`,
tests/conftest.py). Every expected card is computed here by `fsrs` itself from the ratings the
rule should give, never by the store's own code."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from tutor.progress import DB_NAME, Attempt, Due, ProgressError, Store
from tutor.progress import cards as cards_module
from tutor.progress.database import DatabaseError, open_postgresql
from tutor.progress.schema import MIGRATIONS, sqlite_script
from tutor.progress.spacing import EASY_SECONDS, rating

FSRS = Scheduler(desired_retention=0.9, enable_fuzzing=False)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COURSE, LESSON = "autograd-basics", "backward"


def reference(reviews: list[tuple[Rating, datetime]]) -> Card:
    """What fsrs makes of a new card reviewed with these ratings at these times (in order)."""
    card = Card(card_id=1, due=reviews[0][1])
    for given, at in reviews:
        card, _ = FSRS.review_card(card, given, at)
    return card


def schedule(card: Card) -> tuple:
    """Everything of a card that scheduling depends on (its id is only a label)."""
    return (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


def answer(question: str, correct: bool, at: datetime, **extra) -> Attempt:
    return Attempt(
        lesson_id=extra.pop("lesson_id", LESSON),
        question_id=question,
        answer="2x",
        correct=correct,
        score=1.0 if correct else 0.0,
        course_id=COURSE,
        at=at,
        **extra,
    )


@pytest.fixture
def store(tmp_path, database):
    with Store.open(tmp_path, database=database, learner="s1") as s:
        yield s


# the rating rule

QUICK, SLOW = EASY_SECONDS * 1000, EASY_SECONDS * 1000 + 1


@pytest.mark.parametrize(
    ("correct", "hints", "wrong_before", "duration_ms", "expected"),
    [
        pytest.param(False, 0, 0, 1000, Rating.Again, id="wrong-quick"),
        pytest.param(False, 2, 1, None, Rating.Again, id="wrong-after-hints"),
        pytest.param(True, 1, 0, 1000, Rating.Hard, id="right-after-a-hint"),
        pytest.param(True, 3, 2, None, Rating.Hard, id="right-after-hints-and-misses"),
        pytest.param(True, 0, 0, QUICK, Rating.Easy, id="first-try-within-easy-seconds"),
        pytest.param(True, 0, 0, SLOW, Rating.Good, id="first-try-slower"),
        pytest.param(True, 0, 0, None, Rating.Good, id="first-try-untimed"),
        pytest.param(True, 0, 1, 1000, Rating.Good, id="right-after-a-miss-quick"),
    ],
)
def test_an_answer_becomes_a_rating(correct, hints, wrong_before, duration_ms, expected):
    assert rating(correct, hints, wrong_before, duration_ms) == expected


def test_wrong_before_rates_the_answer_but_is_not_stored(store, raw):
    store.record(answer("q1", True, T0, duration_ms=1000, wrong_before=1))
    store.record(answer("q2", True, T0, duration_ms=1000))
    assert raw(store, "SELECT question_id, rating FROM attempt ORDER BY id") == [
        ("q1", int(Rating.Good)),
        ("q2", int(Rating.Easy)),
    ]
    assert [a.wrong_before for a in store.attempts()] == [0, 0]
    assert store.attempts()[0] == answer("q1", True, T0, duration_ms=1000, wrong_before=1)


# each attempt reviews its question's card, at the attempt's own time


def test_each_attempt_reviews_its_questions_card_at_its_own_time(store):
    late = T0 + timedelta(days=40)  # the store's clock (the real now) plays no part
    store.record(answer("q1", False, T0))
    store.record(answer("q1", True, T0 + timedelta(minutes=1), duration_ms=9000, wrong_before=1))
    store.record(answer("q1", True, T0 + timedelta(days=3), hints_used=1))
    store.record(answer("q1", True, late, duration_ms=4000))
    store.record(answer("q2", True, T0, duration_ms=4000, lesson_id="detach"))
    expected = reference(
        [
            (Rating.Again, T0),
            (Rating.Good, T0 + timedelta(minutes=1)),
            (Rating.Hard, T0 + timedelta(days=3)),
            (Rating.Easy, late),
        ]
    )
    assert schedule(store.card(COURSE, LESSON, "q1")) == schedule(expected)
    assert schedule(store.card(COURSE, "detach", "q2")) == schedule(reference([(Rating.Easy, T0)]))
    assert store.card(COURSE, LESSON, "q2") is None
    assert store.card("other-course", LESSON, "q1") is None
    assert set(store.cards(COURSE)) == {(LESSON, "q1"), ("detach", "q2")}
    assert store.cards("other-course") == {}


def test_an_attempt_recorded_out_of_time_order_still_makes_the_time_ordered_card(store, raw):
    store.record(answer("q1", True, T0 + timedelta(days=2), duration_ms=30_000))
    store.record(answer("q1", False, T0))
    expected = reference([(Rating.Again, T0), (Rating.Good, T0 + timedelta(days=2))])
    assert schedule(store.card(COURSE, LESSON, "q1")) == schedule(expected)
    (row,) = raw(store, "SELECT rating, reps, lapses FROM card")
    assert row == (int(Rating.Good), 2, 0)


def test_lapses_count_the_answers_forgotten_after_being_learnt(store, raw):
    store.record(answer("q1", True, T0, duration_ms=1000))  # Easy: straight into review
    store.record(answer("q1", False, T0 + timedelta(days=9)))  # forgotten: a lapse
    store.record(answer("q1", False, T0 + timedelta(days=9, minutes=1)))  # relearning: not one
    assert store.card(COURSE, LESSON, "q1").state == State.Relearning
    assert raw(store, "SELECT rating, reps, lapses FROM card") == [(int(Rating.Again), 3, 1)]


@pytest.mark.parametrize("fails", ["before-the-card", "after-the-card"])
def test_an_attempt_and_its_card_are_committed_together_or_not_at_all(store, monkeypatch, fails):
    store.record(answer("q1", True, T0, duration_ms=1000))
    before = schedule(store.card(COURSE, LESSON, "q1"))
    rebuild = cards_module.rebuild

    def failing(tx, *key):
        if fails == "after-the-card":
            rebuild(tx, *key)
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(cards_module, "rebuild", failing)
    with pytest.raises(ProgressError, match="disk I/O error"):
        store.record(answer("q1", False, T0 + timedelta(days=1)))
    with pytest.raises(ProgressError):
        store.record(answer("q2", False, T0 + timedelta(days=1)))
    monkeypatch.undo()
    assert [a.question_id for a in store.attempts()] == ["q1"]
    assert schedule(store.card(COURSE, LESSON, "q1")) == before
    assert store.card(COURSE, LESSON, "q2") is None
    store.record(answer("q1", False, T0 + timedelta(days=1)))
    expected = reference([(Rating.Easy, T0), (Rating.Again, T0 + timedelta(days=1))])
    assert schedule(store.card(COURSE, LESSON, "q1")) == schedule(expected)


# what is due, by the store's clock


def test_what_is_due_follows_the_clock_earliest_due_first(tmp_path, database):
    now = [T0]
    with Store.open(tmp_path, database=database, learner="s1", clock=lambda: now[0]) as s:
        assert s.clock() == T0
        s.record(answer("easy", True, T0, duration_ms=1000))  # due in days
        s.record(answer("good", True, T0, duration_ms=60_000))  # learning: 10 minutes
        s.record(answer("again", False, T0))  # learning: 1 minute
        assert s.due(COURSE) == [] and s.due_count(COURSE) == 0
        now[0] = T0 + timedelta(hours=1)
        due = s.due(COURSE)
        assert [d.question_id for d in due] == ["again", "good"] and s.due_count(COURSE) == 2
        assert due[0] == Due(LESSON, "again", due[0].card.due, due[0].card)
        assert due[0].due == T0 + timedelta(minutes=1)
        easy_due = s.card(COURSE, LESSON, "easy").due
        assert easy_due > T0 + timedelta(days=2)
        assert [d.question_id for d in s.due(COURSE, at=easy_due)] == ["again", "good", "easy"]
        assert s.due_count(COURSE, at=easy_due - timedelta(microseconds=1)) == 2
        assert s.due_count("other-course") == 0
        # the same read off the card table alone (the home screen's line, before fsrs loads)
        for at in (T0, T0 + timedelta(hours=1), easy_due - timedelta(microseconds=1), easy_due):
            keys = [(d.lesson_id, d.question_id) for d in s.due(COURSE, at=at)]
            assert s.due_keys(COURSE, at=at) == keys
        assert s.next_due(COURSE) == min(card.due for card in s.cards(COURSE).values())
        assert s.next_due("other-course") is None and s.due_keys("other-course") == []
        s.set_position(COURSE, LESSON, 1)  # the place is kept at the clock's time too
        s.set_position(COURSE, "detach", 0)
        now[0] = T0
        s.set_position(COURSE, LESSON, 2)
        assert s.last_lesson(COURSE) == "detach"


def test_retrievability_is_what_fsrs_says_for_each_answered_question(tmp_path, database):
    now = [T0]
    with Store.open(tmp_path, database=database, learner="s1", clock=lambda: now[0]) as s:
        assert s.retrievability(COURSE) == {}
        s.record(answer("q1", True, T0, duration_ms=1000))
        s.record(answer("q2", False, T0))
        for days in (0, 1, 5, 30):
            now[0] = T0 + timedelta(days=days, hours=3)
            expected = {
                (LESSON, "q1"): FSRS.get_card_retrievability(
                    reference([(Rating.Easy, T0)]), now[0]
                ),
                (LESSON, "q2"): FSRS.get_card_retrievability(
                    reference([(Rating.Again, T0)]), now[0]
                ),
            }
            assert s.retrievability(COURSE) == expected
        assert s.retrievability(COURSE, at=T0 + timedelta(days=2)) != s.retrievability(COURSE)


def test_a_time_without_a_timezone_is_refused_in_one_line(tmp_path):
    with Store.open(tmp_path, clock=lambda: datetime(2026, 1, 1)) as s:
        with pytest.raises(ProgressError, match="without a timezone") as clock:
            s.due_count(COURSE)
        with pytest.raises(ProgressError, match="without a timezone") as asked:
            s.due(COURSE, at=datetime(2026, 1, 1))
    assert "\n" not in str(clock.value) and "\n" not in str(asked.value)


def test_learners_on_postgresql_each_have_their_own_cards(postgres_url):
    with (
        Store.open(database=postgres_url, learner="s1") as one,
        Store.open(database=postgres_url, learner="s2") as two,
    ):
        one.record(answer("q1", False, T0))
        assert two.cards(COURSE) == {} and two.due_count(COURSE, at=T0 + timedelta(days=1)) == 0
        two.record(answer("q1", True, T0, duration_ms=1000))
        assert one.card(COURSE, LESSON, "q1").state == State.Learning
        assert two.card(COURSE, LESSON, "q1").state == State.Review


# a learner who upgrades keeps their history as schedules

# (question, correct, hints, duration_ms, minutes after T0, the rating the rule gives), made in
# this order, which is not the order of their times
HISTORY = [
    ("q4", False, 0, 2000, 3 * 24 * 60, Rating.Again),  # three days later: forgotten
    ("q1", False, 0, 8000, 0, Rating.Again),
    ("q1", False, 1, 9000, 1, Rating.Again),
    ("q1", True, 1, 7000, 2, Rating.Hard),  # after a hint
    ("q2", True, 0, 4000, 3, Rating.Easy),  # first try, quick
    ("q3", True, 0, 90_000, 4, Rating.Good),  # first try, slow
    ("q4", True, 0, 5000, 5, Rating.Easy),
    ("q4", True, 0, 3000, 3 * 24 * 60 + 1, Rating.Good),  # quick, but after a miss
    ("q5", True, 0, None, 6, Rating.Good),  # not timed
    ("q3", True, 0, 1000, 7 * 24 * 60, Rating.Easy),  # a week later, quick
]


def _expected_cards() -> dict[str, Card]:
    reviews: dict[str, list[tuple[Rating, datetime]]] = {}
    for question, _, _, _, minutes, given in sorted(HISTORY, key=lambda h: h[4]):
        reviews.setdefault(question, []).append((given, T0 + timedelta(minutes=minutes)))
    return {question: reference(made) for question, made in reviews.items()}


def _insert_history(execute, learner: str) -> None:
    for question, correct, hints, duration, minutes, _ in HISTORY:
        execute(
            "INSERT INTO attempt (learner_id, course_id, lesson_id, question_id, answer, correct, "
            "score, hints_used, duration_ms, at) VALUES (?, ?, ?, ?, '2x', ?, ?, ?, ?, ?)",
            (
                learner,
                COURSE,
                LESSON,
                question,
                int(correct),
                float(correct),
                hints,
                duration,
                (T0 + timedelta(minutes=minutes)).isoformat(),
            ),
        )


def _version_4(tmp_path, database, learners: list[str]) -> None:
    """A progress store at schema version 4 holding HISTORY for each of `learners`."""
    if database is None:
        conn = sqlite3.connect(tmp_path / DB_NAME)
        for version in (1, 2, 3, 4):
            conn.executescript(sqlite_script(version))
        conn.execute("PRAGMA user_version = 4")
        _insert_history(conn.execute, "")
        conn.commit()
        conn.close()
        return
    old = open_postgresql(database, "tutor_progress", MIGRATIONS[:4])
    try:
        for learner in learners:
            _insert_history(old.execute, learner)
    finally:
        old.close()


def test_a_version_4_store_replays_its_attempts_into_cards(tmp_path, database, raw):
    learners = ["s1", "s2"] if database else [""]
    _version_4(tmp_path, database, learners)
    expected = _expected_cards()
    for learner in learners:
        with Store.open(tmp_path, database=database, learner=learner) as s:
            assert s.notice is None
            assert len(s.attempts()) == len(HISTORY)
            found = s.cards(COURSE)
            assert set(found) == {(LESSON, q) for q in expected}
            for question, card in expected.items():
                assert schedule(found[(LESSON, question)]) == schedule(card), question
            rated = raw(
                s,
                "SELECT question_id, rating FROM attempt WHERE learner_id = "
                f"'{learner}' ORDER BY id",
            )
            assert rated == [(h[0], int(h[5])) for h in HISTORY]
            s.record(answer("q5", False, T0 + timedelta(days=20)))  # and it goes on from there
            q5 = reference(
                [(Rating.Good, T0 + timedelta(minutes=6)), (Rating.Again, T0 + timedelta(days=20))]
            )
            assert schedule(s.card(COURSE, LESSON, "q5")) == schedule(q5)


def test_a_store_made_at_version_5_has_no_cards_until_answers(tmp_path, database, raw):
    with Store.open(tmp_path, database=database, learner="s1") as s:
        assert raw(s, "SELECT COUNT(*) FROM card") == [(0,)]
        assert s.due(COURSE, at=T0) == [] and s.cards(COURSE) == {}


def test_an_unreadable_card_row_is_left_out_and_rebuilt_by_the_next_answer(store, raw):
    store.record(answer("q1", True, T0, duration_ms=1000))
    raw(store, "UPDATE card SET card = 'not json'")
    raw(store, "UPDATE attempt SET rating = 9")  # no such rating: the rule's is used
    assert store.cards(COURSE) == {} and store.card(COURSE, LESSON, "q1") is None
    store.record(answer("q1", True, T0 + timedelta(days=9), duration_ms=1000))
    expected = reference([(Rating.Easy, T0), (Rating.Easy, T0 + timedelta(days=9))])
    assert schedule(store.card(COURSE, LESSON, "q1")) == schedule(expected)
    assert raw(store, "SELECT rating FROM attempt") == [(int(Rating.Easy),)] * 2


# a killed tutor keeps every attempt with its card, and nothing half-written

WRITER = textwrap.dedent(
    """
    import sys
    from tutor.progress import Attempt, Store
    store = Store.open(sys.argv[1])
    for i in range(int(sys.argv[2])):
        store.record(Attempt(lesson_id="l", question_id=f"q{i % 4}", answer="1",
                             correct=i % 3 != 0, score=1.0, hints_used=i % 5 == 0,
                             duration_ms=1000 * (i % 40)))
        print(i, flush=True)
    if len(sys.argv) > 3:
        sys.stdin.read()
    """
)


def _consistent(tmp_path) -> int:
    """Check that every question's card is what fsrs makes of its stored attempts; how many
    attempts there are."""
    conn = sqlite3.connect(tmp_path / DB_NAME)
    rows = conn.execute("SELECT question_id, rating, at FROM attempt ORDER BY at, id").fetchall()
    conn.close()
    reviews: dict[str, list[tuple[Rating, datetime]]] = {}
    for question, given, at in rows:
        reviews.setdefault(question, []).append((Rating(given), datetime.fromisoformat(at)))
    with Store.open(tmp_path) as s:
        assert s.notice is None
        found = s.cards("")
    assert set(found) == {("l", q) for q in reviews}
    for question, made in reviews.items():
        assert schedule(found[("l", question)]) == schedule(reference(made)), question
    return len(rows)


def test_sigkill_right_after_recording_keeps_every_attempt_and_its_card(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), "12", "wait"],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    assert [proc.stdout.readline().strip() for _ in range(12)][-1] == "11"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _consistent(tmp_path) == 12


def test_sigkill_while_recording_leaves_no_attempt_without_its_card(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), "100000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    for _ in range(30):
        proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)  # somewhere in the middle of an attempt
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _consistent(tmp_path) >= 30
