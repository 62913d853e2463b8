"""Provides the wording of rewrites and of sums over a tensor: elementwise, and over a shared parameter."""

from __future__ import annotations

import sympy

from tutor.symbolic.functions import ELEMENTS
from tutor.symbolic.render_math import Writer
from tutor.symbolic.rules import ElementwiseSumRule, RewriteRule, SharedSumRule
from tutor.symbolic.sums import is_data
from tutor.text import Text


def rewrite_open(r: RewriteRule, w: Writer) -> Text:
    if r.reason == "exp_log":
        line = w.eq(w.raw(r.expr), w.raw(r.rewritten))
        return Text(
            "The variable is in both the base and the exponent, so write the power as an "
            f"exponential first: {line}.",
            f"밑과 지수에 모두 변수가 있으므로 먼저 지수함수로 바꾼다: {line}.",
        )
    named = f"{w.y} = " if w.is_output(r.expr) else ""
    if r.reason == "mean":
        n = w.e(ELEMENTS)
        line = w.eq(named + w.raw(r.expr), w.raw(r.rewritten))
        return Text(
            f"A mean is the sum divided by the number of elements {n}: {line}.",
            f"평균은 합을 원소 개수 {n}{w.j(ELEMENTS, '으로')} 나눈 것: {line}.",
        )
    if isinstance(r.substep, ElementwiseSumRule | SharedSumRule):
        summand = w.e(r.substep.summand)
        line = w.eq(named + w.raw(r.expr), w.raw(r.rewritten))
        return Text(
            f"Expand first: {line} — compute {summand} for each element, then add them all up.",
            f"먼저 전개한다: {line} → 각 원소에 대해 {summand}"
            f"{w.j(r.substep.summand, '을를')} 계산한 후에 전부 더한 것.",
        )
    line = w.eq(w.raw(r.expr), w.raw(r.rewritten))
    return Text(
        f"Expand first, then differentiate the polynomial: {line}.",
        f"먼저 전개한 뒤 다항식을 미분한다: {line}.",
    )


def rewrite_result(r: RewriteRule, w: Writer) -> Text:
    back = w.e(r.expr)
    line = w.steps(
        w.d(r.var, r.expr),
        (w.raw(r.substep.result), r.substep.result),
        (w.raw(r.result), r.result),
    )
    return Text(
        f"Write {w.e(r.rewritten)} back as {back}: {line}.",
        f"{w.e(r.rewritten)}{w.j(r.rewritten, '을를')} 다시 {back}{w.j(r.expr, '으로')} 쓰면: {line}.",
    )


def _each(r: ElementwiseSumRule, w: Writer) -> tuple[str, str]:
    """∂y/∂xᵢ and ∂y/∂x when the sum is the whole output, else ∂/∂xᵢ Σ(…) and ∂/∂x Σ(…)."""
    inner = w.within(r)
    xi = inner.subs[r.var]
    if w.is_output(r.expr):
        return w.n.ratio(w.y, xi), w.n.ratio(w.y, r.var)
    return inner.n.d(xi, w.raw(r.expr), bare=True), w.d(r.var, r.expr)


def elementwise_open(r: ElementwiseSumRule, w: Writer) -> Text:
    inner = w.within(r)
    xi = inner.raw(r.var)
    each, _ = _each(r, w)
    line = w.n.math(f"{each} = {inner.d(r.var, r.summand)}")
    total, term = w.e(r.expr), inner.e(r.summand)
    return Text(
        f"Sum over the elements: in {total} only the i-th term, {term}, contains "
        f"{w.n.math(xi)}, so {line}.",
        f"원소별 합: {total}에서 {w.n.math(xi)}{inner.j(r.var, '이가')} 들어 있는 항은 i번째 항 "
        f"{term} 하나뿐이므로 {line}.",
    )


def elementwise_result(r: ElementwiseSumRule, w: Writer) -> Text:
    inner = w.within(r)
    each, whole = _each(r, w)
    each_line = w.n.math(f"{each} = {inner.raw(r.result)}")
    whole_line = w.n.math(f"{whole} = {w.raw(r.result)}")
    return Text(
        f"For each element, {each_line}. Vectorized, {whole_line}.",
        f"각 원소에 대해서 결과는 {each_line}. 이걸 벡터화하면 {whole_line}.",
    )


def _names(symbols: list[sympy.Symbol], w: Writer, joiner: tuple[str, str]) -> str:
    written = [w.e(s) for s in symbols]
    if len(written) == 1:
        return written[0]
    particle = w.j(symbols[-2], joiner[1]) if joiner[1] else ""
    return ", ".join(written[:-1]) + f"{particle}{joiner[0]}{written[-1]}"


def shared_open(r: SharedSumRule, w: Writer) -> Text:
    inner = w.within(r)
    data = [s for s in r.indexed if is_data(s.name)]
    param, total = w.e(r.var), w.e(r.expr)
    line = w.eq(w.d(r.var, r.expr), w.n.sum_i(inner.d(r.var, r.summand)))
    en = (
        f"Every term of {total} contains {param}: each term contributes its derivative, and "
        f"they add up: {line}."
    )
    ko = (
        f"{total}의 모든 항에 {param}{w.j(r.var, '이가')} 들어 있다: 항마다 미분이 기여하고, "
        f"그것들을 모두 더한다: {line}."
    )
    if not data:
        return Text(
            f"{param} is one parameter shared by every element. {en}",
            f"{param}{w.j(r.var, '은는')} 모든 원소가 함께 쓰는 매개변수 하나다. {ko}",
        )
    verb = "is" if len(data) == 1 else "are"
    return Text(
        f"{_names(data, w, (' and ', ''))} {verb} data, one value per element; {param} is one "
        f"parameter shared by every element. {en}",
        f"{_names(data, w, (' ', '과와'))}{w.j(data[-1], '은는')} 원소마다 값이 하나인 데이터이고, "
        f"{param}{w.j(r.var, '은는')} 모든 원소가 함께 쓰는 매개변수 하나다. {ko}",
    )


def shared_result(r: SharedSumRule, w: Writer) -> Text:
    inner = w.within(r)
    each = w.n.sum_i(inner.factor(r.substep.result))
    line = w.eq(w.d(r.var, r.expr), each, w.raw(r.result))
    param = w.e(r.var)
    return Text(
        f"Add up every term's derivative: {line} — one number for {param}, summed over the "
        "data, not one per element.",
        f"항마다의 미분을 모두 더하면: {line} — 원소마다 하나가 아니라 데이터 전체에 걸쳐 더한 "
        f"{param}의 기울기 하나.",
    )
