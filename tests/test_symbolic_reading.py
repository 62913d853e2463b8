"""Derivations as a teacher writes them: top-down, each u let before it is used, results simplified
within bounds, and exponents too large to explain refused."""

from __future__ import annotations

import pytest
import sympy
from test_symbolic_steps import assert_derivation, same_function

from tutor.symbolic import steps as steps_module
from tutor.symbolic import tidy as tidy_module
from tutor.symbolic.functions import elementwise_sum, relu, sigmoid, symbol, to_sympy_builtin
from tutor.symbolic.limits import MAX_STEP_EXPONENT, degree_bound, terms_bound
from tutor.symbolic.rules import ChainRule, PiecewiseRule, Rule, read_order
from tutor.symbolic.steps import DerivationError, diff_steps
from tutor.symbolic.tidy import MAX_TIDY_OPS, tidy

x, y = symbol("x"), symbol("y")


def _rules_in(tree: Rule) -> list[Rule]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.substeps)
    return found


TOP_DOWN = [
    sympy.sin(x**2),
    sympy.sin(sympy.exp(x) + 1) ** 2,
    sympy.exp(x) * sympy.sin(x),
    (x**2 + 1) / (x - 1),
    sigmoid(2 * x + 1),
    relu(x - 1),
    x**x,
    3 * elementwise_sum(sympy.log(x**2 + 1)),
]


@pytest.mark.parametrize("expr", TOP_DOWN, ids=str)
def test_a_rule_opens_before_its_substeps_and_each_u_is_defined_before_use(expr):
    visits = read_order(diff_steps(expr, x))
    index, closing = {}, {}
    for k, visit in enumerate(visits):
        index.setdefault(id(visit.rule), k)
        if visit.phase == "result":
            closing[id(visit.rule)] = k
    for rule in {id(v.rule): v.rule for v in visits}.values():
        if not rule.substeps:
            continue
        opened = index[id(rule)]
        assert visits[opened].phase == "open"
        closed = closing.get(id(rule), len(visits))
        for below in _rules_in(rule)[1:]:
            assert opened < index[id(below)] < closed
    for chain in (v.rule for v in visits if isinstance(v.rule, ChainRule)):
        for k, visit in enumerate(visits):
            mentions = visit.rule.expr.has(chain.u) or visit.rule.result.has(chain.u)
            if mentions:
                assert index[id(chain)] < k


def test_relu_and_abs_are_a_constant_times_x_with_one_substep():
    for function in (relu, sympy.Abs):
        tree = diff_steps(function(x), x)
        assert isinstance(tree, PiecewiseRule) and tree.name == "constant_multiple"
        assert [(v.rule.name, v.phase) for v in read_order(tree)] == [
            ("constant_multiple", "open"),
            ("variable", "result"),
            ("constant_multiple", "result"),
        ]
        assert_derivation(tree, function(x), x)


SIMPLIFIED = [
    (x**2 + 1) / (x - 1),
    sympy.exp(x) * sympy.sin(x),
    2 * x / (x**2 + 1),
    (x + 1) ** 5 * (x - 1),
    elementwise_sum((x**2 + 1) / (x - 1)) / 4,
]


@pytest.mark.parametrize("expr", SIMPLIFIED, ids=str)
def test_results_are_as_simple_as_sympys_factor_or_cancel(expr):
    tree = diff_steps(expr, x, strategy="product")
    expected = sympy.diff(to_sympy_builtin(expr), x)
    assert same_function(tree.result, expected)
    simplest = min(sympy.count_ops(sympy.factor(expected)), sympy.count_ops(sympy.cancel(expected)))
    assert sympy.count_ops(tree.result) <= simplest


def test_tidy_leaves_large_expressions_alone_without_trying(monkeypatch):
    big = sympy.Add(*(sympy.sin(k * x) * (x + k) for k in range(1, 12)))
    assert sympy.count_ops(big) > MAX_TIDY_OPS

    def refuse(expr):
        raise AssertionError("factor was tried on a large expression")

    monkeypatch.setattr(tidy_module.sympy, "factor", refuse)
    monkeypatch.setattr(tidy_module.sympy, "cancel", refuse)
    tidy.cache_clear()
    assert tidy(big) is big
    high = (x + 1) ** 13 + x
    assert degree_bound(high) == 13 and tidy(high) is high
    wide = 12 * (x + y + symbol("a") + symbol("b") + symbol("c") + 1) ** 11
    assert terms_bound(wide) > 1000 and tidy(wide) is wide
    tidy.cache_clear()


def test_expansions_too_large_to_write_out_are_not_attempted(monkeypatch):
    a, b, c = symbol("a"), symbol("b"), symbol("c")
    wide = (x + y + a + b + c + 1) ** 12
    narrow = (x + 2) * (x - 2)
    assert terms_bound(wide) == 6188 and terms_bound(narrow) == 4

    def refuse(expr, *args, **kwargs):
        raise AssertionError("a too large expansion was attempted")

    monkeypatch.setattr(steps_module.sympy, "expand", refuse)
    tree = diff_steps(wide, x, strategy="expand")
    assert tree.name == "chain"
    assert_derivation(tree, wide, x)


def test_large_exponents_are_refused_before_any_work():
    for expr in ((x + 1) ** 1000, x ** (MAX_STEP_EXPONENT + 1), sympy.sin(x) ** -200):
        with pytest.raises(DerivationError) as caught:
            diff_steps(expr, x)
        assert "too large" in caught.value.text.en and "지수" in caught.value.text.ko
    tree = diff_steps((x + 1) ** MAX_STEP_EXPONENT, x, strategy="expand")
    assert tree.name == "chain"  # degree 100 is never expanded


def test_degree_bound_reads_the_tree_without_expanding():
    assert degree_bound((x + 1) ** 1000 * (x - 1)) == 1001
    assert degree_bound(x**2 * y + sympy.sin(x)) == 3
    assert degree_bound(sympy.Integer(5)) == 0
