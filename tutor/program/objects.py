"""Provides the program's view of objects: the objects of its own classes (and a custom Function's
ctx), whose public attributes it may set and read; `super()`; `type`, `isinstance`; and the
one check of what a program may call.

An attribute of such an object is found where Python would find it. Defined by the program's
own class, or set on the object, it is the program's; defined by an engine class, it must be one
the engine lets subclasses use (whitelist.SUBCLASSABLE, CONTEXTS); names starting with `_` are
never read or written, except `__init__` (for `super().__init__()`) and the `__name__` of a
class or function.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Callable
from typing import Any

from tutor.program.callables import Function, Method, is_program_class, is_safe_callable
from tutor.program.comprehensions import GeneratorValue
from tutor.program.errors import Refusal
from tutor.program.values import (
    BoundMethod,
    Engine,
    ModuleFunction,
    ModuleProxy,
    SafeBuiltin,
    TypeValue,
    read_attribute,
    write_attribute,
)

_ENGINE_FUNCTIONS = (
    types.MethodType,
    types.BuiltinMethodType,
    types.MethodWrapperType,
    types.FunctionType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
)


class InheritedMethod(BoundMethod):
    """An engine method read from the program's own object (`model.parameters`); what it is
    given to call back (`model.apply(fn)`) must be something the program could call itself."""

    def __init__(self, engine: Engine, owner: object, name: str, method: Any) -> None:
        super().__init__(owner, name, method)
        self.engine = engine

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            if callable(arg):
                check_callable(self.engine, arg)
        return self.method(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.method)


class _BaseInit(InheritedMethod):
    """`nn.Module.__init__`, for `nn.Module.__init__(self)` in a subclass's __init__."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        cls = self.owner.function  # type: ignore[attr-defined]
        if not args or not isinstance(args[0], cls):
            raise TypeError(f"{cls.__name__}.__init__() needs a {cls.__name__} object first")
        return self.method(*args, **kwargs)


class SuperProxy:
    """What `super()` gives a method: the attributes of the classes after its own."""

    def __init__(self, cls: type, obj: Any) -> None:
        self.view = builtins.super(cls, obj)
        self.cls = cls
        self.obj = obj

    def read(self, engine: Engine, name: str) -> Any:
        start = self.obj if isinstance(self.obj, type) else type(self.obj)
        mro = start.__mro__
        owner = _owner(mro[mro.index(self.cls) + 1 :], name)
        if owner is None:
            raise AttributeError(f"'super' object has no attribute '{name}'")
        _check_inherited(engine, mro, owner, name, self.obj)
        return _wrapped(engine, self.obj, name, getattr(self.view, name))

    def __repr__(self) -> str:
        return f"<super: <class '{self.cls.__name__}'>, <{type(self.obj).__name__} object>>"


def is_open(engine: Engine, value: object) -> bool:
    """Whether the program may set public attributes of `value` and read what it set."""
    return is_program_class(value) or is_program_class(type(value)) or engine.is_context(value)


def read(engine: Engine, value: object, name: str) -> object:
    """`value.name` as a program reads it (the one entry point for attribute reads)."""
    if isinstance(value, SuperProxy):
        return value.read(engine, name)
    if name == "__name__":
        return _name_of(value)
    if name.startswith("_") and name != "__init__":
        raise Refusal(f"the attribute '{name}' is not allowed: private and dunder names")
    if not is_open(engine, value):
        if name == "__init__" and _is_base(engine, value):
            return _BaseInit(engine, value, name, value.function.__init__)  # type: ignore[attr-defined]
        return read_attribute(engine, value, name)
    on_class = isinstance(value, type)
    mro = value.__mro__ if on_class else type(value).__mro__  # type: ignore[union-attr]
    owner = _owner(mro, name)
    if owner is None and on_class:
        raise AttributeError(f"type object '{value.__name__}' has no attribute '{name}'")  # type: ignore[union-attr]
    if owner is not None:
        _check_inherited(engine, mro, owner, name, value)
    return _wrapped(engine, value, name, getattr(value, name))


def _name_of(value: object) -> str:
    """`__name__`, the one dunder a program may read: of a class or of a function."""
    if isinstance(value, Method):
        value = value.function
    cls = class_of(value)
    if cls is not None:
        return cls.__name__
    if isinstance(value, Function):
        return value.__name__
    if isinstance(value, ModuleFunction | SafeBuiltin):
        return value.name
    raise Refusal(
        f"'__name__' is supported only on classes and functions, not {type(value).__name__}"
    )


def write(engine: Engine, value: object, name: str, new: object) -> None:
    """`value.name = new` as a program writes it."""
    if not is_open(engine, value):
        write_attribute(engine, value, name, new)
        return
    if name.startswith("_"):
        raise Refusal(f"assigning the attribute '{name}' is not allowed: private and dunder names")
    on_class = isinstance(value, type)
    owner = _owner(value.__mro__ if on_class else type(value).__mro__, name)  # type: ignore[union-attr]
    if owner is not None and not is_program_class(owner):
        raise Refusal(f"assigning '{name}' would replace what {owner.__name__} defines")
    setattr(value, name, new)


def _owner(mro: tuple[type, ...], name: str) -> type | None:
    return next((cls for cls in mro if name in cls.__dict__), None)


