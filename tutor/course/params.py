"""Provides template parameters, for lessons and quizzes alike: `[params]` read and checked,
`{name}` placeholders found and rendered, and a lesson or question rendered with values.

A template names a parameter as `{name}`; rendering replaces exactly those tokens by a value
drawn from the declared set (an int, a float, a shape like `[2, 3]`, an identifier such as
`relu`, or an operator), so no text from outside that set ever reaches a program.

A declaration is `name = { int = [1, 5] }`, `{ halves = [-2, 2] }` or `{ choice = [...] }`,
optionally with `exclude = [...]` and `first = value` (the value a lesson shows on its first
pass: required in a lesson, allowed and unused in a quiz, where every student's values are
drawn).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from tutor.course.problems import problem
from tutor.text import Text

if TYPE_CHECKING:
    from tutor.course.fields import Fields
    from tutor.course.model import Lesson, Question

MAX_VALUES = 10_000
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
OPERATORS = ("+", "-", "*", "/", "**", "@")
_KINDS = ("int", "halves", "choice")
_NO_FIRST = object()


class ParamError(ValueError):
    """A parameter declaration that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Param:
    """A template parameter: its name, the values it may take (in order), its file line, and
    the value a lesson shows first (None when the declaration gives none)."""

    name: str
    values: tuple[object, ...]
    line: int = 1
    first: object | None = None


def declared_values(name: str, spec: object) -> tuple[object, ...]:
    """The values `name = spec` may take, in order; ParamError says what is wrong."""
    if not _NAME.match(name):
        raise ParamError(f"parameter name `{name}` must be a Python identifier")
    if not isinstance(spec, dict):
        raise ParamError(
            f"parameter `{name}` must be a table like {{ int = [1, 5] }}, {{ halves = [-2, 2] }} "
            "or { choice = [2, 3] }"
        )
    kinds = [k for k in spec if k in _KINDS]
    unknown = [k for k in spec if k not in (*_KINDS, "exclude", "first")]
    if unknown:
        raise ParamError(
            f"parameter `{name}` has an unknown key `{unknown[0]}` "
            "(expected int, halves or choice, and optionally exclude and first)"
        )
    if len(kinds) != 1:
        raise ParamError(f"parameter `{name}` needs exactly one of int, halves or choice")
    kind = kinds[0]
    values = _choices(name, spec[kind]) if kind == "choice" else _range(name, kind, spec[kind])
    excluded = spec.get("exclude", [])
    if not isinstance(excluded, list):
        raise ParamError(f"parameter `{name}`: `exclude` must be a list of values")
    kept = tuple(v for v in values if not any(_same(v, e) for e in excluded))
    if not kept:
        raise ParamError(f"parameter `{name}` has no values left after `exclude`")
    return kept


def declared_param(name: str, spec: object, line: int, need_first: bool) -> Param:
    """The Param `name = spec` declares at `line`; ParamError says what is wrong (a missing
    `first` too, when `need_first`)."""
    values = declared_values(name, spec)
    first = spec.get("first", _NO_FIRST) if isinstance(spec, dict) else _NO_FIRST
    if first is _NO_FIRST:
        if need_first:
            raise ParamError(
                f"parameter `{name}` needs `first`: the value the lesson shows on its first "
                "pass (one of its values)"
            )
        return Param(name, values, line)
    matching = [v for v in values if _same(v, first)]
    if not matching:
        raise ParamError(f"parameter `{name}`: `first = {first!r}` is not one of its values")
    return Param(name, values, line, matching[0])


