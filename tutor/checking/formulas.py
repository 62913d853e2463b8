"""Provides formula_feedback: a formula typed where numbers were asked (`2x` for x.grad),
evaluated on the program's own variables, so the learner hears whether it was the right one."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from tutor.text import Text

_LETTER = re.compile(r"[^\W\d_]")
_NOT_FORMULAS = re.compile(r"\b(?:tensor|array|nan|inf|infinity|grad_fn|requires_grad)\b", re.I)

RIGHT_FORMULA = Text(
    "Right formula — now type the numbers it gives.",
    "식은 맞습니다. 이제 그 식이 주는 숫자를 입력하세요.",
)
NUMBERS_WANTED = Text(
    "That is a formula; this question wants the numbers.",
    "식을 입력했습니다. 이 문제는 숫자를 묻습니다.",
)


def _arrays(bindings: Mapping[str, object]) -> dict[str, np.ndarray]:
    found = {}
    for name, value in bindings.items():
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        found[name] = array
    return found


def formula_values(text: str, bindings: Mapping[str, object]) -> np.ndarray | None:
    """What a typed formula gives on the program's variables, or None if it is not a formula
    over them (or mixes tensors of different shapes)."""
    if not _LETTER.search(_NOT_FORMULAS.sub("", text)):
        return None
    arrays = _arrays(bindings)
    if not arrays:
        return None
    from tutor.symbolic.functions import ELEMENTS, symbol
    from tutor.symbolic.parse import ExpressionError, parse
    from tutor.symbolic.probe import Unsupported, evaluate

    try:
        expr = parse(text, variables=tuple(arrays))
    except (ExpressionError, ValueError, TypeError, ArithmeticError, RecursionError):
        return None
    names = {s.name for s in expr.free_symbols if s != ELEMENTS}
    if not names or not names <= arrays.keys():
        return None
    shapes = {arrays[n].shape for n in names if arrays[n].size != 1}
    if len(shapes) > 1:
        return None
    shape = shapes.pop() if shapes else ()
    size = int(np.prod(shape)) if shape else 1
    values = {symbol(n): arrays[n].reshape(1, -1) for n in names}
    try:
        result = evaluate(expr, values, (1, size))
    except (Unsupported, ValueError, TypeError, ArithmeticError):
        return None
    return np.asarray(result, dtype=np.float64).reshape(shape)


def formula_feedback(
    text: str, expected: np.ndarray, bindings: Mapping[str, object]
) -> Text | None:
    """What to say to a formula typed for numbers: right formula, or numbers wanted; None when
    the text is not a formula over the program's variables."""
    from tutor.checking.detectors import same

    values = formula_values(text, bindings)
    if values is None:
        return None
    if expected.size == 1 and values.size > 1 and np.all(values == values.flat[0]):
        values = values.reshape(-1)[:1]  # a full reduction, broadcast back by the evaluator
    if values.size == expected.size and same(values.reshape(expected.shape), expected):
        return RIGHT_FORMULA
    return NUMBERS_WANTED
