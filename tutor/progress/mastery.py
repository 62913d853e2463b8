"""Provides the mastery map: for each concept of a course, the share of its questions a learner
recalls now (FSRS retrievability, 0 for a question never answered) and the misconceptions still
seen (in a question's answers since its last right one).

Progress knows no course: the course's concepts come as plain data (ConceptQuestions), kept in
the learner's settings by the app that has the course, so `tutor progress` can draw the map
without it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tutor.progress.model import Attempt
from tutor.text import Text

QuestionKey = tuple[str, str]  # (lesson id, question id)


@dataclass(frozen=True)
class ConceptQuestions:
    """A concept as the map needs it: its id and title, its questions, its misconceptions."""

    id: str
    title: Text
    questions: tuple[QuestionKey, ...]
    misconceptions: tuple[str, ...] = ()
    names: tuple[tuple[str, Text], ...] = ()  # each misconception's title, for the text map

    def name_of(self, misconception: str) -> Text:
        return dict(self.names).get(misconception, Text(misconception, misconception))


@dataclass(frozen=True)
class ConceptMastery:
    """One concept's row of the map."""

    id: str
    title: Text
    questions: int
    answered: int  # questions with a review scheduled (answered at least once)
    recalled: float  # the mean recall of its questions, from 0 to 1
    misconceptions: tuple[tuple[str, int], ...]  # still seen: (id, how often), most first


def mastery(
    concepts: Sequence[ConceptQuestions],
    retrievability: Mapping[QuestionKey, float],
    attempts: Iterable[Attempt],
) -> list[ConceptMastery]:
    """The map, concepts in the order given. A question's recall is its FSRS retrievability,
    but 0 while its last answer was wrong: FSRS holds a card just reviewed as remembered, even
    when the review was a miss."""
    attempts = sorted(attempts, key=lambda a: a.at)
    seen = still_seen(attempts)
    last_right = {(a.lesson_id, a.question_id): a.correct for a in attempts}
    rows = []
    for concept in concepts:
        recall = [
            retrievability.get(key, 0.0) if last_right.get(key, True) else 0.0
            for key in concept.questions
        ]
        counts = [(m, seen[m]) for m in concept.misconceptions if seen[m]]
        counts.sort(key=lambda item: (-item[1], item[0]))
        rows.append(
            ConceptMastery(
                id=concept.id,
                title=concept.title,
                questions=len(concept.questions),
                answered=sum(key in retrievability for key in concept.questions),
                recalled=sum(recall) / len(recall) if recall else 0.0,
                misconceptions=tuple(counts),
            )
        )
    return rows


def still_seen(attempts: Iterable[Attempt]) -> Counter:
    """How often each misconception came up in a question's answers after its last right one
    (all its answers, if none was right): what the learner has not yet shown they let go of."""
    since_right: dict[QuestionKey, list[str]] = {}
    for attempt in sorted(attempts, key=lambda a: a.at):
        key = (attempt.lesson_id, attempt.question_id)
        if attempt.correct:
            since_right[key] = []
        elif attempt.misconception:
            since_right.setdefault(key, []).append(attempt.misconception)
    return Counter(m for names in since_right.values() for m in names)


def concepts_json(concepts: Sequence[ConceptQuestions]) -> str:
    """The concepts as the settings keep them."""
    return json.dumps(
        [
            {
                "id": c.id,
                "en": c.title.en,
                "ko": c.title.ko,
                "questions": [list(key) for key in c.questions],
                "misconceptions": list(c.misconceptions),
                "names": {m: [title.en, title.ko] for m, title in c.names},
            }
            for c in concepts
        ],
        ensure_ascii=False,
    )


def concepts_from_json(text: str | None) -> list[ConceptQuestions]:
    """The concepts the settings kept ([] for none, or for a value that cannot be read)."""
    try:
        rows = json.loads(text) if text else []
        return [
            ConceptQuestions(
                id=str(row["id"]),
                title=Text(str(row["en"]), str(row["ko"])),
                questions=tuple(
                    (str(lesson), str(question)) for lesson, question in row["questions"]
                ),
                misconceptions=tuple(str(m) for m in row.get("misconceptions", ())),
                names=tuple(
                    (str(m), Text(str(en), str(ko))) for m, (en, ko) in row.get("names", {}).items()
                ),
            )
            for row in rows
        ]
    except (ValueError, TypeError, KeyError):
        return []


def settings_key(course_id: str) -> str:
    """Where a course's concepts are kept in the learner's settings."""
    return f"concepts/{course_id}"
