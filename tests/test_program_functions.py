"""Functions in lesson programs: def, lambda, arguments, closures, recursion, decorators, the call
depth and the statement budget across calls, each against real Python and PyTorch."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_runner import mask, run_with_torch, same_as_python

from tutor.program import Interpreter, run_program
from tutor.program.limits import MAX_CALL_DEPTH

PROGRAMS = {
    "defaults_varargs_kwargs": """
def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6))
print(f(*[1, 2, 3], **{"c": 0, "z": 9}))
""",
    "positional_only_and_keywords": """
def f(a, /, b, *, k=1):
    return a + b + k
print(f(1, 2), f(1, b=2, k=3))
print(f(1, **{"b": 5}))
""",
    "closure_late_binding": """
def outer():
    x = 1
    def inner():
        return x + 1
    x = 5
    return inner
print(outer()())
fs = [lambda: i for i in range(3)]
print([g() for g in fs], [(lambda k=k: k)() for k in range(3)])
""",
    "nonlocal_and_global": """
total = 0
def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        global total
        n += by
        total += by
        return n
    return inc
c = counter()
print(c(), c(2), c(), total)
""",
    "recursion": """
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print([fib(i) for i in range(12)], fact(20))
""",
    "mutual_recursion": """
def even(n):
    return True if n == 0 else odd(n - 1)
def odd(n):
    return False if n == 0 else even(n - 1)
print(even(10), odd(7))
""",
    "program_decorator": """
def twice(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) * 2
    return wrapper
@twice
def add(a, b=1):
    return a + b
print(add(1), add(1, b=5), add.__name__)
""",
    "mutable_default": """
def f(x, acc=[]):
    acc.append(x)
    return acc
f(1)
f(2)
print(f(3))
""",
    "reprs": """
def f():
    \"\"\"doc\"\"\"
    def g():
        pass
    return g
print(f, f(), lambda: 0, f.__name__, f().__name__)
""",
    "return_none": """
def f(x):
    if x:
        return
    print("fell through")
print(f(1), f(0))
""",
    "error_inside_call": """
def g(table):
    return table["missing"]
def f():
    return g({"present": 1})
print("before")
f()
""",
    "raise_through_calls": """
def f(n):
    if n == 0:
        raise RuntimeError("bottom")
    return f(n - 1)
try:
    f(5)
except RuntimeError as e:
    print("caught", e)
f(3)
""",
    "unbound_local": """
x = 1
def f():
    print(x)
    x = 2
f()
""",
    "unbound_free": """
def f():
    def g():
        return y
    print(g())
    y = 1
f()
""",
    "key_functions": """
pairs = [("b", 2), ("a", 3), ("c", 1)]
print(sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[0]), min([3, -4, 2], key=abs))
words = ["ccc", "a", "bb"]
words.sort(key=len, reverse=True)
print(words)
""",
    "grad_mode_decorators": """
import torch
@torch.no_grad()
def step(p, lr):
    p -= lr * p.grad
    return p.requires_grad, torch.is_grad_enabled()
@torch.no_grad
def double(x):
    return x * 2
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w * w).sum().backward()
print(step(w, 0.5), w, torch.is_grad_enabled(), double(w).requires_grad)
with torch.no_grad():
    @torch.enable_grad()
    def tracked(x):
        return x * 2
    print(tracked(w).requires_grad, (w * 2).requires_grad)
""",
    "training_loop_in_functions": """
import torch
def model(x, w, b):
    return x * w + b
def loss_fn(pred, target):
    return ((pred - target) ** 2).mean()
x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.5, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
def train(steps, lr=0.05):
    for step in range(steps):
        loss = loss_fn(model(x, w, b), y)
        loss.backward()
        with torch.no_grad():
            for p in (w, b):
                p -= lr * p.grad
                p.grad.zero_()
    return loss
