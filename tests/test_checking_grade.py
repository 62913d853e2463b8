"""grade(): tensors, numbers, node names, choices and outcomes, with float32-aware tolerance."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.checking import Expected, Outcome, Verdict, grade
from tutor.text import Text

QUESTION = SimpleNamespace(id="q", kind="tensor")
FLAT_OK = SimpleNamespace(id="q", kind="tensor", flatten=True)


def bilingual(verdict: Verdict) -> Verdict:
    """Every verdict: score in [0, 1], one-line feedback in both languages, different unless numbers."""
    assert 0.0 <= verdict.score <= 1.0
    en, ko = verdict.feedback.en, verdict.feedback.ko
    assert en.strip() and ko.strip()
    assert "\n" not in en and "\n" not in ko
    assert en != ko or re.fullmatch(r"[\d\s.,\-+e\[\]]*", en)
    if verdict.correct:
        assert verdict.score == 1.0 and verdict.misconception is None
    return verdict


def check(expected: Expected, text: str, question=QUESTION) -> Verdict:
    return bilingual(grade(question, expected, text))


def tensor(value) -> Expected:
    return Expected("tensor", np.asarray(value, dtype=np.float32))


# --- tensors against real PyTorch values -------------------------------------------------------


@pytest.fixture(scope="module")
def seed(torch):
    """The seed lesson's program on real PyTorch: x, x1, x3, y and x.grad."""
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    y = x3.sum()
    y.backward()
    return SimpleNamespace(x=x, x1=x1, x3=x3, y=y, grad=x.grad.numpy())


def test_printed_pytorch_forms_grade_correct(seed):
    for value in (seed.x, seed.x1, seed.x3, seed.y, seed.x.grad):
        expected = Expected("tensor", value.detach().numpy())
        assert check(expected, str(value)).correct, str(value)
        assert check(expected, repr(value.detach().numpy())).correct


def test_seed_gradient_in_every_typed_form(seed):
    expected = Expected("tensor", seed.grad)
    rows = "; ".join(" ".join(f"{v:g}" for v in row) for row in seed.grad)
    lines = "\n".join(" ".join(f"{v:g}" for v in row) for row in seed.grad)
    for text in (str(seed.grad.tolist()), rows, lines, str(seed.x.grad)):
        assert check(expected, text).correct, text


def test_flattened_answer_is_a_shape_mismatch_unless_allowed(seed):
    expected = Expected("tensor", seed.grad)
    flat = str(seed.grad.ravel().tolist())
    verdict = check(expected, flat)
    assert not verdict.correct and verdict.score == 0
    assert (
        verdict.feedback.en == "Wrong shape: expected a 2×2 tensor; you gave 4 numbers in one row."
    )
    assert "2×2" in verdict.feedback.ko and "4개" in verdict.feedback.ko
    assert check(expected, flat, FLAT_OK).correct


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("[1, 2, 3]", "you gave 3 numbers in one row"),
        ("[[1, 2, 3], [4, 5, 6]]", "you gave 2 rows of 3 numbers"),
        ("7", "you gave one number"),
        ("[[[1, 2], [3, 4]]]", "you gave a 1×2×2 tensor"),
    ],
)
def test_shape_mismatch_messages(typed, said):
    verdict = check(tensor(np.ones((2, 2))), typed)
    assert not verdict.correct and verdict.score == 0 and said in verdict.feedback.en


def test_shape_mismatch_names_a_scalar_and_a_vector():
    assert "a single number (a 0-d tensor)" in check(tensor(14.0), "[1, 2]").feedback.en
    assert "a 1-d tensor of 3 numbers" in check(tensor([1, 2, 3]), "1 2").feedback.en


def test_forgiven_shapes():
    assert check(tensor([[1, 2, 3]]), "1 2 3").correct  # rows without brackets: no leading 1
    assert check(tensor([5.0]), "5").correct
    scalar = check(tensor(14.0), "[14]")
    assert scalar.correct and "0-d" in scalar.feedback.en
    assert not check(tensor([[1, 2, 3]]), "[1, 2, 3]").correct  # brackets spell the shape


