"""Provides grading of typed expressions through the symbolic parser and equivalence check."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.checking.answers import check_length
from tutor.checking.misconceptions import feedback_for, fits
from tutor.checking.verdict import Verdict, right, unreadable, wrong
from tutor.text import Text

ROLE = "derivative"


def _from_shift(factor: object, offset: object) -> str | None:
    """The misconception a constant factor or offset between answer and expected names."""
    if factor is not None:
        return "derivative-sign" if factor == -1 else "constant-factor"
    if offset is not None:
        return "constant-offset"
    return None


def _unreadable_expression(error: ValueError) -> Verdict:
    column = getattr(error, "column", None)
    where = Text(f" (column {column})", f" ({column}번째 칸)") if column else Text("", "")
    text = getattr(error, "text", None)
    if not isinstance(text, Text):
        line = str(error).splitlines()[0] if str(error) else "unreadable"
        text = Text(line, line)
    return unreadable(
        Text(
            f"Can't read that expression{where.en}: {text.en}",
            f"식을 읽을 수 없습니다{where.ko}: {text.ko}",
        )
    )


def grade_expression(
    expected: object,
    variables: tuple[str, ...],
    text: str,
    alternatives: Mapping[str, object],
) -> Verdict:
    """Grade a typed expression: equal to the expected one for every value of its variables."""
    check_length(text)
    from tutor.symbolic.equivalence import equivalent
    from tutor.symbolic.parse import ExpressionError, parse

    try:
        answer = parse(text, variables=variables)
    except ExpressionError as error:
        return _unreadable_expression(error)
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        return unreadable(Text("That is not an expression.", "식이 아닙니다."))
    # The boundary: whatever sympy raises on a strange expression becomes one line (tests,
    # in strict mode, see it raised).
    try:
        result = equivalent(answer, expected, variables)
        if result.equal:
            return right()
        for mid, alt in alternatives.items():
            if fits(mid, ROLE) and equivalent(answer, alt, variables).equal:
                return wrong(feedback_for(mid), 0.0, mid)
    except Exception:
        from tutor.checking.grade import strict

        if strict():
            raise
        return unreadable(
            Text(
                "That expression could not be compared; write it more simply.",
                "이 식은 비교할 수 없습니다. 더 간단히 써 보세요.",
            )
        )
    mid = _from_shift(result.factor, result.offset)
    detail = result.detail
    if mid is not None:
        said = feedback_for(mid)
        if isinstance(detail, Text) and mid.startswith("constant-"):
            said = Text(f"{said.en} {detail.en}", f"{said.ko} {detail.ko}")
        return wrong(said, 0.0, mid)
    if isinstance(detail, Text):
        return wrong(Text(f"Not quite. {detail.en}", f"아쉽습니다. {detail.ko}"))
    return wrong(
        Text(
            "Not equal to the expected expression: try one value of the variable in both.",
            "기대한 식과 같지 않습니다: 변수에 값 하나를 넣어 비교해 보세요.",
        )
    )
