"""Provides localize_bindings (a screen's footer labels in the learner's language) and
show_bindings (which of its keys the footer shows now)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from textual.binding import Binding
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
    "mastery": Text("Mastery", "숙달 지도"),
    "history": Text("History", "기록"),
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
    "answer": Text("Answer box", "답 입력칸"),
    "browse('next')": Text("Next", "다음"),
    "browse('back')": Text("Back", "뒤로"),
    "browse('derivation')": Text("Derivation", "미분 과정"),
    "browse('plot')": Text("Plot", "함수 그림"),
    "browse('graph')": Text("Graph", "그래프 보기"),
    "browse('home')": Text("Home", "처음으로"),
}

# (key, action) -> its label, where the key says more than the action
KEY_LABELS = {
    ("left", "back"): Text("Back (empty box)", "뒤로 (빈 입력칸)"),
}


def localize_bindings(node: DOMNode, lang: str, labels: Mapping[str, Text] | None = None) -> None:
    """Relabel the node's bindings (shown in the Footer) in `lang`: the common LABELS, and the
    screen's own `labels` (action → Text) before them."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_labelled(key, b, lang, labels or {}) for b in bindings]
    node.refresh_bindings()


def _labelled(key: str, binding: Binding, lang: str, labels: Mapping[str, Text]) -> Binding:
    label = (
        labels.get(binding.action)
        or KEY_LABELS.get((key, binding.action))
        or LABELS.get(binding.action)
    )
    return binding if label is None else replace(binding, description=label.get(lang))


def show_bindings(node: DOMNode, keys: Collection[str]) -> None:
    """Show exactly the bindings of `keys` in the Footer (the others still work, unshown)."""
    table = node._bindings.key_to_bindings
    changed = False
    for key, bindings in table.items():
        shown = key in keys
        if any(b.show != shown for b in bindings):
            table[key] = [replace(b, show=shown) for b in bindings]
            changed = True
    if changed:
        node.refresh_bindings()
