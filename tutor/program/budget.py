"""Provides RunClock: the CPU time one program run may use, read every few statements.

A run — `Interpreter.run()`, or the whole of one `Interpreter.steps()` however many sittings a
Stepper takes over it — may use `CPU_SECONDS_PER_RUN` seconds of CPU time (10), or the number of
seconds in the environment variable `TUTOR_CPU_SECONDS_PER_RUN` (a positive number; any other
value is ignored, and the default holds). Past it, the run is refused in one line, so that one
heavy but legal program (many large matrix products within the statement and loop limits)
stops there instead of spending the whole CPU limit of the process (`tutor serve` gives each
app process an RLIMIT_CPU, and may set the variable for them).

The time is the running thread's CPU time (`time.thread_time`) while the program's own code
runs: not while a stepper waits between steps or takes a snapshot, whichever thread runs each
step. numpy's BLAS threads are not counted (`tutor serve` runs BLAS on one thread).

Reading the clock costs about a sixth of a cheap statement's time, so the interpreter reads it
at a checkpoint: after every statement or loop iteration while they are expensive (over `SLICE`
seconds between two readings), and every 2, 4, … up to `CHECK_EVERY` of them while they stay
cheap (the overhead is then under 1%). A program whose statements turn expensive all at once
runs at most CHECK_EVERY of them before the next reading, which from then on comes after every
one; and the size guards read the clock before each guarded operation (creation, arithmetic,
matrix product) of HEAVY_WORK elements or multiply-adds or more, so a run goes past its budget
by about one such operation and CHECK_EVERY lighter statements at most.
"""

from __future__ import annotations

import math
import os
import threading
from time import thread_time

from tutor.program.errors import Refusal
from tutor.program.limits import CPU_SECONDS_PER_RUN

ENVIRONMENT = "TUTOR_CPU_SECONDS_PER_RUN"
CHECK_EVERY = 64
SLICE = 0.001
# an operation of this many elements or multiply-adds (a millisecond or more) reads the clock
# before it runs, wherever the statement checkpoints are
HEAVY_WORK = 1_000_000

# the clock of the run going on in each thread, for check_clock_now
_running = threading.local()


def cpu_seconds_per_run() -> float:
    """The CPU seconds a run may use: TUTOR_CPU_SECONDS_PER_RUN if a positive number."""
    text = os.environ.get(ENVIRONMENT, "")
    try:
        seconds = float(text)
    except ValueError:
        return CPU_SECONDS_PER_RUN
    return seconds if math.isfinite(seconds) and seconds > 0 else CPU_SECONDS_PER_RUN


class RunClock:
    """The CPU time of the current run, counted only while it is running (between `resume()`
    and `pause()`); `check()` refuses the run past its budget."""

    __slots__ = ("limit", "spent", "since", "last", "interval")

    def __init__(self) -> None:
        self.limit = CPU_SECONDS_PER_RUN
        self.spent = 0.0  # CPU seconds of the sittings that have ended
        self.since: float | None = None  # the thread's CPU clock when this sitting began
        self.last = 0.0  # the run's CPU seconds at the last check
        self.interval = 1

    def start(self) -> None:
        """A new run: its budget read from the environment, nothing spent."""
        self.limit = cpu_seconds_per_run()
        self.spent = self.last = 0.0
        self.since = None
        self.interval = 1

    def resume(self) -> None:
        if self.since is None:
            self.since = thread_time()
        _running.clock = self

    def pause(self) -> None:
        if self.since is not None:
            self.spent += thread_time() - self.since
            self.since = None
        if getattr(_running, "clock", None) is self:
            _running.clock = None

    def check(self) -> int:
        """Raises Refusal past the budget; otherwise how many statements (or iterations) may
        run before the next check."""
        if self.since is None:  # no run going on: an expression evaluated between steps
            return CHECK_EVERY
        used = self.spent + (thread_time() - self.since)
        if used > self.limit:
            raise Refusal(f"the program ran over {self.limit:g} s of CPU time")
        self.interval = 1 if used - self.last > SLICE else min(2 * self.interval, CHECK_EVERY)
        self.last = used
        return self.interval


def check_clock_now() -> None:
    """Refuses the run going on in this thread if it is past its CPU budget (before a heavy
    operation); nothing when no run is going on."""
    clock = getattr(_running, "clock", None)
    if clock is not None:
        clock.check()
