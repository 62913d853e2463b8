"""The mastery map's arithmetic: recall averaged over a concept's questions (0 for one never
answered), misconceptions counted only since a question was last answered right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tutor.progress import Attempt
from tutor.progress.mastery import (
    ConceptQuestions,
    concepts_from_json,
    concepts_json,
    mastery,
    still_seen,
)
from tutor.text import Text

START = datetime(2026, 9, 1, 9, tzinfo=UTC)


def attempt(question: str, correct: bool, minutes: int, misconception: str | None = None):
    return Attempt(
        lesson_id="lesson",
        question_id=question,
        answer="x",
        correct=correct,
        score=float(correct),
        misconception=misconception,
        at=START + timedelta(minutes=minutes),
    )


GRAPH = ConceptQuestions(
    "graph",
    Text("The graph", "그래프"),
    (("lesson", "a"), ("lesson", "b")),
    ("sign-flipped",),
    (("sign-flipped", Text("sign flipped", "부호 반대")),),
)
CHAIN = ConceptQuestions(
    "chain", Text("Chain rule", "연쇄 법칙"), (("lesson", "c"),), ("local-only", "halved")
)


def test_recall_is_the_mean_over_the_concepts_questions_counting_the_unanswered_as_zero():
    rows = mastery([GRAPH, CHAIN], {("lesson", "a"): 0.9, ("lesson", "c"): 0.5}, [])
    graph, chain = rows
    assert (graph.questions, graph.answered) == (2, 1)
    assert graph.recalled == (0.9 + 0.0) / 2
    assert (chain.answered, chain.recalled) == (1, 0.5)


def test_a_question_whose_last_answer_was_wrong_is_not_recalled_whatever_fsrs_says():
    retrievability = {("lesson", "a"): 1.0, ("lesson", "b"): 0.8, ("lesson", "c"): 1.0}
    attempts = [attempt("a", True, 0), attempt("a", False, 1), attempt("b", True, 2)]
    graph, chain = mastery([GRAPH, CHAIN], retrievability, attempts)
    assert graph.recalled == (0.0 + 0.8) / 2  # a was just missed: FSRS still says 1.0
    assert chain.recalled == 1.0  # answered elsewhere (no attempt here): as FSRS says


def test_a_misconception_counts_until_its_question_is_answered_right():
    attempts = [
        attempt("a", False, 0, "sign-flipped"),
        attempt("a", False, 1, "sign-flipped"),
        attempt("a", True, 2),  # a is right now: its misconceptions are let go
        attempt("c", False, 3, "local-only"),
        attempt("c", True, 4),
        attempt("c", False, 5, "halved"),  # after the right answer: still seen
        attempt("b", False, 6, "sign-flipped"),
    ]
    seen = still_seen(reversed(attempts))  # the order given does not matter: their times do
    assert seen == {"halved": 1, "sign-flipped": 1}
    graph, chain = mastery([GRAPH, CHAIN], {}, attempts)
    assert graph.misconceptions == (("sign-flipped", 1),)
    assert chain.misconceptions == (("halved", 1),)


def test_concepts_survive_the_settings_and_bad_settings_give_none():
    kept = concepts_from_json(concepts_json([GRAPH, CHAIN]))
    assert kept == [GRAPH, CHAIN]
    assert concepts_from_json("[{") == []
    assert concepts_from_json('[{"id": 1}]') == []
    assert concepts_from_json(None) == []
