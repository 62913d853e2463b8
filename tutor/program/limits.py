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

# 10,000 decimal digits need log2(10) * 10,000 bits
MAX_INT_BITS = 33_220
