"""Provides the checking of typed answers: parsing, grading, misconceptions and hint ladders."""

from tutor.checking.answers import (
    MAX_CHARS,
    MAX_NUMBERS,
    AnswerError,
    TypedNumbers,
    parse_number,
    parse_tensor,
)
from tutor.checking.choices import read_choice
from tutor.checking.expected import KINDS, Expected, Outcome
from tutor.checking.grade import grade
from tutor.checking.hints import HintLadder
from tutor.checking.misconceptions import MISCONCEPTIONS, Misconception
from tutor.checking.names import read_node_name
from tutor.checking.tolerance import accepted
from tutor.checking.verdict import Verdict

__all__ = [
    "accepted",
    "KINDS",
    "MAX_CHARS",
    "MAX_NUMBERS",
    "MISCONCEPTIONS",
    "AnswerError",
    "Expected",
    "HintLadder",
    "Misconception",
    "Outcome",
    "TypedNumbers",
    "Verdict",
    "grade",
    "parse_number",
    "parse_tensor",
    "read_choice",
    "read_node_name",
]
