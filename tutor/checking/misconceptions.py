"""Provides the named misconceptions and the detectors that recognise them in a wrong answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tutor.checking.tolerance import ATOL, all_within
from tutor.text import Text


@dataclass(frozen=True)
class Misconception:
    """A known wrong idea: its id, a short title and what is wrong plus the right idea."""

    id: str
    title: Text
    explanation: Text


def _m(id: str, title: tuple[str, str], explanation: tuple[str, str]) -> Misconception:
    return Misconception(id, Text(*title), Text(*explanation))


_ALL = (
    _m(
        "sign-flipped",
        ("Sign flipped", "부호가 반대"),
        (
            "The sizes are right but every sign is the opposite one. "
            "Check the sign of each local derivative: ∂(a−b)/∂b = −1.",
            "크기는 맞지만 부호가 모두 반대입니다. 각 국소 미분의 부호를 확인하세요: ∂(a−b)/∂b = −1.",
        ),
    ),
    _m(
        "missing-upstream",
        ("Upstream gradient left out", "상위 기울기 누락"),
        (
            "That is the local derivative alone. "
            "The chain rule multiplies it by the gradient flowing in: grad_input = local × grad_output.",
            "국소 미분만 구했습니다. "
            "연쇄 법칙은 들어오는 기울기를 곱합니다: grad_input = 국소 미분 × grad_output.",
        ),
    ),
    _m(
        "doubled",
        ("Twice the answer", "정답의 두 배"),
        (
            "Your numbers are exactly twice the right ones, as if a contribution were added twice. "
            "Each path adds its share once; .grad accumulates only across separate backward() calls.",
            "정답의 정확히 두 배입니다. 기여분을 두 번 더한 것처럼 보입니다. "
            "각 경로는 한 번씩만 더해지고, .grad는 backward()를 따로 여러 번 호출할 때만 누적됩니다.",
        ),
    ),
    _m(
        "halved",
        ("Half the answer", "정답의 절반"),
        (
            "Your numbers are exactly half the right ones, as if one of two contributions were missed. "
            "When a tensor is used twice (x * x), the gradients of both uses add up.",
            "정답의 정확히 절반입니다. 두 기여분 중 하나를 빠뜨린 것처럼 보입니다. "
            "텐서가 두 번 쓰이면 (x * x) 두 경로의 기울기를 모두 더합니다.",
        ),
    ),
    _m(
        "forward-value",
        ("Forward value, not the gradient", "기울기가 아닌 순전파 값"),
        (
            "That is the tensor's value from the forward pass. "
            "A gradient says how much the output changes per unit change of the tensor; "
            "backward() computes it separately into .grad.",
            "순전파에서의 텐서 값을 입력했습니다. "
            "기울기는 텐서가 조금 변할 때 출력이 얼마나 변하는지이며, backward()가 .grad에 따로 계산합니다.",
        ),
    ),
    _m(
        "transposed",
        ("Transposed", "전치됨"),
        (
            "Your answer is the right one transposed. "
            "A gradient keeps its tensor's layout: element [i, j] of .grad belongs to element [i, j].",
            "정답을 전치한 것입니다. "
            "기울기는 텐서와 같은 배치를 가집니다: .grad의 [i, j] 원소는 텐서의 [i, j] 원소의 것입니다.",
        ),
    ),
    _m(
        "missing-mean-factor",
        ("1/N of the mean missing", "평균의 1/N 누락"),
        (
            "Your numbers are N times too big, as if mean() were sum(). "
            "mean() divides by the number of elements N, so each gradient carries a factor 1/N.",
            "숫자가 N배 큽니다. mean()을 sum()처럼 다룬 것입니다. "
            "mean()은 원소 개수 N으로 나누므로 각 기울기에 1/N이 곱해집니다.",
        ),
    ),
    _m(
        "broadcast-not-summed",
        ("Broadcast gradient not summed back", "브로드캐스트된 기울기를 합치지 않음"),
        (
            "Your answer has the shape of the broadcast result. "
            "A broadcast tensor gets the gradient summed over the broadcast dimensions, "
            "so .grad has the tensor's own shape.",
            "브로드캐스트된 결과의 모양으로 답했습니다. "
            "브로드캐스트된 텐서는 늘어난 차원을 따라 기울기를 더하므로 .grad는 텐서 자신의 모양입니다.",
        ),
    ),
    _m(
        "output-shape",
        ("Shape of the output", "출력의 모양"),
        (
            "Your answer has the output's shape. "
            "A gradient always has the shape of the tensor it belongs to, not of the output.",
            "출력의 모양으로 답했습니다. 기울기는 항상 그 기울기를 가진 텐서의 모양이며 출력의 모양이 아닙니다.",
        ),
    ),
    _m(
        "wrong-node",
        ("A neighbouring node", "이웃한 노드"),
        (
            "That node is in the graph, but it is the one before or after. "
            "grad_fn names the operation that created this very tensor.",
            "그 노드는 그래프에 있지만 바로 앞이나 뒤의 노드입니다. "
            "grad_fn은 바로 이 텐서를 만든 연산의 이름입니다.",
        ),
    ),
    _m(
        "backward-changes-values",
        ("backward() does not change values", "backward()는 값을 바꾸지 않음"),
        (
            "backward() only fills .grad; every tensor keeps its values. "
            "Values change only in an update such as optimizer.step() or w -= lr * w.grad.",
            "backward()는 .grad만 채우며 텐서의 값은 그대로입니다. "
            "값은 optimizer.step()이나 w -= lr * w.grad 같은 갱신에서만 바뀝니다.",
        ),
    ),
    _m(
        "constant-factor",
        ("Off by a constant factor", "상수배 차이"),
        (
            "Your expression is the right one times a constant. "
            "Check the constant multiple rule: (c·f)′ = c·f′.",
            "정답에 상수를 곱한 식입니다. 상수배 법칙을 확인하세요: (c·f)′ = c·f′.",
        ),
    ),
    _m(
        "constant-offset",
        ("Off by a constant", "상수 차이"),
        (
            "Your expression differs from the right one by a constant term. "
            "A constant differentiates to 0: (f + c)′ = f′.",
            "정답과 상수항만큼 다릅니다. 상수의 미분은 0입니다: (f + c)′ = f′.",
        ),
    ),
    _m(
        "error-expected",
        ("No error here", "여기서는 오류가 없음"),
        (
            "This line runs without an error. "
            "PyTorch raises only when a rule is broken, e.g. numpy() on a tensor that requires grad.",
            "이 줄은 오류 없이 실행됩니다. "
            "PyTorch는 규칙을 어길 때만 오류를 냅니다 (예: grad가 필요한 텐서에 numpy() 호출).",
        ),
    ),
    _m(
        "no-error-expected",
        ("It raises an error", "오류가 발생함"),
        (
            "This line raises an error instead of giving a value. "
            "Look for the rule it breaks, e.g. numpy() needs detach() on a tensor that requires grad.",
            "이 줄은 값을 내지 않고 오류를 냅니다. "
            "어떤 규칙을 어기는지 찾아보세요 (예: grad가 필요한 텐서는 detach() 후에 numpy()).",
        ),
    ),
)

MISCONCEPTIONS: Mapping[str, Misconception] = {m.id: m for m in _ALL}


def feedback_for(misconception: str) -> Text:
    """The learner-facing feedback naming a misconception and the right idea."""
    m = MISCONCEPTIONS[misconception]
    return Text(
        f"Not quite — {m.title.en}: {m.explanation.en}",
        f"아쉽습니다 — {m.title.ko}: {m.explanation.ko}",
    )


def _as_array(value: object) -> np.ndarray | None:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def numeric_alternatives(alternatives: Mapping[str, object]) -> list[tuple[str, np.ndarray]]:
    """The course's alternatives that are numbers, keyed by a known misconception id."""
    found = []
    for mid, value in alternatives.items():
        array = _as_array(value) if mid in MISCONCEPTIONS else None
        if array is not None:
            found.append((mid, array))
    return found


