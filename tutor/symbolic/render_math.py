"""Provides the two notations derivations are written in: plain Unicode for the terminal, and LaTeX."""

from __future__ import annotations

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from tutor.symbolic.rules import ElementwiseSumRule
from tutor.symbolic.wording import josa

MINUS = "\u2212"
_RAISABLE = "0123456789-+()=nixyuvwstak" + MINUS
_SUPERSCRIPT = str.maketrans(_RAISABLE, "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾⁼ⁿⁱˣʸᵘᵛʷˢᵗᵃᵏ⁻")


def superscript(text: str) -> str | None:
    """`text` in superscript characters, or None when one of them has none."""
    compact = text.replace(" ", "")
    if not compact or any(c not in _RAISABLE for c in compact):
        return None
    return compact.translate(_SUPERSCRIPT)


class UnicodePrinter(StrPrinter):
    """Writes 2x, x², −4, σ(x), Σ(x − 2)(x + 2), x·sin(x), 1/(x + 1)² the way people do."""

    printmethod = "_tutor_unicode"

    def _print_Integer(self, expr):
        return str(expr.p).replace("-", MINUS)

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}".replace("-", MINUS)

    def _print_Float(self, expr):
        return super()._print_Float(expr).replace("-", MINUS)

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pi(self, expr):
        return "π"

    def _print_Add(self, expr, order=None):
        out = ""
        for term in self._as_ordered_terms(expr, order=order):
            text = self._print(term)
            if text.startswith(MINUS):
                out += f" {MINUS} {text[1:]}" if out else text
            else:
                out += f" + {text}" if out else text
        return out

    def _factor(self, expr) -> str:
        text = self._print(expr)
        if isinstance(expr, sympy.Add) or (expr.is_Number and expr.is_negative):
            return f"({text})"
        if isinstance(expr, sympy.Mul) or (expr.is_Rational and not expr.is_Integer):
            return f"({text})"
        return text

    def _product(self, factors: list[sympy.Expr]) -> str:
        out = ""
        previous = None
        for factor in factors:
            text = self._factor(factor)
            joined = previous is not None and (
                text.startswith("(") or (previous.is_Number and not text[:1].isdigit())
            )
            out += text if previous is None or joined else "·" + text
            previous = factor
        return out

    def _print_Mul(self, expr):
        coeff, factors = expr.as_coeff_mul()
        numer: list[sympy.Expr] = []
        denom: list[sympy.Expr] = []
        sign = ""
        if coeff.is_negative:
            sign, coeff = MINUS, -coeff
        if coeff.is_Rational and coeff.q != 1:
            denom.append(sympy.Integer(coeff.q))
            coeff = sympy.Integer(coeff.p)
        if coeff != 1:
            numer.append(coeff)
        for factor in factors:
            if isinstance(factor, sympy.Pow) and factor.exp.is_Rational and factor.exp < 0:
                denom.append(sympy.Pow(factor.base, -factor.exp))
            else:
                numer.append(factor)
        top = self._product(numer) if numer else "1"
        if not denom:
            return sign + top
        bottom = self._product(denom)
        if len(denom) > 1 and not bottom.startswith("("):
            bottom = f"({bottom})"
        if len(numer) > 1 and not (isinstance(numer[0], sympy.Number) and len(numer) == 2):
            top = f"({top})"
        return f"{sign}{top}/{bottom}"

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.args
        if exp.is_Rational and exp < 0:
            return self._print_Mul(sympy.Mul(expr, evaluate=False))
        base_text = self._print(base)
        if (
            precedence(base) < PRECEDENCE["Pow"]
            or (base.is_Number and base.is_negative)
            or (base.is_Rational and not base.is_Integer)
        ):
            base_text = f"({base_text})"
        if exp == sympy.Rational(1, 2):
            return f"√{base_text}" if base.is_Atom else f"√({self._print(base)})"
        exp_text = self._print(exp)
        raised = superscript(exp_text)
        if raised is not None:
            return base_text + raised
        return f"{base_text}^({exp_text})"

    def _print_exp(self, expr):
        arg_text = self._print(expr.args[0])
        raised = superscript(arg_text) if expr.args[0].is_Atom else None
        return "e" + raised if raised else f"exp({arg_text})"

    def _print_log(self, expr):
        return f"ln({self._print(expr.args[0])})"

    def _print_sigmoid(self, expr):
        return f"σ({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr):
        return f"H({self._print(expr.args[0])})"

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_elementwise_sum(self, expr):
        inner = expr.args[0]
        text = self._print(inner)
        grouped = isinstance(inner, sympy.Mul) and all(isinstance(f, sympy.Add) for f in inner.args)
        return f"Σ{text}" if grouped else f"Σ({text})"


class TutorLatexPrinter(LatexPrinter):
    """sympy's LaTeX with ln for log and H for the Heaviside step."""

    def __init__(self) -> None:
        super().__init__({"ln_notation": True, "mul_symbol": None})

    def _print_Heaviside(self, expr, exp=None):
        text = rf"H\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_elementwise_sum(self, expr, exp=None):
        return rf"\sum_i \left({self._print(expr.args[0])}\right)"


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

    def d(self, var: sympy.Symbol, body: str) -> str:
        """∂/∂x applied to an already written expression."""
        if body.startswith("Σ"):
            return f"∂/∂{self.expr(var)} {body}"
        return f"∂/∂{self.expr(var)}({body})"

    def ratio(self, top: str, var: sympy.Symbol) -> str:
        """∂y/∂x."""
        return f"∂{top}/∂{self.expr(var)}"


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

    def d(self, var: sympy.Symbol, body: str) -> str:
        return rf"\frac{{\partial}}{{\partial {self.expr(var)}}}\left({body}\right)"

    def ratio(self, top: str, var: sympy.Symbol) -> str:
        return rf"\frac{{\partial {top}}}{{\partial {self.expr(var)}}}"


TEXT = Notation()
LATEX = LatexNotation()


class Writer:
    """Writes expressions of one rule in one notation, elements of a summed tensor as xᵢ."""

    def __init__(self, notation: Notation, scope: ElementwiseSumRule | None, y: str) -> None:
        self.n = notation
        self.y = y
        self.subs = {scope.var: notation.element(scope.var)} if scope is not None else {}
        self.text_subs = {scope.var: TEXT.element(scope.var)} if scope is not None else {}

    def raw(self, expr: sympy.Expr) -> str:
        return self.n.expr(sympy.sympify(expr).xreplace(self.subs))

    def factor(self, expr: sympy.Expr) -> str:
        return self.n.factor(sympy.sympify(expr).xreplace(self.subs))

    def j(self, expr: sympy.Expr, pair: str) -> str:
        """The Korean particle that follows `expr` as it is read aloud (은/는, 을/를, 과/와)."""
        return josa(TEXT.expr(sympy.sympify(expr).xreplace(self.text_subs)), pair)

    def e(self, expr: sympy.Expr) -> str:
        return self.n.math(self.raw(expr))

    def d(self, var: sympy.Symbol, expr: sympy.Expr) -> str:
        return self.n.d(self.subs.get(var, var), self.raw(expr))

    def eq(self, *parts: str) -> str:
        return self.n.math(" = ".join(dict.fromkeys(parts)))

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
