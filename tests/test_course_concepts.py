"""Concepts: course.toml declares them, every question names the ones it exercises, every
misconception a question names belongs to one; `tutor check` says each fault at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.checking import MISCONCEPTIONS
from tutor.cli import main
from tutor.course import CourseError, default_course_dir, load_course
from tutor.course.cache import Sources, cached
from tutor.course.check import check_course, concept_problems

COURSE = """\
format = 1
id = "tiny"
title = { en = "Tiny", ko = "작은 코스" }
lessons = ["square"]

[[concept]]
id = "graph"
title = { en = "The graph", ko = "연산 그래프" }
summary = { en = "Operations record nodes.", ko = "연산은 노드를 기록한다." }
misconceptions = ["wrong-node"]

[[concept]]
id = "chain-rule"
title = { en = "The chain rule", ko = "연쇄법칙" }
misconceptions = ["missing-upstream"]
"""

LESSON = """\
id = "square"
title = { en = "A square", ko = "제곱" }
program = \"\"\"
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
y.backward()
\"\"\"

[[step]]
after = "y = (x * x).sum()"
text = { en = "Squared and summed.", ko = "제곱해서 더합니다." }

  [[step.question]]
  id = "y-node"
  kind = "grad_fn"
  concepts = ["graph"]
  prompt = { en = "Which node made y?", ko = "y를 만든 노드는?" }
  answer = "y.grad_fn"
  hints = { en = ["A sum."], ko = ["합입니다."] }
  misconceptions = { wrong-node = "y.grad_fn.next_functions[0][0]" }

[[step]]
after = "y.backward()"
text = { en = "Back to x.", ko = "x까지 돌아갑니다." }

  [[step.question]]
  id = "x-grad"
  kind = "tensor"
  concepts = ["chain-rule", "graph"]
  prompt = { en = "What is x.grad?", ko = "x.grad는?" }
  answer = "x.grad"
  hints = { en = ["2x"], ko = ["2x"] }
  misconceptions = { missing-upstream = "x" }
"""


def write_course(directory: Path, course: str = COURSE, lesson: str = LESSON) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "course.toml").write_text(course, encoding="utf-8")
    (directory / "square.toml").write_text(lesson, encoding="utf-8")
    return directory


def line_of(source: str, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `text`."""
    return [n for n, line in enumerate(source.splitlines(), start=1) if text in line][
        occurrence - 1
    ]


def question_line(source: str, question_id: str) -> int:
    """The `[[step.question]]` line of a question: just above its id."""
    return line_of(source, f'id = "{question_id}"') - 1


