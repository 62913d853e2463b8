"""Provides the grading benchmark: 1,000 and 10,000 submitted attempts of a 10-question quiz in
the server's records (tutor.quiz.attempts), graded by tutor.quiz.server_grading.

Run: `python bench/grade.py [--sizes 1000 10000]`. Measured side by side in one run: the cost
of grading per attempt (its answers read, its variant rebuilt from the stored values and traced
once, 10 answers graded, the first grade written), and one evaluation of a variant's program by
the engine (`run_program`). Prints attempts per second, the per-size cost (linear growth keeps
it flat) and the ratio of one graded question to one program evaluation (the target is at most
5×).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tutor.course.answer_key import format_answer
from tutor.program import run_program
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.server_grading import grade_attempts
from tutor.quiz.variant import Variants

SECRET = b"the benchmark's secret, long enough"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
QUESTIONS = [
    ("x1-values", "x1 = x + {c}", "tensor", "x1"),
    ("x2-values", "x2 = x * {d}", "tensor", "x2"),
    ("x1-node", "x2 = x * {d}", "grad_fn", "x1"),
    ("x3-values", "y = x3.sum()", "tensor", "x3"),
    ("x3-node", "y = x3.sum()", "grad_fn", "x3"),
    ("y-value", "y = x3.sum()", "number", "y"),
    ("y-node", "y = x3.sum()", "grad_fn", "y"),
    ("x-grad", "y.backward()", "tensor", "x.grad"),
    ("x-leaf", "y.backward()", "choice", "x.is_leaf"),
    ("y-tracked", "y.backward()", "choice", "y.requires_grad"),
]
PROGRAM = """
import torch
x = torch.FloatTensor([{a}, {b}]).requires_grad_(True)
x1 = x + {c}
x2 = x * {d}
x3 = x1 * x2
y = x3.sum()
y.backward()
"""


def quiz_text() -> str:
    lines = [
        'format = 1\nid = "bench"\ntitle = { en = "Bench", ko = "벤치" }',
        "time_limit_minutes = 30",
        "[params]",
        *(f"{n} = {{ int = [-40, 40], exclude = [0] }}" for n in "abcd"),
        f'[[part]]\nprogram = """{PROGRAM}"""',
    ]
    for qid, after, kind, answer in QUESTIONS:
        lines.append(
            f'[[part.question]]\nid = "{qid}"\nafter = "{after}"\nkind = "{kind}"\n'
            f'prompt = {{ en = "?", ko = "?" }}\nanswer = "{answer}"'
        )
        if kind == "choice":
            lines.append(
                'choices = [{ en = "Yes", ko = "예", value = true }, '
                '{ en = "No", ko = "아니요", value = false }]'
            )
    return "\n".join(lines) + "\n"


def write_batch(quiz, store: AttemptStore, count: int, offset: int) -> None:
    """`count` submitted attempts: most answers right, some wrong, a few blank."""
    variants = Variants(quiz, SECRET)
    rng = random.Random(count)
    now = START.timestamp()
    for i in range(count):
        student = f"s{offset + i:06d}"
        variant = variants.for_student(student)
        drawn = (variant.draw, dict(variant.values))
        record = store.start(quiz, student, now, lambda _number, drawn=drawn: drawn, "bench")
        for question in quiz.questions():
            expected = variant.expected[question.id]
            text = format_answer(expected)
            roll = rng.random()
            if roll < 0.15 and question.kind in ("tensor", "number"):
                text = format_answer(replace(expected, value=-expected.value))
            elif roll < 0.2:
                continue
            store.save(record, "bench", question.id, text, now + 60)
        store.submit(record, now + 20 * 60, "student")


def program_seconds(quiz, samples: int = 300) -> float:
    """The mean time of one `run_program` of a variant's program (distinct variants)."""
    variants = Variants(quiz, SECRET)
    programs = [variants.for_student(f"p{i}").programs[0] for i in range(samples)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for program in programs:
            outcome = run_program(program)
            assert outcome.status == 0, outcome
        best = min(best, (time.perf_counter() - start) / len(programs))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "bench.quiz.toml").write_text(quiz_text(), encoding="utf-8")
        quiz = load_quiz(root / "bench.quiz.toml")
        per_program = program_seconds(quiz)
        print(f"one program evaluation by the engine: {per_program * 1e3:.3f} ms")
        results = []
        offset = 0
        for size in args.sizes:
            with AttemptStore.open(root / f"batch-{size}") as store:
                write_batch(quiz, store, size, offset)
                offset += size
                start = time.perf_counter()
                book = grade_attempts(store, quiz, SECRET, now=START.timestamp() + 3600)
                seconds = time.perf_counter() - start
            assert len(book.rows) == size and not book.unreadable
            per_attempt = seconds / size
            per_question = per_attempt / len(quiz.questions())
            results.append(per_attempt)
            print(
                f"{size:>6} attempts: {seconds:7.2f} s, {size / seconds:7.0f} attempts/s, "
                f"{per_attempt * 1e3:.3f} ms each; one graded question = "
                f"{per_question / per_program:.2f}× one program evaluation (target ≤ 5×)"
            )
        if len(results) > 1:
            print(
                f"cost per attempt, largest / smallest batch: {results[-1] / results[0]:.2f} "
                "(1.00 = linear)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
