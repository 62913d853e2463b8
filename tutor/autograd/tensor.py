"""Provides `Tensor`: the core state plus the math and view methods, and backward()."""

from __future__ import annotations

from .tensor_core import _TENSOR, TensorCore
from .tensor_math import MathMixin
from .tensor_views import ViewsMixin


class Tensor(MathMixin, ViewsMixin, TensorCore):
    """A multi-dimensional array that records the operations applied to it for backward."""

    __slots__ = ()
    __hash__ = TensorCore.__hash__

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Computes the gradient of this tensor with respect to the graph's leaves."""
        _ENGINE[0](self, gradient, retain_graph, create_graph, inputs)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        from .creation import tensor

        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import zeros

        return zeros(
            *size, dtype=dtype or self.dtype, device=_own(device), requires_grad=requires_grad
        )

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import ones

        return ones(
            *size, dtype=dtype or self.dtype, device=_own(device), requires_grad=requires_grad
        )

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        from .creation import full

        return full(
            size,
            fill_value,
            dtype=dtype or self.dtype,
            device=_own(device),
            requires_grad=requires_grad,
        )

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    def uniform_(self, a=0.0, b=1.0, generator=None):
        from .creation_random import fill_random

        return fill_random(self, "uniform", a, b, generator)

    def normal_(self, mean=0.0, std=1.0, generator=None):
        from .creation_random import fill_random

        return fill_random(self, "normal", mean, std, generator)


Tensor.__module__ = "torch"


def _run_backward(*args) -> None:
    from .engine import run_backward

    _ENGINE[0] = run_backward
    run_backward(*args)


_ENGINE = [_run_backward]
_TENSOR.append(Tensor)


def _own(device):
    """A `new_*` tensor is made on its source's device (the CPU), not the default device."""
    from .device import CPU

    return CPU if device is None else device


class _VariableMeta(type):
    """`torch.autograd.Variable`'s class: every tensor is a Variable, and calling it gives a
    tensor (what PyTorch kept of the Variable API when Variables and tensors merged)."""

    def __instancecheck__(cls, other: object) -> bool:
        return isinstance(other, Tensor)

    def __call__(cls, data=None, requires_grad=False, volatile=False, _grad_fn=None, name=None):
        if data is None:
            from .creation import empty

            out = empty(0)
        elif isinstance(data, Tensor):
            out = data.detach()
        else:
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if volatile:
            import warnings

            warnings.warn(
                "volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                UserWarning,
                stacklevel=2,
            )
        if requires_grad and out.dtype.np.kind != "f":
            from .errors import CREATE_REQUIRES_GRAD

            raise RuntimeError(CREATE_REQUIRES_GRAD)
        out.requires_grad_(bool(requires_grad))
        return out


class Variable(metaclass=_VariableMeta):
    """`torch.autograd.Variable(data, requires_grad=False)`: the legacy wrapper, now a tensor
    sharing `data`'s memory outside its graph (data.detach()), requiring grad as asked."""


Variable.__module__ = "torch.autograd.variable"
