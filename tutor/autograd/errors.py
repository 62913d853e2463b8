"""Provides PyTorch 2.13's exact error messages, as constants and small builders."""

from __future__ import annotations

from collections.abc import Sequence

NUMPY_REQUIRES_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)
IMPLICIT_GRAD = "grad can be implicitly created only for scalar outputs"
BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
NO_GRAD_FN = "element 0 of tensors does not require grad and does not have a grad_fn"
LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)
CREATE_REQUIRES_GRAD = "Only Tensors of floating point and complex dtype can require gradients"
SET_REQUIRES_GRAD = "only Tensors of floating point dtype can require gradients"
NON_LEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
)
NEGATIVE_INT_POWER = "Integers to negative integer powers are not allowed."
BOOL_NEG = (
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead."
)
VIEW_STRIDE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension spans "
    "across two contiguous subspaces). Use .reshape(...) instead."
)
_HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)
_DTYPE_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}


def shape_list(shape: Sequence[int]) -> str:
    """`[2, 3]`, the way PyTorch writes a shape inside messages."""
    return "[" + ", ".join(str(n) for n in shape) + "]"


def size_repr(shape: Sequence[int]) -> str:
    """`torch.Size([2, 3])`."""
    return "torch.Size(" + shape_list(shape) + ")"


def scalar_type_name(np_dtype: object) -> str:
    """`Float`, `Double`, `Long` or `Bool`: PyTorch's ScalarType name."""
    return _DTYPE_NAMES[str(np_dtype)]


def modified_in_place(
    np_dtype: object, shape: Sequence[int], op: str | None, version: int, expected: int
) -> str:
    """The message backward gives when a saved tensor was changed in place after being saved."""
    what = f"[torch.{scalar_type_name(np_dtype)}Tensor {shape_list(shape)}]"
    if op is not None:
        what += f", which is output 0 of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {what} is at version {version}; expected version {expected} instead. {_HINT}"
    )


def broadcast_mismatch(a: Sequence[int], b: Sequence[int]) -> str | None:
    """The message for shapes that do not broadcast, or None when they do."""
    for back in range(1, min(len(a), len(b)) + 1):
        m, n = a[-back], b[-back]
        if m != n and m != 1 and n != 1:
            dim = max(len(a), len(b)) - back
            return (
                f"The size of tensor a ({m}) must match the size of tensor b ({n}) "
                f"at non-singleton dimension {dim}"
            )
    return None


def dim_out_of_range(dim: int, ndim: int) -> IndexError:
    """PyTorch's error for a `dim` argument outside the tensor's dimensions."""
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    return IndexError(
        f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
    )


def grad_shape_mismatch(given: Sequence[int], expected: Sequence[int]) -> str:
    """backward(gradient) with a gradient of the wrong shape."""
    return (
        f"Mismatch in shape: grad_output[0] has a shape of {size_repr(given)} and output[0] "
        f"has a shape of {size_repr(expected)}."
    )
