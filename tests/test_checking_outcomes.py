"""Outcome answers: the statement reader (raises or not, which error, what value) in English and
Korean, and grade_outcome on lines that raise and lines that give a value."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tutor.checking import Expected, Outcome, Verdict, grade
from tutor.checking.error_names import canonical
from tutor.checking.misconceptions import MISCONCEPTIONS, Misconception
from tutor.checking.outcomes import grade_outcome
from tutor.checking.statements import read_statement
from tutor.text import Text

NUMPY = Outcome(
    "RuntimeError",
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
    None,
)
DETACHED = Outcome(
    "RuntimeError",
    "element 0 of tensors does not require grad and does not have a grad_fn",
    None,
)
INDEX = Outcome("IndexError", "index 5 is out of bounds for dimension 0 with size 2", None)
VALUES = np.array([[-3.0, 0.0], [5.0, 12.0]], dtype=np.float32)
RUNS = Outcome(None, None, VALUES)
QUESTION = type("Question", (), {"id": "q", "kind": "outcome"})()


def check(outcome: Outcome, text: str, alternatives=None) -> Verdict:
    """Grade through the public boundary, as the TUI and `tutor try` do."""
    verdict = grade(QUESTION, Expected("outcome", outcome, alternatives=alternatives or {}), text)
    assert verdict.feedback.en.strip() and verdict.feedback.ko.strip()
    assert "\n" not in verdict.feedback.en and "\n" not in verdict.feedback.ko
    return verdict


# --- the reader: does it say the line raises? -----------------------------------------------

SAYS_IT_RUNS = [
    "no error",
    "No error.",
    "NO ERRORS",
    "it does not raise an error",
    "It doesn't fail",
    "it doesnt raise",
    "it works without any exception",
    "It won't raise anything",
    "will not throw",
    "never raises",
    "there is no exception",
    "no exception is raised",
    "an error is not raised",
    "it raises no error",
    "It runs without errors",
    "runs with no error",
    "nothing is raised",
    "nothing fails",
    "executes successfully",
    "it succeeds",
    "works fine",
    "runs fine",
    "It runs OK",
    "it works",
    "runs normally",
    "It is fine",
    "error-free",
    "doesn't throw an exception",
    "it won't error out",
    "No, it does not raise",
    "It does not raise any exception",
    "it doesn't crash",
    "no problem",
    "it raises nothing",
    "It doesn’t raise an error",
    '"It does not raise any error at all"',
    "throws nothing",
    "it runs",
    "The line runs.",
    "It returns a numpy array",
    "it gives the values of x3",
    "You get an array",
    "Nothing happens",
    "It converts fine",
    "오류가 나지 않는다",
    "오류가 안 난다",
    "에러 없음",
    "에러없음",
    "에러 없이",
    "에러가 나지 않음",
    "예외가 발생하지 않는다",
    "오류가 발생하지 않습니다",
    "오류 없이 실행된다",
    "문제없이 실행",
    "문제 없이 작동",
    "정상 실행",
    "정상 작동",
    "정상적으로 실행된다",
    "잘 된다",
    "잘 실행된다",
    "잘 돌아간다",
    "에러 안 남",
    "에러 안남",
    "오류 안 나요",
    "아무 오류도 없다",
    "에러가 안 생긴다",
    "예외가 일어나지 않는다",
    "예외 발생 안 함",
    "괜찮다",
    "실행된다",
    "작동한다",
    "잘 작동함",
    "numpy 배열이 반환된다",
    "이제는 된다",
]

SAYS_IT_RAISES = [
    "it raises",
    "it raises an error",
    "an exception is raised",
    "It throws",
    "error!",
    "Error",
    "it fails",
    "It crashes",
    "it errors out",
    "It gives an error",
    "An error occurs",
    "It doesn't work",
    "it won't run",
    "it's not allowed",
    "Traceback",
    "It returns an error",
    "You get a RuntimeError",
    "it gives some exception",
    "RuntimeError",
    "It raises a RuntimeError, not a ValueError",
    "It doesn't raise ValueError but RuntimeError",
    "No. It raises a RuntimeError",
    "It raises an error saying it can't call numpy() on a tensor that requires grad",
    "에러가 난다",
    "오류가 난다",
    "오류가 발생한다",
    "예외가 발생합니다",
    "에러 남",
    "에러가 뜬다",
    "실패한다",
    "실행이 안 된다",
    "작동하지 않는다",
    "안 된다",
    "불가능하다",
    "런타임 에러가 아니라 값 오류가 난다",
    "numpy()를 호출할 수 없다는 오류가 난다",
]

SAYS_NEITHER = [
    "Can't call numpy() on Tensor that requires grad",
    "element 0 of tensors does not require grad and does not have a grad_fn",
    "[[-3, 0], [5, 12]]",
    "None",
    "True",
    "banana",
    "I don't know",
    "x3 cannot be converted",
    "terror",
    "몰라요",
]

SAYS_BOTH = [
    "no error but it raises RuntimeError",
    "it works, but raises an error",
    "It raises no error, RuntimeError",
    "에러가 안 나고 RuntimeError가 난다",
    "오류 없음, 에러 발생",
    "it raises 'Can't call numpy() on it' no error",
]


@pytest.mark.parametrize("text", SAYS_IT_RUNS)
def test_reader_hears_that_the_line_runs(text):
    said = read_statement(text)
    assert said.raises is False and not said.conflict and said.errors == ()


@pytest.mark.parametrize("text", SAYS_IT_RAISES)
def test_reader_hears_that_the_line_raises(text):
    said = read_statement(text)
    assert said.raises is True and not said.conflict


@pytest.mark.parametrize("text", SAYS_NEITHER)
def test_reader_hears_neither_without_words_about_erroring(text):
    assert read_statement(text).raises is None


@pytest.mark.parametrize("text", SAYS_BOTH)
def test_reader_hears_both(text):
    assert read_statement(text).conflict


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("RuntimeError", "RuntimeError"),
        ("runtimeerror", "RuntimeError"),
        ("RUNTIMEERROR", "RuntimeError"),
        ("torch.RuntimeError", "RuntimeError"),
        ("runtime error", "RuntimeError"),
        ("Runtime-Error", "RuntimeError"),
        ("RuntimeException", "RuntimeError"),
        ("RuntimeError: Can't call numpy() on Tensor that requires grad.", "RuntimeError"),
        ("It raises a RuntimeError", "RuntimeError"),
        ("a type error", "TypeError"),
        ("ValueError", "ValueError"),
        ("value error", "ValueError"),
        ("런타임 에러", "RuntimeError"),
        ("런타임 오류가 발생한다", "RuntimeError"),
        ("런타임에러", "RuntimeError"),
        ("RuntimeError가 난다", "RuntimeError"),
        ("타입 에러", "TypeError"),
        ("값 오류", "ValueError"),
        ("밸류 에러", "ValueError"),
        ("인덱스 에러", "IndexError"),
        ("어트리뷰트 에러", "AttributeError"),
        ("키 에러", "KeyError"),
        ("torch.cuda.OutOfMemoryError", "OutOfMemoryError"),
        ("zero division error", "ZeroDivisionError"),
        ("a not implemented error", "NotImplementedError"),
        ("file not found error", "FileNotFoundError"),
        ("an attribute error", "AttributeError"),
        ("실행 시간 오류", "RuntimeError"),
        ("실행 에러", "RuntimeError"),
        ("자료형 오류", "TypeError"),
        ("형식 에러", "TypeError"),
        ("색인 오류", "IndexError"),
        ("속성 오류가 난다", "AttributeError"),
        ("애트리뷰트 에러", "AttributeError"),
        ("이름 오류", "NameError"),
        ("네임 에러", "NameError"),
        ("메모리 에러", "MemoryError"),
        ("임포트 에러", "ImportError"),
        ("재귀 오류", "RecursionError"),
    ],
)
def test_reader_names_the_exception_type(text, error):
    said = read_statement(text)
    assert said.raises is True and said.errors == (error,) and said.error == error


def test_reader_scopes_negation_to_the_type_it_names():
    said = read_statement("It doesn't raise ValueError but RuntimeError")
    assert said.errors == ("RuntimeError",) and said.excluded == ("ValueError",)
    said = read_statement("런타임 에러가 아니라 값 오류가 난다")
    assert said.errors == ("ValueError",) and said.excluded == ("RuntimeError",)
    said = read_statement("it does not raise a RuntimeError")
    assert said.raises is False and said.excluded == ("RuntimeError",) and said.errors == ()


def test_reader_hears_several_types_as_several():
    said = read_statement("RuntimeError or ValueError")
    assert said.errors == ("RuntimeError", "ValueError") and said.error is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("RuntimeError: Can't call numpy() on it. It does not fail.", "Can't call numpy() on it."),
        ("It raises 'Can't call numpy() on that tensor'", "Can't call numpy() on that tensor"),
        ('it fails with "no error is raised, ever"', "no error is raised, ever"),
        ("Error: element 0 of tensors does not require grad", "element 0 of tensors does not"),
    ],
)
def test_reader_takes_the_message_apart_from_the_statement(text, message):
    said = read_statement(text)
    assert said.raises is True and not said.conflict
    assert said.message is not None and said.message.startswith(message)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("no error, it gives tensor([1., 2.])", "tensor([1., 2.])"),
        (
            "It doesn't raise; it returns array([[-3., 0.], [5., 12.]])",
            "array([[-3., 0.], [5., 12.]])",
        ),
        ("runs fine and gives 14", "14"),
        ("[[-3, 0], [5, 12]], no error", "[[-3, 0], [5, 12]]"),
        ("no error, it gives None", "None"),
        ("It's fine, True", "True"),
        ("It returns a numpy array [[-3, 0], [5, 12]]", "[[-3, 0], [5, 12]]"),
        ("에러 없이 [1, 2]를 반환한다", "[1, 2]"),
        ("정상 실행되고 [[-3, 0], [5, 12]] 배열이 나온다", "[[-3, 0], [5, 12]]"),
        ("결과는 None이다", "None"),
        ("오류 없음, 참", "참"),
        ("no error", ""),
        ("-3 0; 5 12", "-3 0; 5 12"),
        ("It works now: [[-3, 0], [5, 12]]", "[[-3, 0], [5, 12]]"),
        ("[[-3, 0], [5, 12]] (no error)", "[[-3, 0], [5, 12]]"),
        ("넘파이 배열 [[-3, 0], [5, 12]]", "[[-3, 0], [5, 12]]"),
        ("이제 오류 없이 [1, 2] 가 나온다", "[1, 2]"),
        ("it returns tensor([1., 2.])", "tensor([1., 2.])"),
        ("no error: `torch.float32`", "torch.float32"),
    ],
)
def test_reader_keeps_the_value_typed_after_the_statement(text, rest):
    assert read_statement(text).rest == rest


def test_canonical_names():
    assert canonical("runtimeerror") == "RuntimeError"
    assert canonical("torch.RuntimeError") == "RuntimeError"
    assert canonical("GradError") == "GradError"


# --- grading a line that raises ---------------------------------------------------------------

ERROR_ANSWERS = [
    # right: the type, in any spelling, with or without the message
    ("RuntimeError", "correct", None),
    ("runtimeerror", "correct", None),
    ("torch.RuntimeError", "correct", None),
    ("runtime error", "correct", None),
    ("It raises a RuntimeError", "correct", None),
    ("RuntimeError가 발생한다", "correct", None),
    ("런타임 에러", "correct", None),
    ("런타임 오류가 난다", "correct", None),
    ("RuntimeError: Can't call numpy() on Tensor that requires grad.", "correct", None),
    ("RuntimeError: wrong", "correct", None),
    # half: the right type, then quoting another error's message
    ("RuntimeError: wrong words entirely", "partial", None),
    ("RuntimeError: Trying to backward through the graph a second time", "partial", None),
    ("It doesn't raise ValueError but RuntimeError", "correct", None),
    ("an exception: RuntimeError", "correct", None),
    # right: the message copied, or described after saying it raises
    ("Can't call numpy() on Tensor that requires grad", "correct", None),
    ("can't call numpy() on a tensor that requires grad", "correct", None),
    ("'Can't call numpy() on Tensor that requires grad'", "correct", None),
    ("Use tensor.detach().numpy() instead", "correct", None),
    (
        "It raises an error saying numpy can't be called on a tensor that requires grad",
        "correct",
        None,
    ),
    ("it fails because x3 requires grad", "correct", None),
    ("Error: use detach before numpy", "correct", None),
    # half: it raises, but which error is not said
    ("it raises an error", "partial", None),
    ("it raises an exception", "partial", None),
    ("error", "partial", None),
    ("it fails", "partial", None),
    ("에러가 난다", "partial", None),
    ("오류가 난다", "partial", None),
    ("에러", "partial", None),
    ("numpy()를 호출할 수 없다는 오류가 난다", "partial", None),
    ("calling numpy on x3 raises an error", "partial", None),
    ("It raises, not a ValueError", "partial", None),
    # wrong: another type, or the right one ruled out
    ("It raises an error, but not a RuntimeError", "wrong", None),
    ("런타임 에러는 아니고 다른 오류가 난다", "wrong", None),
    ("It raises a ValueError", "wrong", None),
    ("ValueError", "wrong", None),
    ("value error", "wrong", None),
    ("밸류 에러", "wrong", None),
    ("IndexError", "wrong", None),
    ("TypeError: Can't call numpy() on Tensor that requires grad.", "wrong", None),
    # wrong: it runs, or a value
    ("it does not raise a RuntimeError", "wrong", "no-error-expected"),
    ("[[-3, 0], [5, 12]]", "wrong", "no-error-expected"),
    ("array([[-3., 0.], [5., 12.]], dtype=float32)", "wrong", "no-error-expected"),
    ("None", "wrong", "no-error-expected"),
    ("True", "wrong", "no-error-expected"),
    ("torch.float32", "wrong", "no-error-expected"),
    ("no error, it gives [[-3, 0], [5, 12]]", "wrong", "no-error-expected"),
    # asked again
    ("banana", "unreadable", None),
    ("I don't know", "unreadable", None),
    ("x3 requires grad", "unreadable", None),
    ("RuntimeError or ValueError", "unreadable", None),
    ("몰라요", "unreadable", None),
    *[(text, "wrong", "no-error-expected") for text in SAYS_IT_RUNS],
    *[(text, "unreadable", None) for text in SAYS_BOTH],
]


@pytest.mark.parametrize(("text", "verdict", "misconception"), ERROR_ANSWERS)
def test_grading_a_line_that_raises(text, verdict, misconception):
    got = check(NUMPY, text)
    assert (got.outcome, got.misconception) == (verdict, misconception), got.feedback.en
    assert got.score == {"correct": 1.0, "partial": 0.5, "wrong": 0.0, "unreadable": 0.0}[verdict]


@pytest.mark.parametrize(
    "text",
    [
        "no error",
        "it does not raise an error",
        "It doesn't fail",
        "it works without any exception",
        "오류가 나지 않는다",
        "에러 없음",
    ],
)
@pytest.mark.parametrize("outcome", [NUMPY, DETACHED, INDEX], ids=["numpy", "detached", "index"])
def test_regression_saying_it_runs_is_wrong_on_every_error_question(outcome, text):
    got = check(outcome, text)
    assert got.outcome == "wrong" and got.misconception == "no-error-expected"


@pytest.mark.parametrize("outcome", [NUMPY, DETACHED], ids=["numpy", "detached"])
def test_regression_another_error_type_earns_nothing(outcome):
    for text in ("It raises a ValueError", "ValueError", "ValueError: " + str(outcome.message)):
        got = check(outcome, text)
        assert got.outcome == "wrong" and got.score == 0.0
        assert "not ValueError" in got.feedback.en and "ValueError" in got.feedback.ko


def test_the_message_of_another_error_is_not_this_one():
    assert check(DETACHED, "Can't call numpy() on Tensor that requires grad").outcome == (
        "unreadable"
    )
    assert check(DETACHED, "It raises: can't call numpy() on a tensor").outcome == "partial"
    assert check(DETACHED, "element 0 of tensors does not require grad").outcome == "correct"
    assert check(
        DETACHED, "it raises because the tensor has no grad_fn and does not require grad"
    ).correct


def _windows(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9_]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


NOT_YET_RIGHT = [
    text
    for text, verdict, _ in ERROR_ANSWERS
    if verdict != "correct" and "RuntimeError" not in text and "런타임" not in text
]


@pytest.mark.parametrize("outcome", [NUMPY, DETACHED, INDEX], ids=["numpy", "detached", "index"])
def test_feedback_never_gives_the_error_away_before_a_right_answer(outcome):
    for text in NOT_YET_RIGHT + ["IndexError or KeyError", "ValueError", "index error"]:
        got = check(outcome, text)
        if got.correct:
            continue
        for said in (got.feedback.en, got.feedback.ko):
            assert outcome.error not in said, (text, said)
            assert not _windows(str(outcome.message), 3) & _windows(said, 3), (text, said)


def test_a_right_answer_shows_the_full_error():
    for text in ("RuntimeError", "Can't call numpy() on Tensor that requires grad", "런타임 오류"):
        got = check(NUMPY, text)
        assert got.correct
        assert f"RuntimeError: {NUMPY.message}" in got.feedback.en
        assert f"RuntimeError: {NUMPY.message}" in got.feedback.ko


def test_asking_again_is_bilingual_and_names_no_real_error():
    for text in ("banana", "no error but RuntimeError", "RuntimeError or ValueError"):
        got = check(NUMPY, text)
        assert got.outcome == "unreadable" and not got.readable
        assert got.feedback.en != got.feedback.ko
        assert not re.search(r"\b[A-Z][a-z]+Error\b", got.feedback.en + got.feedback.ko)


# --- grading a line that runs -----------------------------------------------------------------

VALUE_ANSWERS = [
    ("[[-3, 0], [5, 12]]", "correct", None),
    ("-3 0; 5 12", "correct", None),
    ("array([[-3.,  0.],\n       [ 5., 12.]], dtype=float32)", "correct", None),
    ("no error, it gives [[-3, 0], [5, 12]]", "correct", None),
    ("It works and returns [[-3, 0], [5, 12]]", "correct", None),
    ("It returns a numpy array [[-3, 0], [5, 12]]", "correct", None),
    ("에러 없이 [[-3, 0], [5, 12]]를 반환한다", "correct", None),
    ("오류가 나지 않고 [[-3, 0], [5, 12]] 배열이 나온다", "correct", None),
    ("no error", "partial", None),
    ("에러 없음", "partial", None),
    ("it works", "partial", None),
    ("no error, because x3 no longer requires grad", "partial", None),
    ("x3 no longer requires grad, so nothing refuses the conversion", "partial", None),
    ("no error, [[3, 0], [5, 12]]", "partial", None),
    ("RuntimeError", "wrong", "error-expected"),
    ("ValueError", "wrong", "error-expected"),
    ("it raises an error", "wrong", "error-expected"),
    ("it fails", "wrong", "error-expected"),
    ("런타임 에러", "wrong", "error-expected"),
    ("에러가 난다", "wrong", "error-expected"),
    ("[[1, 2], [3, 4]]", "wrong", None),
    ("banana", "unreadable", None),
    ("I don't know", "unreadable", None),
    ("[[-3, 0], [5, 12]", "unreadable", None),
    ("no error but it raises RuntimeError", "unreadable", None),
    ("RuntimeError or ValueError", "unreadable", None),
]


@pytest.mark.parametrize(("text", "verdict", "misconception"), VALUE_ANSWERS)
def test_grading_a_line_that_gives_a_tensor(text, verdict, misconception):
    got = check(RUNS, text)
    assert (got.outcome, got.misconception) == (verdict, misconception), got.feedback.en


def test_only_saying_it_runs_asks_what_it_gives():
    got = check(RUNS, "no error")
    assert got.score == 0.5 and "What does it give" in got.feedback.en
    assert "-3" not in got.feedback.en and "12" not in got.feedback.en


@pytest.mark.parametrize(
    ("value", "text", "verdict"),
    [
        (True, "True", "correct"),
        (True, "yes", "correct"),
        (True, "참", "correct"),
        (True, "그렇다", "correct"),
        (True, "참입니다", "correct"),
        (True, "no error, True", "correct"),
        (True, "It is True.", "correct"),
        (True, "False", "wrong"),
        (True, "거짓", "wrong"),
        (True, "maybe", "unreadable"),
        (True, "no error", "partial"),
        (True, "it raises", "wrong"),
        (np.bool_(False), "False", "correct"),
        (np.bool_(False), "아니다", "correct"),
        (np.bool_(False), "참", "wrong"),
        (None, "None", "correct"),
        (None, "no error", "correct"),
        (None, "에러 없음", "correct"),
        (None, "no error, returns None", "correct"),
        (None, "결과는 None이다", "correct"),
        (None, "[1, 2]", "wrong"),
        (None, "RuntimeError", "wrong"),
        (None, "banana", "unreadable"),
        ("torch.float32", "torch.float32", "correct"),
        ("torch.float32", "float32", "correct"),
        ("torch.float32", "no error, it gives torch.float32", "correct"),
        ("torch.float32", "float64", "wrong"),
        ("torch.float32", "no error", "partial"),
        ("torch.float32", "I have no idea what", "unreadable"),
        (14.0, "14", "correct"),
        (14.0, "no error, 14.0", "correct"),
        (14.0, "tensor(14.)", "correct"),
        (14.0, "15", "wrong"),
        (14.0, "no error", "partial"),
    ],
)
def test_grading_bools_none_names_and_numbers(value, text, verdict):
    assert check(Outcome(None, None, value), text).outcome == verdict


def test_a_wrong_bool_is_not_read_as_a_statement():
    assert check(Outcome(None, None, True), "no").outcome == "wrong"
    assert check(Outcome(None, None, False), "no").outcome == "correct"


# --- the course's alternatives ----------------------------------------------------------------


@pytest.fixture
def stale(monkeypatch):
    """A misconception of the outcome role, as a course might name one."""
    m = Misconception(
        "stale",
        Text("Stale", "이전 값"),
        Text("Old values.", "이전 값입니다."),
        frozenset({"outcome"}),
    )
    monkeypatch.setitem(MISCONCEPTIONS, "stale", m)
    return m


def test_alternatives_name_their_misconception_when_it_fits(stale):
    old = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    alternatives = {"stale": Outcome(None, None, old)}
    assert check(RUNS, "[[1, 2], [3, 4]]", alternatives).misconception == "stale"
    assert check(RUNS, "no error, [[1, 2], [3, 4]]", alternatives).misconception == "stale"
    assert check(NUMPY, "[[1, 2], [3, 4]]", alternatives).misconception == "stale"
    assert check(NUMPY, "[[9, 9], [9, 9]]", alternatives).misconception == "no-error-expected"
    errors = {"stale": Outcome("ValueError", "nope", None)}
    assert check(NUMPY, "ValueError", errors).misconception == "stale"
    assert check(NUMPY, "IndexError", errors).misconception is None
    assert check(RUNS, "ValueError", errors).misconception == "stale"
    assert (
        check(
            Outcome(None, None, True), "False", {"stale": Outcome(None, None, False)}
        ).misconception
        == "stale"
    )


def test_misconceptions_of_other_roles_are_not_named_on_outcomes():
    alternatives = {"sign-flipped": Outcome("ValueError", "nope", None)}
    assert check(NUMPY, "ValueError", alternatives).misconception is None
    transposed = check(RUNS, "[[-3, 5], [0, 12]]", {"transposed": Outcome(None, None, VALUES.T)})
    assert transposed.outcome == "partial" and transposed.misconception is None
    assert "Transposed" not in transposed.feedback.en


# --- what is typed, shown back ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["It raises Evil\u202eError", "Value\u200bError", "It raises \u0007BadError", "Bad\ud800Error"],
)
def test_typed_text_is_cleaned_before_it_is_shown(text):
    got = grade_outcome(NUMPY, text, {})
    for said in (got.feedback.en, got.feedback.ko):
        assert not re.search("[\u0000-\u001f\u200b-\u200f\u202a-\u202e\ud800-\udfff]", said)


def test_invisible_characters_do_not_split_a_name():
    assert check(NUMPY, "Runtime\u200bError").correct
    assert check(NUMPY, "‘Can’t call numpy() on Tensor that requires grad’").correct
    got = grade_outcome(NUMPY, "Value\u200bError", {})
    assert got.outcome == "wrong" and "not ValueError" in got.feedback.en
    assert grade_outcome(NUMPY, "Can't call num\u200bpy() on Tensor", {}).correct


def test_a_long_unknown_type_is_shortened_when_shown():
    got = check(NUMPY, "Very" * 200 + "Error")
    assert got.outcome == "wrong" and len(got.feedback.en) < 200


@pytest.mark.parametrize(
    "text",
    ["RuntimeError" * 800, "not " * 2500, "오류가 " * 2400, "'a b c d " * 1000, "x.y" * 3000],
    ids=["types", "nots", "korean", "quotes", "dotted"],
)
def test_long_hostile_answers_are_graded(text):
    for outcome in (NUMPY, RUNS, Outcome(None, None, "torch.float32")):
        assert not check(outcome, text[:10_000]).correct
