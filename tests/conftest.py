"""Shared fixtures: real PyTorch for differential tests (required when TUTOR_REQUIRE_TORCH=1),
the grader in strict mode, and hypothesis without an example database (every run the same)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

os.environ.setdefault("TUTOR_STRICT_GRADING", "1")
settings.register_profile("tutor", database=None, derandomize=True, deadline=None)
settings.load_profile("tutor")


def pytest_configure(config):
    # modules that import torch at the top skip whole when it is missing: fail them too
    if os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
        try:
            import torch  # noqa: F401
        except ImportError:
            raise pytest.UsageError("TUTOR_REQUIRE_TORCH=1 but torch is not installed") from None


def _load_torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("TUTOR_REQUIRE_TORCH") == "1":
            pytest.fail("TUTOR_REQUIRE_TORCH=1 but torch is not installed", pytrace=False)
        pytest.skip("PyTorch is not installed (set TUTOR_REQUIRE_TORCH=1 to make this fail)")
    torch.set_num_threads(1)
    return torch


@pytest.fixture(scope="session")
def torch():
    """The real PyTorch 2.13 module, or a skip (a failure under TUTOR_REQUIRE_TORCH=1)."""
    return _load_torch()
