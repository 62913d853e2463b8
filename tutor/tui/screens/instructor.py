"""Provides InstructorScreen: the instructor's view of a class on `tutor serve`, in tabs — who is
connected now and where, each learner's progress per lesson, each served quiz's live status per
student, per-question statistics, the gradebook (downloaded as CSV) and the batch answer key.

What it shows is read in worker threads (ClassData: plain functions of the data dir, no
Textual), the visible tab every few seconds, the costly ones (grading) less often; downloads go
to the browser through `App.deliver_text` (textual-serve) and are also kept under
DATA_DIR/exports/."""

from __future__ import annotations

import contextlib
import io
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from tutor.quiz.grading import flag_text
from tutor.text import Text
from tutor.tui.bindings import localize_bindings
from tutor.tui.screens.served_quiz import from_thread

Clock = Callable[[], float]

EXPORTS = "exports"
REFRESH_SECONDS = 5.0
# how old a tab's data may get while it is shown before it is read again (grading is costly)
MAX_AGE = {
    "connected": 5.0,
    "progress": 30.0,
    "quiz": 5.0,
    "statistics": 30.0,
    "gradebook": 30.0,
    "key": 60.0,
}
TABS = ("connected", "progress", "quiz", "statistics", "gradebook", "key")

WORDS = {
    "title": Text("Instructor's view · {name}", "강사 화면 · {name}"),
    "connected": Text("Connected", "접속 중"),
    "progress": Text("Progress", "진도"),
    "quiz": Text("Quiz", "퀴즈"),
    "statistics": Text("Statistics", "통계"),
    "gradebook": Text("Gradebook", "성적표"),
    "key": Text("Answer key", "정답지"),
    "student": Text("Student", "학생"),
    "role": Text("Role", "역할"),
    "since": Text("Since", "접속 시각"),
    "where": Text("Where", "위치"),
    "seen": Text("Last seen", "마지막 신호"),
    "ago": Text("{seconds} s ago", "{seconds}초 전"),
    "role_student": Text("student", "학생"),
    "role_instructor": Text("instructor", "강사"),
    "nobody": Text("Nobody is connected.", "접속한 사람이 없습니다."),
    "connected_count": Text("{count} connected", "{count}명 접속 중"),
    "home": Text("Home", "처음 화면"),
    "lesson": Text("Lesson: {title}", "레슨: {title}"),
    "review": Text("Review: {title}", "복습: {title}"),
    "playground": Text("Playground", "실습장"),
    "quiz_at": Text("Quiz: {title}", "퀴즈: {title}"),
    "instructor": Text("Instructor's view", "강사 화면"),
    "last_active": Text("Last active", "최근 활동"),
    "lessons_legend": Text(
        "Each cell: questions answered right / questions · first-try score",
        "각 칸: 맞힌 문제 수 / 문제 수 · 첫 시도 점수",
    ),
    "no_learners": Text("No learner has progress yet.", "아직 진도 기록이 있는 학생이 없습니다."),
    "no_quiz": Text(
        "No quiz is served (start `tutor serve` with --quiz FILE).",
        "제공 중인 퀴즈가 없습니다 (`tutor serve`를 --quiz FILE과 함께 시작하세요).",
    ),
    "choose_quiz": Text("Quiz", "퀴즈"),
    "status": Text("Status", "상태"),
    "attempt": Text("Attempt", "응시"),
    "answered": Text("Answered", "답한 문제"),
    "left": Text("Time left", "남은 시간"),
    "submitted_at": Text("Submitted", "제출 시각"),
    "not_started": Text("not started", "시작 전"),
    "in_progress": Text("in progress", "푸는 중"),
    "time_is_up": Text("time is up", "시간 종료"),
    "submitted": Text("submitted", "제출함"),
    "how_student": Text("by the student", "학생이 제출"),
    "how_time_up": Text("time-up", "시간 종료로 제출"),
    "quiz_summary": Text(
        "{started} of {students} started · {open} in progress · {done} submitted",
        "학생 {students}명 중 {started}명 시작 · {open}명 푸는 중 · {done}명 제출",
    ),
    "question": Text("Question", "문제"),
    "percent": Text("Correct", "정답률"),
    "right_graded": Text("Right/graded", "정답/채점"),
    "wrong_answers": Text("Most common wrong answers", "가장 흔한 오답"),
    "misconceptions": Text("Misconceptions", "오개념"),
    "stats_summary": Text(
        "{graded} of {students} students graded · mean {mean:.1f}%",
        "학생 {students}명 중 {graded}명 채점 · 평균 {mean:.1f}%",
    ),
    "none": Text("(none)", "(없음)"),
    "total": Text("Total", "합계"),
    "flags": Text("Flags", "표시"),
    "late": Text("Min late", "지각(분)"),
    "download_gradebook": Text("Download the gradebook (CSV) · d", "성적표 내려받기 (CSV) · d"),
    "download_key": Text(
        "Download the answer key for the whole roster (CSV) · k",
        "명단 전체의 정답지 내려받기 (CSV) · k",
    ),
    "key_about": Text(
        "One row per student of the roster ({count} students) and per attempt taken: the "
        "parameters drawn and every question's answer. Keep it from the students.",
        "명단의 학생({count}명)마다, 응시마다 한 줄: 뽑힌 매개변수와 모든 문제의 정답. "
        "학생들에게 보이지 마세요.",
    ),
    "preparing": Text("Preparing {name}…", "{name} 준비 중…"),
    "saved": Text(
        "Saved on the server as {path}; your browser downloads {name}.",
        "서버에 {path}(으)로 저장했습니다. 브라우저가 {name} 파일을 내려받습니다.",
    ),
    "failed": Text("Could not prepare {name}: {error}", "{name}을(를) 만들지 못했습니다: {error}"),
    "read_failed": Text("Could not read: {error}", "읽지 못했습니다: {error}"),
    "updated": Text("updated {clock}", "{clock} 갱신"),
}

