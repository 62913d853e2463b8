"""The lesson screen when the progress store cannot write (a full disk, a database restarting):
the learner is told in one line, the answer stays typed, nothing crashes, pressing Enter again
once the store is back commits it, and a place that cannot be saved does not stop the lesson."""

from __future__ import annotations

from test_tui_lesson import open_lesson

from tutor.course import format_answer
from tutor.progress import ProgressError
from tutor.tui.factory import make_app
from tutor.tui.widgets.question import QuestionPanel


class Failing:
    """Makes the app's store refuse writes while `down` is True, as a full disk would."""

    def __init__(self, store) -> None:
        self.down = False
        self.refused = 0
        for name in ("record", "set_position"):
            real = getattr(store, name)
            setattr(store, name, self._guard(real))

    def _guard(self, real):
        def guarded(*args, **kwargs):
            if self.down:
                self.refused += 1
                raise ProgressError("progress store: database or disk is full")
            return real(*args, **kwargs)

        return guarded


async def test_an_answer_that_cannot_be_saved_stays_typed_and_is_saved_on_retry(tmp_path):
    app = make_app(data_dir=tmp_path, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "forward-graph")
        session = screen.session
        while session.question is None:
            await pilot.press("n")
            await pilot.pause()
        question = session.question
        text = format_answer(session.trace.expected[question.id])
        failing = Failing(app.store)
        failing.down = True
        answer = screen.query_one("#answer")
        answer.value = text
        answer.focus()
        await pilot.press("enter")
        await pilot.pause()
        feedback = str(screen.query_one(QuestionPanel).query_one("#feedback").render())
        assert "could not be saved" in feedback and "disk is full" in feedback
        assert answer.value == text and not session.state(question).solved
        assert app.store.attempts(lesson_id="forward-graph") == []
        failing.down = False
        await pilot.press("enter")
        await pilot.pause()
        assert session.state(question).solved
        (saved,) = app.store.attempts(lesson_id="forward-graph")
        assert saved.answer == text and saved.correct

        failing.down = True  # the place cannot be saved: the lesson goes on all the same
        step = session.step_index
        assert session.advance() and session.step_index == step + 1
        assert session.unsaved is not None and "full" in session.unsaved
        failing.down = False
        assert session.go_back() and session.unsaved is None
        assert app.store.position(session.course_id, "forward-graph") == step
