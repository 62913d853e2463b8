"""Provides default_course_dir: where the shipped course is, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

import tutor

_PACKAGE = Path(tutor.__file__).resolve().parent


def default_course_dir() -> Path:
    """`tutor/lessons` inside the installed package, else `lessons/` at the checkout's root."""
    installed = _PACKAGE / "lessons"
    if (installed / "course.toml").is_file():
        return installed
    checkout = _PACKAGE.parent / "lessons"
    if (checkout / "course.toml").is_file():
        return checkout
    return installed if installed.is_dir() else checkout
