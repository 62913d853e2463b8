"""Classes in lesson programs: plain classes, nn.Module and autograd.Function subclasses, super(),
properties and special methods, against real Python and PyTorch; the engine side through
stand-in base classes declaring themselves subclassable; and class escapes, refused."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from torch_runner import mask, run_with_torch, same_as_python

import tutor.autograd
from tutor.program import Refusal, Stepper, run_program

PROGRAMS = {
    "plain_class": """
class Point:
    \"\"\"A point.\"\"\"
    dims = 2
    def __init__(self, x, y=0):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x ** 2 + self.y ** 2
    def __repr__(self):
        return f"Point({self.x}, {self.y})"
p = Point(3, 4)
print(p, p.norm2(), Point.dims, p.dims, type(p), isinstance(p, Point), type(p).__name__)
print(Point.norm2, p.norm2)
p.x = 6
print(p.norm2())
""",
    "object_base_and_two_argument_super": """
class Base(object):
    def __init__(self):
        super(Base, self).__init__()
        self.ready = True
class Child(Base):
    def __init__(self, n):
        super(Child, self).__init__()
        self.n = n
c = Child(2)
print(c.ready, c.n, isinstance(c, Base))
""",
    "inheritance_and_super": """
class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B" + super().who()
class C(A):
    def who(self):
        return "C" + super().who()
class D(B, C):
    def who(self):
        return "D" + super().who()
class E(D):
    pass
print(D().who(), E().who(), isinstance(E(), (A, int)))
""",
    "explicit_base_init": """
class Base:
    def __init__(self, n):
        self.n = n
class Child(Base):
    def __init__(self, n, m):
        Base.__init__(self, n)
        self.m = m
c = Child(1, 2)
print(c.n, c.m)
""",
    "static_class_methods_properties": """
class Temp:
    scale = "C"
    def __init__(self, degrees):
        self.degrees = degrees
    @staticmethod
    def freezing():
        return Temp(0)
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @property
    def kelvin(self):
        return self.degrees + 273.15
    @kelvin.setter
    def kelvin(self, k):
        self.degrees = k - 273.15
t = Temp.from_f(212)
print(t.degrees, t.kelvin, Temp.freezing().degrees, Temp.from_f)
t.kelvin = 300
print(round(t.degrees, 2))
""",
    "special_methods": """
class Vec:
    def __init__(self, *items):
        self.items = list(items)
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        return self.items[i]
    def __eq__(self, other):
        return isinstance(other, Vec) and self.items == other.items
    def __add__(self, other):
        return Vec(*[a + b for a, b in zip(self.items, other.items)])
    def __mul__(self, k):
        return Vec(*[a * k for a in self.items])
    def __repr__(self):
        return f"Vec{tuple(self.items)}"
    def __bool__(self):
        return any(self.items)
v = Vec(1, 2)
print(len(v), v[1], v == Vec(1, 2), v + Vec(3, 4), v * 3, list(v), 2 in v, bool(Vec(0)))
""",
    "class_counter": """
class Counter:
    made = 0
    def __init__(self):
        Counter.made += 1
        self.id = Counter.made
print([c.id for c in [Counter() for _ in range(3)]], Counter.made)
""",
    "exception_subclass": """
class TrainingError(Exception):
    pass
class DivergedError(TrainingError):
    def __init__(self, step):
        super().__init__(f"diverged at step {step}")
        self.step = step
try:
    raise DivergedError(7)
except TrainingError as e:
    print(type(e), e, e.step, e.args)
raise DivergedError(3)
""",
    "class_errors": """
class A:
    def __init__(self):
        pass
try:
    A(1)
except TypeError as e:
    print(e)
class B:
    pass
B(1)
""",
    "module_subclass": """
import torch
import torch.nn as nn
class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.offset = torch.tensor([0.5, -0.5])
    def forward(self, x, bias=0.0):
        return x * self.factor + self.offset + bias
class Twice(Scale):
    def __init__(self):
        super(Twice, self).__init__(2.0)
    def forward(self, x):
        return super().forward(x) * 2
m = Twice()
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = m(x)
y.sum().backward()
print(y, x.grad, m.training, m, isinstance(m, nn.Module), list(m.parameters()))
m.eval()
print(m.training, m.forward(x), Scale(1.0)(x, bias=1.0))
""",
    "custom_function": """
import torch
import math
class Legendre3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.scale = 1.5
        return 0.5 * (5 * x ** 3 - 3 * x)
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * ctx.scale * (5 * x ** 2 - 1)
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
P3 = Legendre3.apply
y = P3(x)
y.sum().backward()
print(y, x.grad, math.isclose(x.grad[0].item(), 0.375))
""",
    "custom_function_relu": """
import torch
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        print("needs", ctx.needs_input_grad)
        return grad_input
x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
out = MyReLU.apply(x * 2).sum()
out.backward()
print(out, x.grad)
""",
    "error_in_custom_backward": """
import torch
class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2
    @staticmethod
    def backward(ctx, g):
        raise ValueError("no gradient today")
