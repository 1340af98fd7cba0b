"""Collecting calendar problems with the file, line and column of the value they concern."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from loomta_sync.calendar.text import make_visible
from loomta_sync.calendar.yaml_loader import YamlDocument
from loomta_sync.errors import Problem

YamlPath = tuple[str | int, ...]


class InputError(Exception):
    """An invalid value: the message states what is wrong with it and the hint how to fix it.

    Checks that look at one value raise it, and the caller reports it at that value's position.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class PostReporter:
    """Turns problems found in one post into `Problem`s at positions in its file.

    Paths are relative to the post: a list file's third post has the prefix `(2,)`, so its
    `("content",)` is the document path `(2, "content")`.
    """

    def __init__(
        self, document: YamlDocument, prefix: YamlPath, post_key: str | None, sink: list[Problem]
    ) -> None:
        self.document = document
        self.prefix = prefix
        self.post_key = post_key
        self.failed = False
        self._sink = sink

    def error(
        self, path: YamlPath, message: str, hint: str | None = None, *, at_key: bool = False
    ) -> None:
        """Report a problem at the value at `path`, or at its mapping key with `at_key`."""
        full_path = self.prefix + path
        mark = self.document.key_mark(full_path) if at_key else self.document.mark(full_path)
        self._sink.append(
            Problem(self.document.path, mark.line, mark.column, message, hint, self.post_key)
        )
        self.failed = True

    def invalid(self, path: YamlPath, error: InputError) -> None:
        self.error(path, error.message, error.hint)


# Longer words get no suggestion: difflib's cost grows with the word's length times the number
# of choices, and a hostile file could otherwise make validation slow.
MAX_SUGGESTED_WORD_LENGTH = 100


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """Return the choice closest to a misspelled `word`, if one is close enough."""
    if len(word) > MAX_SUGGESTED_WORD_LENGTH:
        return None
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def excerpt(text: str, limit: int = 60) -> str:
    """Shorten user text for a one-line message, marking the cut with `...`.

    Hidden characters become markers such as `⟨U+202E⟩`, so a key or name written with a
    bidirectional override or a carriage return cannot disguise the message it appears in.
    """
    shortened = text if len(text) <= limit else text[: limit - 3] + "..."
    return make_visible(shortened)


def format_field(path: YamlPath) -> str:
    """Name a field for messages: `comments[0].content`, `overrides.dev.settings`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif text:
            text += f".{part}"
        else:
            text = part
    return text or "the post"


def describe_value(value: object) -> str:
    """Name a YAML value's type with a short excerpt of it, such as `an integer (123)`."""
    kind = _TYPE_NAMES.get(type(value))
    if kind is None:
        kind = "a string" if isinstance(value, str) else f"a {type(value).__name__}"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict | list):
        return kind
    text = repr(value) if isinstance(value, str) else str(value)
    return f"{kind} ({excerpt(text, 40)})"


_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
}
