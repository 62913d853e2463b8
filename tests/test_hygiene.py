"""The codebase's own rules: ruff clean and formatted, and the layering contracts of DESIGN.md."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the test extra")
def test_ruff_lint_is_clean():
    result = _run("ruff", "check", "tutor", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the test extra")
def test_ruff_format_is_clean():
    result = _run("ruff", "format", "--check", "tutor", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold():
    script = "import sys; from importlinter.cli import lint_imports_command as c; c(['--no-cache'])"
    result = _run(sys.executable, "-c", script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout
