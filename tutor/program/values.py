"""Provides the guarded values a program touches: module proxies, callables, attribute access."""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy

from tutor.autograd import surface
from tutor.program import whitelist
from tutor.program.callables import CALLABLE
from tutor.program.errors import Refusal
from tutor.program.guards import METHOD_SELF_GUARDS, check_call
from tutor.program.pymodules import python_modules
from tutor.program.pytypes import PYTHON_METHODS

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
        self.device_type: type = module.device
        self.backward_steps = getattr(module, "backward_steps", None)
        self.python_modules = python_modules()
        self._functions: dict[tuple[str, str], ModuleFunction] = {}
        self._class_values: dict[type, object] = {}
        self._scanned = False
        self._tables: dict[str, dict[type, frozenset[str]]] = {}
        self._contexts: tuple[type, ...] | None = None

    def resolve(self, path: str) -> ModuleProxy:
        if path == "numpy":
            return ModuleProxy(path, numpy)
        if path in self.python_modules:
            return ModuleProxy(path, self.python_modules[path])
        target = self.module
        for part in path.split(".")[1:]:
            target = getattr(target, part)
        return ModuleProxy(path, target)

    def function(self, path: str, name: str, value: Callable[..., Any]) -> ModuleFunction:
        """The one wrapper of a module's function or class (so `torch.Tensor is torch.Tensor`)."""
        wrapper = self._functions.get((path, name))
        if wrapper is None or wrapper.function is not value:
            wrapper = self._functions[(path, name)] = ModuleFunction(path, name, value)
            if isinstance(value, type):
                self._class_values.setdefault(value, wrapper)
        return wrapper

    def class_value(self, cls: type) -> object:
        """What `type(x)` gives a program for an engine class: its module wrapper if a
        whitelisted name reaches it (`torch.Tensor`), else a TypeValue that cannot be called."""
        if cls not in self._class_values and not self._scanned:
            self._scanned = True
            for path in ("torch", "torch.nn"):
                for name in sorted(whitelist.MODULE_ATTRIBUTES.get(path, ())):
                    below = path.partition(".")[2]
                    value = self._find(f"{below}.{name}" if below else name)
                    if isinstance(value, type):
                        self.function(path, name, value)
        if cls not in self._class_values:
            self._class_values[cls] = TypeValue(cls)
        return self._class_values[cls]

    def _find(self, path: str) -> Any:
        target = self.module
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except Exception:  # an engine without that part (or failing to import it) has none
            return None
        return target

    def _table(self, which: str) -> dict[type, frozenset[str]]:
        """The engine classes at the paths of whitelist.SUBCLASSABLE or CONTEXTS, resolved on
        first use (so a program without classes never imports torch.nn)."""
        if which not in self._tables:
            paths = whitelist.SUBCLASSABLE if which == "subclassable" else whitelist.CONTEXTS
            classes = {self._find(path): names for path, names in paths.items()}
            self._tables[which] = {c: n for c, n in classes.items() if isinstance(c, type)}
        return self._tables[which]

    def is_subclassable(self, cls: type) -> bool:
        """An engine class a program's class may derive from (nn.Module, autograd.Function)."""
        return cls.__dict__.get("__tutor_subclassable__") is True or cls in self._table(
            "subclassable"
        )

    def is_context(self, value: object) -> bool:
        """An engine object whose public attributes a program may set (a Function's ctx)."""
        if self._contexts is None:
            self._contexts = tuple(self._table("contexts"))
        return (
            isinstance(value, self._contexts)
            or getattr(type(value), "__tutor_context__", False) is True
        )

    def is_engine_callable(self, value: object) -> bool:
        """An engine object of a subclassable class that is called like a function (a layer)."""
        return callable(value) and any(self.is_subclassable(c) for c in type(value).__mro__)

    def inherited_attributes(self, mro: tuple[type, ...]) -> frozenset[str]:
        """The engine attributes objects of a class with this MRO may read."""
        subclassable, contexts = self._table("subclassable"), self._table("contexts")
        names: set[str] = set()
        for cls in mro:
            names.update(subclassable.get(cls, ()), contexts.get(cls, ()))
            names.update(cls.__dict__.get("__tutor_attributes__", ()))
            if cls is BaseException:
                names.update(whitelist.EXCEPTION_ATTRIBUTES)
        return frozenset(names)

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
        if isinstance(value, self.device_type):
            return whitelist.DEVICE_ATTRIBUTES
        if isinstance(value, numpy.ndarray | numpy.generic):
            return whitelist.NDARRAY_ATTRIBUTES
        if isinstance(value, tuple) and hasattr(type(value), "indices"):
            return whitelist.RESULT_TUPLE_ATTRIBUTES
        for kind, names in _PYTHON_ATTRIBUTES:
            if isinstance(value, kind):
                return names
        if isinstance(value, int | float) and not isinstance(value, bool):
            return whitelist.NUMBER_ATTRIBUTES
        own = getattr(type(value), "__tutor_attributes__", None)
        if own is not None:
            return frozenset(own)
        # real PyTorch's object (a program checked against PyTorch itself): what the tutor's
        # engine allows on its class of the same name
        return surface.attributes_by_class_name(tuple(c.__name__ for c in type(value).__mro__))


