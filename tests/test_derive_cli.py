"""`tutor derive`: the DESIGN.md contract, the seed's derivation, and one-line refusals of bad input."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
import sympy

from tutor.cli import main
from tutor.symbolic.functions import ELEMENTS, relu, sigmoid, sum_i, to_sympy_builtin
from tutor.symbolic.rules import RULE_NAMES

pytest.importorskip("tutor.symbolic.parse")
from tutor.symbolic.parse import parse  # noqa: E402

SEED = "Σ(x+2)(x-2)"


def derive(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["derive", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def sympify_result(text: str) -> sympy.Expr:
    sympy.sympify(text)  # the contract: plain sympify reads it
    names = {"sigmoid": sigmoid, "relu": relu, "sum_i": sum_i, "numel": ELEMENTS}
    return sympy.sympify(text, locals=names)


def agree(a: sympy.Expr, b: sympy.Expr) -> bool:
    a, b = to_sympy_builtin(a), to_sympy_builtin(b)
    rng = random.Random(7)
    for _ in range(5):
        point = {s: rng.uniform(0.3, 2.5) for s in a.free_symbols | b.free_symbols}
        left, right = complex(a.subs(point).evalf()), complex(b.subs(point).evalf())
        if abs(left - right) > 1e-9 * max(1.0, abs(left)):
            return False
    return True


def as_plain_symbols(expr: sympy.Expr) -> sympy.Expr:
    """sympify makes plain symbols; the tutor makes real ones. Compare on plain ones."""
    return expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def test_seed_json_contract(capsys):
    code, out, err = derive(capsys, SEED, "--json", "--lang", "en")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert set(document) == {"expression", "variable", "derivative", "steps"}
    assert document["variable"] == "x"
    expected = sympy.diff(to_sympy_builtin(parse(SEED)), sympy.Symbol("x", real=True))
    assert sympify_result(document["derivative"]) == as_plain_symbols(expected)
    assert [s["rule"] for s in document["steps"]] == [
        "rewrite",
        "elementwise_sum",
        "sum",
        "constant",
        "power",
        "sum",
        "elementwise_sum",
    ]
    for step in document["steps"]:
        assert set(step) == {"rule", "expression", "result", "explanation"}
        sympify_result(step["result"])
    assert "∂y/∂x = 2x" in document["steps"][-1]["explanation"]


def test_seed_human_readable_in_korean_from_lang(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    code, out, _ = derive(capsys, SEED)
    assert code == 0
    assert "상수를 미분하면 0" in out and "제곱항" in out and "벡터화" in out
    assert out.rstrip().splitlines()[-2] == "∂y/∂x = 2x"
    monkeypatch.setenv("LANG", "C.UTF-8")
    code, out, _ = derive(capsys, SEED)
    assert "The derivative of the constant −4 is 0" in out


def test_product_strategy_and_latex(capsys):
    code, out, _ = derive(capsys, SEED, "--json", "--strategy", "product", "--latex")
    document = json.loads(out)
    assert code == 0 and "product" in [s["rule"] for s in document["steps"]]
    assert all("$" in s["explanation"] for s in document["steps"])


EXPRESSIONS = [
    "x^2 - 4",
    "3x^2 + 2x + 1",
    "sin(x)·x",
    "exp(-x^2)",
    "ln(x)/x",
    "sqrt(x^2+1)",
    "tanh(2x)",
    "σ(x)",
    "relu(x-1)",
    "abs(x)",
    "x^x",
    "sum(sigmoid(x))",
    "2^x",
    "cos(x)^2",
    "1/(1+exp(-x))",
    "mean(x^2)",
    "mean(sigmoid(2x)) + 3",
    "(x^2+1)/(x-1)",
    "Σ(x+1)(x-3)",
]


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_json_derivative_is_sympys(capsys, text):
    code, out, err = derive(capsys, text, "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    x = sympy.Symbol("x", real=True)
    expected = as_plain_symbols(sympy.diff(to_sympy_builtin(parse(text)), x))
    assert agree(as_plain_symbols(sympify_result(document["derivative"])), expected)
    assert "sum(" not in document["derivative"]
    for step in document["steps"]:
        assert step["rule"] in RULE_NAMES
        assert "sum(" not in step["result"]
        sympify_result(step["result"])


def test_wrt_picks_the_variable(capsys):
    code, out, _ = derive(capsys, "w^2 x", "--wrt", "w", "--json")
    document = json.loads(out)
    assert (code, document["variable"]) == (0, "w")
    assert sympify_result(document["derivative"]) == sympy.sympify("2*w*x")


def test_single_variable_is_the_default(capsys):
    code, out, _ = derive(capsys, "t^3", "--json")
    assert json.loads(out)["variable"] == "t"


HOSTILE = [
    "",
    "   ",
    "__import__('os').system('echo hacked')",
    "exec('print(1)')",
    "lambda: 1",
    "x.__class__",
    "().__class__.__bases__",
    "open('/etc/passwd')",
    "x" * 100_000,
    "(" * 100_000,
    "x^x^x^x^x^x^x^x",
    "2^2^2^2^2^2",
    "9^9^9^9",
    "((x+1)",
    "x+1))",
    ")(",
    "x +",
    "sum(x)^2",
    "exp(sum(x))",
    "foo(x)",
    "x; import os",
    "x = 1",
    "\x00",
    "1/0",
    "x*sum(x)",
    "sum(x+2)*(x-2)",
    "nan",
    "inf",
    "x + Inf",
    "(x+1)^1000",
    "x^1000 + 1",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:30]))
def test_hostile_input_refused_in_one_line(capsys, text):
    code, out, err = derive(capsys, text)
    assert code == 2
    assert out == ""
    assert err.startswith("tutor: derive: ") and err.count("\n") == 1


def test_a_leading_minus_is_the_expression(capsys):
    for argv in (["-x^2"], ["--", "-x^2"], ["--json", "-x^2"], ["-x^2", "--wrt", "x"]):
        code, out, err = derive(capsys, *argv)
        assert (code, err) == (0, ""), argv
        assert "−2x" in out or '"derivative": "-2*x"' in out
    code, out, _ = derive(capsys, "-sin(x)", "--lang", "ko")
    assert code == 0 and out.rstrip().splitlines()[-1] == "∂y/∂x = −cos(x)"
    with pytest.raises(SystemExit) as help_shown:
        main(["derive", "-h"])
    out = capsys.readouterr().out
    assert help_shown.value.code == 0 and "sum_i" in out and "numel" in out


def test_shared_weight_json_sums_over_the_data(capsys):
    code, out, err = derive(capsys, "sum((w*x - y)^2)/4", "--wrt", "w", "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    w, x, y = (sympy.Symbol(n, real=True) for n in "wxy")
    per_term = sympy.diff((w * x - y) ** 2 / 4, w)
    got = sympify_result(document["derivative"])
    assert as_plain_symbols(got - sum_i(sympy.factor(per_term))).simplify() == 0
    assert "sum" in [s["rule"] for s in document["steps"]]
    assert "elementwise_sum" not in [s["rule"] for s in document["steps"]]
    for step in document["steps"]:
        sympify_result(step["result"])


def test_mean_json_writes_the_element_count_so_sympify_reads_it(capsys):
    code, out, _ = derive(capsys, "mean(x^2)", "--json")
    document = json.loads(out)
    assert document["derivative"] == "2*x/numel"
    assert sympy.sympify(document["derivative"]) == 2 * sympy.Symbol("x") / sympy.Symbol("numel")
    assert [s["rule"] for s in document["steps"]][:3] == [
        "rewrite",
        "constant_multiple",
        "elementwise_sum",
    ]


def test_relu_and_abs_steps_are_not_called_rewrites(capsys):
    for text in ("relu(x)", "abs(x)", "relu(2x - 1)"):
        code, out, _ = derive(capsys, text, "--json")
        rules = [s["rule"] for s in json.loads(out)["steps"]]
        assert code == 0 and "rewrite" not in rules and "constant_multiple" in rules


def test_refusals_speak_korean(capsys):
    code, _, err = derive(capsys, "((x", "--lang", "ko")
    assert code == 2 and any("가" <= ch <= "힣" for ch in err)


@pytest.mark.parametrize("argv", [["x y", "--wrt", "1x"], ["a*b"], ["x", "--wrt", "a b"]])
def test_bad_variable_choice_refused(capsys, argv):
    code, out, err = derive(capsys, *argv)
    assert (code, out) == (2, "") and err.count("\n") == 1


def test_real_process_is_quick_to_import_and_refuses_cleanly():
    probe = (
        "import sys, tutor.symbolic.command; "
        "print('textual' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"]
    run = [sys.executable, "-m", "tutor", "derive", "__import__('os')"]
    refused = subprocess.run(run, capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1


def test_help_states_the_real_default_variable(capsys):
    with pytest.raises(SystemExit):
        main(["derive", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--wrt VAR variable (default: the expression's only variable, else x)" in help_text
    code, out, _ = derive(capsys, "w^2", "--json")
    assert code == 0 and json.loads(out)["variable"] == "w"
    code, out, _ = derive(capsys, "x*w", "--json")
    assert code == 0 and json.loads(out)["variable"] == "x"
