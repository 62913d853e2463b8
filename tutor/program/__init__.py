"""Provides the safe interpreter for lesson programs: checking, running, stepping, snapshots.

Names load lazily, so `tutor exec` imports only what a plain run needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "Refusal": "errors",
    "Interpreter": "interpreter",
    "Step": "interpreter",
    "Outcome": "runner",
    "run_program": "runner",
    "GradientFlow": "snapshot",
    "GradientSent": "snapshot",
    "GraphRecord": "snapshot",
    "NodeRecord": "snapshot",
    "Snapshot": "snapshot",
    "Statement": "snapshot",
    "TensorRecord": "snapshot",
    "VariableRecord": "snapshot",
    "Stepper": "stepper",
    "normalise": "stepper",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tutor.program' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tutor.program.{home}"), name)
