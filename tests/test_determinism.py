"""The suite draws the same examples every run: no hypothesis test keeps an example database
or draws at random, those with their own @settings included (tests/conftest.py's profile)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).parent


def hypothesis_tests():
    for path in sorted(TESTS.glob("test_*.py")):
        try:
            module = importlib.import_module(path.stem)
        except pytest.skip.Exception:
            continue
        for name, value in vars(module).items():
            found = [value] if inspect.isfunction(value) else []
            if inspect.isclass(value) and value.__module__ == module.__name__:
                found = list(vars(value).values())
            for test in found:
                if getattr(test, "is_hypothesis_test", False):
                    yield f"{path.stem}::{getattr(test, '__name__', name)}", test


def test_the_profile_is_loaded():
    assert settings.default.database is None
    assert settings.default.derandomize


def test_every_hypothesis_test_is_derandomized_without_a_database():
    tests = dict(hypothesis_tests())
    assert len(tests) > 20  # the property tests of the engine, the parser, grading, printing…
    for name, test in tests.items():
        chosen = test._hypothesis_internal_use_settings  # what @given runs the test with
        assert chosen.database is None, name
        assert chosen.derandomize, name
