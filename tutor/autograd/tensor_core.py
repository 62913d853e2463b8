"""Provides `TensorCore`: a tensor's storage, autograd state, views, hooks, conversions, printing."""

from __future__ import annotations

import warnings

import numpy as np

from . import errors
from .dtypes import F32, OBJECT_DTYPE, logical_dtype
from .grad_mode import GRAD_MODE
from .lifting import LIFTING
from .node import AccumulateGrad, Node, next_seq
from .size import Size

_new = object.__new__
NO_EDGE = (None, 0)

NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)


class View:
    """How a view tensor sees its base: the steps that replay it from the base's data, the
    version at which its grad_fn was last made, and how it was created (`grad` False when made
    under no_grad, `multi` naming the node of a function returning several views)."""

    __slots__ = ("steps", "version", "grad", "multi")

    def __init__(self, steps: tuple, version: int, grad: bool, multi: str | None = None) -> None:
        self.steps = steps
        self.version = version
        self.grad = grad
        self.multi = multi


class Hooks:
    """A tensor's gradient hooks, in registration order, and whether it retains its grad."""

    __slots__ = ("functions", "retains")

    def __init__(self) -> None:
        self.functions: dict[int, object] = {}
        self.retains = False


class TensorCore:
    """The state every tensor carries; the op families are mixed in by `tensor.Tensor`.

    `_data` is the numpy array (of sympy expressions when a program is lifted to symbols);
    `_version` a one-element list shared with views and `detach()` results, bumped by every
    in-place change; `_edge` is where this tensor's gradient goes: (grad_fn, output number),
    (AccumulateGrad, 0) for a leaf that requires grad, (None, 0) otherwise. A view keeps its
    root `_base` and `_view`; its grad_fn is remade (AsStridedBackward0) after an in-place
    change, as PyTorch remakes it.
    """

    __slots__ = (
        "_data",
        "_requires_grad",
        "_grad",
        "_version",
        "_edge",
        "_base",
        "_view",
        "_hooks",
        "__weakref__",
    )
    __array_priority__ = 1000

    def __init__(self, *args: object) -> None:
        from .convert import to_array

        if len(args) == 1 and not isinstance(args[0], int):
            data = to_array(args[0], F32)
        else:
            data = np.zeros(tuple(int(n) for n in args), dtype=F32)  # type: ignore[call-overload]
        init(self, data, NO_EDGE)

    # ----- autograd state -----
    @property
    def requires_grad(self) -> bool:
        if self._view is not None:
            view_edge(self)
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True):
        """Marks a leaf as needing gradients (floating point only)."""
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(errors.NON_LEAF_REQUIRES_GRAD)
        data = self._data
        if requires_grad and data.dtype.kind not in "fO":
            raise RuntimeError(errors.SET_REQUIRES_GRAD)
        if requires_grad and not self._requires_grad:
            if LIFTING.active is not None:
                LIFTING.active.becomes_leaf(self)
            self._edge = (AccumulateGrad(self), 0)
        elif not requires_grad:
            self._edge = NO_EDGE
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self) -> Node | None:
        fn = (self._edge if self._view is None else view_edge(self))[0]
        return None if fn is None or fn.__class__ is AccumulateGrad else fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad is None and self.grad_fn is not None and not self.retains_grad:
            warnings.warn(NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, TensorCore):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value._data.shape != self._data.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        hooks = self._hooks
        return hooks is not None and hooks.retains and self.grad_fn is not None

    def retain_grad(self) -> None:
        """Keeps `.grad` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None:
            return
        hooks = self._watch()
        hooks.retains = True

    def register_hook(self, hook):
        """Calls `hook(grad)` with this tensor's gradient during backward; a value it returns
        replaces the gradient. Returns a handle whose remove() takes the hook away."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = self._watch()
        key = next_seq()
        hooks.functions[key] = hook
        return RemovableHandle(hooks.functions, key)

    def _watch(self) -> Hooks:
        """The tensor's Hooks, registered on the node its gradient flows into."""
        if self._hooks is None:
            self._hooks = Hooks()
        fn = self._edge[0] if self._view is None else view_edge(self)[0]
        if fn is not None:
            fn._owner = self
        return self._hooks

    def detach(self):
        """A tensor sharing this one's memory and version counter, outside the graph."""
        out = _new(Tensor_class())
        init(out, self._data, NO_EDGE)
        out._version = self._version
        return out

    def detach_(self):
        """Makes this tensor a leaf that does not require grad, in place."""
        if self._view is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._requires_grad = False
        self._edge = NO_EDGE
        return self

    @property
    def data(self):
        out = _new(Tensor_class())
        init(out, self._data, NO_EDGE)
        return out

    @data.setter
    def data(self, value) -> None:
        if LIFTING.active is not None and LIFTING.active.assign(self, value._data):
            return
        self._data = value._data

    def _grad_tensor(self, data: np.ndarray):
        return result(data, NO_EDGE)

    # ----- metadata -----
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape, or the length of one dimension."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[self._dim(dim)]

    def dim(self) -> int:
        return self._data.ndim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    @property
    def dtype(self):
        return logical_dtype(self._data)

    @property
    def device(self):
        from .device import CPU

        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind in "fO"

    def element_size(self) -> int:
        return int(self._data.dtype.itemsize) if self._data.dtype != OBJECT_DTYPE else 4

    def _dim(self, dim: int) -> int:
        ndim = self._data.ndim
        span = max(ndim, 1)
        if not -span <= dim < span:
            raise errors.dim_out_of_range(dim, ndim)
        return dim % span

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def _is_view(self) -> bool:
        return self._view is not None

    # ----- conversions -----
    def numpy(self, force: bool = False) -> np.ndarray:
        """The data as a numpy array sharing memory with the tensor."""
        if self._requires_grad and GRAD_MODE.enabled and not force:
            raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
        if self._data.dtype == OBJECT_DTYPE:
            return LIFTING.active.numbers(self._data) if LIFTING.active else self._data.copy()
        return self._data.view() if not force else self._data.copy()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def item(self):
        """The single value as a Python number."""
        data = self._data
        if data.size != 1:
            raise RuntimeError(f"a Tensor with {data.size} elements cannot be converted to Scalar")
        if data.dtype == OBJECT_DTYPE:
            from .lifting import symbolic_value

            return symbolic_value(data.reshape(()).item())
        return data.item()

    def tolist(self):
        if self._data.dtype == OBJECT_DTYPE and LIFTING.active is not None:
            return LIFTING.active.numbers(self._data).tolist()
        return self._data.tolist()

    def __float__(self) -> float:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.item())

    def __int__(self) -> int:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
                if self._data.size
                else "Boolean value of Tensor with no values is ambiguous"
            )
        return bool(self.item())

    def __hash__(self) -> int:
        return id(self)

    # ----- printing -----
    def __repr__(self) -> str:
        from .printing import format_tensor

        data = self._data
        if data.dtype == OBJECT_DTYPE:
            from .lifting import symbolic_repr

            return symbolic_repr(data)
        fn = self.grad_fn
        return format_tensor(
            data,
            dtype=str(data.dtype),
            grad_fn=None if fn is None else type(fn).__name__,
            requires_grad=self._requires_grad and fn is None,
        )

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)


