"""`tutor exec` as a process: stdout, exit status, one-line errors, --trace, a light import path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from torch_runner import PROGRAMS, mask, run_with_torch

ROOT = Path(__file__).resolve().parents[1]
SEED = PROGRAMS / "000_seed_forward.py"


def tutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_exec_prints_what_pytorch_prints_and_the_error_line(torch):
    reference = run_with_torch(SEED.read_text(encoding="utf-8"), SEED.name)
    result = tutor("exec", str(SEED))
    assert mask(result.stdout) == mask(reference.stdout)
    assert result.stderr.splitlines() == [reference.error]
    assert result.returncode == 1


def test_exec_reads_stdin_and_exits_zero():
    result = tutor("exec", "-", stdin="import torch\nprint(torch.ones(2) * 3)\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("tensor([3., 3.")


def test_refusal_is_one_line_exit_two_and_nothing_printed(tmp_path):
    marker = tmp_path / "created"
    program = tmp_path / "bad.py"
    program.write_text(f"print('ran')\nx = 1\nopen({str(marker)!r}, 'w')\n", encoding="utf-8")
    result = tutor("exec", str(program))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"tutor: {program}:3: ")
    assert len(result.stderr.splitlines()) == 1
    assert not marker.exists()


def test_runtime_limit_discards_output_too():
    result = tutor("exec", "-", stdin="print('ran')\nfor i in range(10**6):\n    pass\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("tutor: <stdin>:2: ")


def test_missing_file_is_one_line():
    result = tutor("exec", "no/such/file.py")
    assert result.returncode == 2
    assert result.stderr.startswith("tutor: no/such/file.py: cannot read")
    assert len(result.stderr.splitlines()) == 1


def test_python_errors_show_the_last_traceback_line():
    result = tutor("exec", "-", stdin="print(1)\nprint(z)\n")
    assert (result.returncode, result.stdout) == (1, "1\n")
    assert result.stderr == "NameError: name 'z' is not defined\n"


def test_trace_shows_statements_variables_and_nodes():
    result = tutor("exec", "--trace", str(SEED))
    out = result.stdout
    assert "# line 8: x1 = x + 2" in out
    assert "#   x1 = tensor([[3., 4.]," in out
    assert "#   + node" in out and "AddBackward0" in out
    assert "# backward: MulBackward0" in out
    assert "accumulated into x.grad" in out
    assert result.returncode == 1


@pytest.mark.parametrize("flag", [[], ["--trace"]])
def test_exec_imports_neither_sympy_nor_textual(flag):
    script = (
        "import sys\n"
        "from tutor.cli import main\n"
        f"code = main(['exec', *{flag!r}, {str(SEED)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'textual', 'torch'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True
    )
    assert "HEAVY []" in result.stderr, result.stderr
