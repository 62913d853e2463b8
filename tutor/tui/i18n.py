"""Provides the interface's own words in English and Korean."""

from __future__ import annotations

import os

from tutor.text import Text

UI = {
    "lessons": Text("Lessons", "레슨"),
    "continue": Text("Continue where you left off", "이어서 하기"),
    "next": Text("Next", "다음"),
    "review": Text("Review", "복습"),
    "open": Text("Open", "열기"),
    "program": Text("Program", "프로그램"),
    "variables": Text("Variables", "변수"),
    "graph": Text("Computation graph", "연산 그래프"),
    "question": Text("Question", "문제"),
    "answer_placeholder": Text("Type your answer and press Enter", "답을 입력하고 Enter"),
    "the_answer": Text("The answer", "정답"),
    "answer_first": Text(
        "Answer the question first (or press h for a hint).", "먼저 문제에 답하세요 (힌트는 h)."
    ),
    "no_more_hints": Text("No more hints for this question.", "이 문제의 힌트를 모두 보았습니다."),
    "lesson_done": Text("Lesson complete. Press q to go back.", "레슨 완료! q를 눌러 돌아가세요."),
    "no_variables": Text("Nothing has run yet.", "아직 실행된 문장이 없습니다."),
    "no_graph": Text("No graph yet.", "아직 그래프가 없습니다."),
    "step_of": Text("Step {n} of {total}", "{total}단계 중 {n}단계"),
    "backward_node": Text("backward: {node}", "역전파: {node}"),
    "attempts": Text("Attempts", "시도"),
    "not_counted": Text("(not counted as an attempt)", "(시도 횟수에 들어가지 않습니다)"),
    "misconceptions": Text("Misconceptions", "오개념"),
    "hint_number": Text("Hint {n}/{total}:", "힌트 {n}/{total}:"),
    "tries_left": Text("{n} of {total} tries left", "남은 기회 {n}/{total}"),
    "next_step": Text(
        "All answered. → Next step: n, → or Enter", "모두 답했습니다. → 다음 단계: n, → 또는 Enter"
    ),
    "empty_answer": Text("Type your answer first. {form}", "먼저 답을 입력하세요. {form}"),
    "not_saved": Text(
        "Your answer could not be saved ({reason}); it is still in the box: press Enter to try "
        "again.",
        "답을 저장하지 못했습니다 ({reason}). 답은 입력칸에 그대로 있으니 Enter로 다시 시도하세요.",
    ),
    "answer_first_keys": Text(
        "Answer the question first (ctrl+r for a hint).",
        "먼저 문제에 답하세요 (힌트는 ctrl+r).",
    ),
    "no_gradient_input": Text("an input that needs no gradient", "기울기가 필요 없는 입력"),
}

# What to type, by kind of question (said on Enter in an empty box, never the answer itself).
_GRAD_FN_EXAMPLES = ("ExpBackward0", "DivBackward0", "MulBackward0")
_FORMULA_EXAMPLES = ("3*{v}**2 + 1", "exp({v}) - 1", "4*{v}")


def form_wanted(expected: object, choices: int = 0) -> Text:
    """The form an answer of this kind takes, with an example that is not the answer."""
    kind = getattr(expected, "kind", "")
    value = getattr(expected, "value", None)
    if kind in ("tensor", "backward-node", "number"):
        import numpy as np

        from tutor.checking.forms import example_for

        return example_for(np.asarray(value, dtype=np.float64))
    if kind == "choice":
        return Text(
            f"Type the number of one choice (1 to {choices}).",
            f"보기 번호 하나를 입력하세요 (1~{choices}).",
        )
    if kind == "grad_fn":
        example = next(e for e in _GRAD_FN_EXAMPLES if e != str(value))
        return Text(
            f"Type a node's name, like {example}.", f"노드 이름을 입력하세요. 예: {example}"
        )
    if kind == "expression":
        shown = str(value).replace(" ", "")
        var = (getattr(expected, "variables", ()) or ("x",))[0]
        formulas = (e.format(v=var) for e in _FORMULA_EXAMPLES)
        example = next(e for e in formulas if e.replace(" ", "") != shown)
        return Text(
            f"Type a formula in {var}, like {example}.",
            f"{var}에 대한 식을 입력하세요. 예: {example}",
        )
    if kind == "outcome":
        return Text(
            "Type the error it raises (like ValueError: …) or the value it gives.",
            "일어나는 에러(예: ValueError: …)나 결과값을 입력하세요.",
        )
    return Text("Type an answer.", "답을 입력하세요.")


def language_from_env(env: dict[str, str] | None = None) -> str:
    env = dict(os.environ) if env is None else env
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def t(key: str, lang: str, **values: object) -> str:
    text = UI[key].get(lang)
    return text.format(**values) if values else text
