"""Provides the explanation of a derivation, step by step and top-down, in English and Korean, as text or LaTeX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from tutor.symbolic import render_basic, render_combined, render_sums
from tutor.symbolic.render_math import LATEX, TEXT, Notation, Writer
from tutor.symbolic.rules import (
    ChainRule,
    ConstantMultipleRule,
    ConstantRule,
    ElementwiseSumRule,
    ExpRule,
    LogRule,
    PiecewiseRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    RewriteRule,
    Rule,
    SharedSumRule,
    SigmoidRule,
    SumRule,
    SumScope,
    TanhRule,
    TrigRule,
    VariableRule,
    read_order,
    walk,
)
from tutor.symbolic.wording import output_name
from tutor.text import Text

__all__ = ["LATEX", "TEXT", "Step", "explain", "explain_rule", "output_of"]


@dataclass(frozen=True)
class Step:
    """One line of a derivation: which rule, on what, giving what, why, and how deep it sits
    (a rule's substeps are one level below the lines that open it and give its result)."""

    rule: str
    expression: sympy.Expr
    result: sympy.Expr
    explanation: Text
    depth: int = 0


Explainer = Callable[[Rule, Writer], Text]

# rule -> (its opening line, before its substeps; its result, after them)
_EXPLAIN: dict[type, tuple[Explainer | None, Explainer | None]] = {
    ConstantRule: (None, render_basic.constant),
    VariableRule: (None, render_basic.variable),
    PowerRule: (None, render_basic.power),
    ExpRule: (None, render_basic.exp),
    LogRule: (None, render_basic.log),
    TrigRule: (None, render_basic.trig),
    SigmoidRule: (None, render_basic.sigmoid),
    TanhRule: (None, render_basic.tanh),
    SumRule: (render_combined.sum_open, render_combined.sum_result),
    ConstantMultipleRule: (render_combined.multiple_open, render_combined.multiple_result),
    ProductRule: (render_combined.product_open, render_combined.product_result),
    QuotientRule: (render_combined.quotient_open, render_combined.quotient_result),
    ChainRule: (render_combined.chain_open, render_combined.chain_result),
    PiecewiseRule: (render_combined.piecewise_open, render_combined.piecewise_result),
    RewriteRule: (render_sums.rewrite_open, render_sums.rewrite_result),
    ElementwiseSumRule: (render_sums.elementwise_open, render_sums.elementwise_result),
    SharedSumRule: (render_sums.shared_open, render_sums.shared_result),
}


def output_of(tree: Rule) -> str:
    """What the derivation's output is called: L for a loss over shared parameters, else y."""
    shared = any(isinstance(node, SharedSumRule) for node in walk(tree))
    return output_name(tree.expr, tree.var, loss=shared)


def _tops(tree: Rule) -> frozenset[sympy.Expr]:
    """The whole output and each form it is rewritten into before anything is differentiated."""
    tops = [tree.expr]
    while isinstance(tree, RewriteRule):
        tree = tree.substep
        tops.append(tree.expr)
    return frozenset(tops)


def explain_rule(
    rule: Rule,
    notation: Notation = TEXT,
    scope: SumScope | None = None,
    output: str = "y",
    phase: str = "result",
    tops: frozenset[sympy.Expr] = frozenset(),
) -> Text:
    """One line about `rule`: its opening (phase "open") or its result; inside a sum `scope`,
    elements are written xᵢ. `output` names what the whole derivation differentiates (y in
    ∂y/∂x) and `tops` are the expressions that are that whole output."""
    opening, result = _EXPLAIN[type(rule)]
    write = opening if phase == "open" else result
    assert write is not None, (type(rule).__name__, phase)
    return write(rule, Writer(notation, scope, output, tops))


def explain(tree: Rule, notation: Notation = TEXT) -> list[Step]:
    """The derivation top-down (`rules.read_order`), each line explained."""
    output, tops = output_of(tree), _tops(tree)
    return [
        Step(
            visit.rule.name,
            visit.rule.expr,
            visit.rule.result,
            explain_rule(visit.rule, notation, visit.scope, output, visit.phase, tops),
            visit.depth,
        )
        for visit in read_order(tree)
    ]
