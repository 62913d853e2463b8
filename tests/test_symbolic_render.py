"""The explanation of a derivation: the seed's wording in both languages, as text and as LaTeX."""

from __future__ import annotations

import pytest
import sympy

from tutor.symbolic.functions import (
    ELEMENTS,
    elementwise_mean,
    elementwise_sum,
    relu,
    sigmoid,
    sum_i,
    symbol,
)
from tutor.symbolic.render import explain
from tutor.symbolic.render_math import LATEX, TEXT, order_key, typed
from tutor.symbolic.render_text import derivation_text
from tutor.symbolic.rules import read_order
from tutor.symbolic.steps import alternatives, diff_steps
from tutor.symbolic.wording import josa, output_name

x, y = symbol("x"), symbol("y")
SEED = elementwise_sum((x + 2) * (x - 2))


def _seed_lines(lang: str, notation=TEXT) -> list[str]:
    return [step.explanation.get(lang) for step in explain(diff_steps(SEED, x), notation)]


def test_seed_in_english_top_down():
    rewrite, each, terms, constant, power, total, element = _seed_lines("en")
    assert "Σ(x − 2)(x + 2) = Σ(x² − 4)" in rewrite
    assert "each element" in rewrite
    assert "only the i-th term, xᵢ² − 4, contains xᵢ, so ∂y/∂xᵢ = ∂/∂xᵢ(xᵢ² − 4)" in each
    assert terms.startswith("Sum rule: differentiate term by term")
    assert constant.startswith("The derivative of the constant −4 is 0")
    assert power.startswith("Power rule: xᵢ² → 2xᵢ")
    assert "0 + 2xᵢ = 2xᵢ" in total
    assert element.startswith("For each element, ∂y/∂xᵢ = 2xᵢ")
    assert "Vectorized, ∂y/∂x = 2x." in element


def test_seed_in_korean_in_the_seed_voice():
    rewrite, each, terms, constant, power, total, element = _seed_lines("ko")
    assert "Σ(x − 2)(x + 2) = Σ(x² − 4)" in rewrite
    assert "각 원소에 대해 x² − 4를 계산한 후에 전부 더한 것" in rewrite
    assert "xᵢ가 들어 있는 항은 i번째 항 xᵢ² − 4 하나뿐" in each
    assert "합의 법칙" in terms
    assert constant.startswith("상수를 미분하면 0: ∂/∂xᵢ(−4) = 0")
    assert "−4는 미분에 영향을 주지 않는다" in constant
    assert power.startswith("제곱항을 미분하면: ∂/∂xᵢ(xᵢ²) = 2xᵢ")
    assert "0 + 2xᵢ = 2xᵢ" in total
    assert element.startswith("각 원소에 대해서 결과는 ∂y/∂xᵢ = 2xᵢ")
    assert "벡터화하면 ∂y/∂x = 2x" in element


def test_seed_in_latex_matches_the_notebook_notation():
    lines = _seed_lines("ko", LATEX)
    assert r"$\frac{\partial}{\partial x_{i}}\left(x_{i}^{2}\right) = 2 x_{i}$" in lines[4]
    assert r"$\frac{\partial y}{\partial x} = 2 x$" in lines[6]
    for line in lines:
        assert line.count("$") % 2 == 0
        assert "∂" not in line and "ᵢ" not in line


def test_seed_written_out_with_its_other_path():
    tree = diff_steps(SEED, x)
    others = [name for name, _ in alternatives(SEED, x)]
    text = derivation_text(tree, "en", other_paths=others).splitlines()
    assert text[0] == "y = Σ(x − 2)(x + 2)"
    assert text[1].startswith("1. Expand first")
    assert text[3].startswith("3.   Sum rule") and text[4].startswith("4.     The derivative")
    assert text[8] == "∂y/∂x = 2x"
    assert text[9].startswith("Another path: --strategy product")
    ko = derivation_text(tree, "ko", other_paths=others)
    assert "다른 방법: --strategy product" in ko


EXAMPLES = [
    SEED,
    x**2 + 3 * x + 1,
    x * sympy.sin(x),
    sympy.sin(x) / x,
    sympy.sin(x**2 + 1) ** 3,
    2**x,
    sympy.exp(x),
    sympy.log(x),
    sympy.atan(x),
    sigmoid(2 * x),
    sympy.tanh(x),
    relu(x - 1),
    sympy.Abs(x),
    x**x,
    (x + 2) * (x - 2),
    x * y,
    3 * elementwise_sum(x**3),
    elementwise_mean(x**2),
    elementwise_sum((symbol("w") * x - y) ** 2) / 4,
    (x**2 + 1) / (x - 1),
]


