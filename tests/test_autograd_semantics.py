"""Autograd semantics: grad mode, accumulation, detach, in-place rules, freeing, printing basics."""

from __future__ import annotations

import re

import numpy as np
import pytest
from test_autograd_helpers import assert_same_tensor, compare_op, graph

import tutor.autograd as T


def test_no_grad_context_gives_untracked_results():
    x = T.ones(2, requires_grad=True)
    with T.no_grad():
        assert not T.is_grad_enabled()
        y = x * 2
    assert T.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf


def test_no_grad_as_decorator_with_and_without_parentheses():
    @T.no_grad()
    def f(t):
        return t * 2, T.is_grad_enabled()

    @T.no_grad
    def g(t):
        return t * 2

    x = T.ones(2, requires_grad=True)
    y, enabled = f(x)
    assert not enabled and y.grad_fn is None
    assert g(x).grad_fn is None
    assert T.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = T.ones(2, requires_grad=True)
    with T.no_grad(), T.enable_grad():
        assert (x * 2).grad_fn is not None


def test_gradients_accumulate_and_zero():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    assert x.grad is first  # accumulated in place, as PyTorch does
    assert x.grad.tolist() == [6.0, 6.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]
    x.grad = None
    assert x.grad is None


def test_grads_of_two_leaves_never_share_memory():
    y = T.ones(3, requires_grad=True)
    z = T.ones(3, requires_grad=True)
    ((y + z) * 2).sum().backward()
    assert not np.shares_memory(y.grad._data, z.grad._data)
    ((y + z) * 2).sum().backward()
    assert y.grad.tolist() == [4.0, 4.0, 4.0] and z.grad.tolist() == [4.0, 4.0, 4.0]


def test_leaf_grad_does_not_alias_the_user_gradient():
    x = T.ones(2, requires_grad=True)
    g = T.tensor([1.0, 2.0])
    x.backward(g)
    x.backward(g)
    assert g.tolist() == [1.0, 2.0] and x.grad.tolist() == [2.0, 4.0]


def test_non_leaf_grad_is_none_unless_retained():
    x = T.ones(2, requires_grad=True)
    y = x * 2
    z = y * 3
    y.retain_grad()
    assert y.retains_grad and not z.retains_grad and not x.retains_grad
    z.sum().backward()
    assert z.grad is None
    assert y.grad.tolist() == [3.0, 3.0]


def test_detach_shares_memory_and_version():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    d[0] = 5.0
    assert x.tolist() == [5.0, 2.0]
    assert x._version[0] == 1


def test_detach_in_place_makes_a_leaf():
    x = T.ones(2, requires_grad=True)
    y = x * 2
    y.detach_()
    assert y.is_leaf and not y.requires_grad and y.grad_fn is None
    assert y.numpy().tolist() == [2.0, 2.0]


def test_in_place_update_of_leaf_allowed_under_no_grad():
    w = T.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with T.no_grad():
        w -= 0.5 * w.grad
    assert w.tolist() == [0.0, 0.0] and w.requires_grad and w.is_leaf


def test_numpy_allowed_under_no_grad_and_shares_memory():
    x = T.ones(2, requires_grad=True)
    with T.no_grad():
        array = x.numpy()
    array[0] = 7.0
    assert x.tolist() == [7.0, 1.0]


def test_in_place_add_on_non_leaf_matches_torch(torch):
    def program(ns):
        x = ns.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        y.add_(1)
        y += 2
        y.mul_(ns.tensor([2.0, 3.0]))
        return y, [x]

    compare_op(program, torch)


def test_setitem_records_copy_slices_like_torch(torch):
    def program(ns):
        x = ns.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = ns.tensor(4.0, requires_grad=True)
        y = x * 2
        y[0] = v
        y[1] = 7.0
        return y * y, [x, v]

    compare_op(program, torch)


