"""Shared helpers for the quiz tests: fixture quizzes, the secret, a server clock the test moves by
hand, and quizzes sat on the server's records (no tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tutor.course.answer_key import format_answer
from tutor.quiz.attempts import AttemptStore
from tutor.quiz.load import load_quiz
from tutor.quiz.model import Quiz
from tutor.quiz.server_taking import ServerTaking

QUIZZES = Path(__file__).parent / "quizzes"
BASIC = QUIZZES / "basic.quiz.toml"
SECRET = b"a test secret that is long enough"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
T0 = START.timestamp()


def basic_quiz() -> Quiz:
    return load_quiz(BASIC)


def write_quiz(tmp_path: Path, text: str, name: str = "q.quiz.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class ServerClock:
    """The server's clock (seconds since the epoch), moved by hand."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def right_answers(variant) -> dict[str, str]:
    """Every question's answer as the key types it (computed by the engine)."""
    return {qid: format_answer(expected) for qid, expected in variant.expected.items()}


def sit(
    store: AttemptStore,
    quiz: Quiz,
    student: str,
    clock: ServerClock,
    answers: dict[str, str] | None = None,
    *,
    submit_after: float | None = 300.0,
    secret: bytes = SECRET,
) -> ServerTaking:
    """A student's attempt on the server: opened now, `answers` typed (else every answer right,
    as the engine computes it for their variant), submitted `submit_after` seconds after the
    start (None: left open) and closed. The clock is left where it was."""
    start = clock.now
    taking = ServerTaking.open(quiz, secret, student, store, clock=clock)
    typed = right_answers(taking.variant) if answers is None else answers
    for question_id, text in typed.items():
        taking.answer(question_id, text)
    if submit_after is not None:
        clock.now = start + submit_after
        taking.submit()
        clock.now = start
    taking.close()
    return taking


QUIZ_HEADER = """
format = 1
id = "t"
title = { en = "T", ko = "티" }
time_limit_minutes = 5
"""
# one part whose gradient scales with the parameter `a`
SCALED_PART = '''
[[part]]
program = """
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * {a}).sum()
y.backward()
"""
  [[part.question]]
  id = "x-grad"
  after = "y.backward()"
  kind = "tensor"
  prompt = { en = "x.grad?", ko = "x.grad?" }
  answer = "x.grad"
'''
