"""Hidden characters in post text: which are found, where, and how they are made visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loomta_sync.calendar.text import HiddenKind, find_hidden_characters, make_visible


def test_find_positions_across_lines() -> None:
    text = "first line\nsecond\u202e line\n\tthird\u200b"

    found = find_hidden_characters(text)

    assert [(c.label, c.kind, c.line, c.column) for c in found] == [
        ("U+202E", HiddenKind.BIDI, 2, 7),
        ("U+200B", HiddenKind.INVISIBLE, 3, 7),
    ]
    assert found[0].index == text.index("\u202e")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bell\a", "bell⟨U+0007⟩"),
        ("esc\x1b[0m", "esc⟨U+001B⟩[0m"),
        ("del\x7f and c1\x85", "del⟨U+007F⟩ and c1⟨U+0085⟩"),
        ("carriage\r\nreturn", "carriage⟨U+000D⟩\nreturn"),
        ("\ufeffstart", "⟨U+FEFF⟩start"),
        ("a\u2066b\u2069", "a⟨U+2066⟩b⟨U+2069⟩"),
        ("word\u2060joiner", "word⟨U+2060⟩joiner"),
        ("pass\u200dword", "pass⟨U+200D⟩word"),
        ("\u200d👩", "⟨U+200D⟩👩"),
        ("👩\u200d", "👩⟨U+200D⟩"),
        ("👩\u200dx", "👩⟨U+200D⟩x"),
        ("x\u200c👩", "x⟨U+200C⟩👩"),
    ],
)
def test_make_visible_marks_hidden(text: str, expected: str) -> None:
    assert make_visible(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "👩\u200d💻",  # woman technologist
        "👨\U0001f3fd\u200d🚀",  # astronaut with a skin tone modifier before the ZWJ
        "🏳\ufe0f\u200d🌈",  # rainbow flag: variation selector before the ZWJ
        "❤\ufe0f\u200d🔥",  # heart on fire, from the Dingbats block
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari half form with a ZWJ
        "tabs\tand\nnewlines",
        "",
    ],
)
def test_legitimate_text_unchanged(text: str) -> None:
    assert find_hidden_characters(text) == []
    assert make_visible(text) == text


def test_describe_names_code_point() -> None:
    (bidi,) = find_hidden_characters("\u202e")
    (bell,) = find_hidden_characters("\a")

    assert bidi.describe() == "U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert bell.describe() == "U+0007"


@given(st.text())
def test_make_visible_leaves_nothing_hidden(text: str) -> None:
    visible = make_visible(text)

    assert find_hidden_characters(visible) == []
    if not find_hidden_characters(text):
        assert visible == text
