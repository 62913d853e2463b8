"""Provides ProgramView: the lesson's program, the current statement highlighted, run lines dimmed."""

from __future__ import annotations

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Span
from rich.text import Text as RichText
from textual.widgets import Static


def _plain_background(text: RichText) -> RichText:
    """The highlighted program with the theme's backgrounds dropped (the panel has its own)."""
    text.spans = [
        Span(span.start, span.end, Style(color=style.color, bold=style.bold, italic=style.italic))
        for span in text.spans
        for style in [span.style if isinstance(span.style, Style) else Style.parse(span.style)]
    ]
    text.style = ""
    return text


class ProgramView(Static):
    def __init__(self, source: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source.rstrip("\n")

    def show(self, line: int | None, end_line: int | None) -> None:
        """Highlight lines line..end_line (1-based); lines before them have run."""
        highlighted = _plain_background(
            Syntax(self.source, "python", theme="ansi_dark").highlight(self.source)
        )
        highlighted.rstrip()
        lines = highlighted.split("\n", allow_blank=True)
        width = len(str(len(lines)))
        out = RichText()
        for number, text in enumerate(lines, 1):
            current = line is not None and line <= number <= (end_line or line)
            done = line is not None and number < line
            marker = "▶ " if current and number == line else "  "
            out.append(marker, style="bold yellow" if current else "")
            out.append(f"{number:>{width}} ", style="dim")
            if current:
                text.stylize("bold on #3a3a00")
            elif done:
                text.stylize("dim")
            out.append_text(text)
            if number < len(lines):
                out.append("\n")
        self.update(out)
        if line is not None and self.parent is not None:
            box = self.parent
            self.call_after_refresh(lambda: box.scroll_to(y=max(0, line - 3), animate=False))