def test_partial_credit_is_the_share_of_right_elements(seed):
    expected = Expected("tensor", seed.grad)
    wrong_one = seed.grad.copy()
    wrong_one[1, 0] += 1
    verdict = check(expected, str(wrong_one.tolist()))
    assert not verdict.correct and verdict.score == pytest.approx(0.75)
    assert "3 of 4" in verdict.feedback.en and "[1, 0]" in verdict.feedback.en
    assert "4개 중 3개" in verdict.feedback.ko
    half = seed.grad.copy()
    half[0] += 10
    assert check(expected, str(half.tolist())).score == pytest.approx(0.5)


def test_integer_and_boolean_tensors():
    assert check(Expected("tensor", np.arange(4)), "tensor([0, 1, 2, 3])").correct
    assert check(Expected("tensor", np.array([True, False])), "[True, False]").correct
    assert not check(Expected("tensor", np.array([True, False])), "[False, False]").correct


# --- tolerance at float32 edges --------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "typed", "correct"),
    [
        (np.float32(0.1), "0.1", True),
        (np.nextafter(np.float32(1), np.float32(2)), "1", True),
        (np.float32(1) + np.float32(5e-6), "1", True),
        (np.float32(1) + np.float32(3e-5), "1", True),  # printed 1.0000
        (np.float32(1) + np.float32(3e-4), "1", False),  # printed 1.0003
        (np.float32(1) / np.float32(3), "0.3333", True),  # as PyTorch prints it
        (np.float32(1) / np.float32(3), "0.3335", False),  # 2 units off the printed 0.3333
        (np.float32(1) / np.float32(3), "0.33333334", True),  # as numpy prints it
        (np.float32(2) / np.float32(3), "0.6667", True),
        (np.float32(1e-8), "0", True),  # below the absolute floor
        (np.float32(1e-4), "0", False),
        (np.float32(-1e-5), "-0.0000", False),  # zero is zero however it is written
        (np.float32(-1e-5), "-1.0000e-05", True),
        (np.float32(123456.789), "1.2346e+05", True),
        (np.float32(123456.789), "1.2345e+05", False),
        (np.finfo(np.float32).max, "3.4028235e+38", True),
        (np.float32(np.exp(np.float32(1))), "2.7183", True),
        (np.float32(np.exp(np.float32(1))), "2.718", True),  # 3 significant digits, rounded
        (np.float32(np.exp(np.float32(1))), "2.7", False),  # 2 are too few
        (np.float32(np.exp(np.float32(1))), "2.719", False),
        (np.float32("nan"), "nan", True),
        (np.float32("inf"), "inf", True),
        (np.float32("inf"), "-inf", False),
    ],
)
def test_tolerance_at_float32_edges(expected, typed, correct):
    assert check(Expected("number", float(expected)), typed).correct is correct


def test_rounding_too_far_is_said():
    verdict = check(Expected("number", float(np.float32(2) / np.float32(3))), "0.67")
    assert not verdict.correct and "rounded" in verdict.feedback.en
    assert "rounded" not in check(Expected("number", 0.3), "0.5").feedback.en


def test_numbers_in_every_form():
    quarter = Expected("number", float(np.float32(1) / np.float32(4)))
    for text in ("0.25", "1/4", "2.5e-1", "+2.5e-1", "tensor(0.2500)", ".25"):
        assert check(quarter, text).correct, text
    fourteen = Expected("number", 14.0)
    for text in ("14", "14.", "14.0", "tensor(14., grad_fn=<SumBackward0>)", "1.4e1"):
        assert check(fourteen, text).correct, text
    assert "Expected one number" in check(fourteen, "14 15").feedback.en


# --- hypothesis: a tensor's own printouts grade correct ---------------------------------------

FLOATS = hnp.arrays(
    np.float32,
    hnp.array_shapes(min_dims=1, max_dims=2, max_side=4),
    elements=st.floats(width=32, allow_nan=False, allow_infinity=False),
)


