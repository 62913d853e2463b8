"""Provides the differential fuzzer: generated PyTorch programs run under real torch and the tutor.

generate.py (FAMILIES, NOT_YET_SUPPORTED, sample) writes programs with builder.py, ops.py and the
families_*.py modules; compare.py runs one program on both sides and classifies the pair;
minimise.py cuts a failing program down; report.py tallies; `python -m tests.fuzz` prints it all.
"""
