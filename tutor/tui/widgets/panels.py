"""Provides the titled panels the lesson and the review screens share, to be used with
`yield from` inside a screen's compose: the program beside the variables, and the question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll

from tutor.tui.i18n import t
from tutor.tui.widgets.program_view import ProgramView
from tutor.tui.widgets.question import QuestionPanel
from tutor.tui.widgets.variables import VariablesView


def program_panels(program: str, lang: str, prefix: str = "") -> ComposeResult:
    """The program's panel, then the variables' (ids `{prefix}program`, `{prefix}variables`,
    each inside `…-box`)."""
    with VerticalScroll(id=f"{prefix}program-box", classes="panel") as box:
        box.border_title = t("program", lang)
        yield ProgramView(program, lang, id=f"{prefix}program")
    with VerticalScroll(id=f"{prefix}variables-box", classes="panel") as box:
        box.border_title = t("variables", lang)
        yield VariablesView(id=f"{prefix}variables")


def question_panel(lang: str, prefix: str = "") -> ComposeResult:
    """The question's panel (id `{prefix}question`, inside `{prefix}question-box`)."""
    with Vertical(id=f"{prefix}question-box", classes="panel") as box:
        box.border_title = t("question", lang)
        yield QuestionPanel(id=f"{prefix}question")
