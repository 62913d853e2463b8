"""Provides ProgramView: the lesson's program, the current statement highlighted, run lines dimmed.

Long lines wrap under their own text (the line numbers stay in their column), and comments
are shown in the learner's language (`comment_in`).
"""

from __future__ import annotations

import io
import re
import tokenize

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Span
from rich.text import Text as RichText
from textual.geometry import Size
from textual.widget import Widget

from tutor.tui.widgets.wrap import wrap_rows

# The bilingual comment convention: `# en: add 2 to every element / ko: 모든 원소에 +2`
# (either order; a comment tagged with one language only is shown in that language only).
_TAG = re.compile(r"(?:^|\s*/\s*)(en|ko):\s*")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_PARENTHESISED = re.compile(r"^(?P<outside>.*?)\s*\((?P<inside>[^()]*)\)\s*$")


def comment_in(body: str, lang: str) -> str:
    """The text of a comment (without `#`) in `lang`; "" when it has nothing in that language.

    Tagged comments (`en: … / ko: …`) give each language its own text. Untagged comments are
    read the way the course's first programs wrote them: `한국어 / English`, `한국어 (English)`,
    or one language alone (a comment with no Korean is shown in both languages).
    """
    text = body.strip()
    if _TAG.match(text):
        parts = _TAG.split(text)
        texts = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
        return texts.get(lang, "")
    if not _HANGUL.search(text):
        return text
    halves = [half.strip() for half in text.split(" / ")]
    if len(halves) == 2 and bool(_HANGUL.search(halves[0])) != bool(_HANGUL.search(halves[1])):
        korean, english = halves if _HANGUL.search(halves[0]) else halves[::-1]
        return korean if lang == "ko" else english
    match = _PARENTHESISED.match(text)
    if match and _HANGUL.search(match["outside"]) and not _HANGUL.search(match["inside"]):
        return match["outside"] if lang == "ko" else match["inside"]
    return text if lang == "ko" else ""


def in_language(source: str, lang: str) -> str:
    """The program with each comment in `lang` (or removed); every line keeps its number."""
    lines = source.split("\n")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    for token in reversed(tokens):
        if token.type != tokenize.COMMENT:
            continue
        row, column = token.start
        line = lines[row - 1]
        shown = comment_in(token.string[1:], lang)
        code = line[:column].rstrip()
        if shown:
            lines[row - 1] = line[:column] + "# " + shown
        else:
            lines[row - 1] = code
    return "\n".join(lines)


def _plain_background(text: RichText) -> RichText:
    """The highlighted program with the theme's backgrounds dropped (the panel has its own)."""
    text.spans = [
        Span(span.start, span.end, Style(color=style.color, bold=style.bold, italic=style.italic))
        for span in text.spans
        for style in [span.style if isinstance(span.style, Style) else Style.parse(span.style)]
    ]
    text.style = ""
    return text


class ProgramView(Widget):
    """The program, numbered; `show(line, end_line)` marks the statement the step is at."""

    DEFAULT_CSS = """
    ProgramView {
        height: auto;
    }
    """

    def __init__(self, source: str, lang: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = in_language(source.rstrip("\n"), lang)
        self.rows: list[tuple[RichText, RichText]] = []
        self.line: int | None = None

    def show(self, line: int | None, end_line: int | None) -> None:
        """Highlight lines line..end_line (1-based); lines before them have run."""
        highlighted = _plain_background(
            Syntax(self.source, "python", theme="ansi_dark").highlight(self.source)
        )
        highlighted.rstrip()
        lines = highlighted.split("\n", allow_blank=True)
        width = len(str(len(lines)))
        rows: list[tuple[RichText, RichText]] = []
        for number, text in enumerate(lines, 1):
            current = line is not None and line <= number <= (end_line or line)
            done = line is not None and number < line
            gutter = RichText("▶ " if current and number == line else "  ", style="bold yellow")
            gutter.append(f"{number:>{width}} ", style="dim")
            if current:
                text.stylize("bold on #3a3a00")
            elif done:
                text.stylize("dim")
            rows.append((gutter, text))
        self.rows = rows
        self.line = line
        self.refresh(layout=True)
        if line is not None and self.parent is not None:
            box = self.parent
            row = self._row_of(line)
            self.call_after_refresh(lambda: box.scroll_to(y=max(0, row - 3), animate=False))

    def _row_of(self, line: int) -> int:
        """The screen row where program line `line` starts (lines above may have wrapped)."""
        width = self.size.width or 80
        return sum(len(wrap_rows(self.app.console, [r], width)) for r in self.rows[: line - 1])

    def _lines(self, width: int) -> list[RichText]:
        return wrap_rows(self.app.console, self.rows, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> RichText:
        return RichText("\n").join(self._lines(self.size.width))