def _same(a: object, b: object) -> bool:
    b = tuple(b) if isinstance(b, list) else b
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _range(name: str, kind: str, bounds: object) -> tuple[object, ...]:
    if (
        not isinstance(bounds, list)
        or len(bounds) != 2
        or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
    ):
        raise ParamError(f"parameter `{name}`: `{kind}` must be [low, high] (two numbers)")
    low, high = bounds
    if low > high:
        raise ParamError(f"parameter `{name}`: low {low} is above high {high}")
    if kind == "int":
        if not all(isinstance(b, int) for b in bounds):
            raise ParamError(f"parameter `{name}`: `int` bounds must be whole numbers")
        count = high - low + 1
        if count > MAX_VALUES:
            raise ParamError(f"parameter `{name}` has {count} values; at most {MAX_VALUES}")
        return tuple(range(low, high + 1))
    from fractions import Fraction  # only here: a course without halves never loads it

    steps = [Fraction(b).limit_denominator(1_000_000) * 2 for b in bounds]
    if not all(s.denominator == 1 for s in steps):
        raise ParamError(f"parameter `{name}`: `halves` bounds must be multiples of 0.5")
    start, stop = int(steps[0]), int(steps[1])
    if stop - start + 1 > MAX_VALUES:
        raise ParamError(f"parameter `{name}` has too many values; at most {MAX_VALUES}")
    return tuple(n / 2 for n in range(start, stop + 1))


def _choices(name: str, options: object) -> tuple[object, ...]:
    if not isinstance(options, list) or not options:
        raise ParamError(f"parameter `{name}`: `choice` must be a non-empty list")
    if len(options) > MAX_VALUES:
        raise ParamError(f"parameter `{name}` has too many choices; at most {MAX_VALUES}")
    for option in options:
        if not _allowed_choice(option):
            raise ParamError(
                f"parameter `{name}`: choice {option!r} is not a number, a shape like [2, 3], "
                f"an identifier or one of the operators {' '.join(OPERATORS)}"
            )
    if len({repr(o) for o in options}) != len(options):
        raise ParamError(f"parameter `{name}` lists a choice twice")
    return tuple(tuple(o) if isinstance(o, list) else o for o in options)


def _allowed_choice(option: object) -> bool:
    if isinstance(option, bool):
        return False
    if isinstance(option, int | float):
        return option == option and abs(option) != float("inf")
    if isinstance(option, str):
        return bool(_IDENTIFIER.match(option)) or option in OPERATORS
    if isinstance(option, list):
        return (
            0 < len(option) <= 4
            and all(isinstance(n, int) and not isinstance(n, bool) for n in option)
            and all(1 <= n <= 64 for n in option)
        )
    return False


def token(value: object) -> str:
    """The program text standing for one declared value."""
    if isinstance(value, tuple):
        return "[" + ", ".join(str(n) for n in value) + "]"
    if isinstance(value, int | float):
        text = repr(value)
        return f"({text})" if value < 0 else text
    return str(value)


def placeholders(template: str) -> list[tuple[str, int]]:
    """Each `{name}` in a template with its 1-based line within the template."""
    return [
        (match.group(1), template.count("\n", 0, match.start()) + 1)
        for match in PLACEHOLDER.finditer(template)
    ]


def render(template: str, values: Mapping[str, object]) -> str:
    """The program with each `{name}` replaced by its value's token (names are checked at load);
    a negative number is bracketed unless it opens a list, call, argument or assignment."""

    def replacement(match: re.Match) -> str:
        text = token(values[match.group(1)])
        before = template[: match.start()].rstrip()[-1:]
        bare = text.startswith("(-") and (before == "" or before in "([,=:")
        return text[1:-1] if bare else text

    return PLACEHOLDER.sub(replacement, template)


def values_key(params: tuple[Param, ...], values: Mapping[str, object]) -> tuple[object, ...]:
    """A hashable key of one draw, for caching variants with the same values."""
    return tuple(values[p.name] for p in params)


def first_values(params: Iterable[Param]) -> dict[str, object]:
    """Each parameter's `first` value: the values of a lesson's first pass."""
    return {p.name: p.first for p in params}


# reading [params] and checking the placeholders of a file


