"""Provides the program's own functions (def and lambda), their bound methods, and Python's
binding of call arguments to parameters, with Python's own messages when they do not fit."""

from __future__ import annotations

import ast
from typing import Any

from tutor.program.scopes import Frame, Scope

# the marks of what a program may call: a wrapper class's `tutor_callable`, and a class the
# program made itself (in its own `__dict__`); nothing outside this package holds either
CALLABLE = object()
PROGRAM_CLASS = object()


def is_program_class(value: object) -> bool:
    return isinstance(value, type) and value.__dict__.get("__tutor_program__") is PROGRAM_CLASS


def is_safe_callable(value: object) -> bool:
    """Whether calling `value` runs only the program's code or whitelisted engine code."""
    kind = type(value)
    return (
        getattr(kind, "tutor_callable", None) is CALLABLE
        or is_program_class(value)
        or is_program_class(kind)
    )


class Function:
    """A function the program defined; calling it runs its body on the interpreter that made it.

    A real Python callable, so engine code can call it (Module.__call__ calls `forward`, the
    autograd engine calls a custom Function's `backward`), and a descriptor, so it binds to
    instances the way Python's functions do.
    """

    tutor_callable = CALLABLE

    def __init__(
        self,
        runner: Any,
        node: ast.FunctionDef | ast.Lambda,
        scope: Scope,
        closure: Frame | None,
        qualname: str,
        defaults: tuple[Any, ...],
        kw_defaults: dict[str, Any],
    ) -> None:
        self.runner = runner
        self.node = node
        self.scope = scope
        self.closure = closure
        self.defaults = defaults
        self.kw_defaults = kw_defaults
        lambda_ = isinstance(node, ast.Lambda)
        self.__name__ = "<lambda>" if lambda_ else node.name  # type: ignore[union-attr]
        self.__qualname__ = qualname
        self.__module__ = "__main__"
        self.__doc__ = None if lambda_ else ast.get_docstring(node, clean=False)  # type: ignore[arg-type]
        self.owner: type | None = None
        self.contexts: tuple[Any, ...] = ()
        spec = node.args
        self.positional = tuple(a.arg for a in (*spec.posonlyargs, *spec.args))
        self.simple = not (spec.vararg or spec.kwarg or spec.kwonlyargs or spec.posonlyargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.runner.call_function(self, args, kwargs)

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        return self if instance is None else Method(self, instance)

    def entering(self, context: Any) -> Function:
        """This function with one more context manager entered around each call (a decorator
        such as `@torch.no_grad()`)."""
        wrapped = Function(
            self.runner,
            self.node,
            self.scope,
            self.closure,
            self.__qualname__,
            self.defaults,
            self.kw_defaults,
        )
        wrapped.contexts = (*self.contexts, context)
        return wrapped

    def __repr__(self) -> str:
        return f"<function {self.__qualname__} at 0x{id(self):x}>"


class Method:
    """A program function bound to an instance (or, for a classmethod, to a class)."""

    __slots__ = ("function", "instance")
    tutor_callable = CALLABLE

    def __init__(self, function: Function, instance: Any) -> None:
        self.function = function
        self.instance = instance

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function.runner.call_function(self.function, (self.instance, *args), kwargs)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Method)
            and other.function is self.function
            and other.instance is self.instance
        )

    def __hash__(self) -> int:
        return hash((id(self.function), id(self.instance)))

    def __repr__(self) -> str:
        return f"<bound method {self.function.__qualname__} of {self.instance!r}>"


def bind_arguments(function: Function, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict:
    """The call's parameter values, bound as CPython binds them (same checks, same order)."""
    if function.simple and not kwargs:
        positional = function.positional
        given, count = len(args), len(positional)
        if given == count:
            return dict(zip(positional, args, strict=True))
        if count - len(function.defaults) <= given < count:
            values = dict(zip(positional, args, strict=False))
            for parameter, default in zip(
                positional[count - len(function.defaults) :], function.defaults, strict=True
            ):
                values.setdefault(parameter, default)
            return values
    spec = function.node.args
    name = function.__qualname__
    positional = [a.arg for a in (*spec.posonlyargs, *spec.args)]
    posonly = {a.arg for a in spec.posonlyargs}
    kwonly = [a.arg for a in spec.kwonlyargs]
    count = len(positional)
    values: dict[str, Any] = dict(zip(positional, args, strict=False))
    if spec.vararg is not None:
        values[spec.vararg.arg] = tuple(args[count:])
    extra: dict[str, Any] | None = {} if spec.kwarg is not None else None
    for key, value in kwargs.items():
        if key in kwonly or (key in positional and key not in posonly):
            if key in values:
                raise TypeError(f"{name}() got multiple values for argument '{key}'")
            values[key] = value
        elif extra is not None:
            extra[key] = value
        else:
            passed = [p for p in positional if p in posonly and p in kwargs]
            if passed:
                raise TypeError(
                    f"{name}() got some positional-only arguments passed as keyword "
                    f"arguments: '{', '.join(passed)}'"
                )
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
    if len(args) > count and spec.vararg is None:
        raise TypeError(_too_many(function, len(args), sum(k in values for k in kwonly)))
    required = count - len(function.defaults)
    missing = [p for p in positional[:required] if p not in values]
    if missing:
        raise TypeError(_missing(name, missing, "positional"))
    for parameter, default in zip(positional[required:], function.defaults, strict=True):
        values.setdefault(parameter, default)
    for parameter in kwonly:
        if parameter not in values and parameter in function.kw_defaults:
            values[parameter] = function.kw_defaults[parameter]
    missing = [p for p in kwonly if p not in values]
    if missing:
        raise TypeError(_missing(name, missing, "keyword-only"))
    if extra is not None:
        values[spec.kwarg.arg] = extra  # type: ignore[union-attr]
    return values


def _too_many(function: Function, given: int, kwonly_given: int) -> str:
    spec = function.node.args
    count = len(spec.posonlyargs) + len(spec.args)
    defaults = len(function.defaults)
    if defaults:
        signature, plural = f"from {count - defaults} to {count}", True
    else:
        signature, plural = str(count), count != 1
    extra = ""
    if kwonly_given:
        extra = (
            f" positional argument{'s' if given != 1 else ''} (and {kwonly_given} "
            f"keyword-only argument{'s' if kwonly_given != 1 else ''})"
        )
    verb = "was" if given == 1 and not kwonly_given else "were"
    return (
        f"{function.__qualname__}() takes {signature} positional argument"
        f"{'s' if plural else ''} but {given}{extra} {verb} given"
    )


def _missing(name: str, missing: list[str], kind: str) -> str:
    quoted = [f"'{m}'" for m in missing]
    if len(quoted) == 1:
        listed = quoted[0]
    elif len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    plural = "" if len(missing) == 1 else "s"
    return f"{name}() missing {len(missing)} required {kind} argument{plural}: {listed}"
