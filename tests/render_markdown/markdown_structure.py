"""A reader of the Markdown structure that matters for safety: code fences and HTML tags.

It follows CommonMark's fence rules: an opening fence is three or more backticks or tildes
indented at most three spaces, and only a line of the same character, at least as long, closes
it. Text outside fences is what GitHub parses for mentions, references and HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# GitHub's mention syntax: `@` after a non-word character, then a letter or digit.
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
ISSUE_REFERENCE = re.compile(r"(?<![\w&])#[0-9]")


@dataclass
class Structure:
    outside: list[str] = field(default_factory=list)
    fences: list[str] = field(default_factory=list)
    unclosed: bool = False

    @property
    def outside_text(self) -> str:
        return "\n".join(self.outside)

    @property
    def rendered_outside(self) -> str:
        """The text outside fences with character references decoded, as GitHub's filters see it."""
        return html.unescape(self.outside_text)


def read_structure(markdown: str) -> Structure:
    structure = Structure()
    fence: str | None = None
    body: list[str] = []
    for line in markdown.split("\n"):
        if fence is None:
            match = _OPEN.match(line)
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = match.group(1)
                body = []
            else:
                structure.outside.append(line)
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        closes = stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence)
        if indent <= 3 and closes:
            structure.fences.append("\n".join(body))
            fence = None
            continue
        body.append(line)
    structure.unclosed = fence is not None
    return structure


def html_tags(text: str) -> list[str]:
    """Return the HTML tag names in text, closing tags with a leading `/`."""
    return re.findall(r"<(/?[A-Za-z][A-Za-z0-9-]*)", text)
