"""Provides class statements and decorators: the real Python class a program's `class` makes
(so engine machinery such as Module.__setattr__, __call__ and parameters() works on its
objects), from the bases a program may use, and the decorators it may apply.

A class's namespace holds only what its body made: the program's own functions (run by the
interpreter), values, and staticmethod/classmethod/property around the program's functions.
"""

from __future__ import annotations

import builtins
import types
from typing import Any

from tutor.program.callables import PROGRAM_CLASS, Function, Method, is_program_class
from tutor.program.errors import Refusal
from tutor.program.values import BoundMethod, Engine, ModuleFunction, SafeBuiltin
from tutor.program.whitelist import EXCEPTIONS, SPECIAL_METHODS

_BUILTIN_BASES = frozenset({object} | {getattr(builtins, name) for name in EXCEPTIONS})
_GRAD_MODES = ("no_grad", "enable_grad")


def base_classes(engine: Engine, values: list[Any]) -> tuple[type, ...]:
    """The classes the values of a class statement's bases name; Refusal for any other."""
    bases = []
    for value in values:
        if is_program_class(value):
            bases.append(value)
        elif isinstance(value, SafeBuiltin) and value.kind in _BUILTIN_BASES:
            bases.append(value.kind)
        elif (
            isinstance(value, ModuleFunction)
            and isinstance(value.function, type)
            and engine.is_subclassable(value.function)
        ):
            bases.append(value.function)
        else:
            raise Refusal(
                "a class may derive only from object, an exception, nn.Module, "
                f"torch.autograd.Function or the program's own classes, not {_named(value)}"
            )
    return tuple(bases)


def _named(value: Any) -> str:
    if isinstance(value, ModuleFunction):
        return f"{value.path}.{value.name}"
    if isinstance(value, SafeBuiltin):
        return value.name
    return f"a {type(value).__name__} value"


def make_class(
    name: str, qualname: str, bases: tuple[type, ...], body: dict[str, Any], doc: str | None
) -> type:
    """The class, made the way Python makes it (metaclass of the bases, __init_subclass__)."""
    for key in body:
        if key.startswith("_") and key not in SPECIAL_METHODS:
            raise Refusal(f"a class may not define '{key}': private and dunder names")
    namespace = {
        **body,
        "__module__": "__main__",
        "__qualname__": qualname,
        "__doc__": doc,
        "__tutor_program__": PROGRAM_CLASS,
    }
    cls = types.new_class(name, bases, exec_body=lambda ns: ns.update(namespace))
    for value in body.values():
        for function in _functions_in(value):
            if function.owner is None:
                function.owner = cls
    return cls


def _functions_in(value: Any) -> list[Function]:
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if isinstance(f, Function)]
    return [value] if isinstance(value, Function) else []


def decorate(engine: Engine, decorator: Any, function: Any) -> Any:
    """`@decorator` applied to a program function (or to what an inner decorator made)."""
    context = _grad_mode(engine, decorator)
    if context is not None:
        if not isinstance(function, Function):
            raise Refusal("@torch.no_grad() and @torch.enable_grad() go on a def directly")
        return function.entering(context)
    allowed = (
        isinstance(decorator, Function | Method)
        or is_program_class(decorator)
        or is_program_class(type(decorator))
        or (isinstance(decorator, SafeBuiltin) and decorator.kind in (staticmethod, classmethod))
        or (isinstance(decorator, SafeBuiltin) and decorator.kind is property)
        or (isinstance(decorator, BoundMethod) and isinstance(decorator.owner, property))
    )
    if not allowed:
        raise Refusal(
            "a decorator may be @torch.no_grad(), @torch.enable_grad(), @staticmethod, "
            f"@classmethod, @property or the program's own function, not {_named(decorator)}"
        )
    return decorator(function)


def _grad_mode(engine: Engine, decorator: Any) -> type | None:
    """The grad-mode class a decorator enters around each call: `@torch.no_grad()` (an
    instance) or `@torch.no_grad` (the class); None if it is not one."""
    if isinstance(decorator, ModuleFunction):
        if decorator.path == "torch" and decorator.name in _GRAD_MODES:
            return decorator.function if isinstance(decorator.function, type) else None
        return None
    modes = [getattr(engine.module, name, None) for name in _GRAD_MODES]
    kind = type(decorator)
    return kind if any(kind is mode for mode in modes) else None
