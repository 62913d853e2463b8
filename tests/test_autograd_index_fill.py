"""Differential tests: mixed basic/advanced indexing and zero_/fill_ record PyTorch's nodes."""

from __future__ import annotations

import pytest
from test_autograd_helpers import compare_op

INDICES = [
    (0, [0, 1]),
    ([0, 1], 0),
    (slice(1, None), [0]),
    ([0, 2], slice(1, 3)),
    (slice(None), [0]),
    ([0, 1], [1, 2]),
    (1, [True, False, True, False]),
]


@pytest.mark.parametrize("index", INDICES, ids=str)
def test_mixed_indexing_matches_torch(index, torch):
    def program(T):
        a = T.arange(12.0).reshape(3, 4).requires_grad_(True)
        return a[index], [a]

    compare_op(program, torch)


@pytest.mark.parametrize("method", ["zero_", "fill_"])
def test_overwriting_a_non_leaf_records_its_node(method, torch):
    def program(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        getattr(y, method)(*([] if method == "zero_" else [3.0]))
        return y + x, [x]

    compare_op(program, torch)


def test_overwriting_without_grad_records_nothing(torch):
    def program(T):
        x = T.tensor([1.0, 2.0], requires_grad=True)
        with T.no_grad():
            y = x * 2
        y.zero_()
        return y, [x]

    compare_op(program, torch)
