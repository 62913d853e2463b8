"""Provides `tutor progress`: a summary of each lesson (score, questions settled, last activity),
or with `--export FILE.csv` every attempt as CSV."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.progress.mastery import (
    ConceptMastery,
    ConceptQuestions,
    concepts_from_json,
    mastery,
    settings_key,
)
from tutor.progress.model import ProgressError
from tutor.progress.scores import LessonProgress, as_percent, progress_bar
from tutor.text import Text

if TYPE_CHECKING:
    from tutor.progress.store import Store

HEADINGS = (
    Text("lesson", "레슨"),
    Text("score", "점수"),
    Text("questions", "문제"),
    Text("steps", "단계"),
    Text("last activity", "마지막 활동"),
)
COURSE = Text("course {course}", "코스 {course}")
NOTHING = Text("No progress yet in {dir}.", "{dir}에 아직 진행 기록이 없습니다.")
NO_OUTLINE = Text(
    "(questions not yet seen are not counted: open this course in the tutor once to count them)",
    "(아직 보지 않은 문제는 세지 않았습니다. 이 코스를 tutor에서 한 번 열면 모두 셉니다)",
)
SCORE_IS = Text(
    "score: each question's first answer (0 if its answer was shown), over all the lesson's "
    "questions",
    "점수: 레슨의 모든 문제에 대해 첫 답의 점수(정답을 본 문제는 0)의 평균",
)
BAR_CELLS = 10
WROTE = Text("wrote {count} attempts to {path}", "{path}에 시도 {count}개를 썼습니다")
MASTERY = Text(
    "mastery map, course {course}",
    "숙달 지도, 코스 {course}",
)
MASTERY_HEADINGS = (
    Text("concept", "개념"),
    Text("recalled", "기억"),
    Text("answered", "답한 문제"),
    Text("misconceptions still seen", "아직 보이는 오개념"),
)
RECALLED_IS = Text(
    "recalled: the chance, by the review schedule (FSRS), of answering each of the concept's "
    "questions right today (0 for a question never answered)",
    "기억: 복습 일정(FSRS)으로 본, 오늘 이 개념의 문제를 하나하나 맞힐 확률의 평균(답하지 않은 "
    "문제는 0)",
)
WROTE_MASTERY = Text("wrote {count} concepts to {path}", "{path}에 개념 {count}개를 썼습니다")
MASTERY_CSV_COLUMNS = (
    "course_id",
    "concept_id",
    "concept_en",
    "concept_ko",
    "questions",
    "answered",
    "recalled",
    "misconceptions_still_seen",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--export", metavar="FILE.csv", default=None, help="write every attempt here as CSV"
    )
    parser.add_argument(
        "--mastery-csv",
        metavar="FILE.csv",
        default=None,
        help="write the mastery map (one row per concept) here as CSV",
    )
    parser.add_argument(
        "--data-dir", dest="progress_data_dir", metavar="DIR", default=None, help="data directory"
    )


def run(args: argparse.Namespace) -> int:
    """Summarise (no --export) or export; callable with or without an `export` attribute."""
    from tutor.progress import DB_NAME, ProgressError, Store, resolve_data_dir

    lang = _language(getattr(args, "lang", None))
    data_dir = resolve_data_dir(
        getattr(args, "progress_data_dir", None) or getattr(args, "data_dir", None)
    )
    export = getattr(args, "export", None)
    mastery_csv = getattr(args, "mastery_csv", None)
    if export is None and mastery_csv is None and not (data_dir / DB_NAME).exists():
        print(NOTHING.format(dir=data_dir).get(lang))
        return 0
    try:
        with Store.open(data_dir) as store:
            if store.notice_text is not None:
                print(f"tutor: {store.notice_text.get(lang)}", file=sys.stderr)
            if export is not None:
                count = store.export_csv(Path(export))
                print(WROTE.format(count=count, path=export).get(lang))
            if mastery_csv is not None:
                count = write_mastery_csv(store, Path(mastery_csv))
                print(WROTE_MASTERY.format(count=count, path=mastery_csv).get(lang))
            if export is None and mastery_csv is None:
                print(summary(store, lang) or NOTHING.format(dir=data_dir).get(lang))
    except ProgressError as err:
        print(f"tutor: {err}", file=sys.stderr)
        return 2
    return 0


def summary(store: Store, lang: str = "en") -> str:
    """Every course in the store, one line per lesson: score, questions settled/total, steps
    done/total, last activity; empty when nothing is recorded."""
    blocks = []
    for course_id in store.courses():
        saved = store.outlines(course_id)
        known = {lesson_id for lesson_id, _ in saved}
        seen: dict[str, dict[str, None]] = {}
        for a in store.attempts(course_id=course_id):
            if a.lesson_id not in known:
                seen.setdefault(a.lesson_id, {})[a.question_id] = None
        # lessons answered but missing from the saved outline: only their answered questions
        extra = [(lesson_id, (tuple(ids),)) for lesson_id, ids in seen.items()]
        rows = [
            _row(p, exact=p.lesson_id in known)
            for p in store.course_progress(course_id, [*saved, *extra])
            if p.lesson_id in known or p.started
        ]
        if not rows:
            continue
        title = COURSE.format(course=course_id or "-").get(lang)
        table = _table([tuple(h.get(lang) for h in HEADINGS), *rows])
        notes = [NO_OUTLINE.get(lang)] if extra else []
        blocks.append("\n".join([title, *table, *notes]))
    if not blocks:
        return ""
    maps = [mastery_text(store, course_id, lang) for course_id in store.courses()]
    maps = [m for m in maps if m]
    return "\n\n".join(
        [*blocks, SCORE_IS.get(lang), *maps, *([RECALLED_IS.get(lang)] if maps else [])]
    )


def mastery_rows(store: Store, course_id: str) -> list[tuple[ConceptQuestions, ConceptMastery]]:
    """The course's mastery map from what the store keeps (its concepts, saved by the app), each
    row with its concept."""
    concepts = concepts_from_json(store.get_setting(settings_key(course_id)))
    if not concepts:
        return []
    rows = mastery(concepts, store.retrievability(course_id), store.attempts(course_id=course_id))
    return list(zip(concepts, rows, strict=True))


def mastery_text(store: Store, course_id: str, lang: str) -> str:
    """The map as a table: each concept's recall as a bar and a share, its answered questions,
    the misconceptions still seen; "" when the course's concepts are not known here."""
    rows = mastery_rows(store, course_id)
    if not rows:
        return ""
    lines = [tuple(h.get(lang) for h in MASTERY_HEADINGS)]
    for concept, row in rows:
        percent = round(100 * row.recalled)
        seen = ", ".join(f"{concept.name_of(m).get(lang)} ×{n}" for m, n in row.misconceptions)
        lines.append(
            (
                row.title.get(lang),
                progress_bar(percent, 100, BAR_CELLS) + f" {percent:>3}%",
                f"{row.answered}/{row.questions}",
                seen or "-",
            )
        )
    title = MASTERY.format(course=course_id or "-").get(lang)
    return "\n".join([title, *_table(lines, left=(0, 3))])


