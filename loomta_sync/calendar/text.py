"""Hidden characters in post text: finding them for validation and marking them for display.

A post's text is published as written, so characters that a reviewer cannot see in a plan are
rejected:

- control characters (Unicode category Cc) other than newline and tab;
- bidirectional embeddings, overrides and isolates, U+202A to U+202E and U+2066 to U+2069, which
  can make text read differently from its code point order;
- invisible characters: zero-width space U+200B, word joiner U+2060 and U+FEFF (zero-width
  no-break space, a byte order mark anywhere inside text);
- zero-width joiner U+200D and non-joiner U+200C, except where they are part of the text.

A joiner is part of the text in two cases. A ZWJ between two emoji builds one emoji (👩 ZWJ 💻
shows as 👩‍💻). A ZWJ or ZWNJ between two letters of a script that uses joiners to pick letter
forms (Arabic, Syriac, Thaana, N'Ko, the Indic scripts, Myanmar, Khmer, Mongolian) is spelling:
Persian writes "می‌خواهم" with a ZWNJ.

`make_visible` replaces exactly the characters that validation rejects with markers such as
`⟨U+202E⟩`, so renderers can show a reviewer what the text contains.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class HiddenKind(StrEnum):
    CONTROL = "control"  # category Cc other than newline and tab
    BIDI = "bidi"  # embeddings, overrides and isolates
    INVISIBLE = "invisible"  # U+200B, U+2060, U+FEFF
    JOINER = "joiner"  # ZWJ or ZWNJ outside an emoji sequence or joining script


@dataclass(frozen=True, slots=True)
class HiddenCharacter:
    """One rejected character: its code point and 1-based line and column within the text."""

    code_point: int
    kind: HiddenKind
    index: int
    line: int
    column: int

    @property
    def label(self) -> str:
        return f"U+{self.code_point:04X}"

    def describe(self) -> str:
        """Return e.g. `U+202E (RIGHT-TO-LEFT OVERRIDE)`, or only the code point for controls."""
        name = unicodedata.name(chr(self.code_point), "")
        return f"{self.label} ({name})" if name else self.label


# Every character that may be rejected. Ordinary text has no match, so its scan stays in the
# regular expression engine's C code.
_CANDIDATES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)

_ZWNJ = 0x200C
_ZWJ = 0x200D
_BIDI = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_INVISIBLE = frozenset({0x200B, 0x2060, 0xFEFF})

# Code points that may stand between an emoji and a following ZWJ: variation selectors,
# the combining keycap and tag characters (used by subdivision flags).
_EMOJI_TRAILERS = frozenset([0xFE0E, 0xFE0F, 0x20E3, *range(0xE0020, 0xE0080)])

_EMOJI_RANGES = (
    (0x2300, 0x23FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x1F000, 0x1FAFF),
)

# Blocks of scripts that use ZWJ and ZWNJ to choose letter forms.
_JOINING_SCRIPT_RANGES = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Arabic Supplement, Thaana, N'Ko, Arabic Extended-A
    (0x0900, 0x0DFF),  # Devanagari to Sinhala
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFC),  # Arabic Presentation Forms-B
)


def find_hidden_characters(text: str) -> list[HiddenCharacter]:
    """Return every character of `text` that validation rejects, in text order."""
    if _CANDIDATES.search(text) is None:  # the usual case, decided in one scan in C
        return []
    found: list[HiddenCharacter] = []
    # Lines are counted from the previous match on, so a text full of matches stays linear.
    line = 1
    line_start = 0
    counted_up_to = 0
    for match in _CANDIDATES.finditer(text):
        index = match.start()
        kind = _classify(text, index)
        if kind is None:
            continue

        newlines = text.count("\n", counted_up_to, index)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_up_to, index) + 1
        counted_up_to = index
        column = index - line_start + 1
        found.append(HiddenCharacter(ord(text[index]), kind, index, line, column))
    return found


def make_visible(text: str) -> str:
    """Replace each character that validation rejects with a marker such as `⟨U+202E⟩`."""
    hidden = find_hidden_characters(text)
    if not hidden:
        return text

    parts: list[str] = []
    start = 0
    for character in hidden:
        parts.append(text[start : character.index])
        parts.append(f"⟨{character.label}⟩")
        start = character.index + 1
    parts.append(text[start:])
    return "".join(parts)


def _classify(text: str, index: int) -> HiddenKind | None:
    code_point = ord(text[index])
    if code_point in _BIDI:
        return HiddenKind.BIDI
    if code_point in _INVISIBLE:
        return HiddenKind.INVISIBLE
    if code_point in (_ZWJ, _ZWNJ):
        return None if _is_legitimate_joiner(text, index) else HiddenKind.JOINER
    return HiddenKind.CONTROL


def _is_legitimate_joiner(text: str, index: int) -> bool:
    if index == 0 or index + 1 >= len(text):
        return False

    after = ord(text[index + 1])
    if text[index] == "\u200d" and _is_emoji(after):
        before = index - 1
        while before > 0 and ord(text[before]) in _EMOJI_TRAILERS:
            before -= 1
        if _is_emoji(ord(text[before])):
            return True

    return _is_joining_letter(text[index - 1]) and _is_joining_letter(text[index + 1])


def _is_emoji(code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in _EMOJI_RANGES)


def _is_joining_letter(character: str) -> bool:
    code_point = ord(character)
    if not any(low <= code_point <= high for low, high in _JOINING_SCRIPT_RANGES):
        return False
    return unicodedata.category(character)[0] in "LM"
