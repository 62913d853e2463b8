"""Provides `nn.Linear` (x·Wᵀ + b, initialised as PyTorch initialises it, from the same seeded
generator), `nn.Identity` and `nn.Flatten`."""

from __future__ import annotations

from .. import random as rng
from ..device import check as check_device
from ..dtypes import F32, to_numpy_dtype
from ..ops import shape
from ..ops.linalg import linear
from ..tensor_core import result
from .module import MODULE_ATTRIBUTES, Module
from .parameter import Parameter


class Linear(Module):
    """y = x·Wᵀ + b with W of shape (out_features, in_features), drawn like PyTorch's:
    kaiming_uniform(a=√5) for W, uniform(±1/√in_features) for b."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {
        "weight",
        "bias",
        "in_features",
        "out_features",
        "reset_parameters",
    }

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ):
        super().__init__()
        check_device(device)
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(
                    f"empty(): argument 'size' failed to unpack the object at pos "
                    f'{1 if name == "in_features" else 0} with error "type must be tuple of '
                    f'ints,but got {type(value).__name__}"'
                )
            if value < 0:
                raise RuntimeError(
                    "Trying to create tensor with negative dimension "
                    f"{value}: [{out_features}, {in_features}]"
                )
        self.in_features = in_features
        self.out_features = out_features
        self._dtype = F32 if dtype is None else to_numpy_dtype(dtype)
        weight, bias_data = rng.linear_init(in_features, out_features, bias, self._dtype)
        self.weight = Parameter(result(weight))
        if bias:
            self.bias = Parameter(result(bias_data))
        else:
            self.register_parameter("bias", None)

    def reset_parameters(self) -> None:
        weight, bias_data = rng.linear_init(
            self.in_features, self.out_features, self.bias is not None, self._dtype
        )
        for param, data in ((self.weight, weight), (self.bias, bias_data)):
            if param is not None:
                param._data[...] = data
                param._version[0] += 1

    def forward(self, input):
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """Returns its input."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input):
        return input


class Flatten(Module):
    """Flattens dimensions start_dim…end_dim (all but the batch dimension by default)."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"start_dim", "end_dim"}

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return shape.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


Linear.__module__ = "torch.nn.modules.linear"
Identity.__module__ = "torch.nn.modules.linear"
Flatten.__module__ = "torch.nn.modules.flatten"