def write_mastery_csv(store: Store, path: Path) -> int:
    """Every course's mastery map as CSV (MASTERY_CSV_COLUMNS); the number of rows written."""
    count = 0
    try:
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(MASTERY_CSV_COLUMNS)
            for course_id in store.courses():
                for _, row in mastery_rows(store, course_id):
                    writer.writerow(
                        (
                            course_id,
                            row.id,
                            row.title.en,
                            row.title.ko,
                            row.questions,
                            row.answered,
                            f"{row.recalled:.3f}",
                            ";".join(f"{m}:{n}" for m, n in row.misconceptions),
                        )
                    )
                    count += 1
    except OSError as err:
        raise ProgressError(f"cannot write {path}: {err.strerror or err}") from None
    return count


def _row(p: LessonProgress, exact: bool) -> tuple[str, ...]:
    total = str(p.questions) if exact else "?"
    return (
        p.lesson_id,
        "-" if p.score is None or not exact else as_percent(p.score),
        f"{p.questions_settled}/{total}",
        f"{p.steps_done}/{p.steps}" if exact else "?",
        "-" if p.last_activity is None else _when(p.last_activity),
    )


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _table(rows: list[tuple[str, ...]], left: tuple[int, ...] = (0,)) -> list[str]:
    """Columns padded to their widest cell (display cells: Korean letters are two wide); the
    `left` columns flush left, the others right."""
    widths = [max(_cells(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (width - _cells(cell))
            if i in left
            else " " * (width - _cells(cell)) + cell
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _language(chosen: str | None) -> str:
    if chosen in ("en", "ko"):
        return chosen
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(key, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
