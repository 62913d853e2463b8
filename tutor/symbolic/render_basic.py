"""Provides the wording of the one-line rules: constants, variables, powers and the named functions."""

from __future__ import annotations

import sympy

from tutor.symbolic.render_math import Writer
from tutor.symbolic.rules import (
    ConstantRule,
    ExpRule,
    LogRule,
    PowerRule,
    SigmoidRule,
    TanhRule,
    TrigRule,
    VariableRule,
)
from tutor.text import Text


def constant(r: ConstantRule, w: Writer) -> Text:
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


def variable(r: VariableRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), "1")
    return Text(
        f"A variable differentiated by itself gives 1: {line}.",
        f"변수를 자기 자신으로 미분하면 1: {line}.",
    )


def power(r: PowerRule, w: Writer) -> Text:
    step = w.arrow(w.raw(r.expr), w.raw(r.result))
    en = f"Power rule: {step} (bring the exponent down, then lower it by one)."
    if r.exponent == 2:
        line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
        return Text(en, f"제곱항을 미분하면: {line} (지수 2를 앞으로 내리고 지수는 1 줄인다).")
    return Text(en, f"거듭제곱 법칙: {step} (지수를 앞으로 내리고 지수는 1 줄인다).")


def exp(r: ExpRule, w: Writer) -> Text:
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


def log(r: LogRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"The natural log differentiates to the reciprocal: {line}.",
        f"자연로그를 미분하면 역수: {line}.",
    )


def trig(r: TrigRule, w: Writer) -> Text:
    step = w.arrow(w.raw(r.expr), w.raw(r.result))
    if r.function.startswith("a"):
        return Text(f"Inverse trig derivative: {step}.", f"역삼각함수의 미분: {step}.")
    return Text(f"Trig derivative: {step}.", f"삼각함수의 미분: {step}.")


def sigmoid(r: SigmoidRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"The sigmoid's derivative is the sigmoid times one minus itself: {line}.",
        f"시그모이드를 미분하면 자기 자신에 (1 − 자기 자신)을 곱한 값: {line}.",
    )


def tanh(r: TanhRule, w: Writer) -> Text:
    line = w.eq(w.d(r.var, r.expr), w.raw(r.result))
    return Text(
        f"tanh differentiates to one minus its square: {line}.",
        f"tanh를 미분하면 1에서 tanh의 제곱을 뺀 값: {line}.",
    )