# the footer's keys, in both languages
KEY_LABELS = {
    "refresh": Text("Refresh", "새로 고침"),
    "download_gradebook": Text("Gradebook CSV", "성적표 CSV"),
    "download_key": Text("Answer key", "정답지"),
    "language": Text("한국어", "English"),
    "leave": Text("Course", "과정"),
}
ROLE_WORDS = {"student": "role_student", "instructor": "role_instructor"}


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def _log(line: str) -> None:
    print(f"tutor serve: instructor: {line}", file=sys.__stderr__)


# what the tabs show, read off the event loop (no Textual below, up to the screen)


@dataclass(frozen=True)
class LessonCell:
    """One learner in one lesson: questions answered right, questions, first-try score."""

    right: int
    questions: int
    score: float | None


@dataclass(frozen=True)
class LearnerProgress:
    student_id: str
    lessons: dict[str, LessonCell]
    last_active: str | None = None  # ISO time of the last answer or position


@dataclass(frozen=True)
class QuizStanding:
    """One student in one quiz, now: `state` is `not-started`, `in-progress`, `time-up` (open
    but past its closing time: the sweep submits it) or `submitted`."""

    student_id: str
    state: str
    attempt: int = 0
    answered: int = 0
    questions: int = 0
    left: float | None = None
    how: str | None = None
    submitted_at: float | None = None


@dataclass(frozen=True)
class QuestionLine:
    """A question's statistics: percent correct, the most common wrong answers (text, count)
    and misconceptions (id, count) among the graded students."""

    question_id: str
    percent: float
    correct: int
    graded: int
    wrong: tuple[tuple[str, int], ...] = ()
    misconceptions: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class QuizNumbers:
    """The graded view of a quiz: its gradebook, report and per-question lines."""

    gradebook: object
    report: object
    questions: tuple[QuestionLine, ...] = ()


