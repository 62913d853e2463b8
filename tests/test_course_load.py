"""Loading course files: the seed course reads into frozen data; each fault is one path:line."""

from __future__ import annotations

import dataclasses
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.course import CourseError, load_course
from tutor.course.load import read_course
from tutor.course.read import MAX_FILE_BYTES
from tutor.course.toml_lines import TomlLines

SEED = Path(__file__).parent / "courses" / "seed"


def line_of(source: str, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `text` (`text#2`: the 2nd)."""
    text, _, nth = text.partition("#")
    hits = [n for n, line in enumerate(source.splitlines(), start=1) if text in line]
    return hits[int(nth or occurrence) - 1]


def course_copy(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(SEED, target)
    return target


def edit(path: Path, old: str, new: str) -> str:
    source = path.read_text(encoding="utf-8")
    assert old in source, old
    source = source.replace(old, new, 1)
    path.write_text(source, encoding="utf-8")
    return source


def test_seed_course_loads_into_frozen_data():
    course = load_course(SEED)
    assert course.id == "test-course"
    assert course.title.get("ko") == "시험용 코스"
    (lesson,) = course.lessons
    assert lesson.id == "seed"
    assert [s.after for s in lesson.steps][:2] == ["x1 = x + 2", "y = x3.sum()"]
    assert lesson.steps[2].node == "MulBackward0"
    assert lesson.steps[2].node_occurrence == 1
    kinds = {q.kind for q in lesson.questions()}
    assert kinds == {
        "tensor",
        "number",
        "expression",
        "choice",
        "grad_fn",
        "outcome",
        "backward-node",
    }
    choice = next(q for q in lesson.questions() if q.kind == "choice")
    assert [c.value for c in choice.choices] == [True, False]
    assert lesson.questions()[0].hints[0].get("ko") == "모든 원소에 2를 더하세요."
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.id = "other"  # type: ignore[misc]


def test_program_lines_map_to_the_lesson_file():
    lesson = load_course(SEED).lessons[0]
    source = lesson.path.read_text(encoding="utf-8").splitlines()
    for number, text in enumerate(lesson.program.splitlines(), start=1):
        assert source[lesson.program_to_file_line(number) - 1] == text


def test_question_lines_point_at_their_tables():
    lesson = load_course(SEED).lessons[0]
    source = lesson.path.read_text(encoding="utf-8").splitlines()
    for question in lesson.questions():
        assert source[question.line - 1].strip() == "[[step.question]]"
        assert f'id = "{question.id}"' in source[question.line]


# (what to replace, with what, the text marking the line the problem must point at, words in it)
LESSON_FAULTS = {
    "syntax error": ('answer = "x1"', 'answer = "x1', 'answer = "x1', "TOML syntax"),
    "missing field": (
        '  prompt = { en = "What is y?", ko = "y의 값은?" }\n',
        "",
        'id = "y-value"',
        "missing `step[2].question[1].prompt`",
    ),
    "unknown kind": ('kind = "number"', 'kind = "scalar"', 'kind = "scalar"', "unknown kind"),
    "missing translation": (
        'text = { en = "All elements summed.", ko = "모든 원소를 더합니다." }',
        'text = { en = "All elements summed." }',
        'text = { en = "All elements summed." }',
        "no `ko` translation",
    ),
    "duplicate id": ('id = "x1-node"', 'id = "x1-values"', 'id = "x1-values"#2', "used twice"),
    "unknown key": (
        'answer = "y.is_leaf"',
        'answer = "y.is_leaf"\n  dificulty = 2',
        "dificulty",
        "unknown key",
    ),
    "hints differ": (
        'hints = { en = ["2x"], ko = ["2x"] }',
        'hints = { en = ["2x", "power rule"], ko = ["2x"] }',
        '"power rule"',
        "2 hints in `en` but 1",
    ),
    "choice without value": (
        '{ en = "No", ko = "아니요", value = false }',
        '{ en = "No", ko = "아니요" }',
        "choices = [",
        "choices[2]` needs a `value`",
    ),
    "choices on a tensor": (
        'answer = "x1"\n',
        'answer = "x1"\n  choices = [{ en = "a", ko = "a", value = 1 }]\n',
        "choices = [",
        "only for kind",
    ),
    "no answer": ('  answer = "x.grad"\n', "", 'id = "x-grad"', "missing `answer`"),
    "wrong id": ('id = "seed"', 'id = "sead"', 'id = "sead"', "course.toml say `seed`"),
    "bad occurrence": (
        'node = "MulBackward0"',
        'node = "MulBackward0"\nnode_occurrence = 0',
        "node_occurrence",
        "whole number",
    ),
}


@pytest.mark.parametrize("fault", sorted(LESSON_FAULTS))
def test_each_lesson_fault_is_one_located_problem(tmp_path, fault):
    old, new, marker, words = LESSON_FAULTS[fault]
    directory = course_copy(tmp_path)
    lesson_file = directory / "seed.toml"
    source = edit(lesson_file, old, new)
    course, found = read_course(directory)
    assert len(found) == 1, found
    line = line_of(source, marker) - (1 if fault in ("missing field", "no answer") else 0)
    assert str(found[0]).startswith(f"{lesson_file}:{line}: "), (str(found[0]), line)
    assert words in found[0].message
    assert "\n" not in str(found[0])
    with pytest.raises(CourseError):
        load_course(directory)


def test_a_lesson_listed_without_its_file(tmp_path):
    directory = course_copy(tmp_path)
    source = edit(directory / "course.toml", '["seed"]', '["seed", "later"]')
    _, found = read_course(directory)
    assert [str(p) for p in found] == [
        f"{directory / 'course.toml'}:{line_of(source, 'lessons =')}: "
        "lesson `later`: no file later.toml"
    ]


def test_a_lesson_id_that_would_leave_the_directory(tmp_path):
    directory = course_copy(tmp_path)
    edit(directory / "course.toml", '["seed"]', '["seed", "../seed"]')
    _, found = read_course(directory)
    assert len(found) == 1 and "must be lowercase" in found[0].message


def test_missing_course_toml(tmp_path):
    (tmp_path / "seed.toml").write_text("", encoding="utf-8")
    course, found = read_course(tmp_path)
    assert course is None
    assert [str(p) for p in found] == [
        f"{tmp_path / 'course.toml'}:1: missing: a course directory needs course.toml"
    ]


def test_non_utf8_file_names_its_line(tmp_path):
    directory = course_copy(tmp_path)
    lesson_file = directory / "seed.toml"
    raw = lesson_file.read_bytes().replace("씨앗".encode(), b"\xff\xfe")
    lesson_file.write_bytes(raw)
    _, found = read_course(directory)
    assert [str(p) for p in found] == [f"{lesson_file}:2: not UTF-8 text"]


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    directory = course_copy(tmp_path)
    lesson_file = directory / "seed.toml"
    lesson_file.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    _, found = read_course(directory)
    assert len(found) == 1 and found[0].line == 1 and "larger than" in found[0].message


def test_syntax_error_at_end_of_document(tmp_path):
    directory = course_copy(tmp_path)
    (directory / "course.toml").write_text('id = "a"\ntitle = {', encoding="utf-8")
    _, found = read_course(directory)
    assert len(found) == 1 and found[0].line == 2 and "TOML syntax" in found[0].message


def test_toml_lines_ignore_keys_inside_strings_and_arrays():
    source = 'program = """\n[[step]]\nafter = 1\n"""\n[[step]]\nhints = [\n  "a = b",\n]\n'
    lines = TomlLines(source)
    assert lines.line(("step", 0)) == 5
    assert lines.line(("step", 1)) == 1  # there is only one step table
    assert lines.line(("step", 0, "hints")) == 6
    assert lines.line(("step", 0, "missing")) == 5


_KEY_NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)
_VALUES = st.sampled_from(
    ['"a = b"', "'[x]'", '"""\nkey = 1\n"""', "[\n  1,\n  2,\n]", "{ a = 1 }", "3"]
)
_FILLER = st.sampled_from(["", "# key = 1", "   ", "# [[step]]"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.tuples(_KEY_NAMES, _VALUES, _FILLER), max_size=4, unique_by=lambda k: k[0])
        ),
        max_size=4,
    )
)
def test_toml_lines_agree_with_tomllib(tables):
    """Every key tomllib reads is found on the line where it was written."""
    source = ""
    written: dict[tuple, int] = {}
    for index, (keys,) in enumerate(tables):
        written[("step", index)] = source.count("\n") + 1
        source += "[[step]]\n"
        for key, value, filler in keys:
            written[("step", index, key)] = source.count("\n") + 1
            source += f"{key} = {value}\n{filler}\n"
    data = tomllib.loads(source)
    assert len(data.get("step", [])) == len(tables)
    located = TomlLines(source)
    for path, line in written.items():
        assert located.line(path) == line, (path, source)
