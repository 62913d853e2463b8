"""The CPU-time budget of one program run: past it, the run is refused in one line.

The heavy program really computes; every other test drives the budget's clock by hand (one
"second" per statement run), so what is refused where never depends on the machine's speed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from tutor.program import Interpreter, Refusal, Stepper, run_program
from tutor.program import budget as budget_module
from tutor.program.budget import ENVIRONMENT, RunClock, cpu_seconds_per_run
from tutor.program.checker import parse_program
from tutor.program.guards import check_elements, check_matmul
from tutor.program.limits import CPU_SECONDS_PER_RUN

ROOT = Path(__file__).resolve().parents[1]

# real numeric work, within every statement and loop limit: 1,500 iterations of a few
# elementwise operations on 40,000 numbers (a fraction of a second, far from 10 s)
HEAVY = """import torch
x = torch.linspace(-1.0, 1.0, 40000)
for i in range(1500):
    y = (x * x + x).exp()
    s = y.sum()
print("done")
"""
HEAVY_REFUSAL = re.compile(r"tutor: heavy\.py:[345]: the program ran over 0\.05 s of CPU time")
FAST = """import torch
x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
y = ((x + 2) * (x - 2)).sum()
y.backward()
print(x.grad)
"""


def statements(count: int) -> str:
    return "".join(f"a{i} = {i}\n" for i in range(count))


@pytest.fixture
def statement_clock(monkeypatch):
    """The budget's clock made to read one second per statement and loop iteration the
    interpreter has run (plus `outside`, time spent outside the program); the budget 8.5 s."""

    class Clock:
        interpreter: Interpreter | None = None
        outside = 0.0

        def __call__(self) -> float:
            run = self.interpreter
            ran = run.statements_run + run.iterations_run if run is not None else 0
            return ran + self.outside

    clock = Clock()
    monkeypatch.setattr(budget_module, "thread_time", clock)
    monkeypatch.setenv(ENVIRONMENT, "8.5")
    return clock


def test_a_heavy_program_is_refused_past_a_small_budget(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "0.05")
    outcome = run_program(HEAVY, "heavy.py")
    assert outcome.status == 2, outcome
    assert HEAVY_REFUSAL.fullmatch(outcome.refusal), outcome.refusal
    assert outcome.stdout == ""


def test_the_same_program_runs_to_the_end_within_the_default_budget(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    outcome = run_program(HEAVY, "heavy.py")
    assert (outcome.status, outcome.stdout, outcome.refusal) == (0, "done\n", None)


def test_tutor_exec_reads_the_budget_from_its_environment(tmp_path):
    program = tmp_path / "heavy.py"
    program.write_text(HEAVY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "exec", "heavy.py"],
        cwd=tmp_path,
        env={**os.environ, ENVIRONMENT: "0.05", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert HEAVY_REFUSAL.fullmatch(result.stderr.strip()), result.stderr


def test_a_fast_program_is_unaffected_by_a_small_budget(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    expected = run_program(FAST, "fast.py")  # also loads what the engine loads lazily
    monkeypatch.setenv(ENVIRONMENT, "0.05")
    outcome = run_program(FAST, "fast.py")
    assert outcome == expected
    assert outcome.status == 0 and outcome.stdout.startswith("tensor([[2., 4.],")


def test_the_refusal_names_the_statement_where_the_budget_ran_out(statement_clock):
    interpreter = Interpreter(statements(12), "p.py")
    statement_clock.interpreter = interpreter
    with pytest.raises(Refusal) as refused:
        interpreter.run()
    # the clock reads 9 s as the ninth statement starts: it is refused and never runs
    assert refused.value.render("p.py") == "tutor: p.py:9: the program ran over 8.5 s of CPU time"
    assert "a7" in interpreter.variables and "a8" not in interpreter.variables


def test_the_budget_starts_again_with_every_run(statement_clock):
    interpreter = Interpreter(statements(6), "p.py")
    statement_clock.interpreter = interpreter
    interpreter.run()
    interpreter.run()  # 12 statements in all, 6 in each run: both within 8.5 s
    assert interpreter.statements_run == 12


def test_the_program_cannot_catch_the_refusal(statement_clock):
    source = "try:\n" + "".join(f"    a{i} = {i}\n" for i in range(12))
    source += "except Exception:\n    print('caught')\nfinally:\n    print('finally')\n"
    interpreter = Interpreter(source, "p.py")
    statement_clock.interpreter = interpreter
    with pytest.raises(Refusal, match="over 8.5 s of CPU time"):
        interpreter.run()
    assert interpreter.output.text() == ""


def test_loop_iterations_and_calls_count_as_they_run(statement_clock):
    # 5 statements, then a loop whose every iteration is a call of a one-line function
    source = statements(4) + "def f(n):\n    return n\nfor i in range(10):\n    f(i)\n"
    interpreter = Interpreter(source, "p.py")
    statement_clock.interpreter = interpreter
    with pytest.raises(Refusal, match="over 8.5 s of CPU time"):
        interpreter.run()
    assert interpreter.variables["i"] < 3


def test_a_lone_expression_run_as_one_run_is_bounded_too(statement_clock):
    # the playground evaluates a line that is one expression without run() or steps()
    interpreter = Interpreter("", "<playground>")
    statement_clock.interpreter = interpreter
    squares = parse_program("[i * i for i in range(20)]\n").body[0].value
    with pytest.raises(Refusal, match="over 8.5 s of CPU time"), interpreter.one_run():
        interpreter.eval(squares)
    assert interpreter.eval(squares)[-1] == 361  # outside any run there is no budget


def test_a_stepper_has_one_budget_for_all_its_steps(statement_clock):
    stepper = Stepper(statements(12), "lesson.py")
    statement_clock.interpreter = stepper.interpreter
    for _ in range(8):
        stepper.step()  # each step alone is cheap; together they run out
    with pytest.raises(Refusal) as refused:
        stepper.step()
    assert refused.value.render("lesson.py") == (
        "tutor: lesson.py:9: the program ran over 8.5 s of CPU time"
    )
    assert stepper.finished and stepper.error is refused.value


def test_time_between_steps_is_not_counted(statement_clock):
    stepper = Stepper(statements(6), "lesson.py")
    statement_clock.interpreter = stepper.interpreter
    while True:
        statement_clock.outside += 100.0  # the learner reads, the screen redraws
        if stepper.step() is None:
            break
    assert stepper.error is None and stepper.variables["a5"] == 5


def test_steps_taken_in_other_threads_add_up_to_one_budget(statement_clock):
    stepper = Stepper(statements(12), "lesson.py")
    statement_clock.interpreter = stepper.interpreter
    errors: list[BaseException] = []

    def step() -> None:
        try:
            stepper.step()
        except Refusal as refusal:
            errors.append(refusal)

    for _ in range(9):  # as the interface's workers do: each step on a thread of its own
        worker = threading.Thread(target=step)
        worker.start()
        worker.join()
    assert len(errors) == 1 and errors[0].line == 9


def test_the_budget_comes_from_the_environment_when_it_is_a_positive_number(monkeypatch):
    assert CPU_SECONDS_PER_RUN == 10.0
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert cpu_seconds_per_run() == 10.0
    for good, seconds in (("2.5", 2.5), (" 30 ", 30.0), ("0.05", 0.05), ("1e1", 10.0)):
        monkeypatch.setenv(ENVIRONMENT, good)
        assert cpu_seconds_per_run() == seconds
    for bad in ("", "ten", "0", "-3", "nan", "inf", "1e400", "5s"):
        monkeypatch.setenv(ENVIRONMENT, bad)
        assert cpu_seconds_per_run() == 10.0, bad


def test_heavy_operations_read_the_clock_before_they_run(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(budget_module, "thread_time", lambda: now[0])
    monkeypatch.setenv(ENVIRONMENT, "1")
    clock = RunClock()
    clock.start()
    clock.resume()
    big, small = np.ones((1000, 1000)), np.ones((10, 10))
    now[0] = 2.0  # the run is past its budget, and no statement checkpoint has come yet
    check_matmul(small, small)  # light work: the clock is not read
    check_elements(999_999)
    with pytest.raises(Refusal, match="over 1 s of CPU time"):
        check_matmul(big, big)
    with pytest.raises(Refusal, match="over 1 s of CPU time"):
        check_elements(1_000_000)
    clock.pause()
    check_matmul(big, big)  # no run going on in this thread: nothing to check


def test_the_playgrounds_lone_expression_line_is_bounded(statement_clock):
    from tutor.tui.widgets.repl import ReplSession

    repl = ReplSession()
    statement_clock.interpreter = repl.interpreter
    entry = repl.run("[i * i for i in range(20)]")
    assert entry.refusal is not None and "over 8.5 s of CPU time" in entry.refusal
    assert repl.run("[i for i in range(3)]").refusal is None  # the next line has its own budget
