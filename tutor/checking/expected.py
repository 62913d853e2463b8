"""Provides Expected and Outcome: what a question's right answer is, as the course computed it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tutor.text import Text

KINDS = ("tensor", "number", "expression", "choice", "grad_fn", "outcome", "backward-node")


@dataclass(frozen=True)
class Outcome:
    """What happens when a line runs: an error (type name and full message) or a value."""

    error: str | None
    message: str | None
    value: object | None


@dataclass(frozen=True)
class Expected:
    """The right answer of one question and the wrong answers a known misconception would give.

    `value` is an np.ndarray (tensor, backward-node), a float (number), a sympy.Expr (expression),
    a 0-based int index (choice), a node name str (grad_fn) or an Outcome (outcome).
    """

    kind: str
    value: object
    variables: tuple[str, ...] = ()
    choices: tuple[Text, ...] = ()
    alternatives: Mapping[str, object] = field(default_factory=dict)
    neighbours: tuple[str, ...] = ()
