"""Provides how sums over a tensor are read: which variables are data, which are shared, what is a scalar.

The rule, for an expression with sum(...) or mean(...) in it:

- x, y, X and Y, with or without a subscript (x1, x_hat, Y2), are data: tensors with one value
  per element, xᵢ and yᵢ in the i-th term of a sum.
- When the sums hold data, every other variable (w, b, θ, …) is one parameter shared by every
  element. Its derivative is the gradient a training loop uses: each term of the sum contains
  it, so each term contributes its derivative and they add up, ∂L/∂w = Σᵢ ∂Lᵢ/∂w.
- Otherwise (differentiating by a data variable, or sums over no data at all, as in sum(w^2))
  the variable is the summed tensor itself: y = Σᵢ f(xᵢ), and the answer is the elementwise
  ∂y/∂xᵢ written in x.
- The expression must be one number (a scalar): a tensor (data, or the summed tensor) outside
  every sum, as in x·sum(x), leaves one value per element and is refused. With the summed tensor, sums may only
  be added and scaled (y = c₀ + c₁·Σ(f₁) + …); with a shared parameter, everything is a number
  and may be combined freely (sqrt(mean((w*x - y)^2))).
"""

from __future__ import annotations

import re

import sympy

from tutor.symbolic.functions import ELEMENTS, elementwise_mean, elementwise_sum, sum_i
from tutor.symbolic.limits import DerivationError
from tutor.symbolic.render_math import TEXT, typed
from tutor.symbolic.wording import josa
from tutor.text import Text

REDUCTIONS = (elementwise_sum, elementwise_mean)
_DATA = re.compile(r"[xyXY](?:[0-9]*|_\w*)\Z")

NESTED = Text(
    "a sum inside a sum is not supported: write one sum(...) over the whole term",
    "합 안의 합은 지원하지 않습니다: 항 전체를 sum(...) 하나로 쓰세요",
)
MISPLACED = Text(
    "sum(...) must stand on its own: y = sum(f(x)), a constant times it, or a sum of those",
    "sum(...)은 단독으로 써야 합니다: y = sum(f(x)), 그 상수배, 또는 그것들의 합",
)
TENSOR = Text(
    "{name} stands outside sum(...) in {term}, so that is a tensor (one value per element), "
    "not a scalar, and has no single gradient; {advice}",
    "{term}에서 {name}{particle} sum(...) 밖에 있어 이 식은 스칼라가 아니라 텐서(원소마다 값 "
    "하나)이므로 기울기가 하나로 정해지지 않습니다. {advice}",
)
INSIDE = Text(
    "for {summand} write {typed}",
    "{summand}{particle} 뜻했다면 {typed}{to} 쓰세요",
)
PUT_INSIDE = Text(
    "write it inside the sum, as sum(...)",
    "sum(...) 안에 쓰세요",
)


def is_data(name: str) -> bool:
    """Whether a variable's name reads as data: x, y, X, Y, optionally subscripted."""
    return _DATA.match(name) is not None


def data_in(expr: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    """The data variables of `expr`, by name."""
    return tuple(sorted((s for s in expr.free_symbols if is_data(s.name)), key=str))


def is_shared(expr: sympy.Expr, var: sympy.Symbol) -> bool:
    """Whether `var` is a parameter shared by every element (see the module's rule)."""
    if is_data(var.name):
        return False
    return any(data_in(r.args[0]) for r in expr.atoms(*REDUCTIONS))


def check_scalar(expr: sympy.Expr, var: sympy.Symbol, shared: bool) -> None:
    """Refuse, in one line, nested sums, a tensor outside every sum, and (for the summed tensor)
    a sum that is not simply added or scaled."""
    reductions = expr.atoms(*REDUCTIONS)
    if not reductions:
        return
    if any(r.args[0].has(*REDUCTIONS) for r in reductions):
        raise DerivationError(NESTED)
    summed = any(r.has(var) for r in reductions)
    tensors = set(data_in(expr)) | ({var} if summed and not shared else set())
    for term in sympy.Add.make_args(expr):
        outside = term.xreplace({r: sympy.Dummy() for r in term.atoms(*REDUCTIONS)})
        stray = sorted(tensors & outside.free_symbols, key=str)
        if stray:
            raise DerivationError(_tensor(expr, term, stray[0]))
    if not shared and not _linear(expr):
        raise DerivationError(MISPLACED)


def as_value(expr: sympy.Expr) -> sympy.Expr:
    """`expr` with each sum or mean in it as the one number it is: Σ(f) as Σᵢ f, mean(f) as
    Σᵢ f / N (how a sum carried into a derivative is written)."""
    if not expr.has(*REDUCTIONS):
        return expr
    return expr.replace(elementwise_sum, sum_i).replace(
        elementwise_mean, lambda f: sum_i(f) / ELEMENTS
    )


def _linear(expr: sympy.Expr) -> bool:
    """Whether every sum in `expr` is a term, or a factor of a term, of the whole."""
    for term in sympy.Add.make_args(expr):
        factors = sympy.Mul.make_args(term)
        held = [f for f in factors if f.has(*REDUCTIONS)]
        if len(held) > 1 or (held and not isinstance(held[0], REDUCTIONS)):
            return False
    return True


def _tensor(expr: sympy.Expr, term: sympy.Expr, name: sympy.Symbol) -> Text:
    advice = PUT_INSIDE
    held = [f for f in sympy.Mul.make_args(term) if isinstance(f, REDUCTIONS)]
    if isinstance(term, sympy.Mul) and len(held) == 1:
        reduction = held[0]
        rest = [f for f in term.args if f is not reduction]
        inside = sympy.Mul(reduction.args[0], *(f for f in rest if f.free_symbols))
        outside = sympy.Mul(*(f for f in rest if not f.free_symbols))
        element = {s: TEXT.element(s) for s in inside.free_symbols if is_data(s.name) or s == name}
        summand = "Σᵢ " + TEXT.expr(inside.xreplace(element))
        if isinstance(reduction, elementwise_mean):
            summand = f"(1/{TEXT.expr(ELEMENTS)})·{summand}"
        written = typed(outside * reduction.func(inside))
        advice = INSIDE.format(
            summand=summand, typed=written, particle=josa(summand, "을를"), to=josa(written, "으로")
        )
    shown = TEXT.expr(expr)
    return Text(
        TENSOR.en.format(name=name, term=shown, advice=advice.en),
        TENSOR.ko.format(name=name, term=shown, particle=josa(name.name, "이가"), advice=advice.ko),
    )
