"""Provides the wording of the rules that combine others: sums, constant multiples, products, quotients, the chain rule."""

from __future__ import annotations

import sympy

from tutor.symbolic.render_math import Writer
from tutor.symbolic.rules import (
    ChainRule,
    ConstantMultipleRule,
    PiecewiseRule,
    ProductRule,
    QuotientRule,
    SumRule,
)
from tutor.symbolic.sums import as_value
from tutor.text import Text

_LETTERS = "fghkpqrs"


def sum_open(r: SumRule, w: Writer) -> Text:
    parts = w.plus([w.d(r.var, t.expr) for t in r.terms])
    line = w.eq(w.d(r.var, r.expr), parts)
    return Text(
        f"Sum rule: differentiate term by term: {line}.",
        f"합의 법칙: 항별로 미분한다: {line}.",
    )


def sum_result(r: SumRule, w: Writer) -> Text:
    results = [t.result for t in r.terms]
    added = sympy.Add(*results)
    line = w.steps(
        w.d(r.var, r.expr),
        (w.plus([w.raw(t) for t in results]), ("+", results)),
        (w.raw(added), added),
        (w.raw(r.result), r.result),
    )
    return Text(
        f"Add the terms' derivatives: {line}.",
        f"항별로 미분한 것을 더하면: {line}.",
    )


def _times(r: ConstantMultipleRule, w: Writer) -> str:
    return w.n.minus if r.constant == -1 else w.factor(r.constant) + w.n.times


def multiple_open(r: ConstantMultipleRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), _times(r, w) + w.d(r.var, r.other))
    other = w.e(r.other)
    if r.constant == -1:
        return Text(
            f"Constant multiple: the minus sign stays and only {other} is differentiated: {line}.",
            f"상수배 법칙: 부호(−)는 그대로 두고 {other}만 미분한다: {line}.",
        )
    c = w.e(r.constant)
    return Text(
        f"Constant multiple: the constant {c} stays and only {other} is differentiated: {line}.",
        f"상수배 법칙: 상수 {c}{w.j(r.constant, '은는')} 그대로 두고 {other}만 미분한다: {line}.",
    )


def multiple_result(r: ConstantMultipleRule, w: Writer) -> Text:
    raw = as_value(r.constant * r.substep.result)
    line = w.steps(
        w.d(r.var, r.expr),
        (_times(r, w) + w.factor(r.substep.result), ("*", [r.constant, r.substep.result])),
        (w.raw(raw), raw),
        (w.raw(r.result), r.result),
        keep="last",
    )
    return Text(f"Multiply by the constant: {line}.", f"상수를 곱하면: {line}.")


def _letters(count: int) -> list[str]:
    if count <= len(_LETTERS):
        return list(_LETTERS[:count])
    return [f"f{k}" for k in range(1, count + 1)]


def product_open(r: ProductRule, w: Writer) -> Text:
    letters = _letters(len(r.factors))
    p = w.n.prime
    terms = [
        "".join(ch + (p if i == j else "") for j, ch in enumerate(letters))
        for i in range(len(letters))
    ]
    formula = w.n.math(f"({''.join(letters)}){p} = {' + '.join(terms)}")
    defs = ", ".join(
        w.n.math(f"{letter} = {w.raw(g.expr)}")
        for letter, g in zip(letters, r.factors, strict=True)
    )
    return Text(f"Product rule: {formula}, with {defs}.", f"곱의 법칙: {formula}, {defs}.")


def product_result(r: ProductRule, w: Writer) -> Text:
    letters = _letters(len(r.factors))
    derivs = ", ".join(
        w.n.math(f"{letter}{w.n.prime} = {w.raw(g.result)}")
        for letter, g in zip(letters, r.factors, strict=True)
    )
    chosen = [
        [g.result if i == j else g.expr for j, g in enumerate(r.factors)]
        for i in range(len(r.factors))
    ]
    filled = w.plus([w.n.times.join(w.factor(f) for f in term) for term in chosen])
    raw = as_value(sympy.Add(*(sympy.Mul(*term) for term in chosen)))
    line = w.steps(
        w.d(r.var, r.expr),
        (filled, ("+", [("*", term) for term in chosen])),
        (w.raw(raw), raw),
        (w.raw(r.result), r.result),
    )
    particle = w.j(r.factors[-1].result, "을를")
    return Text(
        f"Put {derivs} into the product rule: {line}.",
        f"{derivs}{particle} 곱의 법칙에 넣으면: {line}.",
    )


def quotient_open(r: QuotientRule, w: Writer) -> Text:
    p = w.n.prime
    formula = w.n.math(f"(f/g){p} = (f{p}g − fg{p})/g²".replace("−", w.n.minus))
    if w.n.latex:
        formula = w.n.math(r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^2}")
    f, g = r.numerator.expr, r.denominator.expr
    fg = f"{w.n.math('f = ' + w.raw(f))}, {w.n.math('g = ' + w.raw(g))}"
    return Text(f"Quotient rule: {formula} with {fg}.", f"몫의 법칙: {formula}, {fg}.")


