"""Each named misconception detected from a realistic expected/alternatives pair, and only then."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest

from tutor.checking import MISCONCEPTIONS, Expected, Outcome, Verdict, grade

QUESTION = SimpleNamespace(id="q", kind="tensor")
REQUIRED = {
    "sign-flipped",
    "missing-upstream",
    "doubled",
    "halved",
    "forward-value",
    "transposed",
    "missing-mean-factor",
    "broadcast-not-summed",
    "output-shape",
    "wrong-node",
    "backward-changes-values",
}


ROLES = {"backward-changes-values": "value"}


def role_of(mid: str) -> str:
    return ROLES.get(mid, "gradient")


def check(expected: Expected, text: str) -> Verdict:
    verdict = grade(QUESTION, expected, text)
    en, ko = verdict.feedback.en, verdict.feedback.ko
    assert en.strip() and ko.strip() and en != ko and "\n" not in en + ko
    assert 0.0 <= verdict.score <= 1.0
    return verdict


def typed(array) -> str:
    """How a learner types a tensor: rows of numbers."""
    array = np.atleast_1d(np.asarray(array, dtype=np.float64))
    return str(array.tolist())


def test_registry_names_every_required_misconception_in_both_languages():
    assert set(MISCONCEPTIONS) >= REQUIRED
    for mid, m in MISCONCEPTIONS.items():
        assert m.id == mid
        for text in (m.title, m.explanation):
            assert text.en.strip() and text.ko.strip() and text.en != text.ko
        assert re.search(r"[가-힣]", m.explanation.ko)
        # one sentence saying what is wrong, then the pointer to the right idea
        assert m.explanation.en.count(". ") >= 1


@pytest.fixture(scope="module")
def scenarios(torch):
    """Real PyTorch programs; each gives (expected, alternatives, the misconceived answer)."""
    out = {}
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    ((x + 2) * (2 - x)).sum().backward()  # ∂/∂x = −2x: a learner forgetting Rsub's −1 types 2x
    out["sign-flipped"] = (x.grad.numpy(), {}, -x.grad.numpy())

    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    (3 * x.exp()).sum().backward()
    local = x.detach().exp().numpy()  # exp's local derivative, without the upstream 3
    out["missing-upstream"] = (x.grad.numpy(), {"missing-upstream": local}, local)

    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    (x * x).sum().backward()  # 2x; counting both uses *and* the power rule gives 4x
    out["doubled"] = (x.grad.numpy(), {}, 2 * x.grad.numpy())

    x = torch.FloatTensor([1, 2, 3]).requires_grad_(True)
    (x + x).sum().backward()  # 2 each; one path missed gives 1
    out["halved"] = (x.grad.numpy(), {}, np.ones(3))

    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    ((x + 2) * (x - 2)).sum().backward()
    value = x.detach().numpy()
    out["forward-value"] = (x.grad.numpy(), {"forward-value": value}, value)

    a = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    b = torch.FloatTensor([[5, 6], [7, 8]])
    (a @ b).sum().backward()  # a.grad = 1 @ bᵀ, not symmetric
    out["transposed"] = (a.grad.numpy(), {}, a.grad.numpy().T)

    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x.mean().backward()
    as_sum = x.grad.numpy() * x.numel()
    out["missing-mean-factor"] = (x.grad.numpy(), {"missing-mean-factor": as_sum}, as_sum)

    a = torch.arange(6.0).reshape(2, 3)
    b = torch.FloatTensor([1, 2, 3]).requires_grad_(True)
    (a * b).sum().backward()  # b.grad = a.sum(0); the unreduced gradient is a itself
    unreduced = a.numpy() * np.ones((2, 3), dtype=np.float32)
    out["broadcast-not-summed"] = (b.grad.numpy(), {"broadcast-not-summed": unreduced}, unreduced)

    x = torch.ones(2, 3)
    w = torch.FloatTensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]).requires_grad_(True)
    out_ = x @ w
    out_.sum().backward()  # w.grad is 3×4 like w; the output is 2×4
    out["output-shape"] = (
        w.grad.numpy(),
        {"output-shape": np.ones(tuple(out_.shape))},
        np.ones((2, 4)) * 7,
    )

    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    ((x + 2) * (x - 2)).sum().backward()
    stepped = (x - x.grad).detach().numpy()  # as if backward() had updated x
    out["backward-changes-values"] = (
        x.detach().numpy(),
        {"backward-changes-values": stepped},
        stepped,
    )
    return out


VALUE_IDS = sorted(REQUIRED - {"wrong-node"})


@pytest.mark.parametrize("mid", VALUE_IDS)
def test_detected_from_a_realistic_pair(scenarios, mid):
    expected, alternatives, answer = scenarios[mid]
    question = Expected("tensor", expected, alternatives=alternatives, role=role_of(mid))
    verdict = check(question, typed(answer))
    assert not verdict.correct and verdict.misconception == mid
    title = MISCONCEPTIONS[mid].title
    assert title.en in verdict.feedback.en and title.ko in verdict.feedback.ko


@pytest.mark.parametrize("mid", VALUE_IDS)
def test_not_triggered_on_the_right_answer(scenarios, mid):
    expected, alternatives, _ = scenarios[mid]
    question = Expected("tensor", expected, alternatives=alternatives, role=role_of(mid))
    verdict = check(question, typed(expected))
    assert verdict.correct and verdict.misconception is None


@pytest.mark.parametrize("mid", VALUE_IDS)
def test_not_triggered_on_an_unrelated_answer(scenarios, mid):
    expected, alternatives, _ = scenarios[mid]
    rng = np.random.default_rng(7)
    unrelated = rng.uniform(100, 200, size=np.shape(expected)).round(1)
    question = Expected("tensor", expected, alternatives=alternatives, role=role_of(mid))
    verdict = check(question, typed(unrelated))
    assert not verdict.correct and verdict.misconception is None


def test_value_only_detectors_need_no_alternatives(scenarios):
    for mid in ("sign-flipped", "doubled", "halved", "transposed"):
        expected, alternatives, answer = scenarios[mid]
        assert alternatives == {}
        question = Expected("tensor", expected, role="gradient")
        assert check(question, typed(answer)).misconception == mid


def test_transposed_non_square_is_a_shape_mismatch_named_as_such(torch):
    a = torch.arange(6.0).reshape(2, 3).requires_grad_(True)
    b = torch.arange(6.0).reshape(3, 2)
    (a @ b).sum().backward()
    question = Expected("tensor", a.grad.numpy(), role="gradient")
    verdict = check(question, typed(a.grad.numpy().T))
    assert verdict.misconception == "transposed" and verdict.score == 0


def test_symmetric_or_zero_expectations_name_nothing():
    zeros = Expected("tensor", np.zeros((2, 2), dtype=np.float32), role="gradient")
    assert check(zeros, "[[1, 1], [1, 1]]").misconception is None
    symmetric = Expected("tensor", np.array([[1, 2], [2, 1]], dtype=np.float32), role="gradient")
    assert check(symmetric, "[[1, 2], [2, 5]]").misconception is None


def test_partial_credit_survives_a_named_misconception(scenarios):
    expected, _, _ = scenarios["sign-flipped"]
    with_zero = np.array([[0.0, 2.0], [-4.0, 6.0]], dtype=np.float32)
    verdict = check(Expected("tensor", with_zero, role="gradient"), typed(-with_zero))
    assert verdict.misconception == "sign-flipped" and verdict.score == pytest.approx(0.25)
    assert expected.shape == with_zero.shape


def test_number_questions_detect_sign_and_factor(torch):
    x = torch.tensor(3.0, requires_grad=True)
    (x**3).backward()
    grad, value = float(x.grad), float(x.detach())
    expected = Expected("number", grad, alternatives={"forward-value": value}, role="gradient")
    assert check(expected, f"{-grad:g}").misconception == "sign-flipped"
    assert check(expected, f"{grad / 2:g}").misconception == "halved"
    assert check(expected, f"{value:g}").misconception == "forward-value"
    assert check(expected, "17").misconception is None


def test_wrong_node_from_the_graph(torch):
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1 = x + 2
    x3 = x1 * (x - 2)
    y = x3.sum()
    before = x3.grad_fn.next_functions[0][0].name()
    after = y.grad_fn.name()
    expected = Expected("grad_fn", x3.grad_fn.name(), neighbours=(before, after))
    for name in (before, after, after.lower()):
        verdict = check(expected, name)
        assert not verdict.correct and verdict.misconception == "wrong-node"
    assert check(expected, "DivBackward0").misconception is None
    assert check(expected, x3.grad_fn.name()).misconception is None


def test_choice_alternatives_name_the_misconception():
    from tutor.text import Text

    choices = (Text("It is unchanged", "그대로다"), Text("It is x - x.grad", "x - x.grad가 된다"))
    expected = Expected("choice", 0, choices=choices, alternatives={"backward-changes-values": 1})
    assert check(expected, "2").misconception == "backward-changes-values"
    assert check(expected, "1").correct


def test_outcome_misconceptions():
    raises = Expected("outcome", Outcome("RuntimeError", "boom", None))
    runs = Expected("outcome", Outcome(None, None, np.array([1.0, 2.0])))
    assert check(raises, "[1, 2]").misconception == "no-error-expected"
    assert check(runs, "RuntimeError").misconception == "error-expected"
    assert check(raises, "RuntimeError").misconception is None


def test_unknown_alternative_ids_are_ignored():
    expected = Expected("tensor", np.ones(2), alternatives={"made-up": np.zeros(2)})
    assert check(expected, "[0, 0]").misconception is None


@pytest.mark.parametrize("role", ["value", "update"])
def test_gradient_detectors_never_explain_values_or_updates(scenarios, role):
    """A forward value or an updated parameter typed with a flipped sign, doubled or halved is
    wrong, but no talk of local derivatives or accumulation fits it."""
    for mid in ("sign-flipped", "doubled", "halved", "forward-value", "missing-mean-factor"):
        expected, alternatives, answer = scenarios[mid]
        verdict = check(
            Expected("tensor", expected, alternatives=alternatives, role=role), typed(answer)
        )
        assert not verdict.correct and verdict.misconception is None, mid
        assert ".grad" not in verdict.feedback.en and "derivative" not in verdict.feedback.en


def test_value_misconceptions_never_explain_gradients(scenarios):
    expected, alternatives, answer = scenarios["backward-changes-values"]
    question = Expected("tensor", expected, alternatives=alternatives, role="gradient")
    assert check(question, typed(answer)).misconception != "backward-changes-values"


def test_a_transposed_value_is_named_on_value_questions(scenarios):
    expected, _, answer = scenarios["transposed"]
    assert (
        check(Expected("tensor", expected, role="value"), typed(answer)).misconception
        == "transposed"
    )