_PYTHON_ATTRIBUTES: tuple[tuple[type, frozenset[str]], ...] = (
    (str, whitelist.STR_ATTRIBUTES),
    (list, whitelist.LIST_ATTRIBUTES),
    (tuple, whitelist.TUPLE_ATTRIBUTES),
    (dict, whitelist.DICT_ATTRIBUTES),
    (set, whitelist.SET_ATTRIBUTES),
    (BaseException, whitelist.EXCEPTION_ATTRIBUTES),
    (property, whitelist.PROPERTY_ATTRIBUTES),
)


class ModuleProxy:
    """An imported module as the program sees it: only its whitelisted attributes."""

    def __init__(self, path: str, module: Any) -> None:
        self.path = path
        self.module = module
        self.allowed = whitelist.MODULE_PATHS[path]

    def attribute(self, engine: Engine, name: str) -> object:
        if name not in self.allowed:
            raise Refusal(whitelist.unavailable(self.path, name))
        if f"{self.path}.{name}" in whitelist.MODULE_PATHS:
            return engine.resolve(f"{self.path}.{name}")
        try:
            value = getattr(self.module, name)
        except AttributeError:
            raise AttributeError(f"module '{self.path}' has no attribute '{name}'") from None
        if callable(value):
            return engine.function(self.path, name, value)
        return value

    def __repr__(self) -> str:
        return f"<module '{self.path}'>"


class ModuleFunction:
    """A module's function or class, called through its size guard."""

    tutor_callable = CALLABLE

    def __init__(self, path: str, name: str, function: Callable[..., Any]) -> None:
        self.path = path
        self.name = name
        self.function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        check_call(self.name, args, kwargs)
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        if isinstance(self.function, type):
            if self.function.__module__.partition(".")[0] == "torch":  # as the class says itself
                return repr(self.function)
            return f"<class '{self.path}.{self.name}'>"
        return f"<built-in method {self.name} of type object at 0x{id(self.function):x}>"


class TypeValue:
    """An engine class a program got from `type(x)` and no whitelisted name: it can be
    compared, printed and given to isinstance, never called."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __repr__(self) -> str:
        return repr(self.cls)


class BoundMethod:
    """A method read from a value (`x.sum`), printed the way PyTorch prints its methods."""

    tutor_callable = CALLABLE

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
    """One of the Python builtins a program may call; `kind` is the class it is, if one."""

    tutor_callable = CALLABLE

    def __init__(self, name: str, function: Callable[..., Any], kind: type | None = None) -> None:
        self.name = name
        self.function = function
        self.kind = kind

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        if self.kind is not None:
            return repr(self.kind)
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
    bounded = PYTHON_METHODS.get((type(value), name))
    if bounded is not None:
        return BoundMethod(value, name, partial(bounded, value))
    result = getattr(value, name)
    if isinstance(result, _METHOD_TYPES):
        return BoundMethod(value, name, result)
    return result


def write_attribute(engine: Engine, value: object, name: str, new: object) -> None:
    if not engine.is_tensor(value) or name not in whitelist.ASSIGNABLE_TENSOR_ATTRIBUTES:
        raise Refusal(f"assigning '{name}' is supported only on tensors and the program's objects")
    setattr(value, name, new)
