"""Provides parse: what a learner types, as a sympy expression, built without eval or sympify.

Text is tokenized (`tutor.symbolic.tokens`, which also says how names like `xy`, `x1` and
`x_1` are read), checked token by token, written out as Python with every number and name
replaced by a placeholder and every implicit product made explicit, parsed with `ast`, and
walked against a whitelist that builds the sympy objects itself.

Accepted: `+ - * / ^ **`, `− · × ÷`, superscripts (`x²`, `x⁻¹`, `x¹⁰`), implicit products
(`2x`, `2(x+1)`, `(x+1)(x-1)`, `3x y`, `x(x+1)`), the functions `exp log ln sqrt √ abs sin
cos tan tanh sigmoid σ relu`, `sum(…)`/`Σ(…)` as the elementwise sum over a tensor and
`mean(…)` as its mean, `sin²(x)` and `sin^2(x)` as sin(x)², the constants `pi π e`, exact
decimals (`0.25` is 1/4).
Precedence is Python's: `-x^2` is −(x²), `2^3^2` is 2^9, `x^-1` is 1/x; an implicit product
binds like `*`, so `1/2x` is x/2 and `x^2y` is x²·y.
A sum or mean takes in the factors written right after it with no operator, as on paper:
`Σ(x+2)(x-2)` is Σ((x+2)(x−2)); an operator or another sum ends it, so `sum(x+2)*(x-2)`,
`sum(x)^2` and `x·sum(x)` multiply or raise the sum itself, as does a sum in its own
parentheses, `(Σ(x))(x)`.

Refused with the column: more than MAX_LENGTH characters, parentheses nested deeper than
MAX_NESTING, exponents over MAX_EXPONENT in absolute value (literal or folded, as in
`2^2^2^2^2`), powers over MAX_DIGITS digits, undefined or non-real constants (`1/0`,
`log(-1)`), values sympy cannot compute (`sqrt(2exp(exp(exp(999))))`), unknown
functions, and everything else.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

import sympy

from tutor.symbolic.expression_error import ExpressionError
from tutor.symbolic.functions import elementwise_mean, elementwise_sum, relu, sigmoid
from tutor.symbolic.source import columns, python_source
from tutor.symbolic.tokens import MAX_EXPONENT, MAX_NESTING, REDUCTIONS, log10_magnitude, tokenize

__all__ = ["MAX_DIGITS", "MAX_EXPONENT", "MAX_LENGTH", "MAX_NESTING", "ExpressionError", "parse"]

MAX_LENGTH = 500
MAX_DIGITS = 4000
MAX_DEPTH = 2 * MAX_NESTING
_MAX_BITS = int(MAX_DIGITS * 3.33)

_BUILDERS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "sum": elementwise_sum,
    "mean": elementwise_mean,
}
# what sympy raises when evaluating, e.g. exp(exp(exp(999))), is beyond it
_SYMPY_FAILURES = (ArithmeticError, MemoryError, RecursionError, ValueError)
_SUM = frozenset((ast.Add, ast.Sub))
# `@` never comes from the learner (the lexer refuses it): it marks a factor a sum takes in.
_PRODUCT = frozenset((ast.Mult, ast.Div, ast.MatMult))
_SIGN = frozenset((ast.USub, ast.UAdd))
_UNDEFINED = frozenset((sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))


def parse(text: str, *, variables: Iterable[str] = ()) -> sympy.Expr:
    """The sympy expression `text` denotes; raises ExpressionError naming the column.

    `variables` are extra multi-letter names to read as one variable (`loss`, `out`).
    """
    if not isinstance(text, str):
        raise ExpressionError(1, "not_text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(MAX_LENGTH + 1, "too_long", length=len(text), limit=MAX_LENGTH)
    if not text.strip():
        raise ExpressionError(1, "empty")
    tokens = tokenize(text, variables)
    if not tokens:
        raise ExpressionError(1, "empty")
    source, parts, slots = python_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        offset = getattr(err, "offset", None) or 1
        where = columns(parts)
        column = where[min(offset - 1, len(where) - 1)]
        raise ExpressionError(column, "not_allowed") from None
    try:
        return _Builder(parts, slots).build(tree.body, 0)
    except ExpressionError:
        raise
    except _SYMPY_FAILURES:
        raise ExpressionError(1, "cannot_compute") from None


class _Builder:
    """Walks the parsed tree, allowing only arithmetic, placeholders and one-argument calls."""

    def __init__(self, parts: list[tuple[str, int]], slots: dict[str, tuple[object, int]]) -> None:
        self.parts = parts
        self.columns: list[int] = []
        self.slots = slots
        self.checked: set[sympy.Basic] = set()

    def column(self, node: ast.AST) -> int:
        if not self.columns:
            self.columns = columns(self.parts)
        offset = getattr(node, "col_offset", 0)
        return self.columns[min(offset, len(self.columns) - 1)]

    def build(self, node: ast.expr, depth: int) -> sympy.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(self.column(node), "depth", limit=MAX_DEPTH)
        kind = type(node)
        if kind is ast.Name and node.id in self.slots:
            value, column = self.slots[node.id]
            if isinstance(value, sympy.Expr):
                return value
            raise ExpressionError(column, "not_allowed")
        if kind is ast.BinOp:
            op = type(node.op)
            if op in _SUM:
                return self._sum(node, depth)
            if op in _PRODUCT:
                return self._product(node, depth)
            if op is ast.Pow:
                base = self.build(node.left, depth + 1)
                exponent = self.build(node.right, depth + 1)
                return self._power(base, exponent, self.column(node.right))
        if kind is ast.UnaryOp and type(node.op) in _SIGN:
            operand = self.build(node.operand, depth + 1)
            return -operand if type(node.op) is ast.USub else operand
        if kind is ast.Call:
            return self._call(node, depth)
        raise ExpressionError(self.column(node), "not_allowed")

    def _sum(self, node: ast.expr, depth: int) -> sympy.Expr:
        terms: list[sympy.Expr] = []
        while type(node) is ast.BinOp and type(node.op) in _SUM:
            term = self.build(node.right, depth + 1)
            terms.append(-term if type(node.op) is ast.Sub else term)
            node = node.left
        terms.append(self.build(node, depth + 1))
        return self._defined(self.column(node), sympy.Add, *reversed(terms))

    def _product(self, node: ast.expr, depth: int) -> sympy.Expr:
        chain: list[tuple[type, ast.expr]] = []
        while type(node) is ast.BinOp and type(node.op) in _PRODUCT:
            chain.append((type(node.op), node.right))
            node = node.left
        chain.append((ast.Mult, node))
        factors: list[sympy.Expr] = []
        taking: tuple[type, ast.Call, list[sympy.Expr]] | None = None  # a sum taking factors
        for op, operand in reversed(chain):
            if op is ast.MatMult and taking is not None:
                taking[2].append(self.build(operand, depth + 1))
                continue
            if taking is not None:
                factors.append(self._reduction(*taking))
                taking = None
            if self._reduces(operand):
                _, _, argument = self._call_parts(operand, depth)
                taking = (op, operand, [argument])
                continue
            factor = self.build(operand, depth + 1)
            if op is ast.Div:
                factor = self._power(factor, sympy.S.NegativeOne, self.column(operand))
            factors.append(factor)
        if taking is not None:
            factors.append(self._reduction(*taking))
        return self._defined(self.column(node), sympy.Mul, *factors)

    def _reduces(self, node: ast.expr) -> bool:
        """Whether `node` is a call of sum or mean."""
        if type(node) is not ast.Call or type(node.func) is not ast.Name:
            return False
        slot = self.slots.get(node.func.id)
        return slot is not None and slot[0] in REDUCTIONS

    def _reduction(self, op: type, node: ast.Call, arguments: list[sympy.Expr]) -> sympy.Expr:
        """The sum or mean of `node` over its argument times the factors it took in."""
        builder, column = _BUILDERS[str(self.slots[node.func.id][0])], self.slots[node.func.id][1]
        argument = self._defined(column, sympy.Mul, *arguments)
        reduced = self._defined(column, builder, argument)
        return self._power(reduced, sympy.S.NegativeOne, column) if op is ast.Div else reduced

    def _call(self, node: ast.Call, depth: int) -> sympy.Expr:
        builder, column, argument = self._call_parts(node, depth)
        return self._defined(column, builder, argument)

    def _call_parts(self, node: ast.Call, depth: int) -> tuple[Callable, int, sympy.Expr]:
        """The function a call names, its column and its one argument, built."""
        func = node.func
        slot = self.slots.get(func.id) if isinstance(func, ast.Name) else None
        if slot is None or slot[0] not in _BUILDERS:
            raise ExpressionError(self.column(node), "not_allowed")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(slot[1], "comma_call")
        return _BUILDERS[str(slot[0])], slot[1], self.build(node.args[0], depth + 1)

    def _power(self, base: sympy.Expr, exponent: sympy.Expr, column: int) -> sympy.Expr:
        """base^exponent, refused before sympy computes anything too large."""
        if exponent.is_Number:
            if _over_limit(exponent):
                raise ExpressionError(column, "exponent", value=exponent, limit=MAX_EXPONENT)
            if base.is_Rational and base.p != 0:
                digits = abs(float(exponent)) * max(
                    log10_magnitude(abs(base.p)), log10_magnitude(base.q)
                )
                if digits > MAX_DIGITS:
                    raise ExpressionError(column, "too_large", limit=MAX_DIGITS)
            if base.is_Number and base.is_negative and not exponent.is_Integer:
                raise ExpressionError(column, "not_real")
        return self._defined(column, sympy.Pow, base, exponent)

    def _defined(
        self, column: int, make: Callable[..., sympy.Expr], *args: sympy.Expr
    ) -> sympy.Expr:
        """make(*args), unless sympy cannot compute it or it is undefined, not real, or holds a
        number too long to print.

        Only the parts not already passed (by an earlier call) are walked; refusals keep the
        order of importance: too large, exponent, undefined, not real."""
        try:
            expr = make(*args)
        except _SYMPY_FAILURES:
            raise ExpressionError(column, "cannot_compute") from None
        checked = self.checked
        exponent: sympy.Expr | None = None
        too_large = undefined = not_real = False
        pending = [expr]
        while pending:
            node = pending.pop()
            if node in checked:
                continue
            checked.add(node)
            if node.is_Rational:
                too_large = too_large or max(node.p.bit_length(), node.q.bit_length()) > _MAX_BITS
            elif node.is_Pow:
                power = node.exp
                if exponent is None and power.is_Number and _over_limit(power):
                    exponent = power
            elif node in _UNDEFINED:
                undefined = True
            elif node is sympy.I:
                not_real = True
            pending.extend(node.args)
        if too_large:
            raise ExpressionError(column, "too_large", limit=MAX_DIGITS)
        if exponent is not None:
            raise ExpressionError(column, "exponent", value=exponent, limit=MAX_EXPONENT)
        if undefined:
            raise ExpressionError(column, "undefined")
        if not_real:
            raise ExpressionError(column, "not_real")
        return expr


def _over_limit(exponent: sympy.Expr) -> bool:
    """Whether the number `exponent` is over MAX_EXPONENT in absolute value."""
    if exponent.is_Rational:
        return abs(exponent.p) > MAX_EXPONENT * exponent.q
    return bool(abs(exponent) > MAX_EXPONENT)
