"""Provides localize_bindings: a screen's footer labels in the learner's language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from tutor.text import Text

# action -> its label; the BINDINGS' own descriptions are the English fallbacks
LABELS = {
    "open": Text("Open", "열기"),
    "continue": Text("Continue", "이어서"),
    "language": Text("한국어", "English"),
    "theme": Text("Theme", "테마"),
    "playground": Text("Playground", "실습장"),
    "review": Text("Review", "복습"),
    "quit": Text("Quit", "종료"),
    "next": Text("Next", "다음"),
    "back": Text("Back", "뒤로"),
    "hint": Text("Hint", "힌트"),
    "derivation": Text("Derivation", "미분 과정"),
    "plot": Text("Plot", "함수 그림"),
    "leave_input": Text("Leave input", "입력 나가기"),
    "home": Text("Home", "처음으로"),
    "graph": Text("Graph", "그래프 보기"),
    "close": Text("Close", "닫기"),
    "leave": Text("Back", "뒤로"),
}


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Relabel the node's bindings (shown in the Footer) in `lang`."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=LABELS[b.action].get(lang)) if b.action in LABELS else b
            for b in bindings
        ]
    node.refresh_bindings()