def _check_inherited(engine: Engine, mro: tuple[type, ...], owner: type, name: str, value: Any):
    if is_program_class(owner) or name == "__init__":
        return
    if name not in engine.inherited_attributes(mro):
        kind = value.__name__ if isinstance(value, type) else type(value).__name__
        raise Refusal(f"the attribute '{name}' of {kind} is not supported in lesson programs")


def _wrapped(engine: Engine, owner: object, name: str, result: Any) -> Any:
    if isinstance(result, Function | Method) or is_safe_callable(result):
        return result
    if isinstance(result, _ENGINE_FUNCTIONS):
        return InheritedMethod(engine, owner, name, result)
    return result


def _is_base(engine: Engine, value: object) -> bool:
    function = getattr(value, "function", None)
    return (
        isinstance(value, ModuleFunction)
        and isinstance(function, type)
        and engine.is_subclassable(function)
    )


def check_callable(engine: Engine, value: object) -> None:
    """Refuse calling anything but the program's own code and the whitelisted engine's."""
    if is_safe_callable(value) or engine.is_engine_callable(value):
        return
    if callable(value):
        kind = type(value).__name__
        raise Refusal(f"calling a {kind} value is not supported in lesson programs")
    raise TypeError(f"'{type(value).__name__}' object is not callable")


def class_of(value: object) -> type | None:
    """The class a program's value names (`int`, `torch.Tensor`, its own class), or None."""
    if isinstance(value, SafeBuiltin | ModuleFunction):
        kind = value.kind if isinstance(value, SafeBuiltin) else value.function
        return kind if isinstance(kind, type) else None
    if isinstance(value, TypeValue):
        return value.cls
    return value if is_program_class(value) else None


def classes_of(value: object, message: str) -> tuple[type, ...]:
    """The classes a class or (nested) tuple of classes names; TypeError(message) otherwise."""
    found: list[type] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, tuple):
            pending.extend(reversed(item))
            continue
        cls = class_of(item)
        if cls is None:
            raise TypeError(message)
        found.append(cls)
    return tuple(found)


def program_builtins(interpreter: Any, table: dict[str, object]) -> dict[str, object]:
    """The builtins that need the running program: type, isinstance, super and the method
    decorators (which take only the program's own functions)."""
    engine: Engine = interpreter.engine
    named = {b.kind: b for b in table.values() if isinstance(b, SafeBuiltin) and b.kind}

    def type_(*args: Any, **kwargs: Any) -> object:
        if len(args) == 3:
            raise Refusal("type() with three arguments is not supported; use a class statement")
        if len(args) != 1 or kwargs:
            raise TypeError("type() takes 1 or 3 arguments")
        cls = _python_type(args[0])
        if is_program_class(cls):
            return cls
        return named[cls] if cls in named else engine.class_value(cls)

    def isinstance_(value: Any, classes: Any) -> bool:
        message = "isinstance() arg 2 must be a type, a tuple of types, or a union"
        return builtins.isinstance(value, classes_of(classes, message))

    def super_(*args: Any) -> SuperProxy:
        if len(args) == 2 and is_program_class(args[0]):
            return SuperProxy(args[0], args[1])  # type: ignore[arg-type]
        if args:
            raise Refusal("super() is supported as super() or super(TheClass, self)")
        frame = interpreter.frame
        function = frame.function if frame is not None and frame.kind == "function" else None
        if function is None or function.owner is None:
            raise RuntimeError("super(): __class__ cell not found")
        parameters = (*function.node.args.posonlyargs, *function.node.args.args)
        if not parameters:
            raise RuntimeError("super(): no arguments")
        if parameters[0].arg not in frame.values:
            raise RuntimeError("super(): arg[0] deleted")
        return SuperProxy(function.owner, frame.values[parameters[0].arg])

    table = {
        "type": SafeBuiltin("type", type_, type),
        "isinstance": SafeBuiltin("isinstance", isinstance_),
        "super": SafeBuiltin("super", super_, builtins.super),
        "staticmethod": SafeBuiltin("staticmethod", _decorator(staticmethod, 1), staticmethod),
        "classmethod": SafeBuiltin("classmethod", _decorator(classmethod, 1), classmethod),
        "property": SafeBuiltin("property", _decorator(property, 3), property),
    }
    named.update({b.kind: b for b in table.values() if isinstance(b, SafeBuiltin) and b.kind})
    return table


def _python_type(value: object) -> type:
    """The class Python would give for `value` (a wrapper stands for what it wraps)."""
    named = class_of(value)
    if named is not None:
        return type(named)
    for wrapper, kind in _WRAPPED_TYPES:
        if isinstance(value, wrapper):
            return kind
    return type(value)


_WRAPPED_TYPES: tuple[tuple[type, type], ...] = (
    (Function, types.FunctionType),
    (Method, types.MethodType),
    (GeneratorValue, types.GeneratorType),
    (ModuleProxy, types.ModuleType),
    (SuperProxy, builtins.super),
    (ModuleFunction | BoundMethod | SafeBuiltin, types.BuiltinFunctionType),
)


def _decorator(kind: type, most: int) -> Callable[..., Any]:
    def wrap(*functions: Any) -> Any:
        if not 1 <= len(functions) <= most or not all(
            isinstance(f, Function) or (f is None and i) for i, f in enumerate(functions)
        ):
            raise Refusal(f"{kind.__name__} is supported only on the program's own functions")
        return kind(*functions)

    return wrap
