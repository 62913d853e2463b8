"""Provides the autograd tutor: a PyTorch-compatible numpy engine, a safe stepper, sympy derivations and a Textual course."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # `__version__` is the installed package's (pyproject.toml's), read only when asked for
    if name != "__version__":
        raise AttributeError(f"module 'tutor' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tutor")
    except PackageNotFoundError:
        return "unknown (not installed)"