def _rows(array: np.ndarray) -> str:
    rows = np.atleast_2d(array)
    return "; ".join(" ".join(repr(float(v)) for v in row) for row in rows)


@settings(max_examples=60, deadline=None)
@given(FLOATS)
def test_own_printed_forms_grade_correct(array):
    expected = Expected("tensor", array)
    for text in (str(array), repr(array), str(array.tolist()), _rows(array)):
        assert grade(QUESTION, expected, text).correct, text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FLOATS)
def test_pytorch_printouts_grade_correct(torch, array):
    printed = str(torch.from_numpy(array.copy()))
    assert grade(QUESTION, Expected("tensor", array), printed).correct, printed


# --- grad_fn names ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def names(torch):
    x = torch.ones(2, 2, requires_grad=True)
    return {
        "mul": (x * 3).grad_fn.name(),
        "sum": x.sum().grad_fn.name(),
        "sum1": x.sum(0).grad_fn.name(),
        "add": (x + 2).grad_fn.name(),
        "leaf": repr(x.grad_fn),
    }


def grad_fn(name: str, neighbours=()) -> Expected:
    return Expected("grad_fn", name, neighbours=tuple(neighbours))


def test_node_names_exact_and_forgiven(names):
    mul = grad_fn(names["mul"])
    exact = check(mul, "MulBackward0")
    assert exact.correct and exact.feedback.en == "Correct."
    for typed in ("mulbackward0", "Mul", "mul", "MulBackward", "MULBACKWARD0"):
        verdict = check(mul, typed)
        assert verdict.correct and "exactly MulBackward0" in verdict.feedback.en, typed
    for typed in ("<MulBackward0>", "grad_fn=<MulBackward0>", "<MulBackward0 object at 0x7f3a>"):
        assert check(mul, typed).feedback.en == "Correct.", typed


def test_node_name_overloads_and_leaves(names):
    overload = check(grad_fn(names["sum1"]), "SumBackward0")
    assert not overload.correct and overload.score == 0.5
    assert check(grad_fn(names["sum1"]), "sum").correct
    assert names["leaf"] == "None"
    assert check(grad_fn(names["leaf"]), "None").correct
    assert check(grad_fn(None), "none").correct
    leaf = check(grad_fn(names["leaf"]), "AddBackward0")
    assert not leaf.correct and "leaf" in leaf.feedback.en
    assert "has a grad_fn" in check(grad_fn(names["add"]), "None").feedback.en
    assert check(grad_fn("torch::autograd::AccumulateGrad"), "AccumulateGrad").correct


def test_unrelated_or_unreadable_node_names(names):
    assert not check(grad_fn(names["mul"]), "DivBackward0").correct
    assert check(grad_fn(names["mul"]), "DivBackward0").misconception is None
    for typed in ("x * 2", "__import__('os')", "Mul Backward", "1+1"):
        verdict = check(grad_fn(names["mul"]), typed)
        assert not verdict.correct and verdict.score == 0 and "one word" in verdict.feedback.en


# --- choices ----------------------------------------------------------------------------------

CHOICES = (
    Text("It stays the same", "그대로다"),
    Text("It becomes x.grad", "x.grad가 된다"),
    Text("It is zeroed", "0이 된다"),
)


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("1", True),
        ("1.", True),
        ("(1)", True),
        (" 1) ", True),
        ("It stays the same", True),
        ("it stays the same.", True),
        ("그대로다", True),
        ("2", False),
        ("It becomes x.grad", False),
        ("0이 된다", False),
    ],
)
def test_choices_by_number_and_by_text_in_both_languages(typed, correct):
    expected = Expected("choice", 0, choices=CHOICES)
    assert check(expected, typed).correct is correct


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("4", "no choice 4"),
        ("0", "no choice 0"),
        ("It", "whole text"),
        ("stays", "whole text"),
        ("banana", "whole text"),
    ],
)
def test_unreadable_choices(typed, problem):
    verdict = check(Expected("choice", 0, choices=CHOICES), typed)
    assert verdict.outcome == "unreadable" and verdict.score == 0
    assert problem in verdict.feedback.en


