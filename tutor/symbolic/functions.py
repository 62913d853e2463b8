"""Provides the sympy functions the tutor adds: sigmoid, relu, the elementwise sum and mean, and Σᵢ as a value."""

from __future__ import annotations

import sympy


def symbol(name: str) -> sympy.Symbol:
    """The one way the tutor makes a variable: real-valued, so abs and relu differentiate cleanly."""
    return sympy.Symbol(name, real=True)


class sigmoid(sympy.Function):  # noqa: N801  (named as learners write it)
    """σ(x) = 1/(1+e^(−x));  σ'(x) = σ(x)(1−σ(x))."""

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _eval_evalf(self, prec):
        return (1 / (1 + sympy.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class relu(sympy.Function):  # noqa: N801
    """relu(x) = max(0, x);  relu'(x) = H(x) (PyTorch takes 0 at x = 0)."""

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, arg, **kwargs):
        return sympy.Max(0, arg)

    def _eval_evalf(self, prec):
        try:
            return sympy.Max(0, self.args[0])._eval_evalf(prec)
        except (TypeError, ValueError):  # not comparable with 0 (complex, undefined): stay symbolic
            return None

    def _latex(self, printer):
        return rf"\operatorname{{relu}}\left({printer._print(self.args[0])}\right)"


class elementwise_sum(sympy.Function):  # noqa: N801
    """Σᵢ f(xᵢ) over every element of a tensor; ∂/∂xᵢ Σⱼ f(xⱼ) = f'(xᵢ), written back in x."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sympy.Integer(1)

    def _eval_derivative(self, s):
        return self.args[0].diff(s)

    def _sympystr(self, printer):
        return f"sum({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\sum_i \left({printer._print(self.args[0])}\right)"


class elementwise_mean(sympy.Function):  # noqa: N801
    """(1/N)·Σⱼ f(xⱼ) over the N elements of a tensor; ∂/∂xᵢ = f'(xᵢ)/N, written back in x
    with N = `ELEMENTS`, the tensor's element count."""

    nargs = 1

    def _eval_derivative(self, s):
        return self.args[0].diff(s) / ELEMENTS

    def _sympystr(self, printer):
        return f"mean({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\frac{{1}}{{N}}\sum_i \left({printer._print(self.args[0])}\right)"


ELEMENTS = sympy.Symbol("N", positive=True, integer=True)


class sum_i(sympy.Function):  # noqa: N801  (named as `derive --json` prints it, for sympify)
    """Σᵢ g(xᵢ, yᵢ, w): one number, the sum over the elements of the data of a term written in
    x, y (the gradient of a parameter w shared by every element). Printed `sum_i(g)`, a name
    sympify reads; a number factor comes out front, and Σᵢ c = N·c."""

    nargs = 1

    @classmethod
    def eval(cls, arg):
        coefficient, rest = sympy.sympify(arg).as_coeff_Mul()
        if coefficient != 1:
            return coefficient * cls(rest)
        if rest.is_number:
            return rest * ELEMENTS
        return None

    def _latex(self, printer):
        return rf"\sum_i \left({printer._print(self.args[0])}\right)"


def to_sympy_builtin(expr: sympy.Expr) -> sympy.Expr:
    """The same expression with the tutor's functions replaced by sympy's own (for sympy.diff checks)."""
    return (
        expr.replace(sigmoid, lambda a: 1 / (1 + sympy.exp(-a)))
        .replace(relu, lambda a: sympy.Max(0, a))
        .replace(elementwise_sum, lambda a: a)
        .replace(elementwise_mean, lambda a: a / ELEMENTS)
    )
