"""Provides the numpy autodiff engine as a torch-like namespace: `import tutor.autograd as torch`."""

from .creation import (
    FloatTensor,
    LongTensor,
    arange,
    cat,
    eye,
    full,
    linspace,
    ones,
    ones_like,
    stack,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import bool_ as bool  # noqa: A004 - torch.bool
from .dtypes import dtype, float32, float64, int64
from .functions import (
    abs,  # noqa: A004
    add,
    argmax,
    argmin,
    clamp,
    clip,
    clone,
    cos,
    div,
    dot,
    exp,
    flatten,
    is_tensor,
    log,
    log_softmax,
    matmul,
    max,  # noqa: A004
    mean,
    mm,
    mul,
    mv,
    neg,
    numel,
    permute,
    pow,  # noqa: A004
    reciprocal,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    sub,
    sum,  # noqa: A004
    t,
    tanh,
    transpose,
    unsqueeze,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .node import AccumulateGrad, Node
from .size import Size
from .steps import BackwardStep, backward_steps
from .tensor import Tensor


def __getattr__(name: str) -> object:
    """`torch.nn` is imported on first use: most programs never touch it."""
    if name == "nn":
        import importlib

        return importlib.import_module(".nn", __name__)
    raise AttributeError(f"module 'tutor.autograd' has no attribute {name!r}")


float = float32  # noqa: A001
double = float64
long = int64

__all__ = [
    "AccumulateGrad",
    "BackwardStep",
    "FloatTensor",
    "LongTensor",
    "Node",
    "Size",
    "Tensor",
    "abs",
    "add",
    "arange",
    "argmax",
    "argmin",
    "backward_steps",
    "bool",
    "cat",
    "clamp",
    "clip",
    "clone",
    "cos",
    "div",
    "dot",
    "double",
    "dtype",
    "enable_grad",
    "exp",
    "eye",
    "flatten",
    "float",
    "float32",
    "float64",
    "full",
    "int64",
    "is_grad_enabled",
    "is_tensor",
    "linspace",
    "log",
    "log_softmax",
    "long",
    "matmul",
    "max",
    "mean",
    "mm",
    "mul",
    "mv",
    "neg",
    "nn",
    "no_grad",
    "numel",
    "ones",
    "ones_like",
    "permute",
    "pow",
    "reciprocal",
    "relu",
    "reshape",
    "set_grad_enabled",
    "sigmoid",
    "sin",
    "softmax",
    "sqrt",
    "squeeze",
    "stack",
    "sub",
    "sum",
    "t",
    "tanh",
    "tensor",
    "transpose",
    "unsqueeze",
    "zeros",
    "zeros_like",
]