# --- outcomes ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def numpy_error(torch):
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x3 = (x + 2) * (x - 2)
    try:
        x3.numpy()
    except RuntimeError as error:
        return Outcome(type(error).__name__, str(error), None), x3.detach().numpy()
    pytest.fail("x3.numpy() did not raise")


@pytest.mark.parametrize(
    "typed",
    [
        "RuntimeError",
        "runtimeerror",
        "RuntimeError: Can't call numpy() on Tensor that requires grad.",
        "Can't call numpy() on Tensor that requires grad",
    ],
)
def test_outcome_error_named_or_described(numpy_error, typed):
    outcome, _ = numpy_error
    verdict = check(Expected("outcome", outcome), typed)
    assert verdict.correct and outcome.message in verdict.feedback.en


@pytest.mark.parametrize("typed", ["error", "it raises an exception", "오류가 난다", "에러"])
def test_outcome_that_only_says_it_raises_is_half_right_and_told_nothing(numpy_error, typed):
    outcome, _ = numpy_error
    verdict = check(Expected("outcome", outcome), typed)
    assert verdict.outcome == "partial" and verdict.score == 0.5
    assert outcome.message not in verdict.feedback.en and "RuntimeError" not in verdict.feedback.en


def test_outcome_wrong_error_type_and_value_instead_of_error(numpy_error):
    outcome, values = numpy_error
    other = check(Expected("outcome", outcome), "ValueError")
    assert not other.correct and other.score == 0
    assert "RuntimeError" not in other.feedback.en
    value = check(Expected("outcome", outcome), str(values.tolist()))
    assert not value.correct and value.misconception == "no-error-expected"


def test_outcome_values(numpy_error):
    _, values = numpy_error
    runs = Expected("outcome", Outcome(None, None, values))
    assert check(runs, repr(values)).correct
    assert check(runs, "; ".join(" ".join(f"{v:g}" for v in row) for row in values)).correct
    assert check(runs, "RuntimeError").misconception == "error-expected"
    assert check(Expected("outcome", Outcome(None, None, True)), "True").correct
    assert check(Expected("outcome", Outcome(None, None, np.bool_(False))), "참").correct is False
    assert check(Expected("outcome", Outcome(None, None, None)), "None").correct
    assert check(Expected("outcome", Outcome(None, None, 14.0)), "14.").correct
    dtype = Expected("outcome", Outcome(None, None, "torch.float32"))
    assert check(dtype, "torch.float32").correct and check(dtype, "float32").correct
    assert not check(dtype, "float64").correct


# --- hostile input and odd kinds ---------------------------------------------------------------

KINDS = [
    tensor([[1, 2], [3, 4]]),
    Expected("number", 14.0),
    Expected("grad_fn", "MulBackward0"),
    Expected("choice", 0, choices=CHOICES),
    Expected("outcome", Outcome("RuntimeError", "boom", None)),
    Expected("outcome", Outcome(None, None, np.ones(2))),
]


@pytest.mark.parametrize("expected", KINDS, ids=lambda e: e.kind)
@pytest.mark.parametrize(
    "text",
    [
        "x" * 1_000_000,
        "__import__('os').system('touch /tmp/pwned')",
        "[" * 4000 + "]" * 4000,
        "(" * 4000 + ")" * 4000,
        "",
        "\x00",
    ],
    ids=["1MB", "import", "brackets", "parens", "empty", "nul"],
)
def test_hostile_input_gets_one_line(expected, text):
    verdict = check(expected, text)
    assert not verdict.correct and verdict.score == 0


def test_unknown_kind_and_non_text():
    assert not check(Expected("mystery", 1), "1").correct
    assert not check(Expected("choice", "not an index"), "1").correct
    assert not bilingual(grade(QUESTION, tensor([1]), None)).correct  # type: ignore[arg-type]
