"""Provides the bounds a lesson program must stay within, checked before anything is allocated."""

from __future__ import annotations

MAX_SOURCE_BYTES = 100_000
MAX_NESTING = 100
MAX_TENSOR_ELEMENTS = 10_000_000
MAX_STATEMENTS = 1_000_000
MAX_LOOP_ITERATIONS = 100_000
MAX_INT_DIGITS = 10_000
MAX_SEQUENCE_LENGTH = 1_000_000
MAX_OUTPUT_CHARS = 10_000_000
MAX_FORMAT_WIDTH = 1_000
# CPU seconds one run may use, unless TUTOR_CPU_SECONDS_PER_RUN says otherwise (budget.py)
CPU_SECONDS_PER_RUN = 10.0

# 10,000 decimal digits need log2(10) * 10,000 bits
MAX_INT_BITS = 33_220

# calls active at once (a program's recursion); each call uses a few dozen of Python's own
# frames, so this many fit well within Python's default recursion limit of 1,000
MAX_CALL_DEPTH = 50
# Python frames kept free below the recursion limit: one call's deepest expression (nesting
# is bounded by MAX_NESTING) plus the engine frames between two calls (Module.__call__ …)
STACK_RESERVE = 300
