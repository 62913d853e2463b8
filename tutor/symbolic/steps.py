"""Provides diff_steps: a derivative derived rule by rule, as a tree of rules, and its other paths."""

from __future__ import annotations

from collections.abc import Callable

import sympy

from tutor.symbolic.functions import elementwise_sum, relu, sigmoid
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
)
from tutor.text import Text

STRATEGIES = ("auto", "expand", "product")
MAX_NODES = 600
MAX_DEPTH = 40
MAX_EXPAND_DEGREE = 12
MAX_POWER_TOWER = 3


class DerivationError(ValueError):
    """An expression the tutor will not derive step by step; `str()` is one English line."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


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

    Σ(f) stands for y = Σᵢ f(xᵢ) and is differentiated elementwise (see `_gather_sums`).
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
    _check_size(expr)
    expr = _gather_sums(expr, var)
    return _Deriver(var, strategy, expr).diff(expr, var, 0)


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


def _check_size(expr: sympy.Expr) -> None:
    too_big = Text(
        "the expression is too large to derive step by step",
        "식이 너무 커서 단계별로 미분할 수 없습니다",
    )
    stack: list[tuple[sympy.Basic, int, int]] = [(expr, 0, 0)]
    nodes = 0
    while stack:
        node, depth, tower = stack.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise DerivationError(too_big)
        if tower > MAX_POWER_TOWER:
            raise DerivationError(
                Text(
                    "powers are stacked too high to derive step by step",
                    "거듭제곱이 너무 높이 겹쳐 있어 단계별로 미분할 수 없습니다",
                )
            )
        for index, arg in enumerate(node.args):
            in_exponent = isinstance(node, sympy.Pow) and index == 1 and not arg.is_Number
            stack.append((arg, depth + 1, tower + in_exponent))


def _gather_sums(expr: sympy.Expr, var: sympy.Symbol) -> sympy.Expr:
    """`expr` as y = c₀ + c₁·Σ(f₁) + …, each summand free of further Σ; refuses anything else.

    A Σ multiplied by more factors in `var` takes them in, the way Σ(x+2)(x−2) means Σᵢ(xᵢ+2)(xᵢ−2).
    """
    if not expr.has(elementwise_sum):
        return expr
    misplaced = DerivationError(
        Text(
            "sum(...) must stand on its own: y = sum(f(x)), a constant times it, or a sum of those",
            "sum(...)은 단독으로 써야 합니다: y = sum(f(x)), 그 상수배, 또는 그것들의 합",
        )
    )
    terms = []
    for term in sympy.Add.make_args(expr):
        factors = sympy.Mul.make_args(term)
        sums = [f for f in factors if isinstance(f, elementwise_sum)]
        rest = [f for f in factors if not isinstance(f, elementwise_sum)]
        if not sums:
            if term.has(var):
                raise misplaced
            terms.append(term)
            continue
        if len(sums) > 1 or sums[0].args[0].has(elementwise_sum):
            raise misplaced
        if any(f.has(elementwise_sum) for f in rest):
            raise misplaced
        constant = sympy.Mul(*(f for f in rest if not f.has(var)))
        inside = sympy.Mul(sums[0].args[0], *(f for f in rest if f.has(var)))
        terms.append(constant * elementwise_sum(inside))
    return sympy.Add(*terms)


class _Deriver:
    def __init__(self, var: sympy.Symbol, strategy: str, whole: sympy.Expr) -> None:
        self.strategy = strategy
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
        if isinstance(expr, elementwise_sum):
            return self._elementwise(expr, var, depth)
        if isinstance(expr, sympy.Add):
            terms = tuple(self.diff(t, var, depth) for t in expr.args)
            return SumRule(expr, var, sympy.Add(*(t.result for t in terms)), terms)
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

    def _elementwise(self, expr: sympy.Expr, var: sympy.Symbol, depth: int) -> Rule:
        summand = expr.args[0]
        step = self.diff(summand, var, depth)
        if isinstance(step, RewriteRule):
            # Rewrite the whole sum first, as the seed does: Σ(x+2)(x−2) = Σ(x²−4).
            rewritten = elementwise_sum(step.rewritten)
            inner = ElementwiseSumRule(rewritten, var, step.result, step.rewritten, step.substep)
            return RewriteRule(expr, var, step.result, rewritten, step.reason, inner)
        return ElementwiseSumRule(expr, var, step.result, summand, step)

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
        if sympy.degree(expr, var) > MAX_EXPAND_DEGREE:
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
            return ConstantMultipleRule(expr, var, constant * step.result, constant, other, step)
        expanded = self._expansion(expr, var)
        if expanded is not None:
            return self._rewrite(expr, var, expanded, "expand", depth)
        numer = [f for f in expr.args if not _is_denominator(f, var)]
        denom = [1 / f for f in expr.args if _is_denominator(f, var)]
        if denom and (numer or len(denom) > 1):
            top, bottom = sympy.Mul(*numer), sympy.Mul(*denom)
            top_step, bottom_step = self.diff(top, var, depth), self.diff(bottom, var, depth)
            result = (top_step.result * bottom - top * bottom_step.result) / bottom**2
            return QuotientRule(expr, var, result, top_step, bottom_step)
        factors = tuple(self.diff(f, var, depth) for f in expr.args)
        result = sympy.Add(
            *(
                sympy.Mul(*(g.result if j == i else g.expr for j, g in enumerate(factors)))
                for i in range(len(factors))
            )
        )
        return ProductRule(expr, var, result, factors)

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
            return self._piecewise(expr, var)
        name = func.__name__
        raise DerivationError(
            Text(f"no step-by-step rule for {name}", f"{name}에 대한 단계별 미분 규칙이 없습니다")
        )

    def _piecewise(self, expr: sympy.Expr, var: sympy.Symbol) -> Rule:
        positive = VariableRule(var, var, sympy.Integer(1))
        if expr.func is relu:
            negative: Rule = ConstantRule(sympy.Integer(0), var, sympy.Integer(0))
            return PiecewiseRule(expr, var, sympy.Heaviside(var, 0), "relu", (positive, negative))
        negative = ConstantMultipleRule(
            -var, var, sympy.Integer(-1), sympy.Integer(-1), var, positive
        )
        return PiecewiseRule(expr, var, sympy.sign(var), "abs", (positive, negative))

    def _chain(self, expr, var, inner, outer_of: Callable, depth: int) -> Rule:
        u = self._fresh_symbol()
        outer = self.diff(outer_of(u), u, depth)
        inner_step = self.diff(inner, var, depth)
        result = outer.result.xreplace({u: inner}) * inner_step.result
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
