"""Provides ServedApp: the tutor as `tutor serve` runs it for one browser, starting on the login
screen; the learner's own progress store is opened only once the access code is right.

Who may sign in is not decided here: `run` is handed a gate (tutor.serve.session builds it on
the class accounts), a callable from (student ID, access code) to an Admission."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen

from tutor.course.model import Course
from tutor.progress import Store
from tutor.text import Text
from tutor.tui.app import TutorApp

SIGNED_IN = Text("Signed in as {who}.", "{who}(으)로 로그인했습니다.")
GATE_FAILED = Text(
    "Signing in failed on the server; please try again in a moment.",
    "서버에서 로그인을 처리하지 못했습니다. 잠시 후 다시 시도하세요.",
)


@dataclass(frozen=True)
class Admission:
    """The gate's answer: a store (the learner's own) when admitted, else the reason in one line."""

    store: Store | None
    reason: Text | None = None
    role: str | None = None
    student_id: str | None = None


Gate = Callable[[str, str], Admission]


class _NoStore:
    """What TutorApp reads of a store before anyone has signed in: nothing saved, nothing kept."""

    notice_text = None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return default

    def set_setting(self, key: str, value: str) -> None:
        pass

    def close(self) -> None:
        pass


class ServedApp(TutorApp):
    """TutorApp whose first screen is the login (mode "login"); once the gate admits, the
    course home (mode "course") and the login is gone, with what was typed in it."""

    DEFAULT_MODE = "login"

    class GateAnswered(Message):
        """The gate answered a sign-in (posted from the worker thread that asked it)."""

        def __init__(self, admission: Admission) -> None:
            super().__init__()
            self.admission = admission

    def __init__(
        self, *, course: Course, gate: Gate, lang: str = "en", quiz_files: Sequence[Path] = ()
    ) -> None:
        super().__init__(course=course, store=_NoStore(), lang=lang)  # type: ignore[arg-type]
        self.gate = gate
        self.quiz_files = tuple(quiz_files)  # held for the server-side quizzes to come
        self.admission: Admission | None = None
        self.add_mode("login", self._login_screen)

    def _login_screen(self) -> Screen:
        from tutor.tui.screens.login import LoginScreen

        return LoginScreen(self.lang)

    @property
    def signed_in(self) -> bool:
        return self.admission is not None

    def set_language(self, lang: str) -> None:
        if self.signed_in:
            super().set_language(lang)
        else:
            self.lang = lang
            self.title = self.course.title.get(lang)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # before signing in, the command palette opens nothing: no lesson, no theme, no store
        if self.signed_in:
            yield from super().get_system_commands(screen)

    def warm_up_sympy(self):  # type: ignore[override]
        """Only for a learner signed in (admitted calls it again): a page left on the login
        screen costs neither sympy's memory nor its start-up CPU."""
        if self.signed_in:
            return super().warm_up_sympy()
        return None

    @work(thread=True, exclusive=True, group="login")
    def log_in(self, student_id: str, code: str) -> None:
        """Ask the gate (a database and a slow hash: off the event loop); the answer comes back
        as a message."""
        try:
            admission = self.gate(student_id, code)
        except Exception as error:  # the boundary: the learner gets one line, the log the rest
            print(f"tutor serve: signing in failed: {error!r}", file=sys.__stderr__)
            admission = Admission(store=None, reason=GATE_FAILED)
        self.post_message(self.GateAnswered(admission))

    def on_served_app_gate_answered(self, message: GateAnswered) -> None:
        from tutor.tui.screens.login import LoginScreen

        admission = message.admission
        if self.signed_in:  # a second answer (cannot happen: one sign-in at a time)
            if admission.store is not None:
                admission.store.close()
        elif admission.store is None:
            if isinstance(self.screen, LoginScreen):
                self.screen.refused(admission.reason)
        else:
            self.admitted(admission)

    def admitted(self, admission: Admission) -> None:
        """Open the learner's store, in the language chosen on the login screen, on the home."""
        from tutor.tui.screens.home import HomeScreen

        assert admission.store is not None
        self.admission = admission
        self.store = admission.store
        self.store.set_setting("lang", self.lang)
        saved_theme = self.store.get_setting("theme")
        if saved_theme in self.available_themes:
            self.theme = saved_theme
        self.notify(SIGNED_IN.format(who=admission.student_id or "").get(self.lang), timeout=4)
        if self.store.notice_text is not None:
            self.notify(self.store.notice_text.get(self.lang), severity="warning", timeout=10)
        self.set_timer(0.3, self.warm_up_sympy)
        self.add_mode("course", HomeScreen)
        self.switch_mode("course")
        self.remove_mode("login")


class SetupError(Exception):
    """The course could not be loaded; the message is one line."""


def load(lessons_dir: str | Path | None) -> Course:
    from tutor.course.load import load_course
    from tutor.course.paths import default_course_dir
    from tutor.course.problems import CourseError

    try:
        return load_course(Path(lessons_dir) if lessons_dir else default_course_dir())
    except CourseError as err:
        problems = [str(each) for each in err.problems] or ["the course is invalid"]
        raise SetupError(problems[0]) from None


def run(
    *,
    gate: Gate,
    lessons_dir: str | Path | None = None,
    lang: str = "en",
    quiz_files: Sequence[Path] = (),
) -> int:
    """Serve one session on the web driver (TEXTUAL_DRIVER, set by the server) until it ends."""
    try:
        course = load(lessons_dir)
    except SetupError as err:
        print(f"tutor serve: {err}", file=sys.__stderr__)
        return 1
    app = ServedApp(course=course, gate=gate, lang=lang, quiz_files=quiz_files)
    app.run()
    return app.return_code or 0