def read_params(fields: Fields, need_first: bool) -> list[Param]:
    """The file's `[params]` table (none: []); each fault a located problem in `fields`."""
    table = fields.table.get("params", {})
    if not isinstance(table, dict):
        fields.report("params", "`[params]` must be a table of name = { … }")
        return []
    inner = fields.at("params", table)
    params = []
    for name, spec in table.items():
        try:
            params.append(declared_param(name, spec, inner.line(name), need_first))
        except ParamError as error:
            inner.report(name, str(error))
    return params


def check_placeholders(
    fields: Fields,
    params: list[Param],
    texts: Iterable[tuple[str, int, bool]],
    complete: bool,
) -> None:
    """A problem for each `{name}` not declared in `[params]`, and (when every text of the file
    is in `texts`: `complete`) for each parameter no text uses. `texts` are (text, file line,
    whether the text's own lines are file lines: a program)."""
    table = fields.table.get("params")
    declared = set(table) if isinstance(table, dict) else set()
    used: set[str] = set()
    for text, first_line, spans_lines in texts:
        for name, line in placeholders(text):
            used.add(name)
            if name not in declared:
                at = first_line + line - 1 if spans_lines else first_line
                fields.found.append(
                    problem(
                        fields.file,
                        at,
                        f"`{{{name}}}` is not a declared parameter (declare it in [params])",
                    )
                )
    if not complete:
        return
    for param in params:
        if param.name not in used:
            fields.found.append(
                problem(fields.file, param.line, f"parameter `{param.name}` is never used")
            )


def lesson_texts(lesson: Lesson) -> list[tuple[str, int, bool]]:
    """Every text of a lesson template that may hold `{name}`, for check_placeholders: the
    program, and each step's `after` and text, and its questions' prompt, answer,
    misconceptions, derivative, hints and choices."""
    texts = [(lesson.program, lesson.program_line, True)]
    for step in lesson.steps:
        texts += [(text, step.line, False) for text in (step.after, step.text.en, step.text.ko)]
        for question in step.questions:
            texts += [(text, question.line, False) for text in question_texts(question)]
            texts += [
                (text, question.line, False)
                for item in (*question.hints, *(c.text for c in question.choices))
                for text in (item.en, item.ko)
            ]
    return texts


def question_texts(question: Question) -> tuple[str, ...]:
    """The texts of a question both lessons and quizzes render: prompt, answer,
    misconceptions and the derivative's function."""
    texts = (
        question.prompt.en,
        question.prompt.ko,
        question.answer or "",
        *question.misconceptions.values(),
    )
    return texts + ((question.derivative.of,) if question.derivative else ())


# rendering with values


def render_text(text: Text, values: Mapping[str, object]) -> Text:
    return Text(render(text.en, values), render(text.ko, values))


def rendered_question(question: Question, values: Mapping[str, object]) -> Question:
    """The question with `{param}` replaced in its prompt, answer, misconceptions and
    derivative (what a quiz renders; a lesson renders its hints and choices too)."""
    derivative = question.derivative
    if derivative is not None:
        derivative = replace(derivative, of=render(derivative.of, values))
    return replace(
        question,
        prompt=render_text(question.prompt, values),
        answer=None if question.answer is None else render(question.answer, values),
        derivative=derivative,
        misconceptions=MappingProxyType(
            {name: render(text, values) for name, text in question.misconceptions.items()}
        ),
    )


def rendered_lesson(
    template: Lesson, params: tuple[Param, ...], values: Mapping[str, object]
) -> Lesson:
    """The lesson a template makes with these values: every text of lesson_texts rendered,
    holding its `params` and `template` (the lesson as written)."""

    def question(q: Question) -> Question:
        return replace(
            rendered_question(q, values),
            hints=tuple(render_text(hint, values) for hint in q.hints),
            choices=tuple(replace(c, text=render_text(c.text, values)) for c in q.choices),
        )

    steps = tuple(
        replace(
            step,
            after=render(step.after, values),
            text=render_text(step.text, values),
            questions=tuple(question(q) for q in step.questions),
        )
        for step in template.steps
    )
    return replace(
        template,
        program=render(template.program, values),
        steps=steps,
        params=params,
        template=template,
    )