class ClassData:
    """The class as the data dir has it: roster (accounts), presence, learners' progress, the
    served quizzes (a QuizDesk). Every method may block: call them from worker threads. They
    take turns (one lock): `close()` waits for a read in progress and nothing is read after."""

    def __init__(
        self,
        data_dir: Path,
        quiz_files: Sequence[Path] = (),
        clock: Clock = time.time,
        *,
        database: str | None = None,
    ):
        from tutor.tui.screens.served_quiz import QuizDesk

        self.data_dir = Path(data_dir)
        self.database = database  # a postgresql:// URL: the class's records there
        self.desk = QuizDesk(self.data_dir, quiz_files, clock, database=database)
        self.clock = clock
        self.closed = False
        self._accounts = None
        self._presence = None
        self._lock = threading.RLock()
        self._progress_cache: dict[str, tuple[tuple, LearnerProgress | None]] = {}

    @contextmanager
    def _turn(self) -> Iterator[None]:
        with self._lock:
            if self.closed:
                raise ClassDataClosed("the instructor's view is closed")
            yield

    def quizzes(self) -> list:
        with self._turn():
            return self.desk.quizzes()

    def roster(self):
        """The students issued a code, as a Roster (their LMS columns, for the gradebook)."""
        from tutor.serve.accounts import Accounts
        from tutor.serve.roster import Roster

        with self._turn():
            if self._accounts is None:
                self._accounts = Accounts.open(self.data_dir, database=self.database)
            students = self._accounts.students()
        headers: list[str] = []
        for student in students:
            headers += [name for name in student.columns if name not in headers]
        id_column = next((h for h in headers if h.casefold() == "student_id"), None)
        if id_column is None:
            id_column = next(
                (
                    h
                    for h in headers
                    if students and all(s.columns.get(h, "").strip() == s.id for s in students)
                ),
                "student_id",
            )
        return Roster(self.data_dir / "accounts.sqlite3", headers, id_column, students)

    def student_ids(self) -> list[str]:
        return [student.id for student in self.roster().students]

    def connected(self):
        from tutor.serve.presence import Presence

        with self._turn():
            if self._presence is None:
                self._presence = Presence.open(self.data_dir, database=self.database)
            return self._presence.connected(self.clock())

    def progress(self, course) -> list[LearnerProgress]:
        """Each learner of the roster (then any other with a progress file) in each lesson;
        a file unchanged since the last look is not read again."""
        from tutor.serve.session import learner_dir, learner_dirname

        if self.database is not None:
            return self._progress_in_database(course)
        ids = self.student_ids()
        learners = self.data_dir / "learners"
        places = [(sid, learner_dir(self.data_dir, sid)) for sid in ids]
        known = {learner_dirname(sid) for sid in ids}
        if learners.is_dir():
            places += [
                (entry.name, entry)
                for entry in sorted(learners.iterdir())
                if entry.name not in known and entry.is_dir()
            ]
        out = []
        with self._turn():
            for student_id, where in places:
                found = self._learner(course, student_id, where)
                if found is not None:
                    out.append(found)
        return out

    def _progress_in_database(self, course) -> list[LearnerProgress]:
        """progress() when the class is in PostgreSQL: the roster's students, then any other
        learner with rows there (not an instructor), each read over the one connection."""
        from tutor.progress import Store

        ids = self.student_ids()
        with self._turn():
            instructors = self._accounts.instructors() if self._accounts is not None else []
            with Store.open(database=self.database) as store:
                found = store.learners()
            others = [i for i in found if i not in ids and i not in instructors]
            return [
                read_learner(course, student_id, None, database=self.database)
                for student_id in [*(i for i in ids if i in found), *others]
            ]

    def _learner(self, course, student_id: str, where: Path) -> LearnerProgress | None:
        from tutor.progress import DB_NAME

        path = where / DB_NAME
        stamp = []
        for name in (DB_NAME, DB_NAME + "-wal"):
            try:
                stat = (where / name).stat()
                stamp.append((stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamp.append(None)
        stamp = tuple(stamp)
        cached = self._progress_cache.get(student_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        found = None if not path.is_file() else read_learner(course, student_id, where)
        self._progress_cache[student_id] = (stamp, found)
        return found

    def standings(self, quiz) -> list[QuizStanding]:
        ids = self.student_ids()
        with self._turn():
            return quiz_standings(self.desk.store(), quiz, ids, self.clock())

    def numbers(self, quiz) -> QuizNumbers:
        """The quiz graded from the server's records (grade_attempts), its report, and each
        question's most common wrong answers and misconceptions."""
        from tutor.quiz.report import build_report
        from tutor.quiz.server_grading import grade_attempts

        roster = self.roster()
        with self._turn():
            store = self.desk.store()
            secret = self.desk.secret(quiz)
            gradebook = grade_attempts(store, quiz, secret, roster, self.clock())
            report = build_report(gradebook)
            lines = question_lines(store, quiz, gradebook, report)
        return QuizNumbers(gradebook, report, lines)

    def gradebook_csv(self, quiz) -> str:
        from tutor.quiz.export import gradebook_csv

        return gradebook_csv(self.numbers(quiz).gradebook, self.roster())

    def answer_key_csv(self, quiz) -> str:
        from tutor.quiz.key import answer_key_csv

        ids = self.student_ids()
        with self._turn():
            return answer_key_csv(quiz, self.desk.secret(quiz), ids, self.desk.store())

    def export(self, name: str, text: str) -> Path:
        """Keep a download under DATA_DIR/exports/ (readable by the server's user only)."""
        import os

        directory = self.data_dir / EXPORTS
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        return path

    def close(self) -> None:
        with self._lock:
            self.closed = True
            for held in (self._accounts, self._presence):
                if held is not None:
                    held.close()
            self._accounts = self._presence = None
            self.desk.close()


class ClassDataClosed(Exception):
    """The view was closed while a read was on its way."""


def read_learner(
    course, student_id: str, where: Path | None, *, database: str | None = None
) -> LearnerProgress:
    """A learner's progress store read once (its file in `where`, or its rows in `database`):
    per lesson of `course`, the questions answered right (solved, not revealed), the
    questions, the lesson score."""
    from tutor.progress import Store, lesson_score, question_results

    with Store.open(where, database=database, learner=student_id) as store:
        attempts = store.attempts(course_id=course.id)
        last = store.last_lesson(course.id)
    by_lesson: dict[str, list] = {}
    for attempt in attempts:
        by_lesson.setdefault(attempt.lesson_id, []).append(attempt)
    lessons = {}
    for lesson in course.lessons:
        ids = [q.id for q in lesson.questions()]
        mine = by_lesson.get(lesson.id, [])
        results = question_results(mine)
        right = sum(1 for q in ids if q in results and results[q].solved)
        lessons[lesson.id] = LessonCell(right, len(set(ids)), lesson_score(ids, results))
    latest = max((a.at for a in attempts), default=None)
    active = latest.isoformat(timespec="seconds") if latest is not None else None
    if active is None and last is not None:
        active = "—"
    return LearnerProgress(student_id, lessons, active)


def quiz_standings(store, quiz, student_ids: Sequence[str], now: float) -> list[QuizStanding]:
    """Each student of the roster (then anyone else with an attempt) in `quiz`, now."""
    records = store.attempts(quiz.id)
    last: dict[str, object] = {}
    for record in records:
        last[record.student_id] = record  # attempts come by student then number
    ordered = list(dict.fromkeys([*student_ids, *sorted(last)]))
    questions = len(quiz.questions())
    out = []
    for student_id in ordered:
        record = last.get(student_id)
        if record is None:
            out.append(QuizStanding(student_id, "not-started", questions=questions))
            continue
        latest: dict[str, str] = {}
        for event in store.events(record.id):
            latest[event.question_id] = event.text
        answered = sum(1 for text in latest.values() if text.strip())
        if record.submitted:
            state, left = "submitted", None
        else:
            left = record.remaining(now)
            state = "in-progress" if left > 0 else "time-up"
        out.append(
            QuizStanding(
                student_id,
                state,
                record.number,
                answered,
                questions,
                left,
                record.how,
                record.submitted_at,
            )
        )
    return out


def question_lines(store, quiz, gradebook, report, top: int = 3) -> tuple[QuestionLine, ...]:
    """Per question: the report's percent correct, and among the graded students' counted
    attempts the most common wrong answers (as typed, trimmed) and misconceptions."""
    from tutor.quiz.server_taking import final_answers

    records = {(r.student_id, r.number): r for r in store.attempts(quiz.id)}
    wrong: dict[str, Counter] = {}
    missed: dict[str, Counter] = {}
    for row in gradebook.rows:
        if not row.graded:
            continue
        record = records.get((row.student_id, getattr(row, "attempt", None)))
        final = {} if record is None else final_answers(store.events(record.id), record.closes_at)
        for result in row.results:
            if result.misconception:
                missed.setdefault(result.question_id, Counter())[result.misconception] += 1
            event = final.get(result.question_id)
            if result.answered and not result.correct and event is not None:
                text = " ".join(event.text.split())
                wrong.setdefault(result.question_id, Counter())[text] += 1
    return tuple(
        QuestionLine(
            stats.question_id,
            stats.percent_correct,
            stats.correct,
            stats.graded,
            tuple(wrong.get(stats.question_id, Counter()).most_common(top)),
            tuple(missed.get(stats.question_id, Counter()).most_common(top)),
        )
        for stats in report.questions
    )


def stamp_utc(now: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))


def clock_at(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(seconds))


def refill(table: DataTable, columns: Sequence[tuple[str, str]], rows: Sequence[tuple]) -> None:
    """Replace a table's columns and rows, keeping the cursor's row and the scroll position
    (the tables are read again every few seconds)."""
    cursor, scroll = table.cursor_coordinate, (table.scroll_x, table.scroll_y)
    table.clear(columns=True)
    for label, key in columns:
        table.add_column(label, key=key)
    for key, *cells in rows:
        table.add_row(*cells, key=key)
    if rows:
        table.move_cursor(row=min(cursor.row, len(rows) - 1), animate=False)
    table.scroll_to(*scroll, animate=False)


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# the screen


class InstructorScreen(Screen):
    """The instructor's tabs; `r` reads the shown tab again, `d` downloads the gradebook, `k`
    the answer key, `l` switches language, escape goes to the course home."""

    DEFAULT_CSS = """
    InstructorScreen #instructor-top {
        height: auto;
        padding: 0 1;
    }
    InstructorScreen #instructor-title {
        width: 1fr;
        text-style: bold;
        padding: 1 0 0 0;
    }
    InstructorScreen #quiz-select {
        width: 50;
    }
    InstructorScreen .line {
        height: auto;
        padding: 0 1;
    }
    InstructorScreen .note {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    InstructorScreen #tabs {
        height: 1fr;
    }
    InstructorScreen TabPane {
        height: 1fr;
        padding: 0;
    }
    InstructorScreen DataTable {
        height: 1fr;
    }
    InstructorScreen Button {
        margin: 1 1 0 1;
    }
    """

    BINDINGS = [
        Binding("r", "refresh", "Refresh"),
        Binding("d", "download_gradebook", "Gradebook CSV"),
        Binding("k", "download_key", "Answer key"),
        Binding("l", "language", "한국어/English"),
        Binding("escape", "leave", "Course"),
    ]

    presence_place = "instructor"

    def __init__(self, data: ClassData, *, refresh_seconds: float = REFRESH_SECONDS) -> None:
        """`data`: the class's records, kept (and closed) by the app, so that leaving this view
        and coming back opens nothing again."""
        super().__init__()
        self.data = data
        self.clock = data.clock
        self.refresh_seconds = refresh_seconds
        self.quizzes: list = []
        self.quiz_id: str | None = None
        self.read_at: dict[tuple[str, str | None], float] = {}
        self.shown: dict[str, object] = {}  # tab → what it shows (for the language switch)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="instructor-top"):
            yield Static(id="instructor-title", markup=False)
            yield Select([], id="quiz-select", allow_blank=True)
        with TabbedContent(id="tabs"):
            with TabPane(word("connected", self.lang), id="connected"):
                yield Static(classes="line", id="connected-summary", markup=False)
                yield DataTable(id="connected-table", cursor_type="row", zebra_stripes=True)
            with TabPane(word("progress", self.lang), id="progress"):
                yield Static(classes="note", id="progress-legend", markup=False)
                yield DataTable(id="progress-table", cursor_type="row", zebra_stripes=True)
            with TabPane(word("quiz", self.lang), id="quiz"):
                yield Static(classes="line", id="quiz-summary", markup=False)
                yield DataTable(id="quiz-table", cursor_type="row", zebra_stripes=True)
            with TabPane(word("statistics", self.lang), id="statistics"):
                yield Static(classes="line", id="stats-summary", markup=False)
                yield DataTable(id="stats-table", cursor_type="row", zebra_stripes=True)
            with TabPane(word("gradebook", self.lang), id="gradebook"), Vertical():
                yield Button(id="gradebook-download", variant="primary")
                yield Static(classes="line", id="gradebook-saved", markup=False)
                yield DataTable(id="gradebook-table", cursor_type="row", zebra_stripes=True)
            with TabPane(word("key", self.lang), id="key"), Vertical():
                yield Static(classes="line", id="key-about", markup=False)
                yield Button(id="key-download", variant="warning")
                yield Static(classes="line", id="key-saved", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_language()
        self.load_quizzes()
        self.set_interval(self.refresh_seconds, self.refresh_data, name="instructor-refresh")

    # language

    def show_language(self) -> None:
        lang = self.lang
        localize_bindings(self, lang, KEY_LABELS)
        name = getattr(getattr(self.app, "admission", None), "student_id", None) or ""
        self.query_one("#instructor-title", Static).update(word("title", lang, name=name))
        tabs = self.query_one("#tabs", TabbedContent)
        for tab in TABS:
            # composed with their labels: before the tabs are mounted there is nothing to relabel
            with contextlib.suppress(NoMatches, ValueError):
                tabs.get_tab(tab).label = word(tab, lang)
        self.query_one("#quiz-select", Select).prompt = word("choose_quiz", lang)
        self.query_one("#progress-legend", Static).update(word("lessons_legend", lang))
        self.query_one("#gradebook-download", Button).label = word("download_gradebook", lang)
        self.query_one("#key-download", Button).label = word("download_key", lang)
        for tab, shown in list(self.shown.items()):
            getattr(self, f"show_{tab}")(shown)

    def action_language(self) -> None:
        self.app.set_language("en" if self.lang == "ko" else "ko")
        self.show_language()

    def action_leave(self) -> None:
        if self.app.screen is self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # which quiz

    @work(thread=True, exclusive=True, group="instructor-quizzes", exit_on_error=False)
    def load_quizzes(self) -> None:
        try:
            quizzes = self.data.quizzes()
        except ClassDataClosed:
            return
        from_thread(self.app, self.show_quizzes, quizzes)

    def show_quizzes(self, quizzes: list) -> None:
        if not self.is_mounted:
            return
        self.quizzes = quizzes
        select = self.query_one("#quiz-select", Select)
        select.set_options((q.title.get(self.lang), q.id) for q in quizzes)
        select.display = bool(quizzes)
        if quizzes:
            self.quiz_id = quizzes[0].id
            select.value = self.quiz_id
        self.refresh_data(force=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        if isinstance(value, str) and value != self.quiz_id:
            self.quiz_id = value
            self.refresh_data(force=True)

    @property
    def quiz(self):
        return next((q for q in self.quizzes if q.id == self.quiz_id), None)

    # reading

    @property
    def tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "connected"

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_data()

    def action_refresh(self) -> None:
        self.refresh_data(force=True)

    def refresh_data(self, force: bool = False) -> None:
        """Read the shown tab again when its data is older than it may be (or `force`)."""
        if not self.is_mounted:
            return
        tab = self.tab
        quiz_tab = tab in ("quiz", "statistics", "gradebook", "key")
        key = (tab, self.quiz_id if quiz_tab else None)
        now = time.monotonic()
        if not force and now - self.read_at.get(key, -1e9) < MAX_AGE[tab]:
            return
        self.read_at[key] = now
        self.read(tab, self.quiz if quiz_tab else None)

    @work(thread=True, group="instructor-read", exit_on_error=False)
    def read(self, tab: str, quiz) -> None:
        try:
            if tab == "connected":
                found = self.data.connected()
            elif tab == "progress":
                found = (self.app.course, self.data.progress(self.app.course))
            elif quiz is None:
                found = None
            elif tab == "quiz":
                found = (quiz, self.data.standings(quiz))
            elif tab in ("statistics", "gradebook"):
                found = (quiz, self.data.numbers(quiz))
            else:
                found = (quiz, len(self.data.student_ids()))
        except ClassDataClosed:
            return
        except Exception as error:  # one line on the tab; the instructor can press r
            _log(f"{tab}: {error!r}")
            from_thread(self.app, self.read_failed, tab, error)
            return
        from_thread(self.app, self.show, tab, found)

    def read_failed(self, tab: str, error: Exception) -> None:
        if not self.is_mounted:
            return
        self.read_at.pop((tab, self.quiz_id), None)
        self.read_at.pop((tab, None), None)
        self.notify(word("read_failed", self.lang, error=error), severity="error")

    def show(self, tab: str, found) -> None:
        if not self.is_mounted:
            return
        if tab in ("statistics", "gradebook") and found is not None:
            self.shown["statistics"] = self.shown["gradebook"] = found
            self.show_statistics(found)
            self.show_gradebook(found)
            return
        self.shown[tab] = found
        getattr(self, f"show_{tab}")(found)

    # the tabs

    def where(self, place: str) -> str:
        lang = self.lang
        kind, _, what = place.partition(":")
        if kind == "home":
            return word("home", lang)
        if kind == "instructor":
            return word("instructor", lang)
        if kind == "playground":
            return word("playground", lang)
        if kind in ("lesson", "review") and what:
            try:
                title = self.app.course.lesson(what).title.get(lang)
            except (KeyError, ValueError):
                title = what
            return word(kind, lang, title=title)
        if kind == "quiz" and what:
            quiz = next((q for q in self.quizzes if q.id == what), None)
            return word("quiz_at", lang, title=quiz.title.get(lang) if quiz else what)
        return place

    def show_connected(self, rows) -> None:
        lang = self.lang
        columns = [(word(key, lang), key) for key in ("student", "role", "since", "where", "seen")]
        now = self.clock()
        cells = []
        for seen in rows:
            role = ROLE_WORDS.get(seen.role)
            cells.append(
                (
                    seen.session_id,
                    seen.account_id,
                    word(role, lang) if role else seen.role,
                    clock_at(seen.since),
                    self.where(seen.place),
                    word("ago", lang, seconds=max(0, round(now - seen.seen))),
                )
            )
        refill(self.query_one("#connected-table", DataTable), columns, cells)
        summary = word("connected_count", lang, count=len(rows)) if rows else word("nobody", lang)
        self.query_one("#connected-summary", Static).update(summary)

    def show_progress(self, found) -> None:
        lang = self.lang
        course, learners = found
        columns = [(word("student", lang), "student")]
        columns += [(f"{n}", lesson.id) for n, lesson in enumerate(course.lessons, 1)]
        columns.append((word("last_active", lang), "last-active"))
        rows = []
        for learner in learners:
            cells = []
            for lesson in course.lessons:
                cell = learner.lessons.get(lesson.id)
                if cell is None or (cell.score is None and not cell.right):
                    cells.append("—")
                    continue
                score = "" if cell.score is None else f" · {cell.score:.0%}"
                cells.append(f"{cell.right}/{cell.questions}{score}")
            rows.append((learner.student_id, learner.student_id, *cells, learner.last_active or ""))
        refill(self.query_one("#progress-table", DataTable), columns, rows)
        titles = "  ".join(
            f"{n}. {_short(lesson.title.get(lang), 28)}"
            for n, lesson in enumerate(course.lessons, 1)
        )
        legend = word("lessons_legend", lang) + "\n" + titles
        if not learners:
            legend += "\n" + word("no_learners", lang)
        self.query_one("#progress-legend", Static).update(legend)

    def show_quiz(self, found) -> None:
        from tutor.tui.widgets.countdown import clock_text

        lang = self.lang
        keys = ("student", "status", "attempt", "answered", "left", "submitted_at")
        columns = [(word(key, lang), key) for key in keys]
        table = self.query_one("#quiz-table", DataTable)
        summary = self.query_one("#quiz-summary", Static)
        if found is None:
            refill(table, columns, [])
            summary.update(word("no_quiz", lang))
            return
        quiz, standings = found
        rows = []
        for s in standings:
            state = {
                "not-started": word("not_started", lang),
                "in-progress": word("in_progress", lang),
                "time-up": word("time_is_up", lang),
                "submitted": word("submitted", lang),
            }[s.state]
            if s.state == "submitted":
                how = word("how_time_up" if s.how == "time-up" else "how_student", lang)
                state = f"{state} ({how})"
            rows.append(
                (
                    s.student_id,
                    s.student_id,
                    state,
                    f"{s.attempt}/{quiz.attempts}" if s.attempt else "",
                    f"{s.answered}/{s.questions}" if s.attempt else "",
                    clock_text(s.left) if s.left is not None else "",
                    clock_at(s.submitted_at) if s.submitted_at is not None else "",
                )
            )
        refill(table, columns, rows)
        started = [s for s in standings if s.state != "not-started"]
        summary.update(
            f"{quiz.title.get(lang)} — "
            + word(
                "quiz_summary",
                lang,
                started=len(started),
                students=len(standings),
                open=sum(s.state == "in-progress" for s in standings),
                done=sum(s.state == "submitted" for s in standings),
            )
        )

    def show_statistics(self, found) -> None:
        from tutor.checking import MISCONCEPTIONS

        lang = self.lang
        keys = ("question", "percent", "right_graded", "wrong_answers", "misconceptions")
        columns = [(word(key, lang), key) for key in keys]
        table = self.query_one("#stats-table", DataTable)
        summary = self.query_one("#stats-summary", Static)
        if found is None:
            refill(table, columns, [])
            summary.update(word("no_quiz", lang))
            return
        quiz, numbers = found
        report = numbers.report
        rows = []
        for line in numbers.questions:
            wrong = ", ".join(f"{_short(text)} ×{n}" for text, n in line.wrong)
            names = ", ".join(
                f"{MISCONCEPTIONS[m].title.get(lang) if m in MISCONCEPTIONS else m} ×{n}"
                for m, n in line.misconceptions
            )
            rows.append(
                (
                    line.question_id,
                    line.question_id,
                    f"{line.percent:.1f}%",
                    f"{line.correct}/{line.graded}",
                    wrong or word("none", lang),
                    names or word("none", lang),
                )
            )
        refill(table, columns, rows)
        summary.update(
            f"{quiz.title.get(lang)} — "
            + word(
                "stats_summary",
                lang,
                graded=report.graded,
                students=report.students,
                mean=report.mean_percent,
            )
        )

    def show_gradebook(self, found) -> None:
        lang = self.lang
        table = self.query_one("#gradebook-table", DataTable)
        if found is None:
            refill(table, [], [])
            self.query_one("#gradebook-saved", Static).update(word("no_quiz", lang))
            return
        quiz, numbers = found
        columns = [(word("student", lang), "student")]
        columns += [(question.id, f"q:{question.id}") for question in quiz.questions()]
        columns += [(word(key, lang), key) for key in ("total", "flags", "submitted_at", "late")]
        rows = []
        for row in numbers.gradebook.rows:
            flags = ", ".join(flag_text(f, lang) for f in row.flags)
            rows.append(
                (
                    row.student_id,
                    row.student_id,
                    *(f"{r.points:.2f}" for r in row.results),
                    f"{row.total:.2f}/{row.max_points:g}",
                    flags,
                    getattr(row, "submitted_at", None) or "",
                    str(row.minutes_late) if row.graded else "",
                )
            )
        refill(table, columns, rows)

    def show_key(self, found) -> None:
        lang = self.lang
        about = self.query_one("#key-about", Static)
        if found is None:
            about.update(word("no_quiz", lang))
            return
        _, count = found
        about.update(word("key_about", lang, count=count))

    # downloads

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "gradebook-download":
            self.action_download_gradebook()
        elif event.button.id == "key-download":
            self.action_download_key()

    def action_download_gradebook(self) -> None:
        self._download("gradebook")

    def action_download_key(self) -> None:
        self._download("key")

    def _download(self, what: str) -> None:
        quiz = self.quiz
        target = "#gradebook-saved" if what == "gradebook" else "#key-saved"
        if quiz is None:
            self.query_one(target, Static).update(word("no_quiz", self.lang))
            return
        name = f"{quiz.id}-{'gradebook' if what == 'gradebook' else 'answer-key'}.csv"
        self.query_one(target, Static).update(word("preparing", self.lang, name=name))
        self.prepare(what, quiz, name, target)

    @work(thread=True, group="instructor-download", exit_on_error=False)
    def prepare(self, what: str, quiz, name: str, target: str) -> None:
        try:
            if what == "gradebook":
                text = self.data.gradebook_csv(quiz)
            else:
                text = self.data.answer_key_csv(quiz)
            stem = name.removesuffix(".csv")
            path = self.data.export(f"{stem}-{stamp_utc(self.clock())}.csv", text)
        except ClassDataClosed:
            return
        except Exception as error:  # one line for the instructor, the rest in the log
            _log(f"{name}: {error!r}")
            line = (str(error).splitlines() or [repr(error)])[0]
            failed = word("failed", self.lang, name=name, error=line)
            from_thread(self.app, self._say, target, failed)
            return
        from_thread(self.app, self.deliver, text, name, path, target)

    def deliver(self, text: str, name: str, path: Path, target: str) -> None:
        """Send the file to the browser (textual-serve downloads it) and say where it is kept."""
        self.app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/csv")
        self._say(target, word("saved", self.lang, path=path, name=name))

    def _say(self, target: str, line: str) -> None:
        if self.is_mounted:
            self.query_one(target, Static).update(line)
            self.notify(line, timeout=8)
