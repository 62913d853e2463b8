"""Provides the global grad mode: `no_grad`, `enable_grad`, `set_grad_enabled`, `is_grad_enabled`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _GradMode:
    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


GRAD_MODE = _GradMode()


def is_grad_enabled() -> bool:
    """Whether operations are being recorded for backward."""
    return GRAD_MODE.enabled


class _GradSwitch:
    """A context manager and decorator that sets the grad mode while it is active."""

    _target = True

    def __new__(cls, func: Callable | None = None):
        if callable(func):  # used bare, as `@no_grad`
            return cls()(func)
        return super().__new__(cls)

    def __init__(self, func: Callable | None = None) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(GRAD_MODE.enabled)
        GRAD_MODE.enabled = self._target

    def __exit__(self, *exc: object) -> None:
        GRAD_MODE.enabled = self._previous.pop()

    def __call__(self, func: Callable) -> Callable:
        switch = type(self)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with switch():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_GradSwitch):  # noqa: N801 - named as torch names it
    """Turns gradient recording off: results get `requires_grad=False` and no `grad_fn`."""

    _target = False


class enable_grad(_GradSwitch):  # noqa: N801
    """Turns gradient recording back on inside a `no_grad` block."""

    _target = True


class set_grad_enabled(_GradSwitch):  # noqa: N801
    """Sets recording on or off, right away and as a context manager."""

    def __new__(cls, mode: bool):
        return object.__new__(cls)

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._target = bool(mode)
        self._previous.append(GRAD_MODE.enabled)
        GRAD_MODE.enabled = self._target

    def __enter__(self) -> None:
        pass

    def __call__(self, func: Callable) -> Callable:
        raise TypeError("set_grad_enabled is not supported as a decorator here")
