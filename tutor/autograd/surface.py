"""Provides the engine's surface: every `torch…` name and every tensor attribute the engine
has, by module path — what a program may use is exactly this (the interpreter's whitelist)."""

from __future__ import annotations

import functools


@functools.cache
def module_attributes() -> dict[str, frozenset[str]]:
    """Module path → the names it provides: torch, torch.nn, torch.nn.functional, …"""
    import tutor.autograd as torch

    from . import autograd_api, nn, optim
    from .device import ACCELERATOR_NAMES, CUDA_NAMES
    from .nn import functional, init

    return {
        "torch": frozenset(torch.__all__),
        "torch.nn": frozenset(nn.__all__),
        "torch.nn.functional": frozenset(functional.__all__),
        "torch.nn.init": frozenset(init.__all__),
        "torch.optim": frozenset(optim.__all__),
        "torch.autograd": frozenset(autograd_api.__all__),
        "torch.cuda": CUDA_NAMES,
        "torch.accelerator": ACCELERATOR_NAMES,
    }


@functools.cache
def tensor_attributes() -> frozenset[str]:
    """Every public attribute of the engine's Tensor (methods, properties)."""
    from .tensor import Tensor

    return frozenset(n for n in dir(Tensor) if not n.startswith("_"))


@functools.cache
def _classes_by_name() -> dict[str, type]:
    from . import nn, optim
    from .tensor_core import RemovableHandle

    found = {"RemovableHandle": RemovableHandle}
    for namespace in (nn, optim):
        found.update({n: getattr(namespace, n) for n in namespace.__all__})
    return {name: cls for name, cls in found.items() if isinstance(cls, type)}


def attributes_by_class_name(names: tuple[str, ...]) -> frozenset[str]:
    """What the engine's class of the first of `names` (a class and its bases, by name) allows:
    the same program checked against PyTorch itself is held to the engine's surface."""
    classes = _classes_by_name()
    for name in names:
        cls = classes.get(name)
        if cls is not None:
            return frozenset(getattr(cls, "__tutor_attributes__", ()))
    return frozenset()


@functools.cache
def object_attributes() -> frozenset[str]:
    """What a program may use on the engine's other objects — modules, optimizers, hook
    handles: the union of their classes' `__tutor_attributes__`."""
    from . import nn, optim
    from .tensor_core import RemovableHandle

    classes = [RemovableHandle]
    for namespace in (nn, optim):
        classes += [getattr(namespace, n) for n in namespace.__all__]
    found: set[str] = set()
    for cls in classes:
        found.update(getattr(cls, "__tutor_attributes__", ()))
    return frozenset(found)