final = train(20)
print(f"{final.item():.4f}", w, b)
""",
}

ENGINE_PROGRAMS = ("recursion", "closure_late_binding", "training_loop_in_functions")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_behaves_as_python(name, torch):
    same_as_python(PROGRAMS[name], torch)


@pytest.mark.parametrize("name", ENGINE_PROGRAMS)
def test_engine_runs_functions_as_pytorch_does(name, torch):
    reference = run_with_torch(PROGRAMS[name], "p.py")
    outcome = run_program(PROGRAMS[name], "p.py")
    assert outcome.refusal is None, outcome.refusal
    assert (mask(outcome.stdout), outcome.error) == (mask(reference.stdout), reference.error)


_CALLS = ["", "1", "1, 2", "1, 2, 3", "a=1", "b=2", "1, a=2", "1, k=3", "1, 2, k=3, z=4", "k=1"]
_SIGNATURES = [
    "a",
    "a, b",
    "a, b=2",
    "a=1, b=2",
    "a, *args",
    "a, *, k",
    "a, *, k=0",
    "*args, **kw",
    "a, /, b",
    "a, /, b=1, *, k",
    "a, b, c, d=1",
    "**kw",
    "",
]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(_SIGNATURES), st.sampled_from(_CALLS))
def test_arguments_bind_as_python_binds_them(signature, call):
    source = f"def f({signature}):\n    return 1\nprint(f({call}))\n"
    reference_globals: dict[str, object] = {}
    try:
        exec(compile(source.replace("print", "result = "), "p.py", "exec"), reference_globals)  # noqa: S102 - the reference side
        expected = None
    except TypeError as exc:
        expected = f"TypeError: {exc}"
    outcome = run_program(source, "p.py")
    assert outcome.error == expected


def test_recursion_deeper_than_the_limit_is_refused_at_the_call_line():
    outcome = run_program("def f(n):\n    return f(n + 1)\nf(0)\n", "p.py")
    assert outcome.status == 2
    assert outcome.refusal == (
        f"tutor: p.py:2: recursion deeper than {MAX_CALL_DEPTH} calls is over the limit"
    )


def test_recursion_up_to_the_limit_runs():
    source = "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n"
    outcome = run_program(source + f"print(depth({MAX_CALL_DEPTH - 1}))\n", "p.py")
    assert (outcome.status, outcome.stdout) == (0, f"{MAX_CALL_DEPTH - 1}\n")


def test_lambda_recursion_bomb_is_refused():
    outcome = run_program("f = lambda n: f(n + 1)\nprint('x')\nf(0)\n", "p.py")
    assert (outcome.status, outcome.stdout) == (2, "")
    assert "recursion deeper than" in outcome.refusal


def test_deeply_nested_calls_never_overflow_pythons_stack():
    # each call sits 45 operators deep: Python's stack fills before MAX_CALL_DEPTH calls
    nested = "0 + (" * 45 + "f(n - 1)" + ")" * 45
    source = f"def f(n):\n    return 0 if n == 0 else {nested}\nf({MAX_CALL_DEPTH - 1})\n"
    outcome = run_program(source, "p.py")
    assert outcome.status == 2, outcome
    assert re.fullmatch(
        r"tutor: p\.py:2: recursion deeper than \d+ calls is over .*", outcome.refusal
    )


def test_calls_count_against_the_statement_budget(monkeypatch):
    monkeypatch.setattr("tutor.program.interpreter.MAX_STATEMENTS", 1_000)
    # no statement runs inside a lambda: each call is counted instead
    source = "f = lambda n: 0 if n == 0 else f(n - 1) + f(n - 1)\nf(12)\n"
    outcome = run_program(source, "p.py")
    assert outcome.status == 2
    assert outcome.refusal == "tutor: p.py:2: the program ran over 1,000 statements"


def test_statements_inside_functions_count_against_the_budget(monkeypatch):
    monkeypatch.setattr("tutor.program.interpreter.MAX_STATEMENTS", 1_000)
    source = "def f():\n    x = 1\n    x = 2\n    return x\nfor i in range(400):\n    f()\n"
    outcome = run_program(source, "p.py")
    assert outcome.refusal == "tutor: p.py:3: the program ran over 1,000 statements"


def test_the_line_of_an_error_is_the_line_inside_the_called_function():
    source = "import torch\ndef inner(t):\n    y = t * 2\n    return y.backward()\n"
    source += "def outer(t):\n    return inner(t) + 1\nx = torch.ones(2, requires_grad=True)\nz = outer(x)\n"
    interpreter = Interpreter(source, "p.py")
    with pytest.raises(RuntimeError, match="scalar outputs"):
        interpreter.run()
    assert interpreter.line == 4
    outcome = run_program(source, "p.py")
    assert (outcome.status, outcome.line) == (1, 4)
    assert outcome.error == "RuntimeError: grad can be implicitly created only for scalar outputs"


def test_after_a_call_returns_the_line_is_the_callers_again():
    source = "def f(x):\n    return x + 1\na = f(1)\nb = a + undefined\n"
    interpreter = Interpreter(source, "p.py")
    with pytest.raises(NameError):
        interpreter.run()
    assert interpreter.line == 4


def test_a_refusal_inside_a_function_names_the_functions_line():
    outcome = run_program("def f():\n    x = 1\n    return [0] * 10**9\nf()\n", "p.py")
    assert outcome.refusal.startswith("tutor: p.py:3: a sequence of")
    assert outcome.line == 3


def test_calling_an_engine_internal_is_refused(torch):
    source = "import torch\nx = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn(x)\n"
    outcome = run_program(source, "h.py", torch_module=torch)
    assert outcome.refusal == (
        "tutor: h.py:3: calling a MulBackward0 value is not supported in lesson programs"
    )


HOSTILE = {
    "decorator_builtin": ("@print\ndef f():\n    pass", 1),
    "decorator_engine_function": ("import torch\n@torch.exp\ndef f():\n    pass", 2),
    "decorator_alias": ("d = print\n@d\ndef f():\n    pass", 2),
    "function_attribute_write": ("def f():\n    pass\nf.x = 1", 3),
    "function_internals": ("def f():\n    pass\nf.runner = 1\nprint(f.runner)", 3),
    "function_globals": ("def f():\n    pass\nprint(f.__globals__)", 3),
    "method_internals": (
        "class A:\n    def f(self):\n        pass\nm = A().f\nm.function = 1\nprint(m.function)",
        5,
    ),
    "default_storm_extend": ("def f(a=[0]):\n    a.extend(a)\nfor i in range(40):\n    f()", 2),
    "default_storm_add": (
        "def f(a=[0]):\n    a += a\n    return a\nfor i in range(40):\n    f()",
        2,
    ),
    "mutual_recursion_bomb": ("def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(1)", 4),
    "recursion_caught": (
        "def f():\n    try:\n        return f()\n    except Exception:\n        return 0\nf()",
        3,
    ),
    "recursion_in_finally": (
        "def f():\n    try:\n        return f()\n    finally:\n        pass\nf()",
        3,
    ),
    "yield": ("def f():\n    yield 1", 2),
    "async_def": ("async def f():\n    pass", 1),
    "return_outside_function": ("x = 1\nreturn x", 2),
    "nonlocal_at_module_level": ("nonlocal x", 1),
    "duplicate_argument": ("def f(a, a):\n    pass", 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_function_program_is_refused(name):
    source, line = HOSTILE[name]
    outcome = run_program(source, "h.py")
    assert (outcome.status, outcome.stdout, outcome.error) == (2, "", None), outcome
    assert re.fullmatch(rf"tutor: h\.py:{line}: [^\n]+", outcome.refusal), outcome.refusal
