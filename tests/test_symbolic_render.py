"""The explanation of a derivation: the seed's wording in both languages, as text and as LaTeX."""

from __future__ import annotations

import pytest
import sympy

from tutor.symbolic.functions import elementwise_sum, relu, sigmoid, symbol
from tutor.symbolic.render import explain
from tutor.symbolic.render_math import LATEX, TEXT
from tutor.symbolic.render_text import derivation_text
from tutor.symbolic.rules import walk
from tutor.symbolic.steps import alternatives, diff_steps
from tutor.symbolic.wording import josa, output_name

x, y = symbol("x"), symbol("y")
SEED = elementwise_sum((x + 2) * (x - 2))


def _seed_lines(lang: str, notation=TEXT) -> list[str]:
    return [step.explanation.get(lang) for step in explain(diff_steps(SEED, x), notation)]


def test_seed_in_english():
    rewrite, constant, power, total, element = _seed_lines("en")
    assert "Σ(x − 2)(x + 2) = Σ(x² − 4)" in rewrite
    assert "each element" in rewrite
    assert constant.startswith("The derivative of the constant −4 is 0")
    assert power.startswith("Power rule: xᵢ² → 2xᵢ")
    assert "0 + 2xᵢ = 2xᵢ" in total
    assert element.startswith("For each element, ∂y/∂xᵢ = 2xᵢ")
    assert "Vectorized, ∂y/∂x = 2x." in element


def test_seed_in_korean_in_the_seed_voice():
    rewrite, constant, power, total, element = _seed_lines("ko")
    assert "Σ(x − 2)(x + 2) = Σ(x² − 4)" in rewrite
    assert "각 원소에 대해 x² − 4를 계산한 후에 전부 더한 것" in rewrite
    assert constant.startswith("상수를 미분하면 0: ∂/∂xᵢ(−4) = 0")
    assert "−4는 미분에 영향을 주지 않는다" in constant
    assert power.startswith("제곱항을 미분하면: ∂/∂xᵢ(xᵢ²) = 2xᵢ")
    assert "합의 법칙" in total
    assert element.startswith("각 원소에 대해서 결과는 ∂y/∂xᵢ = 2xᵢ")
    assert "벡터화하면 ∂y/∂x = 2x" in element


def test_seed_in_latex_matches_the_notebook_notation():
    lines = _seed_lines("ko", LATEX)
    assert r"$\frac{\partial}{\partial x_{i}}\left(x_{i}^{2}\right) = 2 x_{i}$" in lines[2]
    assert r"$\frac{\partial y}{\partial x} = 2 x$" in lines[4]
    for line in lines:
        assert line.count("$") % 2 == 0
        assert "∂" not in line and "ᵢ" not in line


def test_seed_written_out_with_its_other_path():
    tree = diff_steps(SEED, x)
    others = [name for name, _ in alternatives(SEED, x)]
    text = derivation_text(tree, "en", other_paths=others).splitlines()
    assert text[0] == "y = Σ(x − 2)(x + 2)"
    assert text[1].startswith("1. Expand first")
    assert text[6] == "∂y/∂x = 2x"
    assert text[7].startswith("Another path: --strategy product")
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
]


@pytest.mark.parametrize("expr", EXAMPLES, ids=str)
@pytest.mark.parametrize("notation", [TEXT, LATEX], ids=["text", "latex"])
def test_every_step_is_explained_in_both_languages(expr, notation):
    tree = diff_steps(expr, x)
    steps = explain(tree, notation)
    assert [s.rule for s in steps] == [r.name for r in walk(tree)]
    for step in steps:
        en, ko = step.explanation.en, step.explanation.ko
        assert en and ko and en != ko
        assert "\n" not in en + ko
        assert any("가" <= ch <= "힣" for ch in ko)
        assert not any("가" <= ch <= "힣" for ch in en)
        if notation is LATEX:
            assert en.count("$") % 2 == 0 and ko.count("$") % 2 == 0


def test_chain_explains_substitution():
    (step,) = [s for s in explain(diff_steps(sympy.sin(x**2), x)) if s.rule == "chain"]
    assert "u = x²" in step.explanation.en
    assert "∂/∂u(sin(u)) = cos(u)" in step.explanation.en
    assert "연쇄 법칙" in step.explanation.ko and "u를 원래 식으로" in step.explanation.ko


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
    ],
    ids=str,
)
def test_terminal_notation(expr, text):
    assert TEXT.expr(expr) == text
