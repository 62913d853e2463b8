"""Provides `torch.autograd.Function`: a learner's own op, its forward and backward written as
static methods taking a context `ctx` (save_for_backward, saved_tensors, needs_input_grad)."""

from __future__ import annotations

import numpy as np

from .grad_mode import GRAD_MODE
from .node import Node, next_seq
from .tensor_core import NO_EDGE, TensorCore, edge, result


class FunctionCtx:
    """What forward leaves for backward: saved tensors and any attribute set on it."""

    def __init__(self) -> None:
        self._saved: tuple = ()
        self._versions: tuple = ()
        self.needs_input_grad: tuple[bool, ...] = ()
        self._released = False
        self._non_differentiable: set[int] = set()
        self.materialize_grads = True

    def save_for_backward(self, *tensors) -> None:
        for t in tensors:
            if t is not None and not isinstance(t, TensorCore):
                raise TypeError(
                    "save_for_backward can only save variables, but argument 0 is of type "
                    + type(t).__name__
                )
        self._saved = tensors
        self._versions = tuple(None if t is None else t._version[0] for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        from . import errors

        if self._released:
            raise RuntimeError(errors.BACKWARD_TWICE)
        for t, version in zip(self._saved, self._versions, strict=True):
            if t is not None and t._version[0] != version:
                raise RuntimeError(
                    errors.modified_in_place(
                        t._data.dtype, t._data.shape, None, t._version[0], version
                    )
                )
        return self._saved

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable |= {id(t) for t in tensors}

    def mark_dirty(self, *tensors) -> None:
        pass

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class _FunctionNode(Node):
    """The node of a learner's Function: backward calls its `backward(ctx, *grads)`."""

    __slots__ = ("outputs", "_ctx", "_function", "_shapes", "_tensor_inputs")

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    def backward(self, xp, g):
        grads = list(g) if self.outputs > 1 else [g]
        tensors = []
        for grad, (shape, dtype) in zip(grads, self._shapes, strict=True):
            if grad is None:
                tensors.append(
                    result(np.zeros(shape, dtype=dtype)) if self._ctx.materialize_grads else None
                )
            else:
                tensors.append(grad if isinstance(grad, TensorCore) else result(grad))
        returned = self._function.backward(self._ctx, *tensors)
        if not xp.recording and not GRAD_MODE.enabled:
            self._ctx._released = self._saved is None
        if not isinstance(returned, tuple):
            returned = (returned,)
        expected = len(self._tensor_inputs)
        if len(returned) < expected:
            raise RuntimeError(
                f"function {type(self).__name__} returned an incorrect number of gradients "
                f"(expected {expected}, got {len(returned)})"
            )
        out = []
        for is_tensor, value in zip(self._tensor_inputs, returned, strict=False):
            if not is_tensor:
                continue
            if value is None:
                out.append(None)
            else:
                out.append(value if xp.recording else value._data)
        return tuple(out)


_NODES: dict[type, type] = {}


def _node_class(function: type) -> type:
    cls = _NODES.get(function)
    if cls is None:
        cls = type(f"{function.__name__}Backward", (_FunctionNode,), {"__slots__": ()})
        _NODES[function] = cls
    return cls


class Function:
    """Subclass it with `@staticmethod forward(ctx, …)` and `backward(ctx, *grads)`; call it
    with `MyFunction.apply(…)`."""

    __tutor_subclassable__ = True

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError(
            "You must implement either the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        tensors = [isinstance(a, TensorCore) for a in args]
        ctx.needs_input_grad = tuple(isinstance(a, TensorCore) and a.requires_grad for a in args)
        before = GRAD_MODE.enabled
        GRAD_MODE.enabled = False
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            GRAD_MODE.enabled = before
        single = not isinstance(outputs, tuple)
        listed = [outputs] if single else list(outputs)
        wanted = before and any(ctx.needs_input_grad)
        if not wanted:
            return outputs
        fn = object.__new__(_node_class(cls))
        fn.next_functions = tuple(edge(a) if isinstance(a, TensorCore) else NO_EDGE for a in args)
        fn._seq = next_seq()
        fn._saved = ()
        fn._meta = None
        fn._owner = None
        fn.outputs = len(listed)
        fn._ctx = ctx
        fn._function = cls
        fn._tensor_inputs = tuple(tensors)
        fn._shapes = tuple(
            (o._data.shape, o._data.dtype) if isinstance(o, TensorCore) else ((), np.float32)
            for o in listed
        )
        made = []
        for i, out in enumerate(listed):
            if not isinstance(out, TensorCore) or id(out) in ctx._non_differentiable:
                made.append(out)
                continue
            if any(out is a for a in args) or out._edge[0] is not None or out._view is not None:
                out = out.detach() if out._edge[0] is None else out.view_as(out)
            made.append(out)
            out._edge = (fn, i)
            out._requires_grad = True
        return made[0] if single else tuple(made)


Function.__module__ = "torch.autograd"
