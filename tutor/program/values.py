"""Provides the guarded values a program touches: module proxies, callables, attribute access."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy

from tutor.program import whitelist
from tutor.program.errors import Refusal
from tutor.program.guards import METHOD_SELF_GUARDS, check_call

_METHOD_TYPES = (types.MethodType, types.BuiltinMethodType, types.MethodWrapperType)


class Engine:
    """The torch-like module a program's `import torch` binds, and how to recognise its types."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.tensor_type: type = module.Tensor
        graph = getattr(getattr(module, "autograd", None), "graph", None)
        self.node_type: type = getattr(graph, "Node", None) or module.Node
        self.size_type: type = module.Size
        self.dtype_type: type = type(module.float32)
        self.backward_steps = getattr(module, "backward_steps", None)

    def resolve(self, path: str) -> ModuleProxy:
        if path == "numpy":
            return ModuleProxy(path, numpy)
        target = self.module
        for part in path.split(".")[1:]:
            target = getattr(target, part)
        return ModuleProxy(path, target)

    def is_tensor(self, value: object) -> bool:
        return isinstance(value, self.tensor_type)

    def is_node(self, value: object) -> bool:
        return isinstance(value, self.node_type)

    def attributes_of(self, value: object) -> frozenset[str]:
        """The attribute names a program may read on this value."""
        if isinstance(value, self.tensor_type):
            return whitelist.TENSOR_ATTRIBUTES
        if isinstance(value, self.node_type):
            return whitelist.NODE_ATTRIBUTES
        if isinstance(value, self.size_type):
            return whitelist.SIZE_ATTRIBUTES
        if isinstance(value, self.dtype_type):
            return whitelist.DTYPE_ATTRIBUTES
        if isinstance(value, numpy.ndarray | numpy.generic):
            return whitelist.NDARRAY_ATTRIBUTES
        if isinstance(value, tuple) and hasattr(type(value), "indices"):
            return whitelist.RESULT_TUPLE_ATTRIBUTES
        if isinstance(value, str):
            return whitelist.STR_ATTRIBUTES
        if isinstance(value, list):
            return whitelist.LIST_ATTRIBUTES
        if isinstance(value, tuple):
            return whitelist.TUPLE_ATTRIBUTES
        if isinstance(value, int | float) and not isinstance(value, bool):
            return whitelist.NUMBER_ATTRIBUTES
        return frozenset()


class ModuleProxy:
    """An imported module as the program sees it: only its whitelisted attributes."""

    def __init__(self, path: str, module: Any) -> None:
        self.path = path
        self.module = module
        self.allowed = whitelist.MODULE_ATTRIBUTES[path]

    def attribute(self, engine: Engine, name: str) -> object:
        if name not in self.allowed:
            raise Refusal(f"'{self.path}.{name}' is not supported in lesson programs")
        if f"{self.path}.{name}" in whitelist.MODULE_ATTRIBUTES:
            return engine.resolve(f"{self.path}.{name}")
        try:
            value = getattr(self.module, name)
        except AttributeError:
            raise AttributeError(f"module '{self.path}' has no attribute '{name}'") from None
        if callable(value):
            return ModuleFunction(self.path, name, value)
        return value

    def __repr__(self) -> str:
        return f"<module '{self.path}'>"


class ModuleFunction:
    """A module's function or class, called through its size guard."""

    def __init__(self, path: str, name: str, function: Callable[..., Any]) -> None:
        self.path = path
        self.name = name
        self.function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        check_call(self.name, args, kwargs)
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        if isinstance(self.function, type):
            return f"<class '{self.path}.{self.name}'>"
        return f"<built-in method {self.name} of type object at 0x{id(self.function):x}>"


class BoundMethod:
    """A method read from a value (`x.sum`), printed the way PyTorch prints its methods."""

    def __init__(self, owner: object, name: str, method: Callable[..., Any]) -> None:
        self.owner = owner
        self.name = name
        self.method = method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.name in METHOD_SELF_GUARDS:
            check_call(self.name, (self.owner, *args), kwargs)
        return self.method(*args, **kwargs)

    def __repr__(self) -> str:
        kind = type(self.owner).__name__
        return f"<built-in method {self.name} of {kind} object at 0x{id(self.owner):x}>"


class SafeBuiltin:
    """One of the Python builtins a program may call."""

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self.name = name
        self.function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<built-in function {self.name}>"


CALLABLES = (ModuleFunction, BoundMethod, SafeBuiltin)


def read_attribute(engine: Engine, value: object, name: str) -> object:
    """`value.name` if the value's type allows it; Python's AttributeError if it has no such."""
    if isinstance(value, ModuleProxy):
        return value.attribute(engine, name)
    if name not in engine.attributes_of(value):
        if name in dir(type(value)):
            kind = type(value).__name__
            raise Refusal(f"the attribute '{name}' of {kind} is not supported in lesson programs")
        raise AttributeError(f"'{type(value).__name__}' object has no attribute '{name}'")
    result = getattr(value, name)
    if isinstance(result, _METHOD_TYPES):
        return BoundMethod(value, name, result)
    return result


def write_attribute(engine: Engine, value: object, name: str, new: object) -> None:
    if not engine.is_tensor(value) or name not in whitelist.ASSIGNABLE_TENSOR_ATTRIBUTES:
        raise Refusal(f"assigning '{name}' is supported only on tensors")
    setattr(value, name, new)