def replaced(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


def test_the_tiny_course_checks_clean_and_loads_its_concepts(tmp_path):
    directory = write_course(tmp_path / "course")
    assert check_course(directory) == ([], 2)
    course = load_course(directory)
    assert [c.id for c in course.concepts] == ["graph", "chain-rule"]
    graph = course.concept("graph")
    assert (graph.title.en, graph.title.ko) == ("The graph", "연산 그래프")
    assert graph.summary is not None and graph.summary.ko == "연산은 노드를 기록한다."
    assert graph.line == line_of(COURSE, "[[concept]]")
    assert course.concept("chain-rule").summary is None
    with pytest.raises(KeyError):
        course.concept("hooks")
    lesson = course.lesson("square")
    assert [q.concepts for q in lesson.questions()] == [("graph",), ("chain-rule", "graph")]
    assert [q.id for _, q in course.concept_questions("graph")] == ["y-node", "x-grad"]
    assert [(lesson.id, q.id) for lesson, q in course.concept_questions("chain-rule")] == [
        ("square", "x-grad")
    ]
    assert course.misconception_concepts() == {
        "wrong-node": "graph",
        "missing-upstream": "chain-rule",
    }


def test_concepts_come_back_equal_from_the_course_cache(tmp_path):
    directory = write_course(tmp_path / "course")
    first = load_course(directory)
    assert cached(Sources(directory)) == first
    assert load_course(directory).concepts == first.concepts


GRAPH_ID_LINE = line_of(COURSE, 'id = "graph"')

# (what is broken: file, old text, new text, the file and text of the line it is told at,
#  the message)
BROKEN = {
    "question without concepts": (
        "square",
        '  concepts = ["graph"]\n',
        "",
        ("square", "question y-node"),
        "question `y-node` names no concept: add `concepts = [...]` with ids of course.toml's "
        "[[concept]] tables",
    ),
    "undeclared concept": (
        "square",
        'concepts = ["graph"]',
        'concepts = ["graph", "grpah"]',
        ("square", "question y-node"),
        "question `y-node`: concept `grpah` is not declared in course.toml",
    ),
    "concept no question names": (
        "course",
        'misconceptions = ["missing-upstream"]\n',
        'misconceptions = ["missing-upstream"]\n\n[[concept]]\nid = "hooks"\n'
        'title = { en = "Hooks", ko = "hook" }\n',
        ("course", "[[concept]]#3"),
        "concept `hooks`: no question names it",
    ),
    "duplicate concept id": (
        "course",
        'id = "chain-rule"',
        'id = "graph"',
        ("course", 'id = "graph"#2'),
        f"concept `graph` is declared twice (first at line {GRAPH_ID_LINE})",
    ),
    "concept without ko title": (
        "course",
        'title = { en = "The chain rule", ko = "연쇄법칙" }',
        'title = { en = "The chain rule" }',
        ("course", "The chain rule"),
        "`concept[2].title` has no `ko` translation",
    ),
    "concept without en title": (
        "course",
        'title = { en = "The graph", ko = "연산 그래프" }',
        'title = { ko = "연산 그래프" }',
        ("course", "연산 그래프"),
        "`concept[1].title` has no `en` translation",
    ),
    "concept without a title": (
        "course",
        'title = { en = "The chain rule", ko = "연쇄법칙" }\n',
        "",
        ("course", "[[concept]]#2"),
        "missing `concept[2].title` (a table with `en` and `ko`)",
    ),
    "misconception in no concept": (
        "course",
        'misconceptions = ["missing-upstream"]\n',
        "",
        ("square", "question x-grad"),
        "question `x-grad`: misconception `missing-upstream` belongs to no concept: list it "
        "under one [[concept]] of course.toml",
    ),
    "misconception under two concepts": (
        "course",
        'misconceptions = ["wrong-node"]',
        'misconceptions = ["wrong-node", "missing-upstream"]',
        ("course", 'misconceptions = ["missing-upstream"]'),
        "misconception `missing-upstream` is listed under concept `graph` already: each "
        "belongs to one concept",
    ),
    "misconception unknown to the registry": (
        "course",
        'misconceptions = ["missing-upstream"]',
        'misconceptions = ["missing-upstream", "missing-upstrem"]',
        ("course", "[[concept]]#2"),
        "concept `chain-rule`: misconception `missing-upstrem` is unknown",
    ),
    "no concept declared": (
        "course",
        COURSE[COURSE.index("\n[[concept]]") :],
        "\n",
        ("course", "format = 1"),
        "no [[concept]]: declare the ideas the course teaches, and name them in each "
        "question's `concepts`",
    ),
    "concepts not a list": (
        "square",
        'concepts = ["graph"]',
        'concepts = "graph"',
        ("square", 'concepts = "graph"'),
        "`step[1].question[1].concepts` must be a non-empty list of concept ids",
    ),
    "empty concepts": (
        "square",
        'concepts = ["graph"]',
        "concepts = []",
        ("square", "concepts = []"),
        "`step[1].question[1].concepts` must be a non-empty list of concept ids",
    ),
    "a concept named twice by a question": (
        "square",
        'concepts = ["chain-rule", "graph"]',
        'concepts = ["graph", "chain-rule", "graph"]',
        ("square", 'concepts = ["graph", "chain-rule", "graph"]'),
        "`step[2].question[1].concepts` names concept `graph` twice",
    ),
    "concept id not an id": (
        "course",
        'id = "chain-rule"',
        'id = "Chain rule"',
        ("course", 'id = "Chain rule"'),
        "concept id `Chain rule` must be lowercase letters, digits, - or _",
    ),
    "unknown key in a concept": (
        "course",
        'id = "chain-rule"',
        'id = "chain-rule"\nname = "chain"',
        ("course", 'name = "chain"'),
        "unknown key `concept[2].name` (expected one of: id, misconceptions, summary, title)",
    ),
    "concept written as a plain table": (
        "course",
        COURSE[COURSE.index("\n[[concept]]") :],
        '\n[concept]\nid = "graph"\n',
        ("course", "[concept]"),
        "`concept` must be written as [[concept]] tables",
    ),
}


def broken_course(tmp_path: Path, case: str) -> tuple[Path, dict[str, str]]:
    file, old, new, _, _ = BROKEN[case]
    sources = {"course": COURSE, "square": LESSON}
    sources[file] = replaced(sources[file], old, new)
    directory = write_course(tmp_path / "course", sources["course"], sources["square"])
    return directory, sources


def told_at(directory: Path, sources: dict[str, str], where: tuple[str, str]) -> str:
    file, text = where
    if text.startswith("question "):
        line = question_line(sources[file], text.removeprefix("question "))
    else:
        text, _, nth = text.partition("#")
        line = line_of(sources[file], text, int(nth or 1))
    return f"{directory / f'{file}.toml'}:{line}"


@pytest.mark.parametrize("case", BROKEN)
def test_each_fault_is_one_line_at_its_file_and_line(tmp_path, case):
    directory, sources = broken_course(tmp_path, case)
    _, _, _, where, message = BROKEN[case]
    found, _ = check_course(directory)
    assert [str(p) for p in found] == [f"{told_at(directory, sources, where)}: {message}"]


def test_tutor_check_prints_the_faults_and_exits_1(tmp_path, capsys):
    directory, sources = broken_course(tmp_path, "question without concepts")
    assert main(["check", str(directory)]) == 1
    out, err = capsys.readouterr()
    where = told_at(directory, sources, BROKEN["question without concepts"][3])
    assert out.splitlines() == [f"{where}: {BROKEN['question without concepts'][4]}"]
    assert err == f"tutor: check: 1 problem in {directory}\n"
    assert main(["check", str(write_course(tmp_path / "clean"))]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_a_course_without_concepts_is_told_once_not_per_question(tmp_path):
    course = COURSE[: COURSE.index("\n[[concept]]")]
    lesson = LESSON.replace('  concepts = ["graph"]\n', "").replace(
        '  concepts = ["chain-rule", "graph"]\n', ""
    )
    directory = write_course(tmp_path / "course", course, lesson)
    found, proven = check_course(directory)
    assert [(p.path, p.line) for p in found] == [(str(directory / "course.toml"), 1)]
    assert proven == 2
    assert load_course(directory).concepts == ()


@pytest.mark.parametrize(
    "case",
    ["question without concepts", "concept no question names", "misconception in no concept"],
)
def test_what_only_check_needs_to_tell_does_not_stop_the_course_loading(tmp_path, case):
    directory, _ = broken_course(tmp_path, case)
    assert load_course(directory).lesson("square")


@pytest.mark.parametrize(
    "case", ["duplicate concept id", "concept without ko title", "empty concepts"]
)
def test_a_malformed_concept_or_concepts_list_stops_loading(tmp_path, case):
    directory, _ = broken_course(tmp_path, case)
    with pytest.raises(CourseError):
        load_course(directory)


def test_concepts_are_cross_checked_once_every_file_reads(tmp_path):
    # a lesson that does not read would make its concepts look unnamed: it is told alone
    lesson = replaced(LESSON, 'hints = { en = ["2x"], ko = ["2x"] }', "")
    directory = write_course(tmp_path / "course", COURSE, lesson)
    found, _ = check_course(directory)
    assert [p.message for p in found] == [
        "missing `step[2].question[1].hints` (at least one, in `en` and `ko`)"
    ]


# the shipped course


@pytest.fixture(scope="module")
def shipped():
    return load_course(default_course_dir())


def test_the_shipped_course_passes_the_concept_rules(shipped):
    assert concept_problems(shipped) == []


def test_every_shipped_question_names_declared_concepts(shipped):
    declared = {c.id for c in shipped.concepts}
    for lesson in shipped.lessons:
        for question in lesson.questions():
            assert question.concepts, f"{lesson.id}/{question.id}"
            assert set(question.concepts) <= declared, f"{lesson.id}/{question.id}"


def test_every_shipped_concept_has_questions(shipped):
    for concept in shipped.concepts:
        assert shipped.concept_questions(concept.id), concept.id


def test_every_misconception_the_shipped_lessons_name_belongs_to_one_concept(shipped):
    owners = shipped.misconception_concepts()
    listed = [m for c in shipped.concepts for m in c.misconceptions]
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(MISCONCEPTIONS)
    named = {m for lesson in shipped.lessons for q in lesson.questions() for m in q.misconceptions}
    assert named <= set(owners), named - set(owners)


def test_a_shipped_question_naming_a_misconception_names_its_concept(shipped):
    owners = shipped.misconception_concepts()
    for lesson in shipped.lessons:
        for question in lesson.questions():
            for name in question.misconceptions:
                assert owners[name] in question.concepts, f"{lesson.id}/{question.id}: {name}"


def test_every_shipped_concept_has_an_english_and_a_korean_title(shipped):
    def korean(text: str) -> bool:
        return any("\uac00" <= ch <= "\ud7a3" for ch in text)

    for concept in shipped.concepts:
        for text in (concept.title, concept.summary):
            assert text is not None, concept.id
            assert text.en.strip() and text.ko.strip() and text.en != text.ko, concept.id
            assert korean(text.ko) and not korean(text.en), concept.id
