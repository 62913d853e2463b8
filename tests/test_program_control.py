"""Control flow and Python's everyday values in lesson programs: comprehensions, while, try/raise/
assert, dicts and sets, type/isinstance, formatting, builtins, `math` and `random`, against real
Python and PyTorch; every limit still holding; hostile programs refused."""

from __future__ import annotations

import random
import re

import pytest
from torch_runner import mask, run_with_torch, same_as_python

from tutor.program import Interpreter, Refusal, Stepper, run_program

PROGRAMS = {
    "comprehensions": """
print([x * y for x in range(3) for y in range(3) if x != y])
print({x % 3 for x in range(10)}, {k: k * k for k in range(4)}, [[i * j for j in range(3)] for i in range(3)])
print(sum(x for x in range(5)), list(x for x in "ab"), any(x > 3 for x in range(5)), (x for x in []))
x = 10
print([x for x in range(3)], x)
class A:
    n = 3
    squares = [i * i for i in range(n)]
print(A.squares)
""",
    "generators_are_lazy": """
def noisy(v):
    print("computing", v)
    return v
g = (noisy(v) for v in range(3))
print("made")
print(list(g))
print(any(noisy(v) > 0 for v in range(5)))
""",
    "while_loops": """
i = 0
while True:
    i += 1
    if i == 2:
        continue
    if i > 4:
        break
    print(i)
else:
    print("never")
n = 3
while n:
    n -= 1
else:
    print("else ran", n)
for j in range(2):
    pass
else:
    print("for else", j)
for j in range(5):
    if j == 1:
        break
else:
    print("never")
""",
    "try_except_else_finally": """
def check(v):
    try:
        if v == 0:
            raise ZeroDivisionError("zero")
        if v == 1:
            return 1 / 0
        r = 10 / v
    except ZeroDivisionError as e:
        print("zde", e)
        return "handled"
    except (ValueError, TypeError):
        print("vt")
        raise
    else:
        print("else", r)
        return r
    finally:
        print("finally", v)
print(check(0), check(1), check(5))
try:
    check("a")
except TypeError as e:
    print("outer", e)
""",
    "exceptions_of_python_and_torch": """
import torch
try:
    int("x")
except:
    print("bare")
try:
    [][1]
except IndexError as e:
    print(repr(e), e.args)
try:
    {}["k"]
except LookupError as e:
    print("key", e)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print("torch:", e)
try:
    torch.ones(2, requires_grad=True).sum().backward()
except Exception:
    print("not raised")
else:
    print("no error")
""",
    "finally_with_loops_and_returns": """
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("fin", i)
def f():
    try:
        return "try"
    finally:
        print("f finally")
def g():
    for i in range(3):
        try:
            return i
        finally:
            print("g finally", i)
print(f(), g())
""",
    "raise_and_reraise": """
try:
    raise ValueError("x")
except ValueError:
    try:
        raise
    except ValueError as e:
        print("reraised", e)
try:
    raise TypeError("a") from None
except TypeError as e:
    print(e, e.args)
try:
    raise KeyError
except KeyError as e:
    print(repr(e))
raise KeyError("missing") from ValueError("cause")
""",
    "bare_raise_outside_handler": "raise\n",
    "raise_non_exception": "raise 5\n",
    "catch_non_exception": "try:\n    1 / 0\nexcept 5:\n    pass\n",
    "assert_message": 'assert 1 + 1 == 2, "math"\nx = 3\nassert x < 0, f"x is {x}"\n',
    "assert_bare": "assert []\n",
    "dicts": """
d = {"a": 1, "b": 2}
d["c"] = 3
print(d, d["a"], d.get("z"), d.get("z", 0), list(d.keys()), list(d.values()), list(d.items()))
for k, v in d.items():
    print(k, v)
print("a" in d, "z" not in d, len(d))
del d["a"]
print(d, d.pop("b"), d, d.setdefault("q", 9), d)
d.update({"r": 1}, s=2)
print(d, dict(a=1), dict([(1, 2)]), {**d, "t": 0}, dict(zip("ab", range(2))))
print(sorted(d), sorted(d.items(), key=lambda kv: kv[1]), max(d, key=len))
print(d["nope"])
""",
    "sets": """
s = {3, 1, 2}
s.add(5)
s.discard(1)
print(sorted(s), 2 in s, len(s), s | {9}, s & {2, 3}, s - {2}, set([1, 1, 2]), set())
print(s.union([7]), s.issubset({1, 2, 3, 5, 7}), {1, *[2, 3]}, [*"ab", *range(2)])
""",
    "type_and_isinstance": """
import torch
x = torch.ones(2)
print(type(1), type(1.0), type("s"), type([]), type(()), type({}), type(set()), type(True), type(None))
print(type(x), type(x.sum().item()), type(print), type(lambda: 0), type(type(1)), type(range(3)))
print(isinstance(1, int), isinstance(True, int), isinstance(1.0, (int, float)), isinstance("x", (list, (tuple, str))))
print(isinstance(x, torch.Tensor), type(x) is torch.Tensor, type(1) == int, type(2.5) is float, int, str)
print(type(ValueError("e")), type(x).__name__, type(3).__name__, isinstance(ValueError(), Exception))
isinstance(1, 2)
""",
    "formatting": """
import torch
loss = torch.tensor(0.123456)
print(f"{loss:.4f}", f"{loss.item():.3e}", f"{3.14159:>10.2f}|", f"{'x'!r:>5}", f"{42:08d}", f"{0.5:%}")
print(f"{loss!r}", f"{[1, 2]!s:>12}", f"{-3:+d}", f"{1234567:,}")
print("{} {:.2f} {name}".format(1, 2.345, name="n"), "{0}{1}{0}".format("a", "b"), "{!r}".format("q"))
print("{:>6}|{:<6}|{:^6}|".format("a", "b", "c"), "{{literal}}".format())
print("-".join(["a", "b", "c"]), ", ".join(str(i) for i in range(3)), "".join([]))
print("a,b".split(","), "x".upper(), "Hello".replace("l", "L"), "ab".center(6, "*"), "7".zfill(3))
print("{} {1}".format(1, 2))
""",
    "format_errors": 'print("{2}".format(1))\n',
    "join_errors": 'print("-".join([1, 2]))\n',
    "builtins": """
print(enumerate([1]) is not None, list(enumerate("ab", 1)), list(zip([1, 2], "ab")), sorted([3, 1], reverse=True))
print(min(3, 1), max([1, 9]), sum([1, 2], 10), abs(-2.5), round(2.675, 2), round(7), len("abc"))
print(sum([[1], [2, 3]], []), sum(((1,), (2,)), ()), sum(x * 0.5 for x in range(4)))
print(list(range(2, 10, 3)), tuple("ab"), str(1.5), int("12"), float("1.5"), bool([]), int(3.9))
print(1, 2, sep="", end="|\\n")
print(*[1, 2, 3], sep=", ")
print(__name__)
if __name__ == "__main__":
    print("main")
""",
    "math_and_random": """
import math, random
print(math.pi, math.e, math.sqrt(16), math.log(math.e), math.exp(0), math.floor(-1.5), math.ceil(1.2))
print(math.isclose(0.1 + 0.2, 0.3), math.factorial(10), math.gcd(12, 18), math.inf, math.hypot(3, 4))
print(math.fsum([0.1] * 10), math.tanh(0.5), math.atan2(1, 1), math.isnan(math.nan))
random.seed(42)
print([random.random() for _ in range(3)], random.uniform(1, 2), random.randint(1, 6))
print(random.choice("abc"), random.gauss(0, 1), random.normalvariate(0, 1), random.randrange(10))
items = list(range(10))
random.shuffle(items)
print(items, random.sample(range(100), 3), random.choices("xyz", k=4))
from math import pi, sqrt
print(pi, sqrt(2))
""",
    "future_imports": """
\"\"\"A docstring may come first.\"\"\"
from __future__ import print_function
from __future__ import division, absolute_import
print(1 / 2)
""",
    "annotations": "x: int = 5\ndef f(a: int, b: float = 1.0) -> float:\n    y: float = a * b\n    return y\nprint(x, f(2))\n",
}