def test_hundred_thousand_op_chain_backpropagates():
    x = T.ones(2, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_saved_tensors_are_freed_after_backward():
    x = T.ones(2, requires_grad=True)
    y = x * x
    y.sum().backward()
    assert y.grad_fn._saved is None
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()


def test_retain_graph_allows_a_second_backward():
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_accumulate_grad_holds_its_variable_and_prints_like_torch():
    x = T.ones(2, requires_grad=True)
    acc = (x * 2).grad_fn.next_functions[0][0]
    assert acc.variable is x
    assert acc.name() == "torch::autograd::AccumulateGrad"
    assert re.fullmatch(r"<AccumulateGrad object at 0x[0-9a-f]+>", repr(acc))
    assert acc is (x + 1).grad_fn.next_functions[0][0]


def test_node_reprs_and_next_functions_print_like_torch():
    x = T.ones(2, requires_grad=True)
    y = (x * 2).sum()
    assert re.fullmatch(r"<SumBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))
    text = repr((x * 2).grad_fn.next_functions)
    assert re.fullmatch(r"\(\(<AccumulateGrad object at 0x[0-9a-f]+>, 0\), \(None, 0\)\)", text)
    assert isinstance(y.grad_fn, T.Node)


def test_size_and_dtype_objects():
    x = T.ones(2, 3)
    assert repr(x.shape) == "torch.Size([2, 3])" and x.shape == (2, 3)
    assert repr(x.shape[1:]) == "torch.Size([3])"
    assert x.size(1) == 3 and x.dim() == 2 and x.numel() == 6
    assert repr(T.float32) == "torch.float32" and str(T.int64) == "torch.int64"
    assert T.float is T.float32 and T.double is T.float64 and repr(T.bool) == "torch.bool"


def test_item_and_tolist_return_python_numbers():
    assert type(T.tensor(2.5).item()) is float
    assert type(T.tensor(3).item()) is int
    assert T.tensor([[1, 2]]).tolist() == [[1, 2]]


def test_printing_smoke():
    x = T.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    assert repr(x) == "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"
    assert str((x * 2).sum()) == "tensor(20., grad_fn=<SumBackward0>)"
    assert f"{T.tensor(1.5)}" == "1.5"


PROMOTIONS = [
    ("int * float scalar", lambda ns: ns.tensor([1, 2]) * 2.5),
    ("int / int", lambda ns: ns.tensor([1, 2]) / ns.tensor([2, 4])),
    ("int / scalar", lambda ns: ns.tensor([1, 2]) / 2),
    ("float32 + float", lambda ns: ns.tensor([1.0]) + 0.1),
    ("float32 + float64", lambda ns: ns.tensor([1.0]) + ns.tensor([2.0], dtype=ns.float64)),
    ("float32 + 0-d float64", lambda ns: ns.tensor([1.0]) + ns.tensor(2.0, dtype=ns.float64)),
    ("int + 0-d float64", lambda ns: ns.tensor([1, 2]) + ns.tensor(1.5, dtype=ns.float64)),
    ("float32 + 0-d int", lambda ns: ns.tensor([1.0, 2.0]) + ns.tensor(1)),
    ("bool + float", lambda ns: ns.tensor([True]) + 1.5),
    ("bool + bool", lambda ns: ns.tensor([True]) + True),
    ("bool + int", lambda ns: ns.tensor([True, False]) + 1),
    ("int floor pow", lambda ns: ns.tensor([1, 2]) ** 2),
    ("int pow float", lambda ns: ns.tensor([1, 2]) ** 0.5),
    ("scalar pow int", lambda ns: 2 ** ns.tensor([1, 2])),
    ("int sum", lambda ns: ns.tensor([1, 2]).sum()),
    ("bool sum", lambda ns: ns.tensor([True, True]).sum()),
    ("int exp", lambda ns: ns.tensor([1, 2]).exp()),
    ("int abs", lambda ns: ns.tensor([-1, 2]).abs()),
    ("compare", lambda ns: ns.tensor([1.0, 2.0]) > 1),
    ("rdiv int", lambda ns: 2 / ns.tensor([1, 4])),
    ("rsub int", lambda ns: 2.5 - ns.tensor([1, 4])),
]


@pytest.mark.parametrize("name", [name for name, _ in PROMOTIONS])
def test_type_promotion_matches_torch(name, torch):
    program = dict(PROMOTIONS)[name]
    assert_same_tensor(program(T), program(torch))


CREATION = [
    ("tensor floats", lambda ns: ns.tensor([[1.0, 2.0]])),
    ("tensor ints", lambda ns: ns.tensor([1, 2])),
    ("tensor mixed", lambda ns: ns.tensor([1, 2.5])),
    ("tensor bools", lambda ns: ns.tensor([True, False])),
    ("tensor scalar", lambda ns: ns.tensor(3)),
    ("tensor empty", lambda ns: ns.tensor([])),
    ("tensor dtype", lambda ns: ns.tensor([1, 2], dtype=ns.float64)),
    ("FloatTensor", lambda ns: ns.FloatTensor([[1, 2], [3, 4]])),
    ("ones", lambda ns: ns.ones(2, 3)),
    ("ones tuple", lambda ns: ns.ones((2, 3))),
    ("zeros int", lambda ns: ns.zeros(2, dtype=ns.int64)),
    ("ones_like", lambda ns: ns.ones_like(ns.tensor([1, 2]))),
    ("zeros_like", lambda ns: ns.zeros_like(ns.tensor([1.0, 2.0]))),
    ("full int", lambda ns: ns.full((2,), 3)),
    ("full float", lambda ns: ns.full((2, 2), 3.5)),
    ("arange", lambda ns: ns.arange(5)),
    ("arange float", lambda ns: ns.arange(0, 1, 0.25)),
    ("eye", lambda ns: ns.eye(3)),
    ("cat", lambda ns: ns.cat([ns.ones(2), ns.zeros(3)])),
    ("stack", lambda ns: ns.stack([ns.ones(2), ns.zeros(2)], 1)),
    ("ones requires grad", lambda ns: ns.ones(2, requires_grad=True)),
]


@pytest.mark.parametrize("name", [name for name, _ in CREATION])
def test_creation_matches_torch(name, torch):
    program = dict(CREATION)[name]
    mine, theirs = program(T), program(torch)
    assert_same_tensor(mine, theirs)
    assert graph(mine.grad_fn) == graph(theirs.grad_fn)
    assert repr(mine) == repr(theirs)


def test_first_gradient_is_kept_without_a_copy_only_when_unshared():
    x = T.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    first = x.grad._data
    assert first.flags.writeable and first.base is None
    y = T.ones(3, requires_grad=True)
    z = T.ones(3, requires_grad=True)
    (y * z).sum().backward()
    assert not np.shares_memory(y.grad._data, z._data)
    assert not np.shares_memory(z.grad._data, y._data)