x = torch.ones(2, requires_grad=True)
Bad.apply(x).sum().backward()
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_class_program_behaves_as_python(name, torch):
    same_as_python(PROGRAMS[name], torch)


ENGINE_PROGRAMS = (
    "plain_class",
    "special_methods",
    "exception_subclass",
    "custom_function",
    "module_subclass",
)


def _engine_class(path: str) -> object:
    """The engine's class at `path` (autograd.Function), or None while it has none."""
    found: object = tutor.autograd
    for part in path.split("."):
        try:
            found = getattr(found, part)
        except (AttributeError, ImportError):
            return None
    return found


@pytest.mark.parametrize("name", ENGINE_PROGRAMS)
def test_engine_runs_class_programs_as_pytorch_does(name, torch):
    for path in ("autograd.Function", "nn.Module"):
        if path in PROGRAMS[name] and _engine_class(path) is None:
            pytest.skip(f"the engine has no torch.{path} yet")
    reference = run_with_torch(PROGRAMS[name], "p.py")
    outcome = run_program(PROGRAMS[name], "p.py")
    assert outcome.refusal is None, outcome.refusal
    assert (mask(outcome.stdout), outcome.error) == (mask(reference.stdout), reference.error)


class StandInModule:
    """A stand-in for the engine's nn.Module: tensors that require grad become parameters."""

    __tutor_subclassable__ = True
    __tutor_attributes__ = frozenset({"parameters", "forward", "training", "data"})

    def __init__(self) -> None:
        object.__setattr__(self, "_params", {})
        self.training = True
        self.data = StandInContext()

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(value, "requires_grad", False):
            self._params[name] = value
        object.__setattr__(self, name, value)

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self.forward(*args, **kwargs)

    def forward(self, *args: object) -> object:
        raise NotImplementedError("forward is not defined")

    def parameters(self) -> list:
        return list(self._params.values())

    def detach(self) -> str:
        return "engine internals"


class StandInContext:
    """A stand-in for a custom Function's ctx: the program may set attributes on it."""

    __tutor_context__ = True
    __tutor_attributes__ = frozenset({"values"})

    def __init__(self) -> None:
        self.values = ()

    def item(self) -> str:
        return "engine internals"


def stand_in_torch() -> SimpleNamespace:
    """The tutor's engine, with stand-in nn.Module and ctx classes."""
    namespace = SimpleNamespace(**{n: getattr(tutor.autograd, n) for n in dir(tutor.autograd)})
    namespace.nn = SimpleNamespace(Module=StandInModule, functional=tutor.autograd.nn.functional)
    return namespace


STAND_IN_MODEL = """
import torch
import torch.nn as nn
class Line(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.tensor([2.0], requires_grad=True)
        self.b = torch.tensor([1.0], requires_grad=True)
        self.note = "line"
    def forward(self, x):
        return self.w * x + self.b
model = Line()
y = model(torch.tensor([3.0]))
y.backward()
print(y, model.w.grad, len(model.parameters()), model.training, model.note)
print(isinstance(model, nn.Module), isinstance(model, Line))
"""


def test_a_subclass_of_a_declared_engine_class_uses_its_machinery():
    outcome = run_program(STAND_IN_MODEL, "p.py", torch_module=stand_in_torch())
    assert outcome.refusal is None, outcome.refusal
    assert outcome.stdout == (
        "tensor([7.], grad_fn=<AddBackward0>) tensor([3.]) 2 True line\nTrue True\n"
    )


def test_engine_methods_not_declared_for_subclasses_are_refused():
    source = STAND_IN_MODEL.split("model = Line()")[0] + "model = Line()\nmodel.detach()\n"
    outcome = run_program(source, "p.py", torch_module=stand_in_torch())
    assert outcome.refusal == (
        "tutor: p.py:13: the attribute 'detach' of Line is not supported in lesson programs"
    )


def test_an_undefined_forward_is_the_engines_error():
    source = "import torch.nn as nn\nclass Empty(nn.Module):\n    pass\nEmpty()(1)\n"
    outcome = run_program(source, "p.py", torch_module=stand_in_torch())
    assert outcome.error == "NotImplementedError: forward is not defined"


def test_a_declared_context_takes_the_programs_attributes_and_hides_the_rest():
    source = "import torch.nn as nn\nctx = nn.Module().data\nctx.scale = 2\n"
    source += "print(ctx.scale, ctx.values)\n"
    outcome = run_program(source, "p.py", torch_module=stand_in_torch())
    assert (outcome.stdout, outcome.refusal) == ("2 ()\n", None)
    outcome = run_program(source + "ctx.item()\n", "p.py", torch_module=stand_in_torch())
    assert outcome.refusal == (
        "tutor: p.py:5: the attribute 'item' of StandInContext is not supported in lesson programs"
    )


def test_an_engine_class_that_does_not_declare_itself_cannot_be_subclassed():
    source = "import torch\nclass T(torch.Tensor):\n    pass\n"
    outcome = run_program(source, "p.py", torch_module=stand_in_torch())
    assert outcome.refusal.startswith("tutor: p.py:2: a class may derive only from object")


