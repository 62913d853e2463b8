"""Provides Veil: what the lesson screen holds back while questions are open, and masking.

A question's asked quantity (tutor.course.trace.Asked: a variable's value or .grad, a node
name, the gradient a backward node sends) is drawn as `?` by the panes, and wherever a step's
prose prints an open question's answer (its numbers, its grad_fn name, its formula, its error
message) the words are replaced by `?` until the question is settled.
No Textual here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from tutor.course.trace import Asked

HIDDEN = "?"

# a number as prose, code or a printed tensor writes it: -3, 0.8000, 14., 1e-05
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?(?![\w])")
# what may sit between the numbers of one printed tensor
_BETWEEN = re.compile(r"[\s,;\[\]]*\Z")
# where a lone number is a value being printed: `tensor(14.`, `y = 14`, `→ 14`
_SCALAR_CONTEXT = re.compile(r"(?:tensor\(\[*|=\s*|→\s*|is\s+)\Z")


def _agrees(token: str, value: float) -> bool:
    """Whether the written number is `value` to the digits written (0.8000 is 0.800000011…)."""
    try:
        written = float(token)
    except ValueError:
        return False
    if not math.isfinite(value):
        return False
    decimals = len(token.split(".", 1)[1]) if "." in token and "e" not in token.lower() else 0
    if "e" in token.lower():
        return math.isclose(written, value, rel_tol=1e-3, abs_tol=1e-12)
    return abs(round(value, decimals) - written) <= 0.5 * 10**-decimals + 1e-9 * abs(value)


@dataclass(frozen=True)
class _Numbers:
    """The numbers of an answer in order (a tensor flattened, or one number)."""

    values: tuple[float, ...]

    def spans(self, text: str) -> list[tuple[int, int]]:
        tokens = list(_NUMBER.finditer(text))
        found: list[tuple[int, int]] = []
        runs: list[list[re.Match[str]]] = []
        for token in tokens:
            if runs and _BETWEEN.match(text[runs[-1][-1].end() : token.start()]):
                runs[-1].append(token)
            else:
                runs.append([token])
        size = len(self.values)
        for run in runs:
            if len(run) != size:
                continue
            if not all(_agrees(t.group(), v) for t, v in zip(run, self.values, strict=True)):
                continue
            if size == 1 and not _SCALAR_CONTEXT.search(text[: run[0].start()]):
                continue
            found.append((run[0].start(), run[-1].end()))
        return found


@dataclass(frozen=True)
class _Words:
    """Literal spellings of an answer (a node name, a formula, an error message)."""

    pattern: re.Pattern[str]

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.pattern.finditer(text)]


def _words(spellings: Iterable[str]) -> _Words | None:
    unique = sorted({s for s in spellings if s.strip()}, key=len, reverse=True)
    if not unique:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, s.split())) for s in unique)
    return _Words(re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])"))


def _numbers(value: object) -> _Numbers | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if array.size == 0 or array.size > 64:
        return None
    return _Numbers(tuple(float(v) for v in array.ravel()))


def formula_spellings(expression: object) -> set[str]:
    """How prose writes a formula: 2*x, 2x, 2·x, 2xᵢ, 3x², 3*x^2 … (none for a constant)."""
    if not getattr(expression, "free_symbols", None):
        return set()
    text = str(expression)
    names = sorted((s.name for s in expression.free_symbols), key=len, reverse=True)
    found = {text}
    powers = {
        text,
        re.sub(r"\*\*(\d)", lambda m: "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(m.group(1))], text),
        text.replace("**", "^"),
    }
    for form in powers:
        found |= {form, form.replace("*", "·"), re.sub(r"(?<=[\d)])\*(?=[A-Za-z(])", "", form)}
    for form in list(found):
        for name in names:
            found.add(re.sub(rf"(?<![A-Za-z_]){re.escape(name)}(?![A-Za-z_(])", name + "ᵢ", form))
    return {f for f in found if len(f) > 1}


def answer_masks(expected: object) -> tuple[_Numbers | _Words, ...]:
    """The ways prose could print an Expected's value, as span finders."""
    kind = getattr(expected, "kind", "")
    value = getattr(expected, "value", None)
    masks: list[_Numbers | _Words | None] = []
    if kind in ("tensor", "backward-node", "number"):
        masks.append(_numbers(value))
    elif kind == "grad_fn":
        masks.append(_words([str(value)]))
    elif kind == "expression":
        masks.append(_words(formula_spellings(value)))
    elif kind == "outcome":
        error, message = getattr(value, "error", None), getattr(value, "message", None)
        if error is not None:
            lines = [(message or "").splitlines()[0]] if message else []
            masks.append(_words([f"{error}: {line}" for line in lines] + lines))
        elif isinstance(getattr(value, "value", None), np.ndarray):
            masks.append(_numbers(value.value))
    return tuple(mask for mask in masks if mask is not None)


def mask_text(text: str, masks: Iterable[_Numbers | _Words]) -> str:
    """`text` with every span any mask finds replaced by `?`."""
    spans = sorted(span for mask in masks for span in mask.spans(text))
    if not spans:
        return text
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        out.append(text[position:start])
        out.append(HIDDEN)
        position = end
    out.append(text[position:])
    return "".join(out)


@dataclass(frozen=True)
class Veil:
    """What to hold back now: the panes' asked quantities (the open questions of this step) and
    the prose masks (every question of the lesson not yet settled)."""

    asked: Asked = field(default_factory=Asked)
    masks: tuple[_Numbers | _Words, ...] = ()

    def text(self, text: str) -> str:
        return mask_text(text, self.masks)

    def name(self, name: str) -> str:
        return HIDDEN if name in self.asked.names else name

    def names_in(self, text: str) -> str:
        """`text` (a tensor's repr) with asked node names hidden: grad_fn=<?>."""
        if not self.asked.names:
            return text
        alternatives = "|".join(re.escape(n) for n in sorted(self.asked.names))
        return re.sub(rf"(?<![\w])(?:{alternatives})(?![\w])", HIDDEN, text)


NO_VEIL = Veil()
