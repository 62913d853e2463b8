"""Provides diff_steps: a derivative derived rule by rule, as a tree of rules, and its other paths."""

from __future__ import annotations

from collections.abc import Callable

import sympy

from tutor.symbolic.functions import (
    ELEMENTS,
    elementwise_mean,
    elementwise_sum,
    relu,
    sigmoid,
    sum_i,
)
from tutor.symbolic.limits import MAX_DEPTH, DerivationError, check_size, degree_bound, terms_bound
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
    TanhRule,
    TrigRule,
    VariableRule,
)
from tutor.symbolic.sums import as_value, check_scalar, data_in, is_shared
from tutor.symbolic.tidy import tidy
from tutor.text import Text

__all__ = ["STRATEGIES", "DerivationError", "alternatives", "diff_steps"]

STRATEGIES = ("auto", "expand", "product")
MAX_EXPAND_DEGREE = 12
MAX_EXPAND_TERMS = 24

# f(u) -> f'(u) for the one-argument functions with a rule of their own.
_TRIG: dict[type, Callable[[sympy.Expr], sympy.Expr]] = {
    sympy.sin: lambda u: sympy.cos(u),
    sympy.cos: lambda u: -sympy.sin(u),
    sympy.tan: lambda u: 1 + sympy.tan(u) ** 2,
    sympy.cot: lambda u: -1 - sympy.cot(u) ** 2,
    sympy.sec: lambda u: sympy.sec(u) * sympy.tan(u),
    sympy.csc: lambda u: -sympy.csc(u) * sympy.cot(u),
    sympy.asin: lambda u: 1 / sympy.sqrt(1 - u**2),
    sympy.acos: lambda u: -1 / sympy.sqrt(1 - u**2),
    sympy.atan: lambda u: 1 / (1 + u**2),
}


def diff_steps(expr: sympy.Expr, var: sympy.Symbol, *, strategy: str = "auto") -> Rule:
    """The derivation of d(expr)/d(var) as a rule tree; its `.result` is the derivative.

    Sums and means are read by `tutor.symbolic.sums`' rule: Σ(f) is y = Σᵢ f(xᵢ), derived
    elementwise, unless `var` is a parameter shared by every element of the data, whose
    derivative is summed over them. Each result is tidied (`tutor.symbolic.tidy`).
    strategy: "auto" expands products of polynomials first (the seed's Σ(x+2)(x−2) = Σ(x²−4)),
    "expand" also expands integer powers of polynomials, "product" never rewrites them.
    """
    if strategy not in STRATEGIES:
        raise DerivationError(
            Text(
                f"unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}",
                f"알 수 없는 전략 {strategy!r}: {', '.join(STRATEGIES)} 중 하나를 쓰세요",
            )
        )
    check_size(expr)
    shared = is_shared(expr, var)
    check_scalar(expr, var, shared)
    return _Deriver(var, strategy, expr, shared).diff(expr, var, 0)


def alternatives(
    expr: sympy.Expr, var: sympy.Symbol, *, strategy: str = "auto"
) -> list[tuple[str, Rule]]:
    """The other natural paths: (strategy, tree) for each strategy whose tree differs from ours."""
    shown = [diff_steps(expr, var, strategy=strategy)]
    others: list[tuple[str, Rule]] = []
    for name in ("expand", "product", "auto"):
        if name == strategy:
            continue
        tree = diff_steps(expr, var, strategy=name)
        if tree not in shown:
            shown.append(tree)
            others.append((name, tree))
    return others


def _result(raw: sympy.Expr) -> sympy.Expr:
    """A rule's result as written: sums carried into it as the numbers they are, then tidied."""
    return tidy(as_value(raw))


