"""Provides grad mode, one per thread as in PyTorch: `no_grad`, `enable_grad`, `set_grad_enabled`,
`is_grad_enabled`, each usable as a context manager and as a decorator."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import numpy as np


class _GradMode(threading.local):
    """Whether operations are recorded for backward, in the current thread (on by default).

    Made once per thread, when the engine first runs there: it also makes numpy's
    floating-point errors silent in that thread, since PyTorch's are (an overflow gives inf,
    0/0 gives nan, nothing warns)."""

    enabled = True

    def __init__(self) -> None:
        np.seterr(all="ignore")


GRAD_MODE = _GradMode()


def is_grad_enabled() -> bool:
    """Whether operations are being recorded for backward."""
    return GRAD_MODE.enabled


class _GradSwitch:
    """Sets the grad mode while a `with` block or a decorated function runs."""

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
        clone = self.clone

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self) -> _GradSwitch:
        return type(self)()


class no_grad(_GradSwitch):  # noqa: N801 - named as torch names it
    """Turns gradient recording off: results get `requires_grad=False` and no `grad_fn`."""

    _target = False


class enable_grad(_GradSwitch):  # noqa: N801
    """Turns gradient recording back on inside a `no_grad` block."""

    _target = True


class set_grad_enabled(_GradSwitch):  # noqa: N801
    """Sets recording on or off right away; as a context manager or decorator, only while it
    is active (the mode before it comes back at the end)."""

    def __new__(cls, mode: bool):
        return object.__new__(cls)

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(
                "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not "
                + type(mode).__name__
            )
        super().__init__()
        self._target = mode
        self._before = GRAD_MODE.enabled
        GRAD_MODE.enabled = mode

    def __enter__(self) -> None:
        self._previous.append(self._before)
        GRAD_MODE.enabled = self._target

    def __exit__(self, *exc: object) -> None:
        GRAD_MODE.enabled = self._previous.pop()

    def __call__(self, func: Callable) -> Callable:
        GRAD_MODE.enabled = self._before  # as a decorator it only sets the mode inside func
        return super().__call__(func)

    def clone(self) -> _GradSwitch:
        switch = object.__new__(type(self))
        _GradSwitch.__init__(switch)
        switch._target = self._target
        switch._before = GRAD_MODE.enabled
        return switch

    def __repr__(self) -> str:
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self._target})"


for _switch in (no_grad, enable_grad, set_grad_enabled):
    _switch.__module__ = "torch.autograd.grad_mode"  # so that a printed switch reads as torch's
