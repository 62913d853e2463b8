"""Provides the quizzes of `tutor serve` in the served app: QuizDesk (the quiz files, the server's
quiz records and secrets, read off the event loop), QuizSection (the home screen's list of
quizzes with each one's standing), ServedQuizScreen (QuizScreen on a ServerTaking: its own
clock tick, takeover, leaving) and ReceiptScreen (what the server received, and feedback when
the quiz allows it)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text as RichText
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.quiz.model import Quiz, QuizError
from tutor.text import Text
from tutor.tui.screens.quiz import QuizScreen, feedback_lines, say
from tutor.tui.widgets.countdown import clock_text

Clock = Callable[[], float]

WORDS = {
    "heading": Text("Quizzes", "퀴즈"),
    "loading": Text("Loading the quizzes…", "퀴즈를 불러오는 중…"),
    "none": Text("No quiz is open on this server.", "이 서버에 열린 퀴즈가 없습니다."),
    "minutes": Text("{minutes:g} min", "{minutes:g}분"),
    "attempts": Text("attempts {used}/{allowed}", "응시 {used}/{allowed}회"),
    "open": Text("in progress, {clock} left", "푸는 중, 남은 시간 {clock}"),
    "expired": Text("time is up", "시간 종료"),
    "submitted": Text("submitted", "제출함"),
    "opening": Text("Opening {title}…", "{title} 여는 중…"),
    "no_attempts": Text(
        "All {allowed} attempts at this quiz are used.",
        "이 퀴즈의 응시 기회 {allowed}번을 모두 썼습니다.",
    ),
    "no_attempt": Text(
        "Your one attempt at this quiz is used.", "이 퀴즈의 응시 기회 1번을 이미 썼습니다."
    ),
    "cannot_open": Text("This quiz cannot be opened: {error}", "퀴즈를 열 수 없습니다: {error}"),
    "bad_id": Text(
        "Your student ID cannot take quizzes on this server; please tell your instructor.",
        "이 학번으로는 이 서버에서 퀴즈를 볼 수 없습니다. 강사에게 알려 주세요.",
    ),
    "keys": Text(
        "Enter check · ctrl+n next · ctrl+p previous · ctrl+s submit · "
        "esc leave (the clock keeps running)",
        "Enter 확인 · ctrl+n 다음 · ctrl+p 이전 · ctrl+s 제출 · esc 나가기 (시간은 계속 흐릅니다)",
    ),
    "keys_saved": Text(
        "Enter save · ctrl+n next · ctrl+p previous · ctrl+s submit · "
        "esc leave (the clock keeps running)",
        "Enter 저장 · ctrl+n 다음 · ctrl+p 이전 · ctrl+s 제출 · esc 나가기 (시간은 계속 흐릅니다)",
    ),
    "received": Text(
        "Attempt {attempt} was received by the server at {when}.",
        "{attempt}번째 응시를 서버가 {when}에 받았습니다.",
    ),
    "by_student": Text("You submitted it.", "직접 제출했습니다."),
    "by_time_up": Text(
        "It was submitted when the time ran out.", "시간이 끝나 자동으로 제출되었습니다."
    ),
    "no_feedback": Text(
        "Feedback is not shown for this quiz now.", "이 퀴즈는 지금 피드백을 보여 주지 않습니다."
    ),
    "back": Text("Enter or q: back to the course", "Enter 또는 q: 과정으로 돌아가기"),
}


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Offer:
    """A quiz as one student sees it on the home screen: attempts used, the open attempt's
    seconds left (None: none open), whether the last one was submitted."""

    quiz: Quiz
    used: int = 0
    left: float | None = None
    submitted: bool = False

    @property
    def exhausted(self) -> bool:
        return self.used >= self.quiz.attempts and self.left is None

    def line(self, lang: str) -> RichText:
        quiz = self.quiz
        text = RichText(quiz.title.get(lang), style="bold")
        parts = [
            word("minutes", lang, minutes=quiz.time_limit_seconds / 60),
            word("attempts", lang, used=self.used, allowed=quiz.attempts),
        ]
        if self.left is not None:
            parts.append(
                word("open", lang, clock=clock_text(self.left))
                if self.left > 0
                else word("expired", lang)
            )
        elif self.submitted:
            parts.append(word("submitted", lang))
        text.append("  ·  " + "  ·  ".join(parts), style="")
        return text

    def refusal(self) -> Text | None:
        """Why the quiz cannot be opened now (before asking the server), if it cannot."""
        if not self.exhausted:
            return None
        if self.quiz.attempts == 1:
            return WORDS["no_attempt"]
        return WORDS["no_attempts"].format(allowed=self.quiz.attempts)


class QuizDesk:
    """The served quizzes for one app process: the files given to `tutor serve --quiz` (loaded
    once, again when a file changes), the server's quiz records (tutor.quiz.attempts) and each
    quiz's secret (which stays on the server). Every method may block: call them from worker
    threads. They take turns (one lock), so `close()` never pulls a connection from under a
    reader; the records a taking writes to (`store`) and those the home screen's standings are
    read from (`reader`) are two connections, one per thread that uses them (on PostgreSQL
    both go over the process's one connection, a transaction at a time)."""

    def __init__(
        self,
        data_dir: Path,
        quiz_files: Sequence[Path],
        clock: Clock = time.time,
        *,
        database: str | None = None,
    ):
        self.data_dir = Path(data_dir)
        self.database = database  # a postgresql:// URL: the records there, not in data_dir
        self.quiz_files = tuple(Path(p) for p in quiz_files)
        self.clock = clock
        self._lock = threading.RLock()
        self._loaded: dict[Path, tuple[tuple[int, int], Quiz]] = {}
        self._stores: dict[str, object] = {}
        self.closed = False

    def __bool__(self) -> bool:
        return bool(self.quiz_files)

    def quizzes(self) -> list[Quiz]:
        """The quizzes that load (a file that does not is said once on the server's log)."""
        from tutor.quiz.load import load_quiz

        out = []
        with self._lock:
            for path in self.quiz_files:
                try:
                    stat = path.stat()
                    stamp = (stat.st_mtime_ns, stat.st_size)
                except OSError as error:
                    _log(f"{path}: {error.strerror or error}")
                    continue
                known = self._loaded.get(path)
                if known is None or known[0] != stamp:
                    try:
                        known = (stamp, load_quiz(path))
                    except QuizError as error:
                        _log(str(error))
                        self._loaded.pop(path, None)
                        continue
                    self._loaded[path] = known
                out.append(known[1])
        return out

    def quiz(self, quiz_id: str) -> Quiz:
        for quiz in self.quizzes():
            if quiz.id == quiz_id:
                return quiz
        raise QuizError(f"no quiz {quiz_id!r} on this server")

    def store(self, role: str = "store"):
        """The server's quiz records (opened once per role: `store`, `reader`)."""
        from tutor.quiz.attempts import AttemptStore

        with self._lock:
            if self.closed:
                raise QuizError("the session is ending")
            if role not in self._stores:
                self._stores[role] = AttemptStore.open(self.data_dir, database=self.database)
            return self._stores[role]

    def secret(self, quiz: Quiz) -> bytes:
        from tutor.quiz.secret import server_secret

        return server_secret(quiz, self.data_dir)

    def offers(self, student_id: str) -> list[Offer]:
        """Each quiz with this student's standing in it."""
        with self._lock:
            store = self.store("reader")
            now = self.clock()
            offers = []
            for quiz in self.quizzes():
                records = store.attempts(quiz.id, student_id)
                last = records[-1] if records else None
                left = None if last is None or last.submitted else last.remaining(now)
                submitted = last is not None and last.submitted
                offers.append(Offer(quiz, len(records), left, submitted))
            return offers

    def open(self, quiz_id: str, student_id: str):
        """Start or resume the student's attempt (a ServerTaking); QuizError when it cannot."""
        from tutor.quiz.server_taking import ServerTaking

        with self._lock:
            quiz = self.quiz(quiz_id)
            return ServerTaking.open(quiz, self.secret(quiz), student_id, self.store(), self.clock)

    def close(self) -> None:
        """Close the records (waiting for a reader in progress); nothing is read after."""
        with self._lock:
            self.closed = True
            for store in self._stores.values():
                store.close()
            self._stores.clear()


def from_thread(app, callback: Callable[..., object], *args: object) -> None:
    """Run `callback(*args)` on the app's event loop, from a worker thread; nothing once the app
    has stopped (a worker that outlived its session)."""
    with contextlib.suppress(RuntimeError):
        app.call_from_thread(callback, *args)


def _log(line: str) -> None:
    print(f"tutor serve: {line}", file=sys.__stderr__)


def refusal_text(error: QuizError, student_id: str) -> Text:
    """One line, in both languages, for a quiz that cannot be opened."""
    from tutor.ids import id_problem

    if id_problem(student_id) is not None:
        return WORDS["bad_id"]
    line = (str(error).splitlines() or [""])[0]
    return WORDS["cannot_open"].format(error=line)


class QuizSection(Vertical):
    """The home screen's quizzes (served, for a student): one row each with its time limit,
    attempts and standing; Enter opens one. Standings are read in a worker thread."""

    DEFAULT_CSS = """
    QuizSection {
        height: auto;
        max-height: 12;
    }
    QuizSection #quiz-heading {
        padding: 1 2 0 2;
        text-style: bold;
        color: $text-muted;
    }
    QuizSection #quiz-list {
        height: auto;
        max-height: 8;
    }
    QuizSection #quiz-reason {
        padding: 0 2;
        height: auto;
        color: $warning;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.offers: list[Offer] = []
        self.reason: Text | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="quiz-heading", markup=False)
        yield OptionList(id="quiz-list")
        yield Static(id="quiz-reason", markup=False)

    def on_mount(self) -> None:
        self.show_language()
        self.query_one("#quiz-list", OptionList).add_option(
            Option(word("loading", self.app.lang), disabled=True)
        )

    def show_language(self) -> None:
        lang = self.app.lang
        self.query_one("#quiz-heading", Static).update(word("heading", lang) + "  (z)")
        self.query_one("#quiz-reason", Static).update(
            "" if self.reason is None else self.reason.get(lang)
        )
        if self.offers:
            self.show_offers(self.offers)

    def say(self, reason: Text | None) -> None:
        self.reason = reason
        self.query_one("#quiz-reason", Static).update(
            "" if reason is None else (reason.get(self.app.lang).splitlines() or [""])[0]
        )

    @work(thread=True, exclusive=True, group="quiz-offers", exit_on_error=False)
    def reload(self) -> None:
        """Read each quiz's standing for this student (off the event loop)."""
        app = self.app
        try:
            offers = app.quiz_desk.offers(app.admission.student_id)
        except QuizError as error:
            _log(f"quiz offers: {error}")
            return
        from_thread(app, self.show_offers, offers)

    def show_offers(self, offers: list[Offer]) -> None:
        if not self.is_mounted:
            return
        self.offers = offers
        listing = self.query_one("#quiz-list", OptionList)
        index = listing.highlighted
        listing.clear_options()
        lang = self.app.lang
        if not offers:
            listing.add_option(Option(word("none", lang), disabled=True))
            return
        listing.add_options(Option(offer.line(lang), id=offer.quiz.id) for offer in offers)
        listing.highlighted = min(index or 0, len(offers) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.open(event.option.id)

    def open(self, quiz_id: str) -> None:
        offer = next((o for o in self.offers if o.quiz.id == quiz_id), None)
        if offer is None:
            return
        refusal = offer.refusal()
        if refusal is not None:
            self.say(refusal)
            return
        self.say(WORDS["opening"].format(title=offer.quiz.title.get(self.app.lang)))
        self.app.open_quiz(quiz_id)


class ServedQuizScreen(QuizScreen):
    """QuizScreen on the server's record: the countdown ticks by itself (server time), the
    attempt is checked to be still held each tick, escape (or ctrl+q) leaves it open (its clock
    runs on) and goes home; once submitted, the receipt replaces it."""

    BINDINGS = [Binding("escape", "leave", show=False, priority=True)]

    def __init__(
        self, taking, lang: str, *, interval: float = 1.0, save_delay: float = 0.4
    ) -> None:
        super().__init__(taking, lang, save_delay)
        self.interval = interval
        self.taken = False  # left because another window took the attempt over

    @property
    def presence_place(self) -> str:
        return f"quiz:{self.taking.quiz.id}"

    def on_mount(self) -> None:
        super().on_mount()
        checked = self.taking.quiz.feedback == "after-each"
        self.query_one("#keys", Static).update(word("keys" if checked else "keys_saved", self.lang))
        self.set_interval(self.interval, self.tick, name="quiz-clock")

    def action_leave(self) -> None:
        """Save what is typed and go home; the attempt stays open for the next visit."""
        if not self.left and not self.taking.submitted:
            self.flush()
        self.left = True
        self._go_home()

    def taken_over(self) -> None:
        if self.left:
            return
        super().taken_over()
        self.taken = True
        self._go_home()

    def _go_home(self) -> None:
        app = self.app
        if self in app.screen_stack:
            while app.screen is not self:
                app.pop_screen()
            app.pop_screen()
        if getattr(app, "quiz_left", None) is not None:
            app.quiz_left(self)

    def on_unmount(self) -> None:
        self.taking.close()  # releases the attempt (its clock keeps running); harmless twice

    def on_quiz_screen_submitted(self, message: QuizScreen.Submitted) -> None:
        message.stop()
        app = self.app
        if self not in app.screen_stack:
            return
        while app.screen is not self:
            app.pop_screen()
        receipt = message.result if message.result is not None else self.taking.receipt()
        app.switch_screen(ReceiptScreen(self.taking, self.lang, receipt, message.time_up))

    def on_quiz_screen_submit_requested(self, message: QuizScreen.SubmitRequested) -> None:
        from tutor.tui.quiz_launch import ConfirmSubmit

        message.stop()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(time_up=False)

        self.app.push_screen(ConfirmSubmit(self.lang, message.unanswered), confirmed)

    def on_quiz_screen_submit_failed(self, message: QuizScreen.SubmitFailed) -> None:
        message.stop()  # said once on screen; time-up tries again on the next tick


class ReceiptScreen(Screen):
    """What the server received (attempt, server time, how) and, when the quiz's policy allows
    it, feedback on each answer; Enter goes back to the course."""

    DEFAULT_CSS = """
    ReceiptScreen #receipt {
        border: round $primary 50%;
        padding: 0 1;
    }
    ReceiptScreen #receipt-title, ReceiptScreen #receipt-lines, ReceiptScreen #receipt-feedback {
        padding: 0 0 1 0;
    }
    ReceiptScreen #receipt-keys {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("enter,q,escape", "close", show=False)]

    def __init__(self, taking, lang: str, receipt, time_up: bool) -> None:
        super().__init__()
        self.taking = taking
        self.lang = lang
        self.receipt = receipt
        self.time_up = time_up or receipt.how == "time-up"

    @property
    def presence_place(self) -> str:
        return f"quiz:{self.taking.quiz.id}"

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="receipt"):
            headline = say("time_up" if self.time_up else "submitted", lang)
            title = f"{self.taking.quiz.title.get(lang)} — {headline}"
            yield Static(RichText(title, style="bold"), id="receipt-title")
            yield Static(self._lines(), id="receipt-lines")
            yield Static(self._feedback(), id="receipt-feedback")
            yield Static(word("back", lang), id="receipt-keys")

    def _lines(self) -> str:
        receipt = self.receipt
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(receipt.submitted_at))
        how = word("by_time_up" if receipt.how == "time-up" else "by_student", self.lang)
        return word("received", self.lang, attempt=receipt.attempt, when=when) + "\n" + how

    def _feedback(self) -> RichText:
        lines = feedback_lines(self.taking, self.lang)
        return lines if lines.plain else RichText(word("no_feedback", self.lang), style="dim")

    def action_close(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
