"""Provides parse: what a learner types, as a sympy expression, built without eval or sympify.

Text is tokenized (`tutor.symbolic.tokens`, which also says how names like `xy`, `x1` and
`x_1` are read), checked token by token, written out as Python with every number and name
replaced by a placeholder and every implicit product made explicit, parsed with `ast`, and
walked against a whitelist that builds the sympy objects itself.

Accepted: `+ - * / ^ **`, `− · × ÷`, superscripts (`x²`, `x⁻¹`, `x¹⁰`), implicit products
(`2x`, `2(x+1)`, `(x+1)(x-1)`, `3x y`, `x(x+1)`), the functions `exp log ln sqrt √ abs sin
cos tan tanh sigmoid σ relu`, `sum(…)`/`Σ(…)` as the elementwise sum over a tensor, `sin²(x)`
and `sin^2(x)` as sin(x)², the constants `pi π e`, exact decimals (`0.25` is 1/4).
Precedence is Python's: `-x^2` is −(x²), `2^3^2` is 2^9, `x^-1` is 1/x; an implicit product
binds like `*`, so `1/2x` is x/2 and `x^2y` is x²·y.

Refused with the column: more than MAX_LENGTH characters, parentheses nested deeper than
MAX_NESTING, exponents over MAX_EXPONENT in absolute value (literal or folded, as in
`2^2^2^2^2`), powers over MAX_DIGITS digits, undefined or non-real constants (`1/0`,
`log(-1)`), unknown functions, and everything else.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

import sympy

from tutor.symbolic.expression_error import ExpressionError
from tutor.symbolic.functions import elementwise_sum, relu, sigmoid
from tutor.symbolic.tokens import MAX_EXPONENT, MAX_NESTING, Token, log10_magnitude, tokenize

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
}
_VALUE_END = ("number", "name", ")", "sup")
_VALUE_START = ("number", "name", "function", "(")
_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


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
    source, columns, slots = _python_source(tokens)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        offset = getattr(err, "offset", None) or 1
        column = columns[min(offset - 1, len(columns) - 1)]
        raise ExpressionError(column, "not_allowed") from None
    return _Builder(columns, slots).build(tree.body, 0)


def _check_sequence(tokens: list[Token]) -> None:
    """Refuse operators with nothing on one side, empty parentheses and stray superscripts."""
    previous: Token | None = None
    for token in tokens:
        kind, before = token.kind, previous.kind if previous else None
        if kind == "op" and token.value in "*/^" and before not in _VALUE_END:
            if before == "op":
                raise ExpressionError(token.column, "value_after", op=previous.text)
            raise ExpressionError(token.column, "value_before", op=token.text)
        if kind == "sup" and before not in ("number", "name", ")"):
            raise ExpressionError(token.column, "superscript")
        if kind == ")" and before == "(":
            raise ExpressionError(token.column, "empty_parentheses")
        if kind == ")" and before == "op":
            raise ExpressionError(token.column, "value_after", op=previous.text)
        if kind == "number" and before in ("number", "sup"):
            raise ExpressionError(token.column, "two_numbers")
        previous = token
    if previous is not None and previous.kind == "op":
        raise ExpressionError(previous.column, "value_after", op=previous.text)


def _python_source(tokens: list[Token]) -> tuple[str, list[int], dict[str, tuple[object, int]]]:
    """Python text for the tokens, the source column of each of its characters, and what each
    placeholder name stands for (value, column)."""
    _check_sequence(tokens)
    parts: list[tuple[str, int]] = []
    slots: dict[str, tuple[object, int]] = {}

    def slot(value: object, column: int) -> str:
        name = f"_{len(slots)}"
        slots[name] = (value, column)
        return name

    previous: Token | None = None
    for token in tokens:
        if previous is not None and previous.kind in _VALUE_END and token.kind in _VALUE_START:
            parts.append(("*", token.column))
        if token.kind == "function" and token.power is not None:
            parts.append(("(", token.column))  # sin²(x)³ is (sin(x)²)³
        if token.kind in ("number", "name", "function"):
            parts.append((slot(token.value, token.column), token.column))
        elif token.kind == "op":
            parts.append(("**" if token.value == "^" else str(token.value), token.column))
        elif token.kind == "sup":
            parts.append(("**" + slot(sympy.Integer(token.value), token.column), token.column))
        else:
            parts.append((token.kind, token.column))
            if token.power is not None:
                power, column = token.power
                parts.append(("**" + slot(sympy.Integer(power), column) + ")", column))
        previous = token
    source = "".join(text for text, _ in parts)
    columns = [column for text, column in parts for _ in text]
    return source, columns, slots


class _Builder:
    """Walks the parsed tree, allowing only arithmetic, placeholders and one-argument calls."""

    def __init__(self, columns: list[int], slots: dict[str, tuple[object, int]]) -> None:
        self.columns = columns
        self.slots = slots

    def column(self, node: ast.AST) -> int:
        offset = getattr(node, "col_offset", 0)
        return self.columns[min(offset, len(self.columns) - 1)]

    def build(self, node: ast.expr, depth: int) -> sympy.Expr:
        if depth > MAX_DEPTH:
            raise ExpressionError(self.column(node), "depth", limit=MAX_DEPTH)
        if isinstance(node, ast.Name) and node.id in self.slots:
            value, column = self.slots[node.id]
            if isinstance(value, sympy.Expr):
                return value
            raise ExpressionError(column, "not_allowed")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            return self._sum(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
            return self._product(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base = self.build(node.left, depth + 1)
            exponent = self.build(node.right, depth + 1)
            return self._power(base, exponent, self.column(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise ExpressionError(self.column(node), "not_allowed")

    def _sum(self, node: ast.expr, depth: int) -> sympy.Expr:
        terms: list[sympy.Expr] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            term = self.build(node.right, depth + 1)
            terms.append(-term if isinstance(node.op, ast.Sub) else term)
            node = node.left
        terms.append(self.build(node, depth + 1))
        return self._defined(sympy.Add(*reversed(terms)), self.column(node))

    def _product(self, node: ast.expr, depth: int) -> sympy.Expr:
        factors: list[sympy.Expr] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
            factor = self.build(node.right, depth + 1)
            if isinstance(node.op, ast.Div):
                factor = self._power(factor, sympy.Integer(-1), self.column(node.right))
            factors.append(factor)
            node = node.left
        factors.append(self.build(node, depth + 1))
        return self._defined(sympy.Mul(*reversed(factors)), self.column(node))

    def _call(self, node: ast.Call, depth: int) -> sympy.Expr:
        func = node.func
        slot = self.slots.get(func.id) if isinstance(func, ast.Name) else None
        if slot is None or slot[0] not in _BUILDERS:
            raise ExpressionError(self.column(node), "not_allowed")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(slot[1], "comma_call")
        argument = self.build(node.args[0], depth + 1)
        return self._defined(_BUILDERS[str(slot[0])](argument), slot[1])

    def _power(self, base: sympy.Expr, exponent: sympy.Expr, column: int) -> sympy.Expr:
        """base^exponent, refused before sympy computes anything too large."""
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(column, "exponent", value=exponent, limit=MAX_EXPONENT)
            if base.is_Rational and base != 0:
                digits = abs(float(exponent)) * max(
                    log10_magnitude(abs(base.p)), log10_magnitude(base.q)
                )
                if digits > MAX_DIGITS:
                    raise ExpressionError(column, "too_large", limit=MAX_DIGITS)
            if base.is_Number and base.is_negative and not exponent.is_Integer:
                raise ExpressionError(column, "not_real")
        return self._defined(sympy.Pow(base, exponent), column)

    @staticmethod
    def _defined(expr: sympy.Expr, column: int) -> sympy.Expr:
        """expr, unless it is undefined, not real, or holds a number too long to print."""
        for number in expr.atoms(sympy.Rational):
            if max(abs(int(number.p)).bit_length(), int(number.q).bit_length()) > _MAX_BITS:
                raise ExpressionError(column, "too_large", limit=MAX_DIGITS)
        for power in expr.atoms(sympy.Pow):
            if power.exp.is_Number and abs(power.exp) > MAX_EXPONENT:
                raise ExpressionError(column, "exponent", value=power.exp, limit=MAX_EXPONENT)
        if expr.has(*_UNDEFINED):
            raise ExpressionError(column, "undefined")
        if expr.has(sympy.I):
            raise ExpressionError(column, "not_real")
        return expr
