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
    `role` says what the question asks for (tutor.checking.misconceptions.ROLES), so that only
    misconceptions that can explain it are named. `bindings` are the program's numeric
    variables at the question's step, to evaluate a formula typed where numbers were asked.
    """

    kind: str
    value: object
    variables: tuple[str, ...] = ()
    choices: tuple[Text, ...] = ()
    alternatives: Mapping[str, object] = field(default_factory=dict)
    neighbours: tuple[str, ...] = ()
    role: str = ""
    bindings: Mapping[str, object] = field(default_factory=dict)

    @property
    def asks(self) -> str:
        """The role, or the one a question of this kind asks for when none was given."""
        return self.role or _DEFAULT_ROLES.get(self.kind, "value")


_DEFAULT_ROLES = {
    "backward-node": "gradient",
    "expression": "derivative",
    "grad_fn": "node",
    "outcome": "outcome",
    "choice": "choice",
}