# what Python's compiler refuses, refused with its SyntaxError and line
COMPILER_ERRORS = {
    "future_late": ("x = 1\nfrom __future__ import division\n", 2),
    "future_unknown": ("from __future__ import braces\n", 1),
    "break_outside_loop": ("if True:\n    break\n", 2),
    "continue_outside_loop": ("def f():\n    continue\n", 2),
    "return_outside_function": ("class A:\n    return 1\n", 2),
    "nonlocal_without_binding": ("def f():\n    nonlocal q\n", 2),
    "global_after_assignment": ("def f():\n    x = 1\n    global x\n", 3),
}

ENGINE_PROGRAMS = ("comprehensions", "while_loops", "try_except_else_finally", "formatting")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_behaves_as_python(name, torch):
    same_as_python(PROGRAMS[name], torch)


@pytest.mark.parametrize("name", sorted(COMPILER_ERRORS))
def test_what_pythons_compiler_refuses_is_refused_with_its_message(name, torch):
    source, line = COMPILER_ERRORS[name]
    reference = run_with_torch(source, "p.py")
    outcome = run_program(source, "p.py", torch_module=torch)
    assert outcome.refusal == f"tutor: p.py:{line}: {reference.error.splitlines()[-1]}"


@pytest.mark.parametrize("name", ENGINE_PROGRAMS)
def test_engine_runs_control_flow_as_pytorch_does(name, torch):
    reference = run_with_torch(PROGRAMS[name], "p.py")
    outcome = run_program(PROGRAMS[name], "p.py")
    assert outcome.refusal is None, outcome.refusal
    assert (mask(outcome.stdout), outcome.error) == (mask(reference.stdout), reference.error)


