"""Provides MasteryScreen: the mastery map, one row per concept of the course: the share of its
questions recalled now (a bar), how many have been answered, the misconceptions still seen."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tutor.checking import MISCONCEPTIONS
from tutor.course.model import Course
from tutor.progress.mastery import ConceptMastery, ConceptQuestions, mastery
from tutor.progress.scores import progress_bar
from tutor.text import Text
from tutor.tui.bindings import localize_bindings

TITLE = Text("Mastery map", "숙달 지도")
EXPLAINED = Text(
    "Recalled: the chance, by the review schedule (FSRS), that you would answer each of the "
    "concept's questions right today; a question never answered counts 0. Misconceptions: "
    "those in your answers since a question was last right.",
    "기억: 복습 일정(FSRS)으로 본, 오늘 이 개념의 문제를 하나하나 맞힐 확률의 평균입니다. 한 번도 "
    "답하지 않은 문제는 0으로 셉니다. 오개념: 문제를 마지막으로 맞힌 뒤의 답에 나타난 것입니다.",
)
COLUMNS = (
    Text("Concept", "개념"),
    Text("Recalled", "기억"),
    Text("Answered", "답한 문제"),
    Text("Misconceptions still seen", "아직 보이는 오개념"),
)
NO_CONCEPTS = Text(
    "This course declares no concepts, so there is no map to draw.",
    "이 코스에는 개념이 정해져 있지 않아 지도를 그릴 수 없습니다.",
)
NONE = Text("none", "없음")
TIMES = Text("×{count}", "{count}회")
BAR_CELLS = 12


def concept_questions(course: Course) -> list[ConceptQuestions]:
    """The course's concepts as the map needs them: each with the questions naming it."""
    named: dict[str, list[tuple[str, str]]] = {c.id: [] for c in course.concepts}
    for lesson in course.lessons:
        for question in lesson.questions():
            for concept_id in question.concepts:
                named.setdefault(concept_id, []).append((lesson.id, question.id))
    return [
        ConceptQuestions(
            c.id,
            c.title,
            tuple(named[c.id]),
            tuple(c.misconceptions),
            tuple((m, MISCONCEPTIONS[m].title) for m in c.misconceptions if m in MISCONCEPTIONS),
        )
        for c in course.concepts
    ]


def misconception_cell(row: ConceptMastery, lang: str) -> str:
    if not row.misconceptions:
        return NONE.get(lang)
    names = []
    for name, count in row.misconceptions:
        known = MISCONCEPTIONS.get(name)
        title = known.title.get(lang) if known is not None else name
        names.append(f"{title} {TIMES.format(count=count).get(lang)}")
    return ", ".join(names)


def recalled_cell(row: ConceptMastery) -> RichText:
    percent = round(100 * row.recalled)
    style = "green" if percent >= 80 else "yellow" if percent >= 50 else "red"
    return RichText.assemble((progress_bar(percent, 100, BAR_CELLS), style), f" {percent:>3}%")


class MasteryScreen(Screen):
    DEFAULT_CSS = """
    MasteryScreen #mastery {
        height: 1fr;
        padding: 0 1;
    }
    MasteryScreen #mastery-title {
        text-style: bold;
        color: $text-accent;
        padding: 1 0 0 0;
    }
    MasteryScreen #mastery-explained {
        color: $text-muted;
        padding: 0 0 1 0;
    }
    MasteryScreen #concepts {
        height: 1fr;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="mastery"):
            yield Static(id="mastery-title", markup=False)
            yield Static(id="mastery-explained", markup=False)
            yield DataTable(id="concepts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        localize_bindings(self, self.app.lang)
        self.show()

    def rows(self) -> list[ConceptMastery]:
        app = self.app
        course = app.course
        store = app.store
        return mastery(
            concept_questions(course),
            store.retrievability(course.id),
            store.attempts(course_id=course.id),
        )

    def show(self) -> None:
        lang = self.app.lang
        course = self.app.course
        self.query_one("#mastery-title", Static).update(
            f"{TITLE.get(lang)} — {course.title.get(lang)}"
        )
        explained = self.query_one("#mastery-explained", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if not course.concepts:
            explained.update(NO_CONCEPTS.get(lang))
            table.display = False
            return
        explained.update(EXPLAINED.get(lang))
        table.add_columns(*(c.get(lang) for c in COLUMNS))
        for row in self.rows():
            table.add_row(
                row.title.get(lang),
                recalled_cell(row),
                f"{row.answered}/{row.questions}",
                misconception_cell(row, lang),
                key=row.id,
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
