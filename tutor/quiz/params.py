"""Provides the quiz's names for template parameters, which lessons and quizzes share: they are
declared, read, checked and rendered by tutor.course.params, the one implementation."""

from __future__ import annotations

from tutor.course.params import (
    MAX_VALUES,
    OPERATORS,
    PLACEHOLDER,
    Param,
    ParamError,
    declared_values,
    placeholders,
    render,
    token,
    values_key,
)

__all__ = [
    "MAX_VALUES",
    "OPERATORS",
    "PLACEHOLDER",
    "Param",
    "ParamError",
    "declared_values",
    "placeholders",
    "render",
    "token",
    "values_key",
]
