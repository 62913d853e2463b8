"""Provides LoginScreen: the student ID and the access code, the first screen of a served session.

The screen only collects and shows; the app checks (ServedApp.log_in) and answers with
`refused(reason)` or by replacing this screen with the course home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from tutor.text import Text
from tutor.tui.widgets.calm_input import CalmInput

TITLE = Text("Sign in", "로그인")
INTRO = Text(
    "Sign in with the student ID and the access code your instructor gave you.",
    "강사에게 받은 학번(Student ID)과 접속 코드로 로그인하세요.",
)
STUDENT_ID = Text("Student ID", "학번 (Student ID)")
CODE = Text("Access code", "접속 코드")
KEYS = Text(
    "Tab: next box · Enter: sign in · F2: 한국어", "Tab: 다음 칸 · Enter: 로그인 · F2: English"
)
OTHER_LANGUAGE = Text("한국어", "English")
CHECKING = Text("Checking…", "확인하는 중…")
NO_ID = Text("Type your student ID first.", "먼저 학번을 입력하세요.")
NO_CODE = Text("Type your access code.", "접속 코드를 입력하세요.")
REFUSED = Text("That student ID and access code do not match.", "학번과 접속 코드가 맞지 않습니다.")
FIELD_LENGTH = 100


class LoginScreen(Screen):
    """Student ID (focused from the start: a browser's first keys go to it), the access code
    (hidden as typed), a language button, and one line saying why a sign-in failed."""

    DEFAULT_CSS = """
    LoginScreen {
        align: center middle;
    }
    LoginScreen #login {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        border-title-color: $text-accent;
        padding: 1 2;
    }
    LoginScreen .label {
        padding: 1 0 0 0;
        text-style: bold;
    }
    LoginScreen #login-reason {
        color: $error;
        height: auto;
        padding: 1 0 0 0;
    }
    LoginScreen #login-keys {
        color: $text-muted;
        padding: 1 0 0 0;
    }
    LoginScreen #login-language {
        margin: 1 0 0 0;
        min-width: 12;
    }
    """

    AUTO_FOCUS = "#student-id"
    # Tab with priority: run by the app as the key comes, so the keys typed after it (a fast
    # typist, a paste, a script) land in the box it moved to, not in the one it left. Enter is
    # the boxes' own (Input.Submitted): it comes after the keys typed before it.
    BINDINGS = [
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        Binding("f2", "language", "한국어/English", show=False),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Static(id="login-intro", markup=False)
            yield Static(id="student-id-label", classes="label", markup=False)
            yield CalmInput(id="student-id", max_length=FIELD_LENGTH)
            yield Static(id="code-label", classes="label", markup=False)
            yield CalmInput(id="code", password=True, max_length=FIELD_LENGTH)
            yield Static(id="login-reason", markup=False)
            yield Static(id="login-keys", markup=False)
            with Center():
                yield Button(id="login-language")

    def on_mount(self) -> None:
        self.show_language()
        # focused now, whether or not the browser has given the app focus yet (AUTO_FOCUS waits
        # for it): the first keys typed go here
        self.query_one("#student-id", Input).focus()

    def show_language(self) -> None:
        lang = self.lang
        self.query_one("#login").border_title = TITLE.get(lang)
        self.query_one("#login-intro", Static).update(INTRO.get(lang))
        self.query_one("#student-id-label", Static).update(STUDENT_ID.get(lang))
        self.query_one("#code-label", Static).update(CODE.get(lang))
        self.query_one("#login-keys", Static).update(KEYS.get(lang))
        self.query_one("#login-language", Button).label = OTHER_LANGUAGE.get(lang)

    def action_language(self) -> None:
        self.lang = "ko" if self.lang == "en" else "en"
        self.app.set_language(self.lang)
        self.show_language()
        self.say(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_language()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the ID box with no code yet goes to the code box; else it signs in."""
        event.stop()
        student_id = self.query_one("#student-id", Input).value.strip()
        code_box = self.query_one("#code", Input)
        if not student_id:
            self.say(NO_ID)
            self.query_one("#student-id", Input).focus()
        elif not code_box.value.strip():
            if event.input is code_box:
                self.say(NO_CODE)
            code_box.focus()
        elif not self.checking:
            self.checking = True
            self.say(CHECKING)
            self.app.log_in(student_id, code_box.value.strip())

    def refused(self, reason: Text | None) -> None:
        """The sign-in failed: say why in one line, empty the code and put the cursor there."""
        self.checking = False
        self.say(reason or REFUSED)
        code_box = self.query_one("#code", Input)
        code_box.value = ""
        code_box.focus()

    def say(self, text: Text | None) -> None:
        line = "" if text is None else (text.get(self.lang).splitlines() or [""])[0]
        self.query_one("#login-reason", Static).update(line)
