"""Hostile and out-of-subset programs: refused with one line, exit 2, and nothing of them runs."""

from __future__ import annotations

import re

import pytest

from tutor.program import Refusal, Stepper, run_program

HOSTILE = {
    "import_os": ("import os\nos.system('touch {marker}')", 1),
    "from_import": ("from os import system", 1),
    "torch_submodule": ("import torch.utils", 1),
    "class_escape": ("print(().__class__.__base__.__subclasses__())", 1),
    "tensor_dict": ("import torch\nx = torch.ones(2)\nprint(x.__dict__)", 3),
    "open_file": ("print('ran')\nopen('{marker}', 'w')", 2),
    "getattr": ("getattr(print, '__self__')", 1),
    "dunder_import": ("__import__('os')", 1),
    "print_self": ("print(print.__self__)", 1),
    "eval": ("eval('1 + 1')", 1),
    "exec": ("exec('x = 1')", 1),
    "globals": ("print(globals())", 1),
    "type_call": ("print(type('X', (), {}))", 1),
    "lambda": ("f = lambda: f()\nf()", 2),
    "def": ("def f():\n    return f()\nf()", 2),
    "class": ("class A(int):\n    pass", 1),
    "while": ("while True:\n    pass", 1),
    "try": ("try:\n    x = 2**2**2**2**2**2\nexcept Exception:\n    pass", 2),
    "del_attribute": ("import torch\nx = torch.ones(1)\ndel x.grad", 3),
    "starred_call": ("a = range(10**9)\nprint(*a)", 2),
    "starred_target": ("a, *b = [1, 2, 3]", 1),
    "kwargs": ("print(**{str(i): i for i in range(10**6)})", 1),
    "comprehension": ("a = [i for i in range(10**9)]", 1),
    "fstring_dunder": ("print(f'{().__class__}')", 1),
    "fstring_width": ("x = 1\nprint(f'{x:>1000000000}')", 2),
    "percent_format": ("x = '%999999999d' % 1", 1),
    "giant_tensor": ("import torch\nprint('ran')\nx = torch.ones(10000, 10000)", 3),
    "giant_broadcast": ("import torch\nx = torch.ones(100000)\ny = x.unsqueeze(1) * x", 3),
    "giant_matmul": ("import torch\nx = torch.ones(5000, 1)\ny = x @ x.t()", 3),
    "giant_expand": ("import torch\nx = torch.ones(1)\ny = x.expand(100000000)", 3),
    "giant_arange": ("import torch\ny = torch.arange(1e9)", 2),
    "giant_from_range": ("import torch\nx = torch.tensor(range(10**9))", 2),
    "giant_index": ("import torch\nx = torch.ones(10000, 1000)\ny = x[[0] * 100000]", 3),
    "huge_range_loop": ("for i in range(10**9):\n    pass", 1),
    "endless_loop": ("a = [1]\nfor x in a:\n    a.append(x)", 2),
    "power_tower": ("x = 2**2**2**2**2**2", 1),
    "squaring": ("x = 2\nfor i in range(40):\n    x = x * x", 3),
    "shift": ("x = 1 << 10**9", 1),
    "list_repeat": ("a = [0] * 10**9", 1),
    "sum_of_range": ("print(sum(range(10**12)))", 1),
    "list_of_zip": ("print(list(zip(range(10**12), range(10**12))))", 1),
    "huge_print": ("a = [0] * 1000000\nb = [a] * 1000000\nprint(b)", 3),
    "deep_parens": ("x = " + "(" * 200 + "1" + ")" * 200, 1),
    "deep_unary": ("x = " + "-" * 50000 + "1", 1),
    "deep_attributes": ("import torch\nx = torch.ones(2)" + ".T" * 2000, 2),
    "megabyte_source": ("x = 1\n" * 200000, 1),
    "break_outside_loop": ("break", 1),
    "numpy_global_state": ("import numpy as np\nnp.set_printoptions(precision=1)", 2),
    "numpy_allocation": ("import numpy as np\nx = np.ones(10**10)", 2),
    "private_attribute": ("import torch\nx = torch.ones(1)\nprint(x._version)", 3),
    "syntax_error": ("x = (", 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_program_is_refused_in_one_line(name, tmp_path):
    template, line = HOSTILE[name]
    marker = tmp_path / "marker"
    outcome = run_program(template.replace("{marker}", str(marker)), "h.py")
    assert outcome.status == 2
    assert outcome.stdout == ""
    assert outcome.error is None
    assert re.fullmatch(rf"tutor: h\.py:{line}: [^\n]+", outcome.refusal), outcome.refusal
    assert not marker.exists()


def test_a_statement_budget_stops_long_programs():
    body = "".join("    a += 1\n" for _ in range(12))
    outcome = run_program(f"a = 0\nfor i in range(100000):\n{body}print(a)", "h.py")
    assert outcome.status == 2
    assert "1,000,000 statements" in outcome.refusal


def test_program_output_before_a_refusal_is_discarded():
    outcome = run_program("print('secret')\nx = 2**2**2**2**2**2\n", "p.py")
    assert (outcome.stdout, outcome.status) == ("", 2)
    assert outcome.refusal.startswith("tutor: p.py:2: ")


def test_attribute_not_on_the_objects_whitelist_is_refused_at_run_time():
    # `view` is allowed on tensors, not on numpy arrays
    outcome = run_program("import torch\nx = torch.ones(2)\nprint('a')\nx.numpy().view()\n", "p.py")
    assert outcome.status == 2
    assert outcome.refusal.startswith("tutor: p.py:4: ")


def test_missing_attribute_is_python_attribute_error():
    outcome = run_program("x = None\nx.grad.zero_()\n", "p.py")
    assert outcome.status == 1
    assert outcome.error == "AttributeError: 'NoneType' object has no attribute 'grad'"


def test_stepper_refuses_before_running_and_evaluate_refuses_escapes():
    with pytest.raises(Refusal) as caught:
        Stepper("x = 1\nimport os\n")
    assert caught.value.line == 2
    stepper = Stepper("import torch\nx = torch.ones(2)\n")
    stepper.run_all()
    for text in (
        "x.__class__",
        "open('f')",
        "x = 1",
        "type('X', (), {})",
        "[i for i in range(10**9)]",
    ):
        with pytest.raises(Refusal):
            stepper.evaluate(text)
