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
    assert result.stderr.splitlines()[-1] == reference.error
    assert result.returncode == 1


def program_frames(stderr: str, path: Path) -> list[str]:
    """The traceback lines of the program's own frames (real PyTorch adds its own below)."""
    lines = stderr.splitlines()
    shown: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith(f'  File "{path}"'):
            shown += [line] + [more for more in lines[i + 1 : i + 3] if more.startswith("    ")]
    return shown


def test_a_runtime_error_says_where_as_python_does(torch):
    python = subprocess.run([sys.executable, str(SEED)], cwd=ROOT, capture_output=True, text=True)
    result = tutor("exec", str(SEED))
    assert result.stderr.splitlines()[0] == "Traceback (most recent call last):"
    assert result.stderr.splitlines()[1] == f'  File "{SEED}", line 26, in <module>'
    assert program_frames(result.stderr, SEED) == program_frames(python.stderr, SEED)
    assert result.stderr.splitlines()[-1] == python.stderr.splitlines()[-1]


PURE_PYTHON_ERRORS = {
    "functions": (
        "def f(a):\n    b = a + 1\n    return g(b)\n\n"
        "def g(c):\n    return c / 0\n\nprint(1)\nx = f(2)\n"
    ),
    "name": "print(1)\nprint(z)\n",
    "loop-and-generator": (
        "def g(n):\n    return sum(1 / (k - 1) for k in range(n))\n\n"
        "for i in range(3):\n    print(g(i))\n"
    ),
    "comprehension-and-lambda": 'f = lambda v: v + "a"\nprint([f(i) for i in range(2)])\n',
    "class-body": "class C:\n    x = 1 / 0\n",
    "item-assignment": "a = [1]\na[5] = 2\n",
    "unpacking": "a, b = [1]\n",
    "raised-again": (
        "def g():\n    try:\n        1 / 0\n    except ZeroDivisionError as e:\n"
        "        return e\n\nerr = g()\nraise err\n"
    ),
    "bare-raise": "try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise\n",
    "raised-from": (
        "def f():\n    try:\n        return 1 / 0\n    except ZeroDivisionError as e:\n"
        '        raise ValueError("bad") from e\n\nf()\n'
    ),
    "while-handling": 'try:\n    {}["k"]\nexcept KeyError:\n    None + 1\n',
    "from-a-new-error": 'raise ValueError("x") from KeyError("y")\n',
}


@pytest.mark.parametrize("name", sorted(PURE_PYTHON_ERRORS))
@pytest.mark.parametrize("trace", [False, True], ids=["run", "trace"])
def test_runtime_errors_print_pythons_traceback(tmp_path, name, trace):
    program = tmp_path / "prog.py"
    program.write_text(PURE_PYTHON_ERRORS[name], encoding="utf-8")
    python = subprocess.run(
        [sys.executable, str(program)], cwd=tmp_path, capture_output=True, text=True
    )
    result = tutor("exec", *(["--trace"] if trace else []), str(program))
    assert python.returncode == result.returncode == 1
    assert result.stderr == python.stderr
    if not trace:
        assert result.stdout == python.stdout


def test_stdin_programs_show_frames_without_source_lines_as_python_does():
    source = PURE_PYTHON_ERRORS["functions"]
    python = subprocess.run([sys.executable, "-"], input=source, capture_output=True, text=True)
    result = tutor("exec", "-", stdin=source)
    assert result.stderr == python.stderr
    assert '  File "<stdin>", line 6, in g\n' in result.stderr


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
    assert result.stderr.splitlines() == [
        "Traceback (most recent call last):",
        '  File "<stdin>", line 2, in <module>',
        "NameError: name 'z' is not defined",
    ]


def test_trace_shows_statements_variables_and_nodes():
    result = tutor("exec", "--trace", str(SEED))
    out = result.stdout
    assert "# line 8: x1 = x + 2" in out
    assert "#   x1 = tensor([[3., 4.]," in out
    assert "#   + node" in out and "AddBackward0" in out
    assert "# backward: MulBackward0" in out
    assert "accumulated into x.grad" in out
    assert result.returncode == 1


def test_trace_shows_backward_nodes_under_their_statement():
    program = (
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\n"
        "y.backward()\nprint(x.grad)\n"
    )
    result = tutor("exec", "--trace", "-", stdin=program)
    headers = [
        line for line in result.stdout.splitlines() if line.startswith(("# line", "# backward"))
    ]
    assert headers == [
        "# line 1: import torch",
        "# line 2: x = torch.ones(2, requires_grad=True)",
        "# line 3: y = (x * x).sum()",
        "# line 4: y.backward()",
        "# backward: SumBackward0 (node 1)",
        "# backward: MulBackward0 (node 2)",
        "# backward: AccumulateGrad (node 3)",
        "# line 5: print(x.grad)",
    ]
    assert result.stdout.endswith("tensor([2., 2.])\n")


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