@pytest.mark.parametrize("expr", EXAMPLES, ids=str)
@pytest.mark.parametrize("notation", [TEXT, LATEX], ids=["text", "latex"])
def test_every_step_is_explained_in_both_languages(expr, notation):
    tree = diff_steps(expr, x)
    steps = explain(tree, notation)
    assert [(s.rule, s.depth) for s in steps] == [(v.rule.name, v.depth) for v in read_order(tree)]
    for step in steps:
        en, ko = step.explanation.en, step.explanation.ko
        assert en and ko and en != ko
        assert "\n" not in en + ko
        assert any("가" <= ch <= "힣" for ch in ko)
        assert not any("가" <= ch <= "힣" for ch in en)
        if notation is LATEX:
            assert en.count("$") % 2 == 0 and ko.count("$") % 2 == 0


def test_chain_lets_u_first_then_multiplies_after_its_substeps():
    opening, outer, inner, result = explain(diff_steps(sympy.sin(x**2), x))
    assert opening.rule == result.rule == "chain"
    assert "Chain rule: let u = x²" in opening.explanation.en
    assert "∂/∂x(sin(x²)) = ∂/∂u(sin(u))·∂u/∂x" in opening.explanation.en
    assert "연쇄 법칙: u = x²" in opening.explanation.ko
    assert "sin(u) → cos(u)" in outer.explanation.en and "x² → 2x" in inner.explanation.en
    assert "put x² back for u: ∂/∂x(sin(x²)) = cos(u)·2x = 2x·cos(x²)" in result.explanation.en
    assert "u를 원래 식 x²으로 되돌리면" in result.explanation.ko


def test_relu_and_abs_say_constant_multiple_and_check_x_once():
    relu_steps = explain(diff_steps(relu(x), x))
    assert [s.rule for s in relu_steps] == ["constant_multiple", "variable", "constant_multiple"]
    assert "relu(x) = H(x)·x" in relu_steps[0].explanation.en
    assert "a constant on each side of 0" in relu_steps[0].explanation.en
    assert "PyTorch takes 0" in relu_steps[2].explanation.en
    abs_steps = explain(diff_steps(sympy.Abs(x), x))
    lines = [s.explanation.en for s in abs_steps]
    assert sum("∂/∂x(x) = 1" in line for line in lines) == 1
    assert "|x| = sign(x)·x" in lines[0] and "= sign(x)" in lines[2]


def _sides_repeat_up_to_order(line: str) -> bool:
    """Whether two neighbouring sides of an `a = b = c` chain have the same terms and factors."""
    sides = [side.strip().rstrip(".") for side in line.split(" = ")]

    def pieces(side: str) -> list:
        terms = side.replace(" − ", " + −").split(" + ")
        return sorted(sorted(term.split("·")) for term in terms)

    return any(pieces(a) == pieces(b) for a, b in zip(sides, sides[1:], strict=False))


@pytest.mark.parametrize("expr", EXAMPLES[1:] + [sympy.exp(x) * sympy.sin(x)], ids=str)
def test_no_step_shows_an_equality_that_only_reorders(expr):
    for step in explain(diff_steps(expr, x)):
        for sentence in step.explanation.en.split(": "):
            assert not _sides_repeat_up_to_order(sentence), sentence


def test_product_result_is_tidied_not_reordered():
    (*_, result) = explain(diff_steps(sympy.exp(x) * sympy.sin(x), x))
    text = result.explanation.en
    assert "eˣ·sin(x) + eˣ·cos(x) = (sin(x) + cos(x))·eˣ" in text
    assert "cos(x)·eˣ" not in text.replace("(sin(x) + cos(x))·eˣ", "")


def test_quotient_result_is_simplified():
    (*_, result) = explain(diff_steps((x**2 + 1) / (x - 1), x))
    assert result.explanation.en.endswith("= (x² − 2x − 1)/(x − 1)².")


def test_order_key_ignores_order_only():
    e = sympy.exp(x)
    written = ("+", [("*", [e, sympy.sin(x)]), ("*", [e, sympy.cos(x)])])
    assert order_key(written) == order_key(e * sympy.sin(x) + sympy.cos(x) * e)
    assert order_key(("+", [0, 2 * x])) != order_key(2 * x)
    assert order_key(("*", [x, 1])) != order_key(x)


