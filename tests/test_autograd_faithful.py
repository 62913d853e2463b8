"""The silent wrong answers and crashes PyTorch learners met, each a program run by the tutor
and by real PyTorch 2.13: the same printout, the same error, the same warnings."""

from __future__ import annotations

import threading
import warnings

import pytest

import tutor.autograd as engine
from tests.torch_runner import mask, run_with_torch
from tutor.program import run_program

HEAD = "import torch\nimport torch.nn.functional as F\n"

PROGRAMS = {
    # in-place writes through views rewrite the base's graph
    "write_through_a_row_view": """
x = torch.ones(2, 2, requires_grad=True)
y = x * 1
row = y[0]
row[1] = 0.
y.sum().backward()
print(x.grad, y.grad_fn, row.grad_fn)
""",
    "view_read_after_base_changed": """
x = torch.ones(3, requires_grad=True)
y = x * 1
v = y[:2]
y.mul_(10)
v.sum().backward()
print(x.grad, v.grad_fn)
""",
    "view_of_a_view_after_an_in_place_write": """
x = torch.arange(6.0, requires_grad=True)
y = x * 2
a = y.view(2, 3)
b = a[:, 1]
b.add_(100)
print(a, y.grad_fn, b.grad_fn)
(y * y).sum().backward()
print(x.grad)
""",
    "in_place_on_a_view_of_a_leaf": """
x = torch.ones(2, 2, requires_grad=True)
x[0].mul_(2)
""",
    "augmented_assignments_under_no_grad_stay_in_place": """
w = torch.tensor([2.0, 4.0], requires_grad=True)
alias = w
with torch.no_grad():
    w /= 2
    w **= 2
    w -= 1
print(w, alias, w is alias, w.requires_grad, w.is_leaf)
""",
    "division_in_place_on_a_leaf_raises": """
x = torch.ones(2, requires_grad=True)
x /= 2
""",
    "floor_division_in_place": """
x = torch.tensor([7, -7, 5])
x //= 2
print(x)
""",
    "backward_inputs_limits_the_leaves": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
(x * w).sum().backward(inputs=[x])
print(x.grad, w.grad)
""",
    "create_graph_gives_a_grad_with_a_graph": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x ** 3).sum().backward(create_graph=True)
print(x.grad, x.grad.grad_fn)
g = x.grad.sum()
x.grad = None
g.backward()
print(x.grad)
""",
    "version_error_after_a_detached_alias_changed": """
x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
m = x.max()
m.detach().zero_()
m.backward()
""",
    "version_error_for_a_saved_input": """
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 1
y = 2 ** b
b.add_(1)
y.sum().backward()
""",
    "max_backward_with_nan": """
x = torch.tensor([1.0, float('nan'), 3.0], requires_grad=True)
x.max().backward()
print(x.grad)
""",
    "zero_dim_grad_zeroed_in_place": """
w = torch.tensor(2.0, requires_grad=True)
for _ in range(2):
    loss = (w * 3 - 1) ** 2
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
print(w, w.grad)
""",
    "zero_dim_in_place_multiply": """
x = torch.tensor(3.0, requires_grad=True)
y = x * 1
y.mul_(2)
y.backward()
print(y, x.grad, y.grad_fn)
""",
    "no_grad_scaling_then_matmul": """
w = torch.ones(2, 2, requires_grad=True)
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
with torch.no_grad():
    w.mul_(2)
for y in (x @ w, torch.mm(x, w), torch.matmul(x, w), x.mm(w), w @ x[0]):
    y.sum().backward()
print(w.grad)
""",
    "full_slice_is_a_slice": """
x = torch.ones(3, requires_grad=True)
print((x * 1)[:].grad_fn, (x * 1)[...].grad_fn, (x * 1)[1:].grad_fn)
""",
    "negative_step_raises": """
x = torch.arange(4)
print(x[::-1])
""",
    "elementwise_max_and_min": """
a = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)
b = torch.tensor([2.0, 4.0, 3.0], requires_grad=True)
m = torch.max(a, b) + torch.min(a, b) * 2
m.sum().backward()
print(m, m.grad_fn, a.grad, b.grad)
""",
    "bool_arithmetic": """
x = torch.tensor([-1.0, 0.0, 2.0])
mask = x > 0
print(1 - mask.int(), mask * 2, mask + mask, mask.float() ** 2, mask ** 2)
""",
    "empty_softmax_and_max": """
e = torch.ones(0, 3)
print(torch.softmax(e, dim=1), e.sum(), e.max(dim=1))
""",
    "negative_zero_power": """
print(torch.tensor(-0.0) ** -0.5, torch.tensor([-0.0, 0.0]) ** -1)
""",
    "tensor_of_zero_dim_tensors": """
a = torch.tensor(2.0, requires_grad=True)
t = torch.tensor([a, a * 2])
print(t, t.requires_grad)
""",
    "softmax_without_dim": """
x = torch.tensor([[1.0, 2.0], [3.0, 5.0]])
print(F.softmax(x), F.log_softmax(x[0]))
""",
    "keyword_shapes_and_dtypes": """
x = torch.arange(6.0).reshape(shape=(1, 2, 1, 3))
print(x.squeeze((0, 2)), x.sum(dtype=torch.float64), x.reshape(shape=(6,)).shape)
""",
    "in_place_on_an_expanded_tensor": """
x = torch.ones(1, 3).expand(2, 3)
x.add_(1)
""",
    "number_to_a_tensor_power": """
print(2 ** torch.tensor([4, -6]), 2.0 ** torch.tensor([4, -6]))
""",
    "cat_size_mismatch_message": """
torch.cat([torch.ones(2, 3), torch.ones(2, 4)])
""",
    "integer_requires_grad_message": """
torch.tensor([1, 2], requires_grad=True)
""",
    "float_of_two_elements_message": """
float(torch.tensor([1.0, 2.0]))
""",
    "indexing_a_zero_dim_tensor_message": """
torch.tensor(3.0)[0]
""",
    "formatting_a_multi_element_tensor_message": """
print(f"{torch.tensor([1.0, 2.0]):.2f}")
""",
    "formatting_a_zero_dim_tensor": """
print(f"{torch.tensor(3.14159):.2f}", "{:.3f}".format(torch.tensor(2.5)))
""",
    # higher-order gradients, autograd.grad, hooks, grad mode
    "second_derivative_by_autograd_grad": """
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = (torch.sin(x) * x ** 2).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g, g.grad_fn)
(h,) = torch.autograd.grad(g.sum(), x)
print(h)
""",
    "autograd_grad_options": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
u = torch.tensor([3.0], requires_grad=True)
y = (x * x).sum()
print(torch.autograd.grad(y, [x, u], retain_graph=True, allow_unused=True))
print(torch.autograd.grad(y, x))
print(x.grad)
""",
    "autograd_grad_unused_raises": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
u = torch.tensor([3.0], requires_grad=True)
torch.autograd.grad((x * x).sum(), [x, u])
""",
    "hooks_and_retain_grad": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.retain_grad()
h = y.register_hook(lambda g: g * 10)
x.register_hook(lambda g: print("x sees", g))
(y * y).sum().backward()
print(y.grad, x.grad)
h.remove()
x.grad = None
(y * y).sum().backward()
print(x.grad)
""",
    "retained_non_leaf_grad_accumulates": """
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.retain_grad()
for _ in range(3):
    (y * y).sum().backward(retain_graph=True)
print(y.grad, x.grad)
""",
    "set_grad_enabled": """
x = torch.ones(2, requires_grad=True)
with torch.set_grad_enabled(False):
    y = x * 2
torch.set_grad_enabled(True)
z = x * 2
print(y.requires_grad, z.requires_grad, torch.is_grad_enabled())
""",
    "no_grad_decorator": """
@torch.no_grad()
def scaled(t):
    return t * 2

x = torch.ones(2, requires_grad=True)
print(scaled(x).requires_grad, (x * 2).requires_grad)
""",
    "custom_function": """
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2

x = torch.tensor([1.0, -2.0], requires_grad=True)
y = Cube.apply(x)
y.sum().backward()
print(y, y.grad_fn, x.grad)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_tutor_prints_what_pytorch_prints(name, torch):
    source = HEAD + PROGRAMS[name].lstrip("\n")
    reference = run_with_torch(source, f"{name}.py")
    outcome = run_program(source, f"{name}.py")
    assert outcome.refusal is None, outcome.refusal
    assert mask(outcome.stdout) == mask(reference.stdout)
    assert mask(outcome.error) == mask(reference.error)


def _warnings_of(module, action) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action(module)
    return [f"{w.category.__name__}: {w.message}" for w in caught]


@pytest.mark.parametrize(
    "action",
    [
        lambda T: (T.ones(2, requires_grad=True) * 2).grad,
        lambda T: T.ones(3).T,
        lambda T: T.nn.functional.softmax(T.ones(2, 2)),
    ],
)
def test_pytorchs_user_warnings_and_no_others(action, torch):
    assert _warnings_of(engine, action) == _warnings_of(torch, action)


def test_numpy_warnings_never_leak():
    def action(T):
        x = T.tensor([0.0, -1.0, 1e30])
        return (x / 0, x.log(), x.sqrt(), x * 1e30, T.exp(x))

    assert _warnings_of(engine, action) == []


def test_grad_mode_is_per_thread():
    seen = {}

    def worker():
        seen["worker"] = engine.is_grad_enabled()
        seen["worker_result"] = (engine.ones(2, requires_grad=True) * 2).requires_grad

    with engine.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        seen["main"] = engine.is_grad_enabled()
    assert seen == {"worker": True, "worker_result": True, "main": False}
