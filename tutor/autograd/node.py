"""Provides `Node`, the base of every backward node, `AccumulateGrad`, and their shared helpers."""

from __future__ import annotations

import itertools
import sys
import weakref

import numpy as np

from . import errors

_SEQUENCE = itertools.count()
# PyTorch gives AccumulateGrad the largest sequence number so it runs as soon as it is ready.
_LEAF_SEQUENCE = itertools.count(1 << 62)
_getrefcount = sys.getrefcount
# The tensors that called retain_grad(), by their grad_fn.
RETAINS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _read_only_one(dtype: type) -> np.ndarray:
    one = np.ones((), dtype=dtype)
    one.flags.writeable = False
    return one


# The gradient backward() starts from for a 0-d output, by dtype.
ONE = {np.dtype(t): _read_only_one(t) for t in (np.float32, np.float64)}


class Node:
    """One recorded operation: `apply(grad)` maps the gradient of its output to its inputs' ones.

    `next_functions` says where each input's gradient goes: `(node, 0)`, or `(None, 0)` for an
    input that needs none. Subclasses are named exactly as PyTorch names them and give their
    math in the docstring.
    """

    __slots__ = ("next_functions", "_seq", "_saved", "__weakref__")

    def name(self) -> str:
        """PyTorch's name for this node, e.g. `MulBackward0`."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def apply(self, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        """The gradients for `next_functions`, given the gradient of this node's output."""
        raise NotImplementedError

    def _freed(self) -> RuntimeError:
        return RuntimeError(errors.BACKWARD_TWICE)


# Each new node takes the next sequence number: backward runs later nodes first.
next_seq = _SEQUENCE.__next__


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the arriving gradient into `variable.grad`."""

    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable
        self.next_functions = ()
        self._seq = next(_LEAF_SEQUENCE)

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def apply(self, grad: np.ndarray) -> tuple:
        variable = self.variable
        data = variable._data
        if grad.dtype is not data.dtype:
            grad = grad.astype(data.dtype)
        old = variable.grad
        if old is None:
            # Keep a gradient nobody else holds (the engine's local, our argument and
            # getrefcount's own); copy one that is shared, read-only or a view.
            if grad.base is not None or not grad.flags.writeable or _getrefcount(grad) > 3:
                grad = grad.copy()
            elif grad.shape != data.shape:
                grad = grad.reshape(data.shape)
            variable.grad = variable._grad_tensor(grad)
        else:
            old._data += grad
            old._version[0] += 1
        return ()


def sum_to(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """The adjoint of broadcasting: sums `grad` back down to `shape`."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    if axes:
        grad = grad.sum(axis=axes)
    return grad.reshape(shape)


def fit(grad: np.ndarray, meta: tuple | None) -> np.ndarray:
    """`grad` reduced to an input's (shape, dtype) when those differ from the output's."""
    if meta is None:
        return grad
    grad = sum_to(grad, meta[0])
    return grad if grad.dtype is meta[1] else grad.astype(meta[1])


def meta_of(data: np.ndarray, out: np.ndarray) -> tuple | None:
    """What `fit` needs to map the output's gradient back to this input, or None if nothing."""
    if data.shape == out.shape and data.dtype is out.dtype:
        return None
    return (data.shape, data.dtype)


def check_version(tensor, version: int) -> np.ndarray:
    """The data of a saved input, after checking it was not changed in place since saving."""
    now = tensor._version[0]
    if now != version:
        fn = tensor.grad_fn
        op = None if fn is None else forward_name(fn)
        data = tensor._data
        raise RuntimeError(errors.modified_in_place(data.dtype, data.shape, op, now, version))
    return tensor._data


def check_output_version(node: Node, data: np.ndarray, counter: list, version: int) -> None:
    """Like `check_version`, for a node's own saved output."""
    if counter[0] != version:
        message = errors.modified_in_place(
            data.dtype, data.shape, forward_name(node), counter[0], version
        )
        raise RuntimeError(message)


def forward_name(node: Node) -> str:
    """`Add` for AddBackward0: how PyTorch 2.13 names the forward op in its messages."""
    name = type(node).__name__
    return name.split("Backward", 1)[0]