class _Deriver:
    def __init__(self, var: sympy.Symbol, strategy: str, whole: sympy.Expr, shared: bool) -> None:
        self.strategy = strategy
        self.shared = shared
        self.taken = {s.name for s in whole.free_symbols} | {var.name}
        self.chains = 0

    def diff(self, expr: sympy.Expr, var: sympy.Symbol, depth: int) -> Rule:
        if depth > 4 * MAX_DEPTH:
            raise DerivationError(
                Text("the derivation grew too deep", "미분 과정이 너무 깊어졌습니다")
            )
        depth += 1
        if not expr.has(var):
            return ConstantRule(expr, var, sympy.Integer(0))
        if expr == var:
            return VariableRule(expr, var, sympy.Integer(1))
        if isinstance(expr, elementwise_mean):
            rewritten = elementwise_sum(expr.args[0]) / ELEMENTS
            return self._rewrite(expr, var, rewritten, "mean", depth)
        if isinstance(expr, elementwise_sum):
            return self._summed(expr, var, depth)
        if isinstance(expr, sympy.Add):
            terms = tuple(self.diff(t, var, depth) for t in expr.args)
            return SumRule(expr, var, _result(sympy.Add(*(t.result for t in terms))), terms)
        if isinstance(expr, sympy.Mul):
            return self._mul(expr, var, depth)
        if isinstance(expr, sympy.Pow):
            return self._pow(expr, var, depth)
        if isinstance(expr, sympy.Function) and len(expr.args) == 1:
            return self._function(expr, var, depth)
        name = type(expr).__name__
        raise DerivationError(
            Text(f"no step-by-step rule for {name}", f"{name}에 대한 단계별 미분 규칙이 없습니다")
        )

    def _summed(self, expr: sympy.Expr, var: sympy.Symbol, depth: int) -> Rule:
        summand = expr.args[0]
        indexed = set(data_in(summand)) | (set() if self.shared else {var})
        order = tuple(sorted(indexed, key=str))
        step = self.diff(summand, var, depth)
        if isinstance(step, RewriteRule) and step.reason == "expand":
            # Rewrite the whole sum first, as the seed does: Σ(x+2)(x−2) = Σ(x²−4).
            rewritten = elementwise_sum(step.rewritten)
            inner = self._sum_rule(rewritten, var, step.rewritten, step.substep, order)
            return RewriteRule(expr, var, inner.result, rewritten, step.reason, inner)
        return self._sum_rule(expr, var, summand, step, order)

    def _sum_rule(self, expr, var, summand, step: Rule, indexed) -> Rule:
        if not self.shared:
            return ElementwiseSumRule(expr, var, step.result, summand, step, indexed)
        # Factors free of the data are the same in every term: Σᵢ c·gᵢ = c·Σᵢ gᵢ, Σᵢ c = N·c.
        if indexed:
            same, varying = step.result.as_independent(*indexed, as_Add=False)
            result = same * sum_i(varying)
        else:
            result = step.result * ELEMENTS
        return SharedSumRule(expr, var, result, summand, step, indexed)

    def _expansion(self, expr: sympy.Expr, var: sympy.Symbol) -> sympy.Expr | None:
        if self.strategy == "product":
            return None
        if isinstance(expr, sympy.Mul):
            parts = expr.args
        elif self.strategy == "expand" and isinstance(expr, sympy.Pow):
            if not (expr.exp.is_Integer and expr.exp > 1 and isinstance(expr.base, sympy.Add)):
                return None
            parts = (expr.base,)
        else:
            return None
        if not all(p.is_polynomial(var) for p in parts):
            return None
        if degree_bound(expr) > MAX_EXPAND_DEGREE or terms_bound(expr) > MAX_EXPAND_TERMS:
            return None
        expanded = sympy.expand(expr)
        return None if expanded == expr else expanded

    def _rewrite(self, expr, var, rewritten, reason, depth) -> Rule:
        step = self.diff(rewritten, var, depth)
        return RewriteRule(expr, var, step.result, rewritten, reason, step)

    def _mul(self, expr: sympy.Mul, var: sympy.Symbol, depth: int) -> Rule:
        constant, other = expr.as_independent(var, as_Add=False)
        if constant != 1:
            step = self.diff(other, var, depth)
            result = _result(constant * step.result)
            return ConstantMultipleRule(expr, var, result, constant, other, step)
        expanded = self._expansion(expr, var)
        if expanded is not None:
            return self._rewrite(expr, var, expanded, "expand", depth)
        numer = [f for f in expr.args if not _is_denominator(f, var)]
        denom = [1 / f for f in expr.args if _is_denominator(f, var)]
        if denom and (numer or len(denom) > 1):
            top, bottom = sympy.Mul(*numer), sympy.Mul(*denom)
            top_step, bottom_step = self.diff(top, var, depth), self.diff(bottom, var, depth)
            raw = (top_step.result * bottom - top * bottom_step.result) / bottom**2
            return QuotientRule(expr, var, _result(raw), top_step, bottom_step)
        factors = tuple(self.diff(f, var, depth) for f in expr.args)
        raw = sympy.Add(
            *(
                sympy.Mul(*(g.result if j == i else g.expr for j, g in enumerate(factors)))
                for i in range(len(factors))
            )
        )
        return ProductRule(expr, var, _result(raw), factors)

    def _pow(self, expr: sympy.Pow, var: sympy.Symbol, depth: int) -> Rule:
        base, exponent = expr.args
        if not exponent.has(var):
            expanded = self._expansion(expr, var)
            if expanded is not None:
                return self._rewrite(expr, var, expanded, "expand", depth)
            if base == var:
                return PowerRule(expr, var, exponent * var ** (exponent - 1), exponent)
            return self._chain(expr, var, base, lambda u: u**exponent, depth)
        if not base.has(var):
            if exponent == var:
                return ExpRule(expr, var, expr * sympy.log(base), base)
            return self._chain(expr, var, exponent, lambda u: base**u, depth)
        rewritten = sympy.exp(exponent * sympy.log(base))
        step = self.diff(rewritten, var, depth)
        result = step.result.xreplace({rewritten: expr})
        return RewriteRule(expr, var, result, rewritten, "exp_log", step)

    def _function(self, expr: sympy.Function, var: sympy.Symbol, depth: int) -> Rule:
        (arg,) = expr.args
        if arg != var:
            return self._chain(expr, var, arg, lambda u: expr.func(u), depth)
        func = expr.func
        if func is sympy.exp:
            return ExpRule(expr, var, expr, sympy.E)
        if func is sympy.log:
            return LogRule(expr, var, 1 / var)
        if func in _TRIG:
            return TrigRule(expr, var, _TRIG[func](var), func.__name__)
        if func is sigmoid:
            return SigmoidRule(expr, var, sigmoid(var) * (1 - sigmoid(var)))
        if func is sympy.tanh:
            return TanhRule(expr, var, 1 - sympy.tanh(var) ** 2)
        if func in (relu, sympy.Abs):
            one = VariableRule(var, var, sympy.Integer(1))
            kind = "relu" if func is relu else "abs"
            constant = sympy.Heaviside(var, 0) if func is relu else sympy.sign(var)
            return PiecewiseRule(expr, var, constant, kind, constant, one)
        name = func.__name__
        raise DerivationError(
            Text(f"no step-by-step rule for {name}", f"{name}에 대한 단계별 미분 규칙이 없습니다")
        )

    def _chain(self, expr, var, inner, outer_of: Callable, depth: int) -> Rule:
        u = self._fresh_symbol()
        outer = self.diff(outer_of(u), u, depth)
        inner_step = self.diff(inner, var, depth)
        result = _result(outer.result.xreplace({u: inner}) * inner_step.result)
        return ChainRule(expr, var, result, u, inner, outer, inner_step)

    def _fresh_symbol(self) -> sympy.Symbol:
        self.chains += 1
        names = ("u", "v", "w", "s", "t")
        for name in (*names, *(f"u{k}" for k in range(self.chains, self.chains + 64))):
            if name not in self.taken:
                self.taken.add(name)
                return sympy.Symbol(name, real=True)
        raise DerivationError(Text("too many nested functions", "중첩된 함수가 너무 많습니다"))


def _is_denominator(factor: sympy.Expr, var: sympy.Symbol) -> bool:
    return (
        isinstance(factor, sympy.Pow)
        and factor.exp.is_negative is True
        and factor.exp.is_number
        and factor.base.has(var)
    )
