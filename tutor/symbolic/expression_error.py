"""Provides ExpressionError and the wording, in English and Korean, of every refusal the parser gives."""

from __future__ import annotations

from tutor.text import Text

MESSAGES: dict[str, Text] = {
    "not_text": Text("an expression must be text", "식은 문자열이어야 합니다"),
    "empty": Text("the expression is empty", "식이 비어 있습니다"),
    "too_long": Text(
        "the expression is {length} characters long; the limit is {limit}",
        "식이 {length}자입니다. 최대 {limit}자까지 쓸 수 있습니다",
    ),
    "nesting": Text(
        "parentheses are nested more than {limit} deep",
        "괄호가 {limit}겹보다 깊게 중첩되었습니다",
    ),
    "depth": Text(
        "the expression is nested more than {limit} operations deep",
        "식의 연산이 {limit}단계보다 깊게 중첩되었습니다",
    ),
    "unknown_function": Text(
        "unknown function '{name}' (known: {known})",
        "알 수 없는 함수 '{name}' (쓸 수 있는 함수: {known})",
    ),
    "needs_parentheses": Text(
        "write {name}(…) with parentheses around its argument",
        "{name}(…)처럼 인자를 괄호로 감싸 쓰세요",
    ),
    "inverse": Text(
        "inverse functions such as {name}^-1 are not supported",
        "{name}^-1 같은 역함수는 지원하지 않습니다",
    ),
    "keyword": Text(
        "'{name}' is not allowed in an expression", "식에는 '{name}'을(를) 쓸 수 없습니다"
    ),
    "non_finite": Text(
        "'{name}' is not a finite number; write a number such as 0.5 or 1e6",
        "'{name}'{particle} 유한한 수가 아닙니다. 0.5나 1e6 같은 수를 쓰세요",
    ),
    "underscore": Text("a name must start with a letter", "이름은 글자로 시작해야 합니다"),
    "string": Text("quotes and strings are not allowed", "따옴표와 문자열은 쓸 수 없습니다"),
    "dot": Text(
        "'.' is only allowed inside a number such as 0.25",
        "'.'은 0.25 같은 숫자 안에서만 쓸 수 있습니다",
    ),
    "brackets": Text(
        "'{char}' is not allowed; group with ( )",
        "'{char}'는 쓸 수 없습니다. 묶을 때는 ( )를 쓰세요",
    ),
    "comma_call": Text("a function takes exactly one argument", "함수는 인자를 하나만 받습니다"),
    "comma": Text(
        "a comma is not allowed; write a single expression",
        "쉼표는 쓸 수 없습니다. 식을 하나만 쓰세요",
    ),
    "equals": Text(
        "'=' is not allowed; write only the expression", "'='는 쓸 수 없습니다. 식만 쓰세요"
    ),
    "pipe": Text("write abs(x) for an absolute value", "절댓값은 abs(x)로 쓰세요"),
    "character": Text("unexpected character '{char}'", "쓸 수 없는 문자 '{char}'"),
    "unmatched_close": Text("')' has no matching '('", "')'에 짝이 되는 '('가 없습니다"),
    "unclosed": Text("'(' is never closed", "'('가 닫히지 않았습니다"),
    "empty_parentheses": Text("nothing inside the parentheses", "괄호 안이 비어 있습니다"),
    "value_after": Text("expected a value after '{op}'", "'{op}' 뒤에 값이 와야 합니다"),
    "value_before": Text("expected a value before '{op}'", "'{op}' 앞에 값이 와야 합니다"),
    "two_numbers": Text(
        "a number cannot directly follow a number; write * between them",
        "숫자 바로 뒤에 숫자를 쓸 수 없습니다. 사이에 *를 쓰세요",
    ),
    "superscript": Text(
        "a superscript needs something before it",
        "위첨자 앞에 거듭제곱할 값이 있어야 합니다",
    ),
    "bad_superscript": Text("a superscript needs digits", "위첨자에는 숫자가 있어야 합니다"),
    "exponent": Text(
        "exponent {value} is over {limit} in absolute value",
        "지수 {value}의 절댓값이 {limit}보다 큽니다",
    ),
    "too_large": Text(
        "this power is too large to compute (over {limit} digits)",
        "이 거듭제곱은 너무 커서 계산할 수 없습니다 ({limit}자리 초과)",
    ),
    "cannot_compute": Text(
        "this value cannot be computed (too large, or not a comparable number)",
        "이 값은 계산할 수 없습니다 (너무 크거나 비교할 수 없는 수입니다)",
    ),
    "undefined": Text(
        "this value is undefined (a division by zero or similar)",
        "이 값은 정의되지 않습니다 (0으로 나누기 등)",
    ),
    "not_real": Text("this value is not a real number", "이 값은 실수가 아닙니다"),
    "unexpected": Text("unexpected '{char}'", "예상하지 못한 '{char}'"),
    "not_allowed": Text("this is not allowed in an expression", "식에 쓸 수 없는 표현입니다"),
}


class ExpressionError(ValueError):
    """Typed text that is not an expression the tutor accepts; `str()` is one line naming the column."""

    def __init__(self, column: int, key: str, **values: object) -> None:
        self.column = column
        self.key = key
        self.text: Text = MESSAGES[key].format(**values)
        self.message = self.text.en
        super().__init__(f"column {column}: {self.message}")

    def describe(self, lang: str = "en") -> str:
        """The one-line refusal in the learner's language."""
        if lang == "ko":
            return f"{self.column}번째 글자: {self.text.ko}"
        return str(self)