def test_mean_says_sum_over_n_then_the_elementwise_rule():
    steps = explain(diff_steps(elementwise_mean(x**2), x))
    assert [s.rule for s in steps][:3] == ["rewrite", "constant_multiple", "elementwise_sum"]
    assert "y = mean(x²) = Σ(x²)/N" in steps[0].explanation.en
    assert "원소 개수 N으로 나눈 것" in steps[0].explanation.ko
    assert steps[-1].explanation.en.endswith("= 2x/N.")


def test_shared_weight_says_every_term_counts_and_sums_over_the_data():
    w = symbol("w")
    tree = diff_steps(elementwise_sum((w * x - y) ** 2) / 4, w)
    text = derivation_text(tree, "en")
    assert text.splitlines()[0] == "L = Σ((w·x − y)²)/4"
    assert "x and y are data, one value per element; w is one parameter shared" in text
    assert "Every term of Σ((w·x − y)²) contains w" in text
    assert "∂/∂w Σ((w·x − y)²) = Σᵢ ∂/∂w((w·xᵢ − yᵢ)²)" in text
    assert "appears only in its own term" not in text and "wᵢ" not in text
    assert "∂L/∂w = Σ(x(w·x − y))/2" in text.splitlines()
    ko = derivation_text(tree, "ko")
    assert "x와 y는 원소마다 값이 하나인 데이터이고, w는 모든 원소가 함께 쓰는" in ko


def test_other_variables_are_called_constants():
    (step,) = [s for s in explain(diff_steps(x + y, x)) if s.expression == y]
    assert "y does not depend on x" in step.explanation.en
    assert "y는 x와 무관하므로" in step.explanation.ko


def test_output_is_not_named_like_a_variable():
    assert output_name(x**2, x) == "y"
    assert output_name(x + y, x) == "f"
    assert derivation_text(diff_steps(x + y, x), "en").splitlines()[0] == "f = x + y"


@pytest.mark.parametrize(
    ("word", "pair", "particle"),
    [
        ("−4", "은는", "는"),
        ("3", "은는", "은"),
        ("10", "은는", "은"),
        ("x² − 4", "을를", "를"),
        ("x²", "을를", "을"),
        ("u1", "을를", "을"),
        ("sin(x)", "을를", "를"),
        ("n", "은는", "은"),
        ("y", "과와", "와"),
        ("함수", "이가", "가"),
        ("상수", "을를", "를"),
        ("값", "은는", "은"),
        ("N", "으로", "으로"),
        ("x²", "으로", "으로"),
        ("x + 1", "으로", "로"),
        ("u", "으로", "로"),
        ("교실", "으로", "로"),
        ("집", "으로", "으로"),
        ("x", "으로", "로"),
    ],
)
def test_korean_particles_follow_the_sound(word, pair, particle):
    assert josa(word, pair) == particle


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        (x**2 - 4, "x² − 4"),
        (2 * x, "2x"),
        (elementwise_sum((x + 2) * (x - 2)), "Σ(x − 2)(x + 2)"),
        (elementwise_sum(x**2 - 4), "Σ(x² − 4)"),
        (sympy.Integer(-4), "−4"),
        (x * sympy.sin(x), "x·sin(x)"),
        (1 / (x + 1) ** 2, "1/(x + 1)²"),
        (1 / (2 * sympy.sqrt(x)), "1/(2√x)"),
        (3 * x**2 / 2, "3x²/2"),
        (sigmoid(x) * (1 - sigmoid(x)), "(1 − σ(x))·σ(x)"),
        (sympy.Heaviside(x, 0), "H(x)"),
        (2**x * sympy.log(2), "2ˣ·ln(2)"),
        (x ** (symbol("n") - 1), "xⁿ⁻¹"),
        (sympy.exp(x), "eˣ"),
        (sympy.exp(-x), "exp(−x)"),
        (sympy.Abs(x), "|x|"),
        (elementwise_mean(x**2), "mean(x²)"),
        (sum_i(x * (symbol("w") * x - y)) / 2, "Σ(x(w·x − y))/2"),
        (2 * x / ELEMENTS, "2x/N"),
    ],
    ids=str,
)
def test_terminal_notation(expr, text):
    assert TEXT.expr(expr) == text


def test_typed_notation_reads_back_as_the_same_expression():
    from tutor.symbolic.parse import parse

    for expr in (3 * elementwise_sum(x**2), sympy.Abs(x) + sympy.exp(x), elementwise_mean(x) / 2):
        assert parse(typed(expr)) == expr
