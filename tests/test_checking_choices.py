"""Choices: picked by number in every usual spelling or by a choice's whole text or label; a
fragment or a word inside a choice never picks one (it is unreadable, not wrong)."""

from __future__ import annotations

import pytest

from tutor.checking import Expected, grade
from tutor.text import Text

LEAF = (
    Text(
        "A leaf with requires_grad=False: no grad_fn, not tracked",
        "requires_grad=False 인 leaf: grad_fn 없음, 추적 안 됨",
    ),
    Text(
        "Still an inner node with grad_fn MulBackward0",
        "여전히 grad_fn 이 MulBackward0 인 중간 노드",
    ),
)
YES_NO = (
    Text("No: detach() cut x3 out of the graph", "아니오: detach() 가 x3 를 그래프에서 잘라냈다"),
    Text(
        "Yes: detach() returns a new tensor and leaves x3 attached",
        "예: detach() 는 새 텐서를 돌려주고 x3 는 연결된 채로 둔다",
    ),
)
THREE = (Text("It stays the same", "그대로다"), Text("It becomes x.grad", "x.grad가 된다"))
THREE += (Text("It is zeroed", "0이 된다"),)


def outcome(choices, right: int, typed: str) -> str:
    return grade(None, Expected("choice", right, choices=choices), typed).outcome


@pytest.mark.parametrize(
    "typed",
    [
        "2",
        "2.",
        "(2)",
        "2)",
        "[2]",
        "#2",
        "2번",
        "2 번",
        "２",
        "②",
        "option 2",
        "Option 2",
        "choice 2",
        "answer 2",
        "no. 2",
        "보기 2",
        "2번 보기",
        "second",
        "the second one",
        "두 번째",
        "2. Still an inner",
        "2 Still an inner node with grad_fn MulBackward0",
    ],
)
def test_a_number_in_every_usual_spelling(typed):
    assert outcome(LEAF, 1, typed) == "correct"
    assert outcome(LEAF, 0, typed) == "wrong"


@pytest.mark.parametrize(
    "typed",
    [
        "Still an inner node with grad_fn MulBackward0",
        "still an inner node with grad_fn mulbackward0.",
        "  Still  an inner node with `grad_fn` MulBackward0 ",
        "여전히 grad_fn 이 MulBackward0 인 중간 노드",
    ],
)
def test_the_whole_text_in_either_language(typed):
    assert outcome(LEAF, 1, typed) == "correct"


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("yes", 1),
        ("Yes.", 1),
        ("예", 1),
        ("네", 1),
        ("no", 0),
        ("No", 0),
        ("아니오", 0),
        ("아니요", 0),
    ],
)
def test_a_leading_label_picks_its_choice(typed, right):
    assert outcome(YES_NO, right, typed) == "correct"
    assert outcome(YES_NO, 1 - right, typed) == "wrong"


@pytest.mark.parametrize(
    "typed",
    [
        "it",
        "to",
        "or",
        "is",
        "x.grad",
        "false",
        "true",
        "leaf",
        "grad_fn",
        "requires_grad=False",
        "A leaf",
        "not tracked",
        "MulBackward0",
        "inner node",
        "banana",
        "3",
        "0",
        "1 2",
        "1 Still an inner node",
        "Yes: detach",
    ],
)
def test_fragments_and_stray_words_pick_nothing(typed):
    assert outcome(LEAF, 0, typed) == "unreadable"
    assert outcome(LEAF, 1, typed) == "unreadable"


@pytest.mark.parametrize("typed", ["It", "stays", "same", "becomes", "zeroed", "x.grad"])
def test_words_inside_a_choice_are_unreadable_not_wrong(typed):
    verdict = grade(None, Expected("choice", 0, choices=THREE), typed)
    assert verdict.outcome == "unreadable" and verdict.score == 0
    assert "1" in verdict.feedback.en and "3" in verdict.feedback.en
