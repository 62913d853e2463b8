"""Provides the explanation of a derivation, step by step, in English and Korean, as text or LaTeX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

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
    SigmoidRule,
    SumRule,
    TanhRule,
    TrigRule,
    VariableRule,
    walk_scoped,
)
from tutor.symbolic.wording import josa, output_name
from tutor.text import Text

__all__ = ["LATEX", "TEXT", "Step", "explain", "explain_rule"]


@dataclass(frozen=True)
class Step:
    """One line of a derivation: which rule, on what, giving what, and why."""

    rule: str
    expression: sympy.Expr
    result: sympy.Expr
    explanation: Text


def _constant(r: ConstantRule, w: Writer) -> Text:
    c = w.raw(r.expr)
    line = w.eq(w.d(r.var, r.expr), "0")
    named = r.expr.is_Integer or r.expr.is_Symbol
    subject = f"{w.n.math(c)}{w.j(r.expr, '은는')}" if named else "이 상수는"
    en = f"The derivative of the constant {w.n.math(c)} is 0: {line}, so it has no effect on the derivative."
    ko = f"상수를 미분하면 0: {line} → {subject} 미분에 영향을 주지 않는다."
    if r.expr == 0:
        en, ko = f"A constant 0 stays 0: {line}.", f"상수 0을 미분하면 0: {line}."
    if r.expr.free_symbols:
        x = w.raw(r.var)
        en = f"{w.n.math(c)} does not depend on {w.n.math(x)}, so it counts as a constant. {en}"
        ko = (
            f"{w.n.math(c)}{w.j(r.expr, '은는')} {w.n.math(x)}{w.j(r.var, '과와')} 무관하므로 "
            f"상수로 본다. {ko}"
        )
    return Text(en, ko)


def _variable(r: VariableRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), "1")
    return Text(
        f"A variable differentiated by itself gives 1: {line}.",
        f"변수를 자기 자신으로 미분하면 1: {line}.",
    )


def _power(r: PowerRule, w: Writer) -> Text:
    step = w.arrow(w.raw(r.expr), w.raw(r.result))
    en = f"Power rule: {step} (bring the exponent down, then lower it by one)."
    if r.exponent == 2:
        line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
        return Text(en, f"제곱항을 미분하면: {line} (지수 2를 앞으로 내리고 지수는 1 줄인다).")
    return Text(en, f"거듭제곱 법칙: {step} (지수를 앞으로 내리고 지수는 1 줄인다).")


def _constant_multiple(r: ConstantMultipleRule, w: Writer) -> Text:
    c = w.n.minus if r.constant == -1 else w.factor(r.constant) + w.n.times
    line = w.eq(
        w.d(r.var, r.expr), c + w.d(r.var, r.other), c + w.factor(r.substep.result), w.raw(r.result)
    )
    return Text(
        f"Constant multiple: the constant factor stays and only the rest is differentiated: {line}.",
        f"상수배 법칙: 곱해진 상수는 그대로 두고 나머지만 미분한다: {line}.",
    )


def _sum(r: SumRule, w: Writer) -> Text:
    parts = w.plus([w.raw(t.result) for t in r.terms])
    reordered = sorted(w.raw(t.result) for t in r.terms) == sorted(
        w.raw(t) for t in sympy.Add.make_args(r.result)
    )
    line = (
        w.eq(w.d(r.var, r.expr), parts)
        if reordered
        else w.eq(w.d(r.var, r.expr), parts, w.raw(r.result))
    )
    return Text(
        f"Sum rule: differentiate term by term and add the results: {line}.",
        f"합의 법칙: 항별로 미분해서 더한다: {line}.",
    )


def _product(r: ProductRule, w: Writer) -> Text:
    letters = "fghk"[: len(r.factors)] if len(r.factors) <= 4 else "f" * len(r.factors)
    formula = " + ".join(
        "".join(ch + ("′" if i == j else "") for j, ch in enumerate(letters))
        for i in range(len(letters))
    )
    formula = w.n.math(f"({letters})′ = {formula}".replace("′", w.n.prime))
    terms = [
        w.n.times.join(w.factor(g.result if i == j else g.expr) for j, g in enumerate(r.factors))
        for i in range(len(r.factors))
    ]
    line = w.eq(w.d(r.var, r.expr), w.plus(terms), w.raw(r.result))
    return Text(
        f"Product rule: {formula}, so {line}.",
        f"곱의 법칙: {formula} 이므로 {line}.",
    )


def _quotient(r: QuotientRule, w: Writer) -> Text:
    p = w.n.prime
    formula = w.n.math(f"(f/g){p} = (f{p}g − fg{p})/g²".replace("−", w.n.minus))
    if w.n.latex:
        formula = w.n.math(r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^2}")
    f, g = r.numerator.expr, r.denominator.expr
    fg = f"{w.n.math('f = ' + w.raw(f))}, {w.n.math('g = ' + w.raw(g))}"
    f1 = w.n.math(f"f{p} = {w.raw(r.numerator.result)}")
    g1 = w.n.math(f"g{p} = {w.raw(r.denominator.result)}")
    derivs = f"{f1}, {g1}"
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"Quotient rule: {formula} with {fg}; here {derivs}, so {line}.",
        f"몫의 법칙: {formula}. {fg} 일 때 {derivs} 이므로 {line}.",
    )


def _chain(r: ChainRule, w: Writer) -> Text:
    u, inner = w.raw(r.u), w.raw(r.inner)
    let = w.n.math(f"{u} = {inner}")
    outer = w.eq(w.d(r.u, r.outer.expr), w.raw(r.outer.result))
    du = w.n.math(f"{w.n.ratio(u, w.subs.get(r.var, r.var))} = {w.raw(r.inner_step.result)}")
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"Chain rule: let {let}. Then {outer} and {du}; multiply them and put {w.n.math(inner)} "
        f"back for {w.n.math(u)}: {line}.",
        f"연쇄 법칙: {let} 로 놓으면 {outer}, {du} 이다. 둘을 곱하고 {w.n.math(u)}"
        f"{w.j(r.u, '을를')} 원래 식으로 되돌리면: {line}.",
    )


def _exp(r: ExpRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    if r.base == sympy.E:
        return Text(
            f"The exponential is its own derivative: {line}.",
            f"지수함수는 미분해도 자기 자신: {line}.",
        )
    return Text(
        f"An exponential with a constant base picks up the log of its base: {line}.",
        f"밑이 상수인 지수함수를 미분하면 밑의 자연로그가 곱해진다: {line}.",
    )


def _log(r: LogRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"The natural log differentiates to the reciprocal: {line}.",
        f"자연로그를 미분하면 역수: {line}.",
    )


def _trig(r: TrigRule, w: Writer) -> Text:
    step = w.arrow(w.raw(r.expr), w.raw(r.result))
    if r.function.startswith("a"):
        return Text(f"Inverse trig derivative: {step}.", f"역삼각함수의 미분: {step}.")
    return Text(f"Trig derivative: {step}.", f"삼각함수의 미분: {step}.")


def _sigmoid(r: SigmoidRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"The sigmoid's derivative is the sigmoid times one minus itself: {line}.",
        f"시그모이드를 미분하면 자기 자신에 (1 − 자기 자신)을 곱한 값: {line}.",
    )


def _tanh(r: TanhRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"tanh differentiates to one minus its square: {line}.",
        f"tanh를 미분하면 1에서 tanh의 제곱을 뺀 값: {line}.",
    )


def _elementwise(r: ElementwiseSumRule, w: Writer) -> Text:
    xi = w.n.element(r.var)
    y = w.y
    each = w.n.math(f"{w.n.ratio(y, xi)} = {w.n.expr(r.result.xreplace({r.var: xi}))}")
    whole = w.n.math(f"{w.n.ratio(y, r.var)} = {w.n.expr(r.result)}")
    xi_text = w.n.expr(xi)
    return Text(
        f"For each element, {each}: {w.n.math(xi_text)} appears only in its own term of the sum. "
        f"Vectorized, {whole}.",
        f"각 원소에 대해서 결과는 {each} ({w.n.math(xi_text)}{josa(TEXT.expr(TEXT.element(r.var)), '은는')} "
        f"합에서 자기 항에만 나온다). 이걸 벡터화하면 {whole}.",
    )


def _rewrite(r: RewriteRule, w: Writer) -> Text:
    if r.reason == "exp_log":
        line = w.eq(w.raw(r.expr), w.raw(r.rewritten))
        return Text(
            f"The variable is in both the base and the exponent, so write the power as an exponential first: {line}.",
            f"밑과 지수에 모두 변수가 있으므로 먼저 지수함수로 바꾼다: {line}.",
        )
    if isinstance(r.substep, ElementwiseSumRule):
        y = w.y
        summand = w.raw(r.substep.summand)
        line = w.eq(f"{y} = {w.raw(r.expr)}", w.raw(r.rewritten))
        return Text(
            f"Expand first: {line} — compute {w.n.math(summand)} for each element, then add them all up.",
            f"먼저 전개한다: {line} → 각 원소에 대해 {w.n.math(summand)}"
            f"{w.j(r.substep.summand, '을를')} 계산한 후에 전부 더한 것.",
        )
    line = w.eq(w.raw(r.expr), w.raw(r.rewritten))
    return Text(
        f"Expand first, then differentiate the polynomial: {line}.",
        f"먼저 전개한 뒤 다항식을 미분한다: {line}.",
    )


def _piecewise(r: PiecewiseRule, w: Writer) -> Text:
    x, result = w.raw(r.var), w.raw(r.result)
    pos, neg = w.n.math(f"{x} > 0"), w.n.math(f"{x} < 0")
    if r.function == "relu":
        f = w.raw(r.expr)
        return Text(
            f"{w.n.math(f)} is {w.n.math(x)} where {pos} and 0 elsewhere; the pieces differentiate "
            f"to 1 and 0, so {w.eq(w.d(r.var, r.expr), result)} — the step function, which PyTorch "
            f"takes as 0 at {w.n.math(x + ' = 0')}.",
            f"{w.n.math(f)}{w.j(r.expr, '은는')} {pos}이면 {w.n.math(x)}, 아니면 0: 각 구간을 미분하면 "
            f"1과 0이므로 {w.eq(w.d(r.var, r.expr), result)} (계단 함수, PyTorch는 "
            f"{w.n.math(x + ' = 0')}에서 0으로 둔다).",
        )
    f = w.raw(r.expr)
    minus_x = w.raw(-r.var)
    return Text(
        f"{w.n.math(f)} is {w.n.math(x)} where {pos} and {w.n.math(minus_x)} where {neg}; the pieces "
        f"differentiate to 1 and −1, so {w.eq(w.d(r.var, r.expr), result)}.",
        f"{w.n.math(f)}{w.j(r.expr, '은는')} {pos}이면 {w.n.math(x)}, {neg}이면 "
        f"{w.n.math(minus_x)}: 각 구간을 미분하면 1과 −1이므로 {w.eq(w.d(r.var, r.expr), result)}.",
    )


_EXPLAIN: dict[type, Callable] = {
    ConstantRule: _constant,
    VariableRule: _variable,
    PowerRule: _power,
    ConstantMultipleRule: _constant_multiple,
    SumRule: _sum,
    ProductRule: _product,
    QuotientRule: _quotient,
    ChainRule: _chain,
    ExpRule: _exp,
    LogRule: _log,
    TrigRule: _trig,
    SigmoidRule: _sigmoid,
    TanhRule: _tanh,
    ElementwiseSumRule: _elementwise,
    RewriteRule: _rewrite,
    PiecewiseRule: _piecewise,
}


def explain_rule(
    rule: Rule,
    notation: Notation = TEXT,
    scope: ElementwiseSumRule | None = None,
    output: str = "y",
) -> Text:
    """One rule's explanation; inside an elementwise sum `scope`, elements are written xᵢ.

    `output` names what the whole derivation differentiates (y in ∂y/∂x).
    """
    return _EXPLAIN[type(rule)](rule, Writer(notation, scope, output))


def explain(tree: Rule, notation: Notation = TEXT) -> list[Step]:
    """The derivation flattened in reading order (`rules.walk`), each step explained."""
    output = output_name(tree.expr, tree.var)
    return [
        Step(rule.name, rule.expr, rule.result, explain_rule(rule, notation, scope, output))
        for rule, scope in walk_scoped(tree)
    ]
