"""Provides `nn.Parameter`: a leaf tensor a Module registers as one of its parameters."""

from __future__ import annotations

import numpy as np

from .. import errors
from ..dtypes import F32
from ..tensor import Tensor
from ..tensor_core import NO_EDGE, TensorCore, init


class Parameter(Tensor):
    """A tensor that requires grad (unless told otherwise) and that a Module assigned it as an
    attribute lists in `parameters()`. It shares the given tensor's memory; what is computed
    from it is a plain Tensor."""

    __slots__ = ()
    __hash__ = Tensor.__hash__

    def __new__(cls, data=None, requires_grad: bool = True):
        if data is None:
            array = np.empty((0,), dtype=F32)
            version = [0]
        elif isinstance(data, TensorCore):
            array, version = data._data, data._version
        else:
            raise TypeError(
                f"Parameter.__new__(): argument 'data' must be Tensor, not {type(data).__name__}"
            )
        if requires_grad and array.dtype.kind not in "fO":
            raise RuntimeError(errors.CREATE_REQUIRES_GRAD)
        p = object.__new__(cls)
        init(p, array, NO_EDGE)
        p._version = version
        if requires_grad:
            p.requires_grad_(True)
        return p

    def __init__(self, data=None, requires_grad: bool = True) -> None:
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__


Parameter.__module__ = "torch.nn.parameter"
