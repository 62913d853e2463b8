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
    """y = Σⱼ f(xⱼ):  ∂y/∂xᵢ = f′(xᵢ), and vectorized ∂y/∂x = f′(x).

    `indexed` are the variables with one value per element (x and the data), written xᵢ inside.
    """

    summand: sympy.Expr
    substep: Rule
    indexed: tuple[sympy.Symbol, ...] = ()
    name: ClassVar[str] = "elementwise_sum"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


@dataclass(frozen=True)
class SharedSumRule(Rule):
    """L = Σᵢ f(w, xᵢ):  ∂L/∂w = Σᵢ ∂f(w, xᵢ)/∂w, for a parameter w shared by every element.

    The sum rule over the terms of Σ: every term contains w, so every term's derivative counts.
    """

    summand: sympy.Expr
    substep: Rule
    indexed: tuple[sympy.Symbol, ...] = ()
    name: ClassVar[str] = "sum"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


@dataclass(frozen=True)
class RewriteRule(Rule):
    """f = g, so f′ = g′: expand, write xˣ as e^(x·ln x), or a mean as a sum over N.

    `reason` is "expand", "exp_log" or "mean".
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
    """relu(x) = H(x)·x and |x| = sign(x)·x, with H(x) and sign(x) constant on each side of 0:
    the constant multiple rule, relu′(x) = H(x) and |x|′ = sign(x).

    `function` is "relu" or "abs"; `constant` is H(x) or sign(x); `substep` is ∂x/∂x = 1.
    """

    function: str
    constant: sympy.Expr
    substep: Rule
    name: ClassVar[str] = "constant_multiple"

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.substep,)


SumScope = ElementwiseSumRule | SharedSumRule


@dataclass(frozen=True)
class Visit:
    """One line of a derivation read top-down: a rule opening (naming what it will use) before
    its substeps, or giving its result after them; `scope` is the sum it sits inside."""

    rule: Rule
    scope: SumScope | None
    phase: str  # "open" or "result"
    depth: int


def read_order(rule: Rule) -> list[Visit]:
    """The derivation top-down, as SymPy Gamma writes it: each rule with substeps opens, then
    its substeps follow, one level deeper, then its result; a rewrite opens and its substep
    follows at the same level (an expansion or a mean has no result of its own). Iterative, so
    deep trees do not exhaust the stack."""
    order: list[Visit] = []
    stack: list[tuple[Rule, SumScope | None, int, bool]] = [(rule, None, 0, False)]
    while stack:
        node, scope, depth, closing = stack.pop()
        if closing or not node.substeps:
            order.append(Visit(node, scope, "result", depth))
            continue
        order.append(Visit(node, scope, "open", depth))
        rewrite = isinstance(node, RewriteRule)
        if not rewrite or node.reason == "exp_log":
            stack.append((node, scope, depth, True))
        inner = node if isinstance(node, SumScope) else scope
        below = depth if rewrite else depth + 1
        stack.extend((child, inner, below, False) for child in reversed(node.substeps))
    return order


def walk(rule: Rule) -> list[Rule]:
    """Every rule of the tree once, top-down (a rule before its substeps)."""
    return [node for node, _ in walk_scoped(rule)]


def walk_scoped(rule: Rule) -> list[tuple[Rule, SumScope | None]]:
    """`walk`, each rule paired with the sum it sits inside (None at the top level)."""
    return [
        (visit.rule, visit.scope)
        for visit in read_order(rule)
        if visit.phase == "open" or not visit.rule.substeps
    ]
