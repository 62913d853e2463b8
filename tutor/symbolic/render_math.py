"""Provides the two notations derivations are written in: plain Unicode for the terminal, and LaTeX."""

from __future__ import annotations

import sympy

from tutor.symbolic.functions import elementwise_sum, sum_i
from tutor.symbolic.printers import MINUS, TutorLatexPrinter, UnicodePrinter, superscript, typed
from tutor.symbolic.rules import SumScope
from tutor.symbolic.wording import josa

__all__ = ["LATEX", "MINUS", "TEXT", "Notation", "Writer", "order_key", "superscript", "typed"]


class Notation:
    """How one derivation is written down: expressions, ∂ operators, products and math spans."""

    latex = False
    times = "·"
    arrow = " → "
    prime = "′"
    minus = MINUS

    def __init__(self) -> None:
        self._printer = UnicodePrinter()

    def element(self, var: sympy.Symbol) -> sympy.Symbol:
        """The i-th element of tensor `var`: xᵢ."""
        return sympy.Symbol(var.name + "ᵢ", real=True)

    def expr(self, expr: sympy.Expr) -> str:
        return self._printer.doprint(expr)

    def factor(self, expr: sympy.Expr) -> str:
        """`expr` ready to stand in a product: parenthesized when it is a sum or a negative."""
        text = self.expr(expr)
        return f"({text})" if isinstance(expr, sympy.Add) or text.startswith(MINUS) else text

    def math(self, text: str) -> str:
        return text

    def d(self, var: sympy.Symbol, body: str, bare: bool = False) -> str:
        """∂/∂x applied to an already written expression; `bare` (for one Σ(…)) leaves out
        the parentheses around it."""
        if bare:
            return f"∂/∂{self.expr(var)} {body}"
        return f"∂/∂{self.expr(var)}({body})"

    def ratio(self, top: str, var: sympy.Symbol) -> str:
        """∂y/∂x."""
        return f"∂{top}/∂{self.expr(var)}"

    def sum_i(self, body: str) -> str:
        """Σᵢ applied to an already written term."""
        return f"Σᵢ {body}"


class LatexNotation(Notation):
    latex = True
    times = r" \cdot "
    arrow = r" \to "
    prime = "'"
    minus = "-"

    def __init__(self) -> None:
        self._printer = TutorLatexPrinter()

    def element(self, var: sympy.Symbol) -> sympy.Symbol:
        return sympy.Symbol(var.name + "_i", real=True)

    def factor(self, expr: sympy.Expr) -> str:
        text = self.expr(expr)
        if isinstance(expr, sympy.Add) or text.startswith("-"):
            return rf"\left({text}\right)"
        return text

    def math(self, text: str) -> str:
        return f"${text}$"

    def d(self, var: sympy.Symbol, body: str, bare: bool = False) -> str:
        return rf"\frac{{\partial}}{{\partial {self.expr(var)}}}\left({body}\right)"

    def ratio(self, top: str, var: sympy.Symbol) -> str:
        return rf"\frac{{\partial {top}}}{{\partial {self.expr(var)}}}"

    def sum_i(self, body: str) -> str:
        return rf"\sum_i {body}"


TEXT = Notation()
LATEX = LatexNotation()


class Writer:
    """Writes expressions of one rule in one notation, elements of a summed tensor as xᵢ.

    `y` names the whole derivation's output and `tops` are its expression and its rewrites.
    """

    def __init__(
        self,
        notation: Notation,
        scope: SumScope | None,
        y: str,
        tops: frozenset[sympy.Expr] = frozenset(),
    ) -> None:
        self.n = notation
        self.y = y
        self.tops = tops
        indexed = scope.indexed if scope is not None else ()
        self.subs = {s: notation.element(s) for s in indexed}
        self.text_subs = {s: TEXT.element(s) for s in indexed}

    def within(self, scope: SumScope) -> Writer:
        """This writer inside `scope`: its indexed variables written xᵢ."""
        return Writer(self.n, scope, self.y, self.tops)

    def is_output(self, expr: sympy.Expr) -> bool:
        """Whether `expr` is the whole derivation's output (y), as written or rewritten."""
        return expr in self.tops

    def raw(self, expr: sympy.Expr) -> str:
        return self.n.expr(renamed(sympy.sympify(expr), self.subs))

    def factor(self, expr: sympy.Expr) -> str:
        return self.n.factor(renamed(sympy.sympify(expr), self.subs))

    def j(self, expr: sympy.Expr, pair: str) -> str:
        """The Korean particle that follows `expr` as it is read aloud (은/는, 을/를, 과/와)."""
        return josa(TEXT.expr(renamed(sympy.sympify(expr), self.text_subs)), pair)

    def e(self, expr: sympy.Expr) -> str:
        return self.n.math(self.raw(expr))

    def d(self, var: sympy.Symbol, expr: sympy.Expr) -> str:
        bare = isinstance(expr, elementwise_sum | sum_i)
        return self.n.d(self.subs.get(var, var), self.raw(expr), bare=bare)

    def eq(self, *parts: str) -> str:
        return self.n.math(" = ".join(dict.fromkeys(parts)))

    def steps(self, left: str, *parts: tuple[str, object], keep: str = "first") -> str:
        """`left = a = b = …` from (text, form) pairs, writing each run of sides whose forms
        have the same terms and factors in whatever order (`order_key`) once: as its first
        side, or (keep="last") its last."""
        kept: list[str] = [left]
        last: object = None
        for text, form in parts:
            key = order_key(form)
            if len(kept) > 1 and key == last:
                if keep == "last":
                    kept[-1] = text
                continue
            kept.append(text)
            last = key
        return self.eq(*kept)

    def arrow(self, left: str, right: str) -> str:
        return self.n.math(left + self.n.arrow + right)

    def plus(self, parts: list[str]) -> str:
        out = ""
        for part in parts:
            negative = part.startswith(self.n.minus) and not part.startswith(self.n.minus * 2)
            if not out:
                out = part
            elif negative:
                out += f" {self.n.minus} {part[len(self.n.minus) :]}"
            else:
                out += f" + {part}"
        return out


def order_key(form: object) -> object:
    """What a written form is up to the order of terms and factors: a sympy expression, or
    ("+", parts) / ("*", parts) for a sum or product written out part by part."""
    if isinstance(form, tuple):
        op, items = form
    elif isinstance(form, sympy.Add):
        op, items = "+", form.args
    elif isinstance(form, sympy.Mul):
        op, items = "*", form.args
    else:
        return str(form)
    keys: list[object] = []
    for item in items:
        key = order_key(item)
        if isinstance(key, tuple) and key[0] == op:
            keys.extend(key[1])
        else:
            keys.append(key)
    return (op, tuple(sorted(keys, key=repr)))


def renamed(expr: sympy.Expr, subs: dict[sympy.Symbol, sympy.Symbol]) -> sympy.Expr:
    """`expr` with symbols renamed (x to xᵢ) and nothing else changed: unlike xreplace, it does
    not evaluate again, so 2(w·x − y) stays a product."""
    if not subs or not expr.free_symbols & subs.keys():
        return expr
    if expr in subs:
        return subs[expr]
    args = tuple(renamed(arg, subs) for arg in expr.args)
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)