def test_no_program_code_runs_after_a_limit_is_hit():
    interpreter = Interpreter("try:\n    x = 10**10**10\nfinally:\n    print('cleanup')\n", "p.py")
    with pytest.raises(Refusal):
        interpreter.run()
    assert interpreter.output.text() == ""


def test_random_repeats_without_a_seed_and_leaves_pythons_own_alone():
    state = random.getstate()
    source = "import random\nprint(random.random(), random.randint(1, 100))\n"
    first, second = run_program(source, "p.py"), run_program(source, "p.py")
    assert first.stdout == second.stdout != ""
    assert random.getstate() == state


def test_a_top_level_while_loop_steps_iteration_by_iteration():
    stepper = Stepper("i = 0\nwhile i < 3:\n    i += 1\nprint(i)\n")
    kinds = [(s.kind, s.iteration, s.variables["i"].value) for s in stepper.run_all()]
    assert kinds == [
        ("statement", None, 0),
        ("iteration", 0, 1),
        ("iteration", 1, 2),
        ("iteration", 2, 3),
        ("statement", None, 3),
        ("statement", None, 3),
    ]


LIMITS = {
    "while_true": ("while True:\n    pass", 1, "100,000 loop iterations"),
    "while_true_with_try": (
        "while True:\n    try:\n        pass\n    except Exception:\n        pass",
        1,
        "100,000 loop iterations",
    ),
    "catching_a_limit": (
        "try:\n    while True:\n        pass\nexcept:\n    pass",
        2,
        "loop iterations",
    ),
    "comprehension_over_the_limit": ("x = [i for i in range(200000)]", 1, "100,000 loop"),
    "nested_comprehension": ("x = [[j for j in range(1000)] for i in range(1000)]", 1, "loop"),
    "generator_over_the_limit": ("x = sum(i for i in range(10**9))", 1, "100,000 loop"),
    "comprehension_in_function": ("def f():\n    return [0 for i in range(10**6)]\nf()", 2, "loop"),
    "catching_a_sequence_limit": (
        "try:\n    x = [0] * 10**9\nexcept Exception:\n    print('caught')",
        2,
        "sequence",
    ),
    "finally_after_a_limit": (
        "try:\n    x = 10**10**10\nfinally:\n    print('cleanup')",
        2,
        "digits",
    ),
    "format_look_up": ("'{0.__class__}'.format(1)", 1, "look-ups inside format fields"),
    "format_width": ("'{:>999999999}'.format(1)", 1, "format width"),
    "format_growth": ("s = 'x' * 1000000\n('{0}' * 10000).format(s)", 2, "sequence"),
    "join_growth": ("s = ['x' * 1000000] * 1000000\n''.join(s)", 2, "sequence"),
    "replace_growth": ("s = 'a' * 1000000\ns.replace('a', 'a' * 1000)", 2, "sequence"),
    "fstring_growth": ("s = 'x' * 1000000\nt = f'{s}{s}{s}{s}{s}'", 2, "sequence"),
    "padding_growth": ("'x'.ljust(10**9)", 1, "sequence"),
    "extend_growth": ("a = [0] * 600000\na.extend(a)", 2, "sequence"),
    "starred_growth": ("a = range(10**9)\nprint(*a)", 2, "sequence"),
    "dict_unpack_growth": (
        "d = {i: i for i in range(50000)}\nx = {**d, **{i: 0 for i in range(60000)}}",
        2,
        "loop",
    ),
    "factorial": ("import math\nmath.factorial(10**6)", 2, "digits"),
    "sum_of_lists": ("x = sum([[0]] * 10**6, [])", 1, "sum() of sequences"),
    "fsum_of_a_huge_range": ("import math\nmath.fsum(range(10**12))", 2, "sequence"),
    "fsum_of_a_lazy_zip": ("import math\nmath.fsum(zip(range(10**12)))", 2, "math.fsum"),
    "random_sample": ("import random\nrandom.sample(range(10**9), 10**8)", 2, "sequence"),
    "random_choices": ("import random\nrandom.choices([1], k=10**9)", 2, "sequence"),
}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_limits_hold_in_the_new_constructs(name):
    source, line, reason = LIMITS[name]
    outcome = run_program(source, "h.py")
    assert (outcome.status, outcome.stdout, outcome.error) == (2, "", None), outcome
    assert outcome.refusal.startswith(f"tutor: h.py:{line}: "), outcome.refusal
    assert reason in outcome.refusal


