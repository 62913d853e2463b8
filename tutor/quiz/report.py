"""Provides the class report: per-question percent correct, the score histogram, the most
common misconceptions and the flags, as data (for the dashboard) and as text (for --report)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tutor.checking import MISCONCEPTIONS
from tutor.quiz.grading import FLAGS, Gradebook
from tutor.text import Text

BINS = 10


@dataclass(frozen=True)
class QuestionStats:
    """How the graded students did on one question."""

    question_id: str
    prompt: Text
    graded: int
    correct: int
    mean_share: float

    @property
    def percent_correct(self) -> float:
        return 100.0 * self.correct / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Report:
    """The class at a glance. `histogram[i]` counts graded students scoring in
    [10·i, 10·(i+1))% (the last bin includes 100%)."""

    quiz_id: str
    title: Text
    students: int
    graded: int
    mean_percent: float
    histogram: tuple[int, ...]
    questions: tuple[QuestionStats, ...]
    misconceptions: tuple[tuple[str, int], ...]
    flags: tuple[tuple[str, int], ...]


def build_report(gradebook: Gradebook, top: int = 5) -> Report:
    graded = [row for row in gradebook.rows if row.graded]
    histogram = [0] * BINS
    percents = []
    for row in graded:
        percent = 100.0 * row.total / row.max_points if row.max_points else 0.0
        percents.append(percent)
        histogram[min(BINS - 1, int(percent // (100 / BINS)))] += 1
    questions = []
    for index, question in enumerate(gradebook.quiz.questions()):
        results = [row.results[index] for row in graded]
        questions.append(
            QuestionStats(
                question.id,
                question.prompt,
                len(results),
                sum(r.correct for r in results),
                sum(r.points / r.max_points for r in results) / len(results) if results else 0.0,
            )
        )
    misconceptions = Counter(
        r.misconception for row in graded for r in row.results if r.misconception
    )
    flags = Counter(flag for row in gradebook.rows for flag in row.flags)
    return Report(
        quiz_id=gradebook.quiz.id,
        title=gradebook.quiz.title,
        students=len(gradebook.rows),
        graded=len(graded),
        mean_percent=sum(percents) / len(percents) if percents else 0.0,
        histogram=tuple(histogram),
        questions=tuple(questions),
        misconceptions=tuple(misconceptions.most_common(top)),
        flags=tuple((flag, flags[flag]) for flag in FLAGS if flags[flag]),
    )


_WORDS = {
    "students": Text(
        "{graded} of {students} students graded; mean {mean:.1f}%",
        "학생 {students}명 중 {graded}명 채점, 평균 {mean:.1f}%",
    ),
    "questions": Text("Percent correct by question", "문제별 정답률"),
    "histogram": Text("Score histogram", "점수 분포"),
    "misconceptions": Text("Most common misconceptions", "가장 흔한 오개념"),
    "none": Text("(none)", "(없음)"),
    "flags": Text("Flags", "표시"),
}


def _bar(count: int, most: int, width: int = 30) -> str:
    return "█" * (round(width * count / most) if most else 0)


def format_report(report: Report, lang: str = "en") -> str:
    """The report as plain text lines (bars drawn with █)."""
    say = {key: text.get(lang) for key, text in _WORDS.items()}
    lines = [
        f"{report.title.get(lang)} ({report.quiz_id})",
        say["students"].format(
            graded=report.graded, students=report.students, mean=report.mean_percent
        ),
        "",
        say["questions"],
    ]
    width = max((len(q.question_id) for q in report.questions), default=0)
    for q in report.questions:
        lines.append(
            f"  {q.question_id:<{width}}  {q.percent_correct:5.1f}%  "
            f"({q.correct}/{q.graded})  {_bar(round(q.percent_correct), 100, 20)}"
        )
    lines += ["", say["histogram"]]
    most = max(report.histogram, default=0)
    for index, count in enumerate(report.histogram):
        low = index * 100 // BINS
        high = "100" if index == BINS - 1 else f"{low + 100 // BINS}"
        lines.append(f"  {low:>3}–{high:<3}%  {count:>5}  {_bar(count, most)}")
    lines += ["", say["misconceptions"]]
    for misconception, count in report.misconceptions:
        known = MISCONCEPTIONS.get(misconception)
        title = known.title.get(lang) if known else misconception
        lines.append(f"  {count:>5}  {title} ({misconception})")
    if not report.misconceptions:
        lines.append(f"  {say['none']}")
    if report.flags:
        lines += ["", say["flags"]]
        lines += [f"  {count:>5}  {flag}" for flag, count in report.flags]
    return "\n".join(lines) + "\n"
