"""Provides the printers derivations are written with: Unicode for the terminal, LaTeX, and as typed."""

from __future__ import annotations

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

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

    _print_sum_i = _print_elementwise_sum

    def _print_elementwise_mean(self, expr):
        return f"mean({self._print(expr.args[0])})"


class TypedPrinter(StrPrinter):
    """Writes an expression the way a learner types it for the tutor's parser."""

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Exp1(self, expr):
        return "e"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"


def typed(expr: sympy.Expr) -> str:
    """`expr` as it would be typed: sum(x^2), abs(x), e^x."""
    return TypedPrinter().doprint(expr)


class TutorLatexPrinter(LatexPrinter):
    """sympy's LaTeX with ln for log, H for the Heaviside step, and the tutor's functions."""

    printmethod = "_tutor_latex"

    def __init__(self) -> None:
        super().__init__({"ln_notation": True, "mul_symbol": None})

    def _print_sigmoid(self, expr, exp=None):
        text = rf"\sigma\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_relu(self, expr, exp=None):
        text = rf"\operatorname{{relu}}\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_elementwise_mean(self, expr, exp=None):
        text = rf"\operatorname{{mean}}\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_Heaviside(self, expr, exp=None):
        text = rf"H\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_elementwise_sum(self, expr, exp=None):
        text = rf"\sum_i \left({self._print(expr.args[0])}\right)"
        return rf"\left({text}\right)^{{{exp}}}" if exp else text

    _print_sum_i = _print_elementwise_sum
