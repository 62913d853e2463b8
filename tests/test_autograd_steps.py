"""backward_steps: the node-by-node backward pass agrees with torch's own node hooks."""

from __future__ import annotations

import numpy as np
import pytest

import tutor.autograd as T


def seed(ns):
    x = ns.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x1 = x + 2
    x2 = x - 2
    x3 = x1 * x2
    return x, x3.sum()


def mixed(ns):
    x = ns.tensor([[0.5, -1.0], [2.0, 1.5]], requires_grad=True)
    w = ns.tensor([1.0, -2.0], requires_grad=True)
    h = (x @ w).tanh()
    return x, (h * h + x.exp().sum(0)).mean()


def torch_trace(torch, program):
    """(node name, grad_outputs, grad_inputs) per non-leaf node, in torch's execution order."""
    x, y = program(torch)
    records = []
    stack, seen = [y.grad_fn], set()
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        if fn.name() != "torch::autograd::AccumulateGrad":

            def hook(grad_inputs, grad_outputs, fn=fn):
                records.append((fn.name(), grad_outputs, grad_inputs))

            fn.register_hook(hook)
        stack.extend(child for child, _ in fn.next_functions)
    y.backward()
    return records, x.grad


def _arrays(tensors):
    return [None if t is None else t.detach().numpy() for t in tensors]


@pytest.mark.parametrize("program", [seed, mixed])
def test_steps_match_torch_node_hooks(torch, program):
    expected, expected_grad = torch_trace(torch, program)
    x, y = program(T)
    steps = list(T.backward_steps(y))
    inner = [s for s in steps if s.node.name() != "torch::autograd::AccumulateGrad"]
    assert [s.node.name() for s in inner] == [name for name, _, _ in expected]
    for step, (_, grad_outputs, grad_inputs) in zip(inner, expected, strict=True):
        for mine, theirs in zip(_arrays(step.grad_outputs), _arrays(grad_outputs), strict=True):
            np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
        for mine, theirs in zip(_arrays(step.grad_inputs), _arrays(grad_inputs), strict=True):
            if theirs is None:
                assert mine is None
            else:
                np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), expected_grad.numpy(), rtol=1e-5)


def test_seed_steps_in_order_with_leaf_last():
    x, y = seed(T)
    steps = list(T.backward_steps(y))
    names = [s.node.name() for s in steps]
    assert names == [
        "SumBackward0",
        "MulBackward0",
        "SubBackward0",
        "AddBackward0",
        "torch::autograd::AccumulateGrad",
    ]
    last = steps[-1]
    assert last.grad_inputs == () and last.node.variable is x
    assert last.grad_outputs[0].tolist() == [[2.0, 4.0], [6.0, 8.0]]
    assert x.grad.tolist() == [[2.0, 4.0], [6.0, 8.0]]
    add = steps[3]
    assert add.grad_inputs[1] is None and add.node.next_functions[1] == (None, 0)


def test_steps_are_lazy_and_leave_grad_untouched_until_the_leaf_step():
    x, y = seed(T)
    steps = T.backward_steps(y)
    first = next(steps)
    assert first.node is y.grad_fn and x.grad is None
    assert first.grad_outputs[0].tolist() == 1.0
    rest = list(steps)
    assert rest[-1].node.name() == "torch::autograd::AccumulateGrad" and x.grad is not None


def test_steps_equal_backward_in_effect():
    x1, y1 = mixed(T)
    list(T.backward_steps(y1))
    x2, y2 = mixed(T)
    y2.backward()
    np.testing.assert_array_equal(x1.grad.numpy(), x2.grad.numpy())


def test_argument_errors_raise_up_front():
    x = T.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        T.backward_steps(x * 2)
    with pytest.raises(RuntimeError, match="does not require grad"):
        T.backward_steps(T.ones(2).sum())


def test_second_pass_without_retain_graph_raises_at_the_node():
    x = T.ones(2, requires_grad=True)
    y = (x * x).sum()
    list(T.backward_steps(y))
    steps = T.backward_steps(y)
    assert next(steps).node.name() == "SumBackward0"
    with pytest.raises(RuntimeError, match="second time"):
        next(steps)


def test_step_gradients_are_snapshots():
    x = T.ones(2, requires_grad=True)
    y = (x * 3).sum()
    steps = list(T.backward_steps(y, retain_graph=True))
    y.backward()
    assert steps[-1].grad_outputs[0].tolist() == [3.0, 3.0]
    assert x.grad.tolist() == [6.0, 6.0]
