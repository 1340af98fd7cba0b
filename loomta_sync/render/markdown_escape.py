"""Escaping of user text for GitHub-flavoured Markdown.

Post text, keys, file names and API messages are written by people who are not the reviewers,
so every piece of them goes through one of two functions here:

- `escape_inline` for text inside a paragraph, a table cell or an HTML element such as
  `<summary>`: Markdown and HTML punctuation become numeric character references, which
  CommonMark treats as literal characters and never as syntax. `@` and `#` get a zero-width
  space after them, because GitHub finds mentions and issue references in the rendered text,
  after references are decoded.
- `fenced_block` for whole post text: a code fence longer than any backtick run in the text, so
  no line of the text can close it. GitHub creates no mentions or references inside code.

Both show invisible and bidirectional control characters as visible `⟨U+XXXX⟩` marks.
"""

from __future__ import annotations

import re

from loomta_sync.calendar.text import make_visible

ZERO_WIDTH_SPACE = "&#8203;"

# Characters that are Markdown or HTML syntax somewhere in GitHub's renderer: emphasis, code,
# links, images, tables, strikethrough, headings, math (`$`), emoji shortcodes (`:`) and HTML.
_REFERENCES = {char: f"&#{ord(char)};" for char in "\\`*_[]#!|~<>&\"':$"}
# `@name` and `#123` would notify a user or team or link an issue, so they are broken apart.
_REFERENCES["@"] = "&#64;" + ZERO_WIDTH_SPACE
_REFERENCES["#"] = "&#35;" + ZERO_WIDTH_SPACE

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_BACKTICK_RUN = re.compile(r"`+")


def escape_inline(text: str) -> str:
    """Escape text for one line of Markdown or for the content of an HTML element.

    Line breaks become a visible `⏎` so the result always stays on one line.
    """
    visible = make_visible(_LINE_BREAKS.sub(" ⏎ ", text))
    return "".join(_REFERENCES.get(char, char) for char in visible)


def inline_code(text: str) -> str:
    """Wrap escaped text in `<code>`, which works in paragraphs, table cells and `<summary>`."""
    return f"<code>{escape_inline(text)}</code>"


def fenced_block(text: str, info: str = "text") -> str:
    """Put text in a code fence that no line of the text can close.

    The fence is one backtick longer than the longest backtick run in the text and at least
    three long. Line breaks are normalised to `\\n` and the result ends with the closing fence.
    """
    visible = make_visible(_LINE_BREAKS.sub("\n", text))
    longest = max((len(run) for run in _BACKTICK_RUN.findall(visible)), default=0)
    fence = "`" * max(3, longest + 1)
    body = visible if visible.endswith("\n") or not visible else visible + "\n"
    return f"{fence}{info}\n{body}{fence}"


def measure(text: str) -> int:
    """Count text the way size limits are checked here: in UTF-16 code units.

    NOTE: GitHub documents its comment limit as 65,536 characters without saying how it counts
    them. UTF-16 code units are never fewer than code points, so this count is the safer one.
    """
    return len(text.encode("utf-16-le")) // 2