HOSTILE = {
    "getattr_computed": ("name = 'real'\ngetattr(1, name)", 2),
    "hasattr_probe": ("hasattr(1, 'real')", 1),
    "random_state": ("import random\nrandom.getstate()", 2),
    "random_class": ("import random\nrandom.Random", 2),
    "math_prod": ("import math\nmath.prod([2] * 10)", 2),
    "os_via_future": ("from __future__ import os", 1),
    "import_sys": ("import sys", 1),
    "builtins_dunder": ("print(__builtins__)", 1),
    "name_store": ("__name__ = 'x'", 1),
    "starred_target": ("a, *b = [1, 2]", 1),
    "walrus_in_comprehension": ("[y := 1 for i in range(2)]", 1),
    "async_comprehension": ("async def f():\n    return [i async for i in x]", 1),
    "except_star": ("try:\n    pass\nexcept* ValueError:\n    pass", 1),
    "match": ("match 1:\n    case 1:\n        pass", 1),
    "with_open": ("with open('f') as f:\n    pass", 1),
    "exception_dunder": ("try:\n    1/0\nexcept Exception as e:\n    e.__context__", 4),
    "generator_internals": ("g = (i for i in range(2))\ng.gi_frame", 2),
    "dict_of_builtin_type": ("t = type(1)\nprint(t.__dict__)", 2),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_control_program_is_refused(name):
    source, line = HOSTILE[name]
    outcome = run_program(source, "h.py")
    assert (outcome.status, outcome.stdout, outcome.error) == (2, "", None), outcome
    assert re.fullmatch(rf"tutor: h\.py:{line}: [^\n]+", outcome.refusal), outcome.refusal


def test_a_loop_over_what_is_left_of_the_budget_says_how_much_was_spent():
    program = "for i in range(60000):\n    pass\nfor j in range(60000):\n    pass\n"
    refusal = run_program(program, "p.py").refusal
    assert refusal is not None and "p.py:3:" in refusal
    assert "60,000 iterations would take the program over its limit" in refusal
    assert "(60,000 already run)" in refusal
