"""Provides the `torch.<op>(tensor, …)` spellings of the Tensor methods."""

from __future__ import annotations

from .operands import NUMBER_TYPES
from .tensor_core import TensorCore


def add(input, other, alpha=1):
    return input.add(other, alpha=alpha)


def sub(input, other, alpha=1):
    return input.sub(other, alpha=alpha)


def mul(input, other):
    return input * other


def div(input, other):
    return input / other


def pow(input, exponent):  # noqa: A001 - PyTorch's name
    if isinstance(input, NUMBER_TYPES) and isinstance(exponent, TensorCore):
        return input**exponent
    return input**exponent


def neg(input):
    return -input


def exp(input):
    return input.exp()


def log(input):
    return input.log()


def sqrt(input):
    return input.sqrt()


def abs(input):  # noqa: A001
    return input.abs()


def sin(input):
    return input.sin()


def cos(input):
    return input.cos()


def relu(input):
    return input.relu()


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def reciprocal(input):
    return input.reciprocal()


def sum(input, dim=None, keepdim=False):  # noqa: A001
    return input.sum() if dim is None else input.sum(dim, keepdim)


def mean(input, dim=None, keepdim=False):
    return input.mean() if dim is None else input.mean(dim, keepdim)


def max(input, dim=None, keepdim=False):  # noqa: A001
    return input.max() if dim is None else input.max(dim, keepdim)


def softmax(input, dim):
    return input.softmax(dim)


def log_softmax(input, dim):
    return input.log_softmax(dim)


def matmul(input, other):
    return input.matmul(other)


def mm(input, mat2):
    return input.mm(mat2)


def mv(input, vec):
    return input.mv(vec)


def dot(input, other):
    return input.dot(other)


def reshape(input, shape):
    return input.reshape(shape)


def flatten(input, start_dim=0, end_dim=-1):
    return input.flatten(start_dim, end_dim)


def t(input):
    return input.t()


def transpose(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def permute(input, dims):
    return input.permute(dims)


def unsqueeze(input, dim):
    return input.unsqueeze(dim)


def squeeze(input, dim=None):
    return input.squeeze(dim)


def clone(input):
    return input.clone()


def numel(input):
    return input.numel()


def is_tensor(obj) -> bool:
    return isinstance(obj, TensorCore)


def clamp(input, min=None, max=None):  # noqa: A002
    return input.clamp(min, max)


clip = clamp


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return input.argmin(dim, keepdim)
