"""Provides the derivative rules as frozen dataclasses: each knows its input, result and substeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import sympy

RULE_NAMES = (
    "constant",
    "constant_multiple",
    "power",
    "sum",
    "product",
    "quotient",
    "chain",
    "exp",
    "log",
    "trig",
    "sigmoid",
    "tanh",
    "elementwise_sum",
    "rewrite",
    "variable",
)


@dataclass(frozen=True)
class Rule:
    """One step of a derivation: d/d`var` of `expr` is `result`."""

    expr: sympy.Expr
    var: sympy.Symbol
    result: sympy.Expr
    name: ClassVar[str] = ""

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return ()


@dataclass(frozen=True)
class ConstantRule(Rule):
    """d/dx c = 0 when c does not depend on x."""

    name: ClassVar[str] = "constant"


@dataclass(frozen=True)
class VariableRule(Rule):
    """d/dx x = 1."""

    name: ClassVar[str] = "variable"


@dataclass(frozen=True)
class ConstantMultipleRule(Rule):
    """d/dx (c·f) = c·f′."""

    constant: sympy.Expr
    other: sympy.Expr
    substep: Rule
    name: ClassVar[str] = "constant_multiple"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


@dataclass(frozen=True)
class PowerRule(Rule):
    """d/dx xⁿ = n·xⁿ⁻¹ (n constant)."""

    exponent: sympy.Expr
    name: ClassVar[str] = "power"


@dataclass(frozen=True)
class SumRule(Rule):
    """d/dx (f + g + …) = f′ + g′ + …"""

    terms: tuple[Rule, ...]
    name: ClassVar[str] = "sum"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.terms


@dataclass(frozen=True)
class ProductRule(Rule):
    """d/dx (f·g·…) = f′·g·… + f·g′·… + …"""

    factors: tuple[Rule, ...]
    name: ClassVar[str] = "product"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.factors


@dataclass(frozen=True)
class QuotientRule(Rule):
    """d/dx (f/g) = (f′·g − f·g′)/g²."""

    numerator: Rule
    denominator: Rule
    name: ClassVar[str] = "quotient"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.numerator, self.denominator)


@dataclass(frozen=True)
class ChainRule(Rule):
    """d/dx f(g(x)) = f′(u)|ᵤ₌g(x) · g′(x); `outer` differentiates f(u) with respect to `u`."""

    u: sympy.Symbol
    inner: sympy.Expr
    outer: Rule
    inner_step: Rule
    name: ClassVar[str] = "chain"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.outer, self.inner_step)


@dataclass(frozen=True)
class ExpRule(Rule):
    """d/dx eˣ = eˣ;  d/dx aˣ = aˣ·ln a (a constant)."""

    base: sympy.Expr
    name: ClassVar[str] = "exp"


@dataclass(frozen=True)
class LogRule(Rule):
    """d/dx ln x = 1/x."""

    name: ClassVar[str] = "log"


@dataclass(frozen=True)
class TrigRule(Rule):
    """d/dx sin x = cos x, cos x → −sin x, tan x → 1 + tan² x, and the rest of the table."""

    function: str
    name: ClassVar[str] = "trig"


@dataclass(frozen=True)
class SigmoidRule(Rule):
    """d/dx σ(x) = σ(x)(1 − σ(x))."""

    name: ClassVar[str] = "sigmoid"


@dataclass(frozen=True)
class TanhRule(Rule):
    """d/dx tanh x = 1 − tanh² x."""

    name: ClassVar[str] = "tanh"


@dataclass(frozen=True)
class ElementwiseSumRule(Rule):
    """y = Σⱼ f(xⱼ):  ∂y/∂xᵢ = f′(xᵢ), and vectorized ∂y/∂x = f′(x)."""

    summand: sympy.Expr
    substep: Rule
    name: ClassVar[str] = "elementwise_sum"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


@dataclass(frozen=True)
class RewriteRule(Rule):
    """f = g, so f′ = g′: expand, or write xˣ as e^(x·ln x), before differentiating.

    `reason` is "expand" or "exp_log".
    """

    rewritten: sympy.Expr
    reason: str
    substep: Rule
    name: ClassVar[str] = "rewrite"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


@dataclass(frozen=True)
class PiecewiseRule(Rule):
    """relu(x) = x for x > 0, else 0, so relu′(x) = H(x); |x| = ±x, so |x|′ = sign(x).

    A rewrite into pieces; each piece is differentiated in `pieces`.
    """

    function: str
    pieces: tuple[Rule, ...]
    name: ClassVar[str] = "rewrite"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.pieces


def walk(rule: Rule) -> list[Rule]:
    """The tree in reading order: a rewrite before what follows from it, otherwise parts first."""
    return [node for node, _ in walk_scoped(rule)]


def walk_scoped(rule: Rule) -> list[tuple[Rule, ElementwiseSumRule | None]]:
    """`walk`, each rule paired with the elementwise sum it sits inside (None at the top level).

    Iterative, so deep trees do not exhaust the stack.
    """
    order: list[tuple[Rule, ElementwiseSumRule | None]] = []
    stack: list[tuple[Rule, ElementwiseSumRule | None, bool]] = [(rule, None, False)]
    while stack:
        node, scope, expanded = stack.pop()
        if expanded:
            order.append((node, scope))
            continue
        if isinstance(node, RewriteRule | PiecewiseRule):
            order.append((node, scope))
        else:
            stack.append((node, scope, True))
        inner = node if isinstance(node, ElementwiseSumRule) else scope
        stack.extend((child, inner, False) for child in reversed(node.substeps))
    return order