def detect_values(
    values: np.ndarray,
    allowance: np.ndarray,
    expected: np.ndarray,
    alternatives: Mapping[str, object],
) -> str | None:
    """The misconception a wrong answer of the right shape shows, if one fits all its numbers."""
    for mid, alt in numeric_alternatives(alternatives):
        if mid == "output-shape" or alt.shape != expected.shape:
            continue
        if not all_within(alt, 0.0, expected) and all_within(values, allowance, alt):
            return mid
    if np.any(np.abs(expected) > ATOL):
        for mid, guess in (
            ("sign-flipped", -expected),
            ("doubled", 2 * expected),
            ("halved", expected / 2),
        ):
            if all_within(values, allowance, guess):
                return mid
    if (
        expected.ndim == 2
        and expected.shape[0] == expected.shape[1]
        and not all_within(expected.T, 0.0, expected)
        and all_within(values, allowance, expected.T)
    ):
        return "transposed"
    return None


def detect_shape(
    values: np.ndarray,
    allowance: np.ndarray,
    expected: np.ndarray,
    alternatives: Mapping[str, object],
) -> str | None:
    """The misconception an answer of the wrong shape shows, if one fits."""
    for mid, alt in numeric_alternatives(alternatives):
        if alt.shape != values.shape or alt.shape == expected.shape:
            continue
        if mid == "output-shape" or all_within(values, allowance, alt):
            return mid
    if (
        expected.ndim == 2
        and values.shape == expected.shape[::-1]
        and all_within(values, allowance, expected.T)
    ):
        return "transposed"
    return None
