"""Provides ServedApp: the tutor as `tutor serve` runs it for one browser, starting on the login
screen; the learner's own progress store is opened only once the access code is right.

Who may sign in is not decided here: `run` is handed a gate (tutor.serve.session builds it on
the class accounts), a callable from (student ID, access code) to an Admission.

Once signed in, a student's home lists the quizzes served (tutor.tui.screens.served_quiz), an
instructor gets the instructor's view (tutor.tui.screens.instructor), and the app keeps its row
of who is connected where (tutor.serve.presence) up to date.

With `database` (a postgresql:// URL: `tutor serve --database`) every store is there. When the
connection to it is lost, a store call waits for it and runs again (tutor.progress.database):
the learner is told once that the class database is not answering (nothing typed is lost) and
once that it is back."""

from __future__ import annotations

import secrets
import sys
import threading
import time
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
TAKEN_OVER = Text(
    "This quiz was opened in another window; continue there.",
    "이 퀴즈가 다른 창에서 열렸습니다. 그 창에서 계속하세요.",
)
QUIZ_FAILED = Text(
    "The quiz could not be opened on the server; please try again in a moment.",
    "서버에서 퀴즈를 열지 못했습니다. 잠시 후 다시 시도하세요.",
)
DATABASE_WAITING = Text(
    "The class database is not answering; waiting for it. Nothing you typed is lost.",
    "수업 데이터베이스가 응답하지 않아 기다리는 중입니다. 입력한 내용은 사라지지 않습니다.",
)
DATABASE_BACK = Text(
    "The class database is back (after {seconds} s); everything is saved.",
    "수업 데이터베이스가 돌아왔습니다({seconds}초 뒤). 모두 저장되었습니다.",
)
HEARTBEAT = 10.0  # seconds between presence reports while the learner stays put


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

    class DatabaseNotice(Message):
        """The connection to the class database was lost ("waiting") or is back ("back"),
        posted from whichever thread's store call waited."""

        def __init__(self, event: str, seconds: float) -> None:
            super().__init__()
            self.event = event
            self.seconds = seconds

    def __init__(
        self,
        *,
        course: Course,
        gate: Gate,
        lang: str = "en",
        quiz_files: Sequence[Path] = (),
        data_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
        address: str = "",
        quiz_interval: float = 1.0,
        save_delay: float = 0.4,
        heartbeat: float = HEARTBEAT,
        database: str | None = None,
        on_client: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(course=course, store=_NoStore(), lang=lang)  # type: ignore[arg-type]
        self.gate = gate
        self.quiz_files = tuple(quiz_files)
        self.data_dir = None if data_dir is None else Path(data_dir)
        self.database = database  # a postgresql:// URL: every store there, not in data_dir
        self.clock = clock  # the server's time: quiz clocks and presence
        self.address = address
        self.on_client = on_client
        self.quiz_interval = quiz_interval
        self.save_delay = save_delay
        self.heartbeat = heartbeat
        self.admission: Admission | None = None
        self.quiz_desk = None  # the served quizzes (QuizDesk), once a student signs in
        self.class_data = None  # the instructor's view's records (ClassData), once opened
        self._opening_quiz = False
        self.session_id = secrets.token_hex(8)
        self.signed_in_at: float | None = None
        self._presence = None
        self._presence_lock = threading.Lock()
        self._presence_done = False  # the session is ending: no more rows
        self._presence_said = False  # a presence failure is logged once
        self.add_mode("login", self._login_screen)
        self._database_listener = None

    def on_mount(self) -> None:
        if self.database is not None:
            from tutor.progress.database import add_listener

            def heard(event: str, where: str, seconds: float) -> None:
                # any thread, maybe the event loop's own while it waits: post, never block
                self.post_message(self.DatabaseNotice(event, seconds))

            self._database_listener = heard
            add_listener(heard)

    def on_served_app_database_notice(self, message: DatabaseNotice) -> None:
        if message.event == "waiting":
            self.notify(DATABASE_WAITING.get(self.lang), severity="warning", timeout=15)
        elif message.event == "back":
            back = DATABASE_BACK.format(seconds=f"{message.seconds:.0f}")
            self.notify(back.get(self.lang), timeout=8)

    def client_arrived(self, address: str) -> None:
        """A session started before its browser came (a spare) is given one, at `address`.
        Called by the web driver's input thread before the browser's first key is read."""
        if self.on_client is not None:
            self.address = address
            self.on_client(address)

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
        if admission.role == "student" and self.data_dir is not None and self.quiz_files:
            from tutor.tui.screens.served_quiz import QuizDesk

            self.quiz_desk = QuizDesk(
                self.data_dir, self.quiz_files, self.clock, database=self.database
            )
        self.add_mode("course", HomeScreen)
        self.switch_mode("course")
        self.remove_mode("login")
        if self.is_instructor:
            self.open_instructor()
        self.signed_in_at = self.clock()
        if self.data_dir is not None:
            self.screen_change_signal.subscribe(self, lambda _screen: self.report_presence())
            self.set_interval(self.heartbeat, self.report_presence, name="presence")
            self.call_after_refresh(self.report_presence)

    @property
    def is_instructor(self) -> bool:
        return self.admission is not None and self.admission.role == "instructor"

    def open_instructor(self) -> None:
        """The instructor's view, over the course home (which it goes back to)."""
        from tutor.tui.screens.instructor import InstructorScreen

        if self.is_instructor and self.data_dir is not None:
            if self.class_data is None:
                from tutor.tui.screens.instructor import ClassData

                self.class_data = ClassData(
                    self.data_dir, self.quiz_files, self.clock, database=self.database
                )
            self.push_screen(InstructorScreen(self.class_data))

    # quizzes

    def open_quiz(self, quiz_id: str) -> None:
        """Start or resume the student's attempt on the server (off the event loop), then the
        quiz screen; or the reason it cannot be opened, in one line on the home screen. One at
        a time: a second Enter while the first is on its way would take the attempt over."""
        if self.quiz_desk is None or self.admission is None or self._opening_quiz:
            return
        self._opening_quiz = True
        self._open_quiz(quiz_id)

    @work(thread=True, group="quiz-open", exit_on_error=False)
    def _open_quiz(self, quiz_id: str) -> None:
        from tutor.quiz.model import QuizError
        from tutor.tui.screens.served_quiz import from_thread, refusal_text

        assert self.quiz_desk is not None and self.admission is not None
        student_id = self.admission.student_id or ""
        try:
            taking = self.quiz_desk.open(quiz_id, student_id)
        except QuizError as error:
            from_thread(self, self.quiz_refused, refusal_text(error, student_id))
            return
        except Exception as error:  # the boundary: one line for the learner, the rest logged
            print(f"tutor serve: opening quiz {quiz_id}: {error!r}", file=sys.__stderr__)
            from_thread(self, self.quiz_refused, QUIZ_FAILED)
            return
        from_thread(self, self.quiz_opened, taking)

    def quiz_opened(self, taking) -> None:
        from tutor.tui.screens.home import HomeScreen
        from tutor.tui.screens.served_quiz import ServedQuizScreen

        self._opening_quiz = False
        if not isinstance(self.screen, HomeScreen) or not self.is_running:
            taking.close()  # the learner went elsewhere meanwhile: the attempt waits for them
            return
        self._quiz_section_say(None)
        self.push_screen(
            ServedQuizScreen(
                taking, self.lang, interval=self.quiz_interval, save_delay=self.save_delay
            )
        )

    def quiz_refused(self, reason: Text) -> None:
        self._opening_quiz = False
        self._quiz_section_say(reason)
        self.notify(reason.get(self.lang), severity="warning", timeout=8)

    def quiz_left(self, screen) -> None:
        """A quiz screen was left; if another window took it over, home says so too."""
        if getattr(screen, "taken", False):
            self._quiz_section_say(TAKEN_OVER)

    def _quiz_section_say(self, reason: Text | None) -> None:
        from tutor.tui.screens.served_quiz import QuizSection

        for screen in self.screen_stack:
            for section in screen.query(QuizSection):
                section.say(reason)

    async def action_quit(self) -> None:
        """ctrl+q in a quiz leaves the quiz (kept open, its clock running), not the app."""
        from tutor.tui.screens.served_quiz import ServedQuizScreen

        if self.signed_in and isinstance(self.screen, ServedQuizScreen):
            self.screen.action_leave()
            return
        await super().action_quit()

    def action_command_palette(self) -> None:
        """ctrl+p in a quiz is its "previous question" (the quiz screen's own key), never the
        palette (whose lessons would leave the quiz)."""
        from tutor.tui.screens.quiz import QuizScreen

        if isinstance(self.screen, QuizScreen):
            self.screen.action_move(-1)
            return
        super().action_command_palette()

    # who is connected, where

    def place(self) -> str:
        """Where the learner is, for the instructor's view: `home`, `lesson:<id>`,
        `quiz:<id>`, …"""
        screen = self.screen
        place = getattr(screen, "presence_place", None)
        if place:
            return str(place)
        lesson = getattr(screen, "lesson", None)
        name = type(screen).__name__.removesuffix("Screen").lower() or "screen"
        if lesson is not None and getattr(lesson, "id", None):
            return f"{name}:{lesson.id}"
        return name

    def report_presence(self) -> None:
        if self.admission is None or self.data_dir is None or not self.is_running:
            return
        self._write_presence(self.place())

    @work(thread=True, group="presence", exit_on_error=False)
    def _write_presence(self, place: str) -> None:
        from tutor.serve.presence import Presence, PresenceError

        admission = self.admission
        if admission is None or self.data_dir is None:
            return
        with self._presence_lock:
            if self._presence_done:
                return
            try:
                if self._presence is None:
                    self._presence = Presence.open(self.data_dir, database=self.database)
                self._presence.report(
                    self.session_id,
                    admission.student_id or "",
                    admission.role or "student",
                    place,
                    self.clock(),
                    since=self.signed_in_at,
                    address=self.address,
                )
            except PresenceError as error:
                if not self._presence_said:
                    self._presence_said = True
                    print(f"tutor serve: presence: {error}", file=sys.__stderr__)

    def on_unmount(self) -> None:
        from tutor.tui.screens.served_quiz import ServedQuizScreen

        if self._database_listener is not None:
            from tutor.progress.database import remove_listener

            remove_listener(self._database_listener)
        for screen in self.screen_stack:
            if isinstance(screen, ServedQuizScreen):
                screen.taking.close()
        with self._presence_lock:
            self._presence_done = True
            if self._presence is not None:
                try:
                    self._presence.leave(self.session_id)
                    self._presence.close()
                except Exception as error:  # ending anyway: the row goes stale in 30 s
                    print(f"tutor serve: presence: {error}", file=sys.__stderr__)
        if self.quiz_desk is not None:
            self.quiz_desk.close()
        if self.class_data is not None:
            # closed once a read in progress (grading can take a while) is done, off the loop
            threading.Thread(target=self.class_data.close, daemon=True).start()
        super().on_unmount()


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
    data_dir: Path | None = None,
    address: str = "",
    database: str | None = None,
    on_client: Callable[[str], None] | None = None,
) -> int:
    """Serve one session on the web driver (TEXTUAL_DRIVER, set by the server) until it ends."""
    try:
        course = load(lessons_dir)
    except SetupError as err:
        print(f"tutor serve: {err}", file=sys.__stderr__)
        return 1
    app = ServedApp(
        course=course,
        gate=gate,
        lang=lang,
        quiz_files=quiz_files,
        data_dir=data_dir,
        address=address,
        database=database,
        on_client=on_client,
    )
    app.run()
    return app.return_code or 0
