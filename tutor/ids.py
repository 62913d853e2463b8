"""Provides the rules for a student ID as the class knows it (the roster, the accounts, a quiz
taken on the server): stripped, Unicode NFKC, case kept, at most MAX_ID_LENGTH characters, no
control or invisible characters. Spaces and any script are allowed (`kim young-hee`, `김영희`)."""

from __future__ import annotations

import unicodedata

from tutor.text import clean

MAX_ID_LENGTH = 128


def normalize_id(text: str) -> str:
    """A student id as compared and stored: stripped, NFKC; case is kept."""
    return unicodedata.normalize("NFKC", text).strip()


def id_problem(student_id: str) -> str | None:
    """Why a normalized student id cannot be used, or None."""
    if not student_id:
        return "empty"
    if len(student_id) > MAX_ID_LENGTH:
        return f"longer than {MAX_ID_LENGTH} characters"
    if clean(student_id) != student_id or any(c in "\t\n" for c in student_id):
        return "contains control or invisible characters"
    return None