class RemovableHandle:
    """What register_hook returns: `remove()` takes the hook away."""

    __slots__ = ("_table", "_key")
    __tutor_attributes__ = frozenset({"remove"})

    def __init__(self, table: dict, key: int) -> None:
        self._table = table
        self._key = key

    def remove(self) -> None:
        self._table.pop(self._key, None)


_TENSOR: list[type] = []


def Tensor_class() -> type:  # noqa: N802 - the class every result is made as
    return _TENSOR[0]


def init(t: TensorCore, data: np.ndarray, edge: tuple) -> None:
    """Fills in a fresh tensor: `edge` is (grad_fn, output number), NO_EDGE for a leaf."""
    if LIFTING.active is not None:
        data = LIFTING.active.adopt(data, edge)
    t._data = data
    t._requires_grad = edge[0] is not None
    t._grad = None
    t._version = [0]
    t._edge = edge
    t._base = None
    t._view = None
    t._hooks = None


def result(data: np.ndarray, edge: tuple = NO_EDGE):
    """A new Tensor holding `data`, produced through `edge` ((node, output) or NO_EDGE)."""
    t = _new(_TENSOR[0])
    if type(data) is not np.ndarray:  # a ufunc on 0-d arrays returns a numpy scalar
        data = np.asarray(data)
    if LIFTING.active is not None:
        data = LIFTING.active.adopt(data, edge)
    t._data = data
    t._requires_grad = edge[0] is not None
    t._grad = None
    t._version = [0]
    t._edge = edge
    t._base = None
    t._view = None
    t._hooks = None
    return t


def view_edge(t: TensorCore) -> tuple:
    """A view's edge, remade as AsStridedBackward0 on its base when the base or any of its views
    was changed in place since the view's grad_fn was made (PyTorch's default, no view replay)."""
    info = t._view
    counter = t._version[0]
    if info.version == counter:
        return t._edge
    info.version = counter
    base = t._base
    if info.grad and base._requires_grad:
        from .views import as_strided_node

        fn = as_strided_node(t, base)
        t._edge = (fn, 0)
        t._requires_grad = True
        if t._hooks is not None:
            fn._owner = t
    return t._edge


def edge(t: TensorCore) -> tuple:
    """Where a gradient for `t` goes: its grad_fn, its leaf's AccumulateGrad, or nowhere."""
    return t._edge if t._view is None else view_edge(t)


def check_in_place(t: TensorCore) -> None:
    """PyTorch's refusals to modify a tensor in place while recording."""
    if not GRAD_MODE.enabled:
        return
    if t._requires_grad and t._view is None and t._edge[0].__class__ is AccumulateGrad:
        raise RuntimeError(errors.LEAF_IN_PLACE)
    info = t._view
    if info is None:
        return
    base = t._base
    if base._requires_grad and base._edge[0].__class__ is AccumulateGrad:
        raise RuntimeError(errors.VIEW_OF_LEAF_IN_PLACE)
    if info.multi is not None and (t._requires_grad or base._requires_grad):
        raise RuntimeError(
            f"Output {edge(t)[1]} of {info.multi} is a view and is being modified inplace. This "
            "view is the output of a function that returns multiple views. Such functions do not "
            "allow the output views to be modified inplace. You should replace the inplace "
            "operation by an out-of-place one."
        )
    if not info.grad and base._requires_grad:
        raise RuntimeError(
            "A view was created in no_grad mode and is being modified inplace with grad mode "
            "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You "
            "can clarify your code by moving both the view and the inplace either both inside the "
            "no_grad block (if you don't want the inplace to be tracked) or both outside (if you "
            "want the inplace to be tracked)."
        )
