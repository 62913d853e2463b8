"""Provides the activation modules — ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, SiLU, Softplus,
ReLU6, Hardtanh, Softmax, LogSoftmax — each calling its `torch.nn.functional` op."""

from __future__ import annotations

from . import functional as F
from .module import MODULE_ATTRIBUTES, Module


class ReLU(Module):
    """max(0, x)."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"inplace"}

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ)."""

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """tanh x."""

    def forward(self, input):
        return F.tanh(input)


class SiLU(Module):
    """x·σ(x)."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"inplace"}

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x for x > 0, negative_slope·x otherwise."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"negative_slope", "inplace"}

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """x for x > 0, α·(eˣ − 1) otherwise."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"alpha", "inplace"}

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x·Φ(x)."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"approximate"}

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + e^(βx)) / β (x itself where βx > threshold)."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"beta", "threshold"}

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Hardtanh(Module):
    """x clamped to [min_val, max_val]."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"min_val", "max_val", "inplace"}

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace}"


class ReLU6(Hardtanh):
    """x clamped to [0, 6]."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softmax(Module):
    """e^x / Σ e^x along dim."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"dim"}

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log softmax along dim."""

    __tutor_attributes__ = MODULE_ATTRIBUTES | {"dim"}

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


for _cls in (
    ReLU,
    Sigmoid,
    Tanh,
    SiLU,
    LeakyReLU,
    ELU,
    GELU,
    Softplus,
    Hardtanh,
    ReLU6,
    Softmax,
    LogSoftmax,
):
    _cls.__module__ = "torch.nn.modules.activation"
