"""Provides grading of grad_fn node names, forgiving case and a missing `Backward0` suffix."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from tutor.checking.answers import check_length
from tutor.checking.misconceptions import MISCONCEPTIONS, feedback_for
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text

_NAME = re.compile(r"[A-Za-z_][\w:]*")
_SUFFIX = re.compile(r"backward(\d*)$", re.IGNORECASE)
_NONE = {"none", "null", "nothing", "없음"}


def read_node_name(text: str) -> str:
    """The node name inside the usual spellings: `grad_fn=<MulBackward0>`, `<… object at 0x…>`,
    quotes, `torch::autograd::AccumulateGrad`; raises ValueError when it is not a name."""
    name = unicodedata.normalize("NFKC", text).strip().strip("`'\"").strip()
    name = re.sub(r"^(?:\w+\.)?grad_fn\s*[=:]\s*", "", name)
    name = name.strip("<>( )")
    head, found, address = name.partition(" object at 0x")
    if found and re.fullmatch(r"[0-9a-fA-F]+", address):
        name = head.strip("<> ")
    name = name.removeprefix("torch::autograd::").removesuffix("()")
    if not _NAME.fullmatch(name):
        raise ValueError(name)
    return name


def _split(name: str) -> tuple[str, str | None]:
    """(`Mul`, `0`) for MulBackward0, (`Mul`, None) for Mul or MulBackward: the op and its overload."""
    m = _SUFFIX.search(name)
    if m is None:
        return name.lower(), None
    return name[: m.start()].lower(), m[1] or None


def match(typed: str, name: str) -> str | None:
    """How a typed name matches a node name: `exact`, `forgiven`, `overload` (same op, another
    numbered form) or None."""
    if typed == name:
        return "exact"
    if name.lower() in _NONE:
        return "exact" if typed.lower() in _NONE else None
    if typed.lower() == name.lower():
        return "forgiven"
    typed_op, typed_form = _split(typed)
    op, form = _split(name)
    if typed_op != op or not op:
        return None
    if typed_form is not None and form is not None and typed_form != form:
        return "overload"
    return "forgiven"


def _matches_any(typed: str, names: Iterable[object]) -> bool:
    return any(isinstance(n, str) and match(typed, n) in ("exact", "forgiven") for n in names)


def grade_grad_fn(
    expected: str,
    text: str,
    neighbours: tuple[str, ...] = (),
    alternatives: Mapping[str, object] | None = None,
) -> Verdict:
    """Grade a typed grad_fn name against the node PyTorch reports."""
    check_length(text)
    try:
        typed = read_node_name(text)
        expected = read_node_name(expected) if expected.strip() else "None"
    except ValueError:
        return unreadable(
            Text(
                "A node name is one word, like MulBackward0 (or None for a leaf).",
                "노드 이름은 MulBackward0 같은 한 단어입니다 (잎 노드는 None).",
            )
        )
    how = match(typed, expected)
    if how == "exact":
        return right()
    if how == "forgiven":
        return right(
            Text(
                f"PyTorch writes it exactly {expected}.", f"PyTorch는 정확히 {expected}라고 씁니다."
            )
        )
    if how == "overload":
        return wrong(
            Text(
                "Right operation, but another numbered form of it: the digit tells which "
                "overload made the tensor (sum() and sum(dim) differ).",
                "연산은 맞지만 번호가 다른 형태입니다: 끝의 숫자는 텐서를 만든 오버로드를 "
                "구분합니다 (sum()과 sum(dim)은 다릅니다).",
            ),
            0.5,
        )
    for mid, value in (alternatives or {}).items():
        if mid in MISCONCEPTIONS and _matches_any(typed, [value]):
            return wrong(feedback_for(mid), 0.0, mid)
    if _matches_any(typed, neighbours):
        return wrong(feedback_for("wrong-node"), 0.0, "wrong-node")
    if expected.lower() in _NONE:
        return wrong(
            Text(
                "This tensor is a leaf (made by you, not by an operation), so its grad_fn is None.",
                "이 텐서는 잎 노드(연산이 아니라 직접 만든 텐서)이므로 grad_fn은 None입니다.",
            )
        )
    if typed.lower() in _NONE:
        return wrong(
            Text(
                "It has a grad_fn: an operation on a tensor that requires grad created it.",
                "grad_fn이 있습니다: grad가 필요한 텐서에 대한 연산이 이 텐서를 만들었습니다.",
            )
        )
    return wrong(
        Text(
            "Not that node. PyTorch names it after the forward operation: a * b → MulBackward0.",
            "그 노드가 아닙니다. PyTorch는 순전파 연산의 이름을 따릅니다: a * b → MulBackward0.",
        )
    )
