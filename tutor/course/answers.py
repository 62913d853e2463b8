"""Provides expected_answer: a question's Expected, computed from the program's state at its step."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from tutor.course.model import Question
from tutor.course.roles import predicted, role
from tutor.course.values import (
    AnswerError,
    next_node_names,
    node_name,
    plain,
    same_value,
    to_array,
    to_number,
)

_LIFTED = re.compile(r"\s*d\s*/\s*d([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*\Z")


class State(Protocol):
    """The program's state at a step, as the answers need it."""

    def evaluate(self, text: str) -> object: ...  # AnswerError on any failure

    def outcome(self, text: str) -> tuple[str | None, str | None, object]: ...

    def node_gradients(self) -> tuple[tuple[object, ...], tuple[object, ...]] | None: ...

    def lift(self, variable: str, wrt: str) -> object: ...

    def history(self, name: str) -> list[tuple[Any, Any]]: ...

    def bindings(self) -> dict[str, object]: ...


def expected_answer(question: Question, state: State) -> Any:
    """The Expected (tutor.checking) for `question` at `state`; AnswerError says why not."""
    from tutor.checking.expected import Expected

    kind = question.kind
    convert = _CONVERTERS[kind]
    extra: dict[str, Any] = {}
    if kind == "expression":
        value, variables = _expression(question, state)
        extra["variables"] = variables
    elif kind == "backward-node":
        value = convert(_node_gradient(question.answer or "", state), question.answer)
    elif kind == "outcome":
        value = _outcome(question.answer or "", state)
    else:
        value = convert(state.evaluate(question.answer or ""), question.answer)
    if kind == "choice":
        value, extra["choices"] = (
            _choice_index(question, value),
            tuple(c.text for c in question.choices),
        )
    if kind == "grad_fn":
        extra["neighbours"] = _neighbours(question.answer or "", state)
    extra["role"] = role(kind, question.answer or "", state)
    extra["alternatives"] = _alternatives(question, state, value, extra["role"])
    if kind in ("tensor", "number", "backward-node", "outcome"):
        extra["bindings"] = state.bindings()
    return Expected(kind=kind, value=value, **extra)


def _expression(question: Question, state: State) -> tuple[object, tuple[str, ...]]:
    import sympy

    from tutor.symbolic.functions import symbol

    if question.derivative is not None:
        function = _parse(question.derivative.of, (question.derivative.wrt,))
        wrt = symbol(question.derivative.wrt)
        names = tuple(sorted({s.name for s in function.free_symbols} | {wrt.name}))
        return sympy.diff(function, wrt), names
    match = _LIFTED.match(question.answer or "")
    if match is None:
        raise AnswerError(
            f"expression answer `{question.answer}` must be `d/dx y` or a "
            "`derivative = {{ of = …, wrt = … }}` table"
        )
    wrt, variable = match.groups()
    derivative = state.lift(variable, wrt)
    names = tuple(sorted(s.name for s in getattr(derivative, "free_symbols", ())) or (wrt,))
    return derivative, names


def _parse(text: str, variables: tuple[str, ...] = ()) -> Any:
    try:
        from tutor.symbolic.parse import parse
    except ImportError:
        raise AnswerError("tutor.symbolic.parse is not available") from None
    try:
        return parse(text, variables=variables)
    except Exception as error:  # the parser's own refusal, whatever its class
        raise AnswerError(f"cannot parse `{text}`: {error}") from None


def _outcome(text: str, state: State) -> Any:
    from tutor.checking.expected import Outcome

    error, message, value = state.outcome(text)
    if error is not None:
        return Outcome(error=error, message=message, value=None)
    value = plain(value)
    if value is not None and not isinstance(value, bool | int | float | str):
        value = to_array(value, f"`{text}`")
    return Outcome(error=None, message=None, value=value)


def _node_gradient(text: str, state: State) -> object:
    if state.node_gradients() is None:
        raise AnswerError("a backward-node question needs a step with `node`")
    value = state.evaluate(text)
    if value is None:
        raise AnswerError(f"`{text}` is None: no gradient flows there")
    return value


def _choice_index(question: Question, value: object) -> int:
    value = plain(value)
    matches = [i for i, c in enumerate(question.choices) if same_value(plain(c.value), value)]
    if len(matches) != 1:
        which = "no choice" if not matches else f"{len(matches)} choices"
        raise AnswerError(f"answer `{question.answer}` is {value!r}, which matches {which}")
    return matches[0]


def _neighbours(text: str, state: State) -> tuple[str, ...]:
    value = state.evaluate(text)
    node = getattr(value, "grad_fn", value) if not hasattr(value, "next_functions") else value
    return next_node_names(node) if node is not None else ()


def _alternatives(question: Question, state: State, value: object, role_: str) -> dict[str, object]:
    """What a learner holding each misconception would answer: the lesson's own, and what the
    program's history predicts (tutor.course.roles: the tensor itself for its .grad, …)."""
    alternatives: dict[str, object] = {}
    kind = question.kind
    if role_ in ("gradient", "update") and kind in ("tensor", "number"):
        alternatives.update(predicted(role_, question.answer or "", state, value))
    variables = (question.derivative.wrt,) if question.derivative else ()
    for misconception, text in question.misconceptions.items():
        if kind == "expression":
            alternatives[misconception] = _parse(text, variables)
        elif kind == "choice":
            alternatives[misconception] = _choice_index(question, state.evaluate(text))
        elif kind == "outcome":
            alternatives[misconception] = _outcome(text, state)
        elif kind == "backward-node":
            alternatives[misconception] = to_array(_node_gradient(text, state), f"`{text}`")
        else:
            alternatives[misconception] = _CONVERTERS[kind](state.evaluate(text), text)
    return alternatives


_CONVERTERS: dict[str, Callable[[object, str | None], Any]] = {
    "tensor": lambda v, t: to_array(v, f"`{t}`"),
    "backward-node": lambda v, t: to_array(v, f"`{t}`"),
    "number": lambda v, t: to_number(v, f"`{t}`"),
    "grad_fn": lambda v, t: node_name(v, f"`{t}`"),
    "choice": lambda v, t: v,
    "outcome": lambda v, t: v,
    "expression": lambda v, t: v,
}
