"""Provides `Node`, the base of every backward node, `AccumulateGrad`, and what the engine shares
with the ops: sequence numbers, saved tensors with their version checks, `sum_to`."""

from __future__ import annotations

import itertools
import sys

import numpy as np

from . import errors

_SEQUENCE = itertools.count()
# PyTorch gives AccumulateGrad the largest sequence number so it runs as soon as it is ready.
_LEAF_SEQUENCE = itertools.count(1 << 62)
_getrefcount = sys.getrefcount
next_seq = _SEQUENCE.__next__


def _read_only_one(dtype: type) -> np.ndarray:
    one = np.ones((), dtype=dtype)
    one.flags.writeable = False
    return one


# The gradient backward() starts from for a 0-d output, by dtype.
ONE = {np.dtype(t): _read_only_one(t) for t in (np.float32, np.float64)}


class Node:
    """One recorded operation: `apply(xp, grads)` maps the gradients of its outputs to its
    inputs' ones, computing with the namespace `xp` (numpy arrays, or tensors when the backward
    pass itself is recorded).

    `next_functions` says where each input's gradient goes: `(node, output number)`, or
    `(None, 0)` for an input that needs none. `_saved` holds what the formula needs (freed by
    backward unless the graph is retained); `_meta` the (shape, dtype) of each input whose
    gradient must be summed back or cast; `_owner` the tensor whose hooks or retain_grad watch
    this node's output.
    """

    __slots__ = ("next_functions", "_seq", "_saved", "_meta", "_owner", "__weakref__")
    outputs = 1

    def name(self) -> str:
        """PyTorch's name for this node, e.g. `MulBackward0`."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def apply(self, xp, grads: tuple) -> tuple:
        """The gradients for `next_functions`, given the gradients of this node's outputs."""
        raise NotImplementedError

    def _freed(self) -> RuntimeError:
        return RuntimeError(errors.BACKWARD_TWICE)

    def saved_input(self, xp, i: int):
        """Saved input `i` for the formula: its array (or tensor, when recording); a saved
        number as it is. Its version was checked (check_saved) before the formula ran."""
        saved = self._saved
        if saved is None:
            raise self._freed()
        if saved[2 * i + 1] is None:
            return saved[2 * i]
        return xp.unpack(saved[2 * i])

    def check_saved(self) -> None:
        """Every saved tensor unchanged since it was saved — checked before the formula runs,
        whichever of them it reads (PyTorch unpacks them all)."""
        saved = self._saved
        if not saved:
            return
        last = len(saved) - 1
        i = 0
        while i < last:
            item, second = saved[i], saved[i + 1]
            if second.__class__ is list:  # the saved result: (data, counter, version)
                if i + 2 <= last and second[0] != saved[i + 2]:
                    raise RuntimeError(_changed(item, forward_name(self), second[0], saved[i + 2]))
                return
            version = getattr(item, "_version", None)
            if second.__class__ is int and version is not None and version[0] != second:
                raise RuntimeError(_changed(item._data, tensor_op(item), version[0], second))
            i += 2

    def saved_result(self, xp):
        """The node's own saved output, checked to be unchanged since it was saved."""
        saved = self._saved
        if saved is None:
            raise self._freed()
        data, counter, version = saved[-3], saved[-2], saved[-1]
        if counter[0] != version:
            raise RuntimeError(_changed(data, forward_name(self), counter[0], version))
        return xp.unpack_result(self, data, counter)


def _changed(data: np.ndarray, op: str | None, now: int, expected: int) -> str:
    return errors.modified_in_place(data.dtype, data.shape, op, now, expected)


def tensor_op(tensor) -> str | None:
    fn = tensor._edge[0]
    return None if fn is None or fn.__class__ is AccumulateGrad else forward_name(fn)


def forward_name(node: Node) -> str:
    """`Add` for AddBackward0, `Max1` for MaxBackward1: how PyTorch 2.13 names the forward op in
    its messages."""
    head, _, tail = type(node).__name__.partition("Backward")
    return head if tail in ("", "0") else head + tail


class AccumulateGrad(Node):
    """The sink of a leaf tensor: adds the arriving gradient into `variable.grad`."""

    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable
        self.next_functions = ()
        self._seq = next(_LEAF_SEQUENCE)
        self._saved = None
        self._meta = None
        self._owner = None

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def accumulate(self, grad: np.ndarray) -> None:
        """Adds a numpy gradient into `.grad`, keeping an unshared array rather than copying."""
        variable = self.variable
        data = variable._data
        if grad.dtype is not data.dtype:
            grad = grad.astype(data.dtype)
        old = variable._grad
        if old is None:
            # Keep a gradient nobody else holds (the caller's local, our argument and
            # getrefcount's own); copy one that is shared, read-only or a view.
            if grad.base is not None or not grad.flags.writeable or _getrefcount(grad) > 3:
                grad = grad.copy()
            if grad.shape != data.shape:
                grad = grad.reshape(data.shape)
            variable._grad = variable._grad_tensor(grad)
        elif old._requires_grad:  # a .grad made with create_graph: a new tensor, not in place
            variable._grad = old + variable._grad_tensor(grad)
        else:
            old._data += grad
            old._version[0] += 1

    def accumulate_tensor(self, grad) -> None:
        """Adds a gradient tensor (from a backward pass that is itself recorded) into `.grad`."""
        variable = self.variable
        old = variable.grad
        if grad._data.dtype is not variable._data.dtype:
            grad = grad.to(variable.dtype)
        if old is None:
            variable.grad = grad if grad.requires_grad else grad.detach().clone()
            if grad.requires_grad and grad.grad_fn is not None and grad is not variable.grad:
                variable.grad = grad
        else:
            variable.grad = old + grad


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
