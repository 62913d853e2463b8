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
    "done_of": Text("{done}/{total} done", "{done}/{total} 완료"),
    "last_score": Text("last score {score}", "최근 점수 {score}"),
    "step_of": Text("Step {n} of {total}", "{total}단계 중 {n}단계"),
    "backward_node": Text("backward: {node}", "역전파: {node}"),
    "attempts": Text("Attempts", "시도"),
    "not_counted": Text("(not counted as an attempt)", "(시도 횟수에 들어가지 않습니다)"),
    "misconceptions": Text("Misconceptions", "오개념"),
}


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
