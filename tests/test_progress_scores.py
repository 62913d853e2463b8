"""What attempts add up to: settled questions, the lesson score (first try), steps done, and the
lesson Continue opens — one definition, the same before and after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tutor.checking import grade
from tutor.course import build_trace, default_course_dir, load_course
from tutor.progress import (
    REVEAL_AFTER,
    Attempt,
    LessonProgress,
    Store,
    lesson_progress,
    lesson_score,
    next_unfinished,
    outline_of,
    question_results,
)

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def answers(*marks: str, question: str = "q") -> list[Attempt]:
    """Attempts in order: "y" correct, "n" wrong, "h" half right (partial, not correct)."""
    score = {"y": 1.0, "n": 0.0, "h": 0.5}
    return [
        Attempt("l", question, m, m == "y", score[m], at=T0 + timedelta(minutes=i))
        for i, m in enumerate(marks)
    ]


# --- one question -----------------------------------------------------------------------------


def test_first_try_right_is_solved_with_full_score():
    (r,) = question_results(answers("y")).values()
    assert (r.solved, r.revealed, r.settled, r.score) == (True, False, True, 1.0)


def test_right_after_misses_is_solved_but_scores_its_first_answer():
    (r,) = question_results(answers("n", "h", "y")).values()
    assert r.solved and r.settled and not r.revealed
    assert (r.attempts, r.misses, r.score) == (3, 2, 0.0)
    (r,) = question_results(answers("h", "y")).values()
    assert r.score == 0.5


def test_reveal_after_misses_settles_the_question_at_zero():
    marks = ["n"] * (REVEAL_AFTER - 1)
    (r,) = question_results(answers(*marks)).values()
    assert not r.settled
    (r,) = question_results(answers(*marks, "h")).values()
    assert r.revealed and r.settled and not r.solved
    assert r.score == 0.0  # a half-right first answer does not count once the answer was shown


def test_typing_the_shown_answer_later_does_not_make_a_revealed_question_solved():
    (r,) = question_results(answers(*["n"] * REVEAL_AFTER, "y")).values()
    assert r.revealed and not r.solved and r.settled and r.score == 0.0


# --- a lesson ---------------------------------------------------------------------------------

OUTLINE = ((), ("a", "b"), ("c",), ("d",))


def results(**marks: str):
    return question_results(a for q, m in marks.items() for a in answers(*m, question=q))


def test_the_score_is_the_mean_first_try_over_every_question_of_the_lesson():
    ids = [q for step in OUTLINE for q in step]
    assert lesson_score(ids, {}) is None
    # the lesson 3: two of four solved (one at once, one after a miss) -> not 0%
    assert lesson_score(ids, results(a="y", b="ny")) == 0.25
    # the lesson 1: many misses, then right everywhere -> not 100%
    assert lesson_score(ids, results(a="nny", b="ny", c="y", d="nny")) == 0.25
    assert lesson_score(ids, results(a="y", b="y", c="y", d="y")) == 1.0
    assert lesson_score(ids, results(other="y")) is None  # questions not in the lesson


def test_steps_done_count_steps_reached_with_every_question_settled():
    def done(reached, **marks):
        return lesson_progress("l", OUTLINE, results(**marks), reached).steps_done

    assert done(None) == 0  # never opened
    assert done(0) == 1  # the first step asks nothing: reading it is doing it
    assert done(1, a="y") == 1  # b still open
    assert done(1, a="y", b="nnn") == 2  # b revealed: settled
    assert done(2, a="y", b="y") == 2  # reached step 3, not answered yet
    assert done(None, a="y", b="y", c="y") == 3  # an answer proves the step was reached
    finished = lesson_progress("l", OUTLINE, results(a="y", b="y", c="n", d="y"), 3)
    assert not finished.complete and finished.steps_done == 3
    finished = lesson_progress("l", OUTLINE, results(a="y", b="y", c="nnn", d="y"), 3)
    assert finished.complete and (finished.steps_done, finished.steps) == (4, 4)
    assert (finished.questions_settled, finished.questions, finished.score) == (4, 4, 0.75)


def test_continue_opens_the_last_lesson_while_unfinished_then_the_next_unfinished():
    def p(lesson_id: str, complete: bool) -> LessonProgress:
        return LessonProgress(lesson_id, int(complete), 1, 0, 0, None)

    order = ["a", "b", "c", "d"]
    progress = {"a": p("a", True), "b": p("b", False), "c": p("c", True), "d": p("d", False)}
    assert next_unfinished(order, progress, None) is None
    assert next_unfinished(order, progress, "b") == "b"
    assert next_unfinished(order, progress, "c") == "d"
    progress["d"] = p("d", True)
    assert next_unfinished(order, progress, "c") == "b"  # wraps round to an earlier one
    assert next_unfinished(order, progress, "gone") is None
    done = {k: p(k, True) for k in order}
    assert next_unfinished(order, done, "c") is None


# --- the store: the same before and after a restart -------------------------------------------


def test_a_revealed_question_stays_settled_after_reopening_the_store(tmp_path):
    outline = (("q", "r"),)
    with Store.open(tmp_path) as store:
        for a in answers(*["n"] * REVEAL_AFTER):
            store.record(a)
        before = store.lesson_progress("", "l", outline)
        assert store.question_results("", "l")["q"].revealed
    with Store.open(tmp_path) as store:
        after = store.lesson_progress("", "l", outline)
        assert store.question_results("", "l")["q"].settled
    assert before == after
    assert (after.questions_settled, after.score, after.steps_done) == (1, 0.0, 0)


COURSE = load_course(default_course_dir())


def test_the_lesson_session_agrees_with_the_store_after_a_restart(tmp_path):
    from tutor.tui.session import LessonSession

    lesson = next(lesson for lesson in COURSE.lessons if lesson.questions())
    trace = build_trace(lesson)
    with Store.open(tmp_path) as store:
        session = LessonSession(trace, store, COURSE.id)
        while session.question is None:
            assert session.advance()
        question = session.question
        expected = trace.expected[question.id]
        wrong = next(
            text
            for text in ("1", "2", "0", "7", "[[0, 0], [0, 0]]", "x")
            if not (v := grade(question, expected, text)).correct and v.outcome != "unreadable"
        )
        for _ in range(REVEAL_AFTER):
            verdict = session.submit(wrong)
            assert verdict is not None and verdict.outcome != "unreadable"
        assert session.state(question).settled
    with Store.open(tmp_path) as store:
        assert store.question_results(COURSE.id, lesson.id)[question.id].revealed
        again = LessonSession(trace, store, COURSE.id)
        assert again.state(question).settled
        assert again.question is not question


def test_outline_of_a_course_lesson_lists_its_steps_question_ids():
    lesson = COURSE.lesson("requires-grad")
    outline = outline_of(lesson)
    assert len(outline) == len(lesson.steps)
    assert [q for step in outline for q in step] == [q.id for q in lesson.questions()]
