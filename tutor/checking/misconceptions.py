"""Provides the named misconceptions: what each wrong idea is called, what to tell the learner,
and which questions it can explain (its roles).

Roles name what a question asks for: `gradient` (a .grad or what a backward node sends),
`value` (a forward value, a loss), `update` (a parameter after an update step), `derivative`
(a typed formula), `node` (a grad_fn name), `outcome` (whether a line raises), `choice`.
A misconception is detected, and may be named by a course, only on questions of its roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tutor.text import Text

ROLES = ("gradient", "value", "update", "derivative", "node", "outcome", "choice")


@dataclass(frozen=True)
class Misconception:
    """A known wrong idea: its id, a short title, what is wrong plus the right idea, and the
    roles of the questions it can explain."""

    id: str
    title: Text
    explanation: Text
    roles: frozenset[str]


def _m(id: str, roles: str, title: tuple[str, str], explanation: tuple[str, str]) -> Misconception:
    return Misconception(id, Text(*title), Text(*explanation), frozenset(roles.split()))


_ALL = (
    _m(
        "sign-flipped",
        "gradient",
        ("Sign flipped", "부호가 반대"),
        (
            "The sizes are right but every sign is the opposite one. "
            "Check the sign of each local derivative: ∂(a−b)/∂b = −1.",
            "크기는 맞지만 부호가 모두 반대입니다. 각 국소 미분의 부호를 확인하세요: ∂(a−b)/∂b = −1.",
        ),
    ),
    _m(
        "derivative-sign",
        "derivative",
        ("Sign flipped", "부호가 반대"),
        (
            "Your derivative has the opposite sign. Check each step that brings a minus sign: "
            "(−f)′ = −f′, (cos x)′ = −sin x, (1/x)′ = −1/x².",
            "미분의 부호가 반대입니다. 부호가 바뀌는 단계를 확인하세요: "
            "(−f)′ = −f′, (cos x)′ = −sin x, (1/x)′ = −1/x².",
        ),
    ),
    _m(
        "missing-upstream",
        "gradient",
        ("Upstream gradient left out", "상위 기울기 누락"),
        (
            "That is the local derivative alone. "
            "The chain rule multiplies it by the gradient flowing in: grad_input = local × grad_output.",
            "국소 미분만 구했습니다. "
            "연쇄 법칙은 들어오는 기울기를 곱합니다: grad_input = 국소 미분 × grad_output.",
        ),
    ),
    _m(
        "chain-inner-missing",
        "derivative gradient",
        ("Inner derivative left out", "안쪽 함수의 미분 누락"),
        (
            "That is the outer function's derivative alone. The chain rule also multiplies by "
            "the derivative of the inside: d/dx f(g(x)) = f′(g(x)) · g′(x).",
            "바깥 함수의 미분만 구했습니다. 연쇄 법칙은 안쪽 함수의 미분도 곱합니다: "
            "d/dx f(g(x)) = f′(g(x)) · g′(x).",
        ),
    ),
    _m(
        "doubled",
        "gradient",
        ("Twice the answer", "정답의 두 배"),
        (
            "Your numbers are exactly twice the right ones, as if a contribution were added twice. "
            "Each path through the graph adds its share once.",
            "정답의 정확히 두 배입니다. 기여분을 두 번 더한 것처럼 보입니다. "
            "그래프의 각 경로는 자기 몫을 한 번씩만 더합니다.",
        ),
    ),
    _m(
        "halved",
        "gradient",
        ("Half the answer", "정답의 절반"),
        (
            "Your numbers are exactly half the right ones, as if one of two contributions were missed. "
            "When a tensor is used twice (x * x), the gradients of both uses add up.",
            "정답의 정확히 절반입니다. 두 기여분 중 하나를 빠뜨린 것처럼 보입니다. "
            "텐서가 두 번 쓰이면 (x * x) 두 경로의 기울기를 모두 더합니다.",
        ),
    ),
    _m(
        "grad-not-accumulated",
        "gradient",
        ("backward() calls accumulate", "backward() 호출은 누적됨"),
        (
            "That is what the last backward() alone sends. .grad is not reset between "
            "backward() calls: each call adds to what is already there, until zero_grad() "
            "(or x.grad.zero_()) clears it.",
            "마지막 backward() 한 번이 보내는 값만 적었습니다. .grad는 backward() 호출 사이에 "
            "초기화되지 않습니다: 호출할 때마다 이미 있는 값에 더해지며, zero_grad() "
            "(또는 x.grad.zero_())로 지울 때까지 쌓입니다.",
        ),
    ),
    _m(
        "forward-value",
        "gradient",
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
        "gradient value update",
        ("Transposed", "전치됨"),
        (
            "Your answer is the right one transposed: rows and columns swapped. "
            "Element [i, j] stays at [i, j]; a gradient keeps its tensor's layout.",
            "정답을 전치한 것입니다: 행과 열이 바뀌었습니다. "
            "[i, j] 원소는 [i, j]에 그대로 있고, 기울기도 텐서와 같은 배치를 가집니다.",
        ),
    ),
    _m(
        "missing-mean-factor",
        "gradient",
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
        "gradient",
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
        "gradient",
        ("Shape of the output", "출력의 모양"),
        (
            "Your answer has the output's shape. "
            "A gradient always has the shape of the tensor it belongs to, not of the output.",
            "출력의 모양으로 답했습니다. 기울기는 항상 그 기울기를 가진 텐서의 모양이며 출력의 모양이 아닙니다.",
        ),
    ),
    _m(
        "wrong-node",
        "node",
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
        "value update choice",
        ("backward() does not change values", "backward()는 값을 바꾸지 않음"),
        (
            "backward() only fills .grad; every tensor keeps its values. "
            "Values change only in an update such as optimizer.step() or w -= lr * w.grad.",
            "backward()는 .grad만 채우며 텐서의 값은 그대로입니다. "
            "값은 optimizer.step()이나 w -= lr * w.grad 같은 갱신에서만 바뀝니다.",
        ),
    ),
    _m(
        "update-direction",
        "update",
        ("Stepped up the gradient", "기울기 방향으로 이동"),
        (
            "Your update moved the parameter the other way. Gradient descent steps against the "
            "gradient: w ← w − lr · w.grad, so the loss goes down.",
            "갱신 방향이 반대입니다. 경사 하강법은 기울기의 반대 방향으로 움직입니다: "
            "w ← w − lr · w.grad, 그래야 손실이 줄어듭니다.",
        ),
    ),
    _m(
        "not-differentiated",
        "derivative",
        ("The function, not its derivative", "미분하지 않은 원래 함수"),
        (
            "That is the function itself. The question asks for its derivative: how fast it "
            "changes as the variable changes (for x² that is 2x).",
            "미분하기 전의 함수 자체를 적었습니다. 묻는 것은 도함수, 즉 변수가 변할 때 함수가 "
            "변하는 빠르기입니다 (x²이면 2x).",
        ),
    ),
    _m(
        "constant-factor",
        "derivative",
        ("Off by a constant factor", "상수배 차이"),
        (
            "Your expression is the right one times a constant. "
            "Check the constant multiple rule: (c·f)′ = c·f′, and the inner derivative of the chain rule.",
            "정답에 상수를 곱한 식입니다. 상수배 법칙 (c·f)′ = c·f′ 과 연쇄 법칙의 안쪽 미분을 확인하세요.",
        ),
    ),
    _m(
        "constant-offset",
        "derivative",
        ("Off by a constant", "상수 차이"),
        (
            "Your expression differs from the right one by a constant term. "
            "A constant differentiates to 0: (f + c)′ = f′.",
            "정답과 상수항만큼 다릅니다. 상수의 미분은 0입니다: (f + c)′ = f′.",
        ),
    ),
    _m(
        "error-expected",
        "outcome",
        ("No error here", "여기서는 오류가 없음"),
        (
            "This line runs without an error. PyTorch raises only when a rule is broken; "
            "check what the line gives instead.",
            "이 줄은 오류 없이 실행됩니다. PyTorch는 규칙을 어길 때만 오류를 냅니다. "
            "이 줄이 무엇을 내놓는지 확인하세요.",
        ),
    ),
    _m(
        "no-error-expected",
        "outcome",
        ("It raises an error", "오류가 발생함"),
        (
            "This line does not run to the end: it raises an error. "
            "Which of PyTorch's rules does it break?",
            "이 줄은 끝까지 실행되지 않고 오류를 냅니다. PyTorch의 어떤 규칙을 어기는지 생각해 보세요.",
        ),
    ),
)

MISCONCEPTIONS: Mapping[str, Misconception] = {m.id: m for m in _ALL}


def fits(misconception: str, role: str) -> bool:
    """Whether a known misconception can explain a wrong answer to a question of `role`."""
    known = MISCONCEPTIONS.get(misconception)
    return known is not None and role in known.roles


def feedback_for(misconception: str) -> Text:
    """The learner-facing feedback naming a misconception and the right idea."""
    m = MISCONCEPTIONS[misconception]
    return Text(
        f"Not quite — {m.title.en}: {m.explanation.en}",
        f"아쉽습니다 — {m.title.ko}: {m.explanation.ko}",
    )
