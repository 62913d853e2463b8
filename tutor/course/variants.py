"""Provides LessonVariants: a lesson drawn with other values of its `[params]`, traced, and
degenerate draws redrawn.

The first pass of a lesson shows its canonical variant (each parameter's `first`). A retry
after a wrong answer, and a review, get a fresh draw: values that differ from the ones on screen
(every parameter with more than one value changes), whose program runs and whose answers are
not degenerate (tutor.course.degenerate: a fault the canonical variant has on purpose is
allowed). Every expected answer of a draw is computed from its own program.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tutor.course.degenerate import Degenerate, degenerate, faults
from tutor.course.model import Lesson
from tutor.course.params import first_values, rendered_lesson, values_key
from tutor.course.problems import CourseError
from tutor.course.trace import LessonTrace, build_trace

MAX_DRAWS = 20
# traces kept by default (`tutor check` asks for the canonical one more than once); a trace holds
# every snapshot of a run (about 1 MB for the longest shipped lesson), so a learner's lesson,
# which holds the one it shows, keeps none
CACHE_SIZE = 4


class NoVariant(Exception):
    """No usable fresh draw within the bound; `reasons` are the Degenerate of each draw."""

    def __init__(self, lesson_id: str, reasons: list[Degenerate]) -> None:
        self.reasons = tuple(reasons)
        last = reasons[-1].reason if reasons else "no other values"
        super().__init__(
            f"lesson {lesson_id}: no usable variant in {len(reasons)} draws (last: {last})"
        )


@dataclass(frozen=True)
class Drawn:
    """One variant of a lesson: the parameter values, the lesson rendered with them (program,
    texts and questions) and its trace (every expected answer computed from that program)."""

    values: Mapping[str, object]
    lesson: Lesson
    trace: LessonTrace


class LessonVariants:
    """Draws and traces variants of one lesson (any of its variants may be given); draws with
    the same values are traced once while kept (the latest `keep`, and the canonical one). Not
    thread-safe: use it from one thread at a time."""

    def __init__(
        self,
        lesson: Lesson,
        rng: random.Random | None = None,
        max_draws: int = MAX_DRAWS,
        keep: int = CACHE_SIZE,
    ) -> None:
        self.lesson = lesson
        self.params = lesson.params
        self.template = lesson.template if lesson.template is not None else lesson
        self.rng = rng if rng is not None else random.Random()
        self.max_draws = max_draws
        self.keep = keep
        self._cache: dict[tuple, Drawn | Degenerate] = {}
        self._allowed: frozenset[tuple[str | None, str]] | None = None

    @property
    def canonical_values(self) -> dict[str, object]:
        return first_values(self.params)

    def canonical(self) -> Drawn:
        """The variant of the first pass; CourseError when the lesson cannot be traced."""
        values = self.canonical_values
        key = values_key(self.params, values)
        kept = self._cache.get(key)
        if isinstance(kept, Drawn):
            return kept
        lesson = self._rendered(values)
        drawn = Drawn(MappingProxyType(values), lesson, build_trace(lesson))
        self._allowed = frozenset(f.key for f in faults(lesson.questions(), drawn.trace.expected))
        self._keep(key, drawn)
        return drawn

    def fresh(self, avoid: Mapping[str, object] | None = None) -> Drawn:
        """A usable variant with values other than `avoid` (redrawn up to `max_draws` times);
        if none is found, the canonical variant when its values differ from `avoid`, else
        NoVariant. A lesson without params (or whose params have one value each) has only its
        canonical variant."""
        if not any(len(p.values) > 1 for p in self.params):
            return self.canonical()
        try:
            return self.draw(avoid)
        except NoVariant:
            if avoid is not None and self._same(self.canonical_values, avoid):
                raise
            return self.canonical()

    def draw(self, avoid: Mapping[str, object] | None = None) -> Drawn:
        """The first usable one of up to `max_draws` random draws, each parameter taking a
        value other than its value in `avoid` (when it has another); NoVariant if none is."""
        reasons: list[Degenerate] = []
        for _ in range(self.max_draws):
            result = self.evaluate(self._draw_values(avoid or {}))
            if isinstance(result, Drawn):
                return result
            reasons.append(result)
        raise NoVariant(self.lesson.id, reasons)

    def evaluate(self, values: Mapping[str, object]) -> Drawn | Degenerate:
        """The variant these values make, or why it is degenerate (its program fails, or its
        answers have a fault the canonical variant has not)."""
        key = values_key(self.params, values)
        if key in self._cache:
            return self._cache[key]
        allowed = self._allowed_faults()
        lesson = self._rendered(values)
        try:
            trace = build_trace(lesson)
        except CourseError as error:
            first = error.problems[0] if error.problems else None
            line = first.line if first else lesson.program_line
            result: Drawn | Degenerate = Degenerate(
                None, line, first.message if first else "the program fails"
            )
        else:
            found = degenerate(lesson.questions(), trace.expected, allowed)
            result = found or Drawn(MappingProxyType(dict(values)), lesson, trace)
        self._keep(key, result)
        return result

    def _allowed_faults(self) -> frozenset[tuple[str | None, str]]:
        if self._allowed is None:
            self.canonical()
        assert self._allowed is not None
        return self._allowed

    def _rendered(self, values: Mapping[str, object]) -> Lesson:
        if not self.params:
            return self.lesson
        return rendered_lesson(self.template, self.params, values)

    def _draw_values(self, avoid: Mapping[str, object]) -> dict[str, object]:
        values = {}
        for param in self.params:
            others = [
                v
                for v in param.values
                if param.name not in avoid or not _equal(v, avoid[param.name])
            ]
            values[param.name] = self.rng.choice(others or param.values)
        return values

    def _same(self, values: Mapping[str, object], other: Mapping[str, object]) -> bool:
        return all(p.name in other and _equal(values[p.name], other[p.name]) for p in self.params)

    def _keep(self, key: tuple, result: Drawn | Degenerate) -> None:
        if self.keep <= 0:
            return
        if key not in self._cache and len(self._cache) >= self.keep:
            # the oldest goes, but never the canonical variant (a fresh draw is checked
            # against its faults, and the first pass comes back to it)
            canonical = values_key(self.params, self.canonical_values)
            oldest = next((k for k in self._cache if k != canonical), None)
            if oldest is not None:
                del self._cache[oldest]
        self._cache[key] = result


def _equal(a: object, b: object) -> bool:
    return repr(a) == repr(b)
