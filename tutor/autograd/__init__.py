"""Provides the numpy autodiff engine as a torch-like namespace: `import tutor.autograd as torch`.

The op functions (`torch.exp`, `torch.matmul`, …) come from the op table (tutor.autograd.ops),
where each op is declared once; everything else a program may use is named here.
"""

from types import ModuleType as _ModuleType

from . import autograd_api as autograd
from .creation import (
    BoolTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    nonzero,
    ones,
    ones_like,
    tensor,
    tril,
    triu,
    zeros,
    zeros_like,
)
from .creation import range_ as range  # noqa: A004 - torch.range
from .device import accelerator, cuda, device, get_default_device, set_default_device
from .dtypes import bool_ as bool  # noqa: A004 - torch.bool
from .dtypes import dtype, float32, float64, int8, int16, int32, int64, uint8
from .functions import is_floating_point, is_tensor, numel, result_type, square, table_functions
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .node import AccumulateGrad, Node
from .ops import (  # noqa: F401 - importing the op families fills the table
    activations,
    arithmetic,
    copying,
    derivatives,
    indexing,
    join,
    linalg,
    losses,
    pointwise,
    reduce,
    scalars,
    select,
    shape,
    unary,
)
from .size import Size
from .steps import BackwardStep, backward_steps
from .tensor import Tensor

globals().update(table_functions())

float = float32  # noqa: A001
double = float64
int = int32  # noqa: A001
short = int16
long = int64


def __getattr__(name: str) -> object:
    """`torch.nn`, `torch.optim` and the random functions are imported on first use."""
    import importlib

    if name in ("nn", "optim"):
        return importlib.import_module(f".{name}", __name__)
    if name in _RANDOM:
        module = importlib.import_module(".creation_random", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'torch' has no attribute '{name}'")


_RANDOM = frozenset(
    [
        "manual_seed",
        "seed",
        "initial_seed",
        "rand",
        "randn",
        "randint",
        "randperm",
        "rand_like",
        "randn_like",
        "randint_like",
        "normal",
        "Generator",
        "get_rng_state",
        "set_rng_state",
    ]
)


# engine internals a program never reaches as torch.<name>
_INTERNAL = frozenset(
    {"annotations", "AccumulateGrad", "Node", "BackwardStep", "backward_steps", "table_functions"}
)

__all__ = sorted(
    {
        name
        for name, value in globals().items()
        if not name.startswith("_") and not isinstance(value, _ModuleType)
    }
    - _INTERNAL
    | _RANDOM
    | {"nn", "optim", "autograd", "cuda", "accelerator"}
)
