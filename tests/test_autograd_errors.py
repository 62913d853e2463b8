"""Differential tests of errors: the same exception type and exact message as PyTorch 2.13."""

from __future__ import annotations

import pytest
from test_autograd_helpers import compare_error


def _twice(T, op):
    x = T.ones(2, requires_grad=True)
    y = op(x).sum()
    y.backward()
    y.backward()


def _modified(T, make):
    x = T.ones(2, requires_grad=True)
    make(T, x)


def _exp_then_mul(T, x):
    y = x.exp()
    y.mul_(2)
    y.sum().backward()


def _saved_input_changed(T, x):
    y = x + 1
    z = y * y
    y.add_(1)
    z.sum().backward()


def _leaf_changed_under_no_grad(T, x):
    z = x * x
    with T.no_grad():
        x.add_(1)
    z.sum().backward()


def _double_changed(T, x):
    y = x.double() if hasattr(x, "double") else x
    y = y * 2
    z = y * y
    y.mul_(2)
    z.sum().backward()


ERRORS = {
    "numpy requires grad": lambda T: T.ones(2, requires_grad=True).numpy(),
    "numpy non-leaf": lambda T: (T.ones(2, requires_grad=True) * 2).numpy(),
    "implicit grad": lambda T: (T.ones(2, requires_grad=True) * 2).backward(),
    "no grad_fn": lambda T: T.ones(2).sum().backward(),
    "leaf in-place add_": lambda T: T.ones(2, requires_grad=True).add_(1),
    "leaf in-place +=": lambda T: T.ones(2, requires_grad=True).__iadd__(1),
    "leaf in-place mul_": lambda T: T.ones(2, requires_grad=True).mul_(2),
    "leaf in-place sub_": lambda T: T.ones(2, requires_grad=True).sub_(2),
    "leaf setitem": lambda T: T.ones(2, requires_grad=True).__setitem__(0, 5.0),
    "leaf zero_": lambda T: T.ones(2, requires_grad=True).zero_(),
    "view of leaf in-place": lambda T: T.ones(3, requires_grad=True)[0].mul_(2),
    "int requires grad at creation": lambda T: T.tensor([1, 2], requires_grad=True),
    "int requires_grad_": lambda T: T.tensor([1, 2]).requires_grad_(),
    "non-leaf requires_grad_(False)": lambda T: (T.ones(2, requires_grad=True) + 1).requires_grad_(
        False
    ),
    "grad shape mismatch": lambda T: T.ones(3, requires_grad=True).sum().backward(T.ones(3)),
    "grad shape mismatch 2d": lambda T: (T.ones(2, 2, requires_grad=True) * 1).backward(T.ones(3)),
    "twice mul": lambda T: _twice(T, lambda x: x * 2),
    "twice exp": lambda T: _twice(T, lambda x: x.exp()),
    "twice pow": lambda T: _twice(T, lambda x: x**2),
    "twice div tensor": lambda T: _twice(T, lambda x: x / T.ones(2)),
    "twice relu": lambda T: _twice(T, lambda x: x.relu()),
    "twice max": lambda T: _twice(T, lambda x: x.max()),
    "twice index": lambda T: _twice(T, lambda x: x[[0, 1]]),
    "twice mm": lambda T: _twice(T, lambda x: x.view(1, 2) @ T.ones(2, 2)),
    "version: output of Exp": lambda T: _modified(T, _exp_then_mul),
    "version: output of Add": lambda T: _modified(T, _saved_input_changed),
    "version: leaf": lambda T: _modified(T, _leaf_changed_under_no_grad),
    "version: double": lambda T: _modified(T, _double_changed),
    "broadcast": lambda T: T.ones(2, 3) + T.ones(2),
    "broadcast mul": lambda T: T.ones(4, 3) * T.ones(2, 1, 2),
    "broadcast sub dim 0": lambda T: T.ones(3, 1) - T.ones(2, 1),
    "mm shapes": lambda T: T.ones(2, 3) @ T.ones(2, 3),
    "mm method shapes": lambda T: T.ones(2, 3).mm(T.ones(2, 3)),
    "mm not matrix": lambda T: T.ones(2, 3).mm(T.ones(2)),
    "mv shapes": lambda T: T.ones(2, 3) @ T.ones(2),
    "dot sizes": lambda T: T.ones(3) @ T.ones(2),
    "dot method sizes": lambda T: T.ones(3).dot(T.ones(2)),
    "mm dtypes": lambda T: T.ones(2, 2) @ T.ones(2, 2, dtype=T.float64),
    "item": lambda T: T.ones(3).item(),
    "sum dim": lambda T: T.ones(3).sum(2),
    "sum negative dim": lambda T: T.ones(3).sum(-2),
    "mean dim": lambda T: T.ones(2, 2).mean(2),
    "softmax dim": lambda T: T.ones(2, 2).softmax(3),
    "unsqueeze dim": lambda T: T.ones(2).unsqueeze(3),
    "transpose dim": lambda T: T.ones(2).transpose(0, 1),
    "0-d dim": lambda T: T.tensor(1.0).sum(1),
    "select out of range": lambda T: T.ones(3)[3],
    "select dim 1": lambda T: T.ones(3, 2)[0, 2],
    "select negative": lambda T: T.ones(3)[-4],
    "too many indices": lambda T: T.ones(3)[0, 0],
    "view size": lambda T: T.ones(3).view(2),
    "reshape size": lambda T: T.ones(3).reshape(2),
    "view stride": lambda T: T.ones(2, 3).t().view(6),
    "view infer": lambda T: T.ones(3).view(-1, 2),
    "t 3d": lambda T: T.ones(2, 2, 2).t(),
    "mean int": lambda T: T.tensor([1, 2]).mean(),
    "neg bool": lambda T: -T.tensor([True]),
    "int negative power": lambda T: T.tensor([1, 2]) ** -1,
    "ragged": lambda T: T.tensor([[1, 2], [3]]),
    "ragged deeper": lambda T: T.tensor([[1], [2, 3]]),
    "string data": lambda T: T.tensor([1, "a"]),
    "in-place dtype": lambda T: T.tensor([1, 2]).add_(1.5),
    "in-place broadcast": lambda T: T.ones(2).add_(T.ones(2, 2)),
    "in-place shape": lambda T: T.ones(2).mul_(T.ones(3)),
    "bool of many": lambda T: bool(T.ones(2)),
    "retain_grad without grad": lambda T: T.ones(2).retain_grad(),
    "stack sizes": lambda T: T.stack([T.ones(2), T.ones(3)]),
    "expand": lambda T: T.ones(3).expand(2, 2),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_matches_torch(name, torch):
    compare_error(ERRORS[name], torch)