def test_snapshots_never_run_the_programs_methods():
    source = (
        "class P:\n    def __repr__(self):\n        print('ran')\n        return 'P'\np = P()\n"
    )
    stepper = Stepper(source)
    snapshots = stepper.run_all()
    assert stepper.output == ""
    assert snapshots[-1].variables["p"].repr.startswith("<__main__.P object at 0x")
    assert stepper.evaluate("repr(p)") == "P"
    assert stepper.output == "ran\n"


HOSTILE = {
    "class_dunder_escape": ("class A:\n    pass\nprint(A.__class__.__bases__)", 3),
    "type_subclasses": ("print(type(1).__subclasses__())", 1),
    "type_mro": ("t = type(1)\nt.mro()", 2),
    "program_class_mro": ("class A:\n    pass\nA.value = 1\nprint(A.mro)", 4),
    "getattribute": ("class A:\n    def __getattribute__(self, name):\n        return 1", 2),
    "getattr_hook": ("class A:\n    def __getattr__(self, name):\n        return 1", 2),
    "setattr_hook": ("class A:\n    def __setattr__(self, name, value):\n        pass", 2),
    "init_subclass": ("class A:\n    def __init_subclass__(cls):\n        pass", 2),
    "slots": ("class A:\n    __slots__ = ()", 2),
    "private_method": ("class A:\n    def _helper(self):\n        pass", 2),
    "private_attribute": ("class A:\n    def __init__(self):\n        self._x = 1\nA()", 3),
    "dict_of_instance": ("class A:\n    pass\nprint(A().__dict__)", 3),
    "metaclass": ("class A(metaclass=type):\n    pass", 1),
    "class_decorator": ("def d(c):\n    return c\n@d\nclass A:\n    pass", 4),
    "tensor_base": ("import torch\nclass T(torch.Tensor):\n    pass", 2),
    "type_base": ("class A(type):\n    pass", 1),
    "function_base": ("def f():\n    pass\nclass A(f):\n    pass", 3),
    "type_three_arguments": ("A = type('A', (), {})", 1),
    "super_class_attribute": (
        "class A:\n    def f(self):\n        return super().__class__\nA().f()",
        3,
    ),
    "super_reduce": (
        "class A:\n    def f(self):\n        return super().__reduce_ex__(2)\nA().f()",
        3,
    ),
    "super_of_builtin": ("super(int, 1).real", 1),
    "staticmethod_of_builtin": ("staticmethod(print)", 1),
    "property_of_engine_function": ("import torch\nproperty(torch.exp)", 2),
    "property_setter_builtin": (
        "class A:\n    @property\n    def x(self):\n        return 1\n    x = x.setter(print)",
        5,
    ),
    "exception_traceback": (
        "try:\n    1 / 0\nexcept Exception as e:\n    print(e.__traceback__)",
        4,
    ),
    "exception_with_traceback": (
        "try:\n    1 / 0\nexcept Exception as e:\n    e.with_traceback(None)",
        4,
    ),
    "class_as_dict_key_escape": (
        "class A:\n    pass\nd = {A: 1}\nfor k in d:\n    print(k.__dict__)",
        5,
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_class_program_is_refused(name):
    source, line = HOSTILE[name]
    outcome = run_program(source, "h.py")
    assert (outcome.status, outcome.stdout, outcome.error) == (2, "", None), outcome
    assert re.fullmatch(rf"tutor: h\.py:{line}: [^\n]+", outcome.refusal), outcome.refusal


def test_module_internals_are_refused_with_real_torch(torch):
    source = "import torch.nn as nn\nclass M(nn.Module):\n    pass\nm = M()\nm.cuda()\n"
    outcome = run_program(source, "h.py", torch_module=torch)
    assert outcome.refusal == (
        "tutor: h.py:5: the attribute 'cuda' of M is not supported in lesson programs"
    )


def test_what_the_engine_defines_is_never_replaced_by_assignment(torch):
    source = (
        "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.parameters = []\nM()\n"
    )
    outcome = run_program(source, "h.py", torch_module=torch)
    assert (
        outcome.refusal == "tutor: h.py:5: assigning 'parameters' would replace what Module defines"
    )


def test_private_attributes_are_refused_before_anything_runs():
    with pytest.raises(Refusal) as refused:
        Stepper("class A:\n    pass\na = A()\nprint(a._hidden)\n")
    assert refused.value.line == 4


def test_custom_function_ctx_internals_are_refused_with_real_torch(torch):
    source = (
        "import torch\nclass F(torch.autograd.Function):\n    @staticmethod\n"
        "    def forward(ctx, x):\n        return ctx.next_functions\n"
        "F.apply(torch.ones(1, requires_grad=True))\n"
    )
    outcome = run_program(source, "h.py", torch_module=torch)
    assert outcome.refusal == (
        "tutor: h.py:5: the attribute 'next_functions' of FBackward is not supported in lesson "
        "programs"
    )