def quotient_result(r: QuotientRule, w: Writer) -> Text:
    p = w.n.prime
    f1 = w.n.math(f"f{p} = {w.raw(r.numerator.result)}")
    g1 = w.n.math(f"g{p} = {w.raw(r.denominator.result)}")
    top, bottom = r.numerator, r.denominator
    raw = as_value((top.result * bottom.expr - top.expr * bottom.result) / bottom.expr**2)
    line = w.steps(w.d(r.var, r.expr), (w.raw(raw), raw), (w.raw(r.result), r.result))
    return Text(
        f"Put {f1}, {g1} into the quotient rule: {line}.",
        f"{f1}, {g1}{w.j(r.denominator.result, '을를')} 몫의 법칙에 넣으면: {line}.",
    )


def chain_open(r: ChainRule, w: Writer) -> Text:
    u, x = w.raw(r.u), w.raw(r.var)
    let = w.n.math(f"{u} = {w.raw(r.inner)}")
    parts = w.d(r.u, r.outer.expr) + w.n.times + w.n.ratio(u, w.subs.get(r.var, r.var))
    line = w.eq(w.d(r.var, r.expr), parts)
    return Text(
        f"Chain rule: let {let}. Then {line}: differentiate the outside in {w.n.math(u)}, "
        f"then the inside in {w.n.math(x)}.",
        f"연쇄 법칙: {let} 로 놓으면 {line}: 바깥 함수는 {w.n.math(u)}, 안쪽 식은 "
        f"{w.n.math(x)}에 대해 미분한다.",
    )


def chain_result(r: ChainRule, w: Writer) -> Text:
    outer, inner = r.outer.result, r.inner_step.result
    raw = as_value(outer.xreplace({r.u: r.inner}) * inner)
    line = w.steps(
        w.d(r.var, r.expr),
        (w.factor(outer) + w.n.times + w.factor(inner), ("*", [outer, inner])),
        (w.raw(raw), raw),
        (w.raw(r.result), r.result),
    )
    u, back = w.n.math(w.raw(r.u)), w.e(r.inner)
    return Text(
        f"Multiply the two and put {back} back for {u}: {line}.",
        f"둘을 곱하고 {u}{w.j(r.u, '을를')} 원래 식 {back}{w.j(r.inner, '으로')} 되돌리면: {line}.",
    )


def piecewise_open(r: PiecewiseRule, w: Writer) -> Text:
    x, c = w.raw(r.var), w.raw(r.constant)
    written = w.eq(w.raw(r.expr), c + w.n.times + x)
    line = w.eq(w.d(r.var, r.expr), c + w.n.times + w.d(r.var, r.var))
    pos, neg, c_math = w.n.math(f"{x} > 0"), w.n.math(f"{x} < 0"), w.n.math(c)
    if r.function == "relu":
        return Text(
            f"{written}, where the step {c_math} is 1 for {pos} and 0 for {neg}: a constant on "
            f"each side of 0. Constant multiple: {line}.",
            f"{written}이고, 계단 함수 {c_math}{w.j(r.constant, '은는')} {pos}이면 1, {neg}이면 0으로 "
            f"0의 양쪽에서 각각 상수다. 상수배 법칙: {line}.",
        )
    return Text(
        f"{written}, where {c_math} is 1 for {pos} and {w.n.minus}1 for {neg}: a constant on each "
        f"side of 0. Constant multiple: {line}.",
        f"{written}이고, {c_math}{w.j(r.constant, '은는')} {pos}이면 1, {neg}이면 {w.n.minus}1로 "
        f"0의 양쪽에서 각각 상수다. 상수배 법칙: {line}.",
    )


def piecewise_result(r: PiecewiseRule, w: Writer) -> Text:
    c = w.raw(r.constant)
    line = w.eq(w.d(r.var, r.expr), c + w.n.times + "1", w.raw(r.result))
    at_zero = w.n.math(w.raw(r.var) + " = 0")
    if r.function == "relu":
        return Text(
            f"So {line}; at {at_zero} itself PyTorch takes 0.",
            f"따라서 {line} ({at_zero}에서는 PyTorch가 0으로 둔다).",
        )
    zero = w.n.math(w.raw(sympy.sign(sympy.Integer(0), evaluate=False)) + " = 0")
    return Text(
        f"So {line}; at {at_zero}, {zero}, which is also what PyTorch takes.",
        f"따라서 {line} ({at_zero}에서는 {zero}이고, PyTorch도 0으로 둔다).",
    )
