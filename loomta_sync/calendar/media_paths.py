"""Rules for the media paths a post may name, checked before the file system is touched.

A media path is relative to the project root and written with `/`. It is rejected when it:

- is empty, absolute (`/x`, `C:/x`, `\\\\server\\x`), starts with `~`, or contains `\\` or `..`;
- contains a control or format character (bidirectional controls, zero-width characters) or a
  separator other than the ASCII space, such as the no-break space;
- is not in Unicode normalization form NFC, so the name path_text differs from the bytes on disk;
- changes under NFKC, which maps compatibility lookalikes such as the fullwidth solidus U+FF0F
  and the one dot leader U+2024 to `/` and `.`;
- contains a non-ASCII character that is not a letter, mark or digit. Lookalikes of `/`, `\\`
  and `.` that NFKC leaves alone, such as the division slash U+2215 and the fraction slash
  U+2044, are symbols or punctuation, so this rule rejects them too.

Non-ASCII letters stay allowed, so `media/café.jpg` is fine when written in NFC. Symlinks are
checked later, on the resolved path.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from loomta_sync.calendar.report import InputError, excerpt

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_ASCII_PRINTABLE = re.compile(r"[ -~]*")


def check_media_path(raw: str) -> str:
    """Return `raw` normalised (`./a//b` is `a/b`), or raise InputError saying why not."""
    path_text = excerpt(raw)
    if not raw.strip():
        raise InputError("media path is empty", "write a path relative to the project root")

    if raw.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(raw):
        raise InputError(
            f"media path '{path_text}' is absolute", "write it relative to the project root"
        )
    if raw.startswith("~"):
        raise InputError(
            f"media path '{path_text}' starts with '~'", "write it relative to the project root"
        )
    if "\\" in raw:
        raise InputError(f"media path '{path_text}' contains '\\'", "separate folders with '/'")

    if not _ASCII_PRINTABLE.fullmatch(raw):
        _check_unicode(raw)

    if ".." in raw.split("/"):
        raise InputError(
            f"media path '{path_text}' contains '..'", "keep media inside the project directory"
        )
    normalised = posixpath.normpath(raw)
    if normalised == ".":
        raise InputError(f"media path '{path_text}' names the project directory", "name a file")
    return normalised


def _check_unicode(raw: str) -> None:
    path_text = excerpt(raw)
    for index, character in enumerate(raw):
        category = unicodedata.category(character)
        if category[0] in "CZ" and character != " ":
            raise _bad_character(raw, index, "is a control, format or separator character")

    if unicodedata.normalize("NFC", raw) != raw:
        raise InputError(
            f"media path '{path_text}' is not in Unicode normalization form NFC",
            "rename the file and write its name again, so both use composed characters",
        )
    if unicodedata.normalize("NFKC", raw) != raw:
        raise InputError(
            f"media path '{path_text}' contains compatibility characters that look like others "
            f"(it reads as '{excerpt(unicodedata.normalize('NFKC', raw))}' after NFKC)",
            "rename the file using plain characters",
        )

    for index, character in enumerate(raw):
        if ord(character) > 0x7E and unicodedata.category(character)[0] not in "LMN":
            raise _bad_character(raw, index, "is a non-ASCII symbol or punctuation mark")


def _bad_character(raw: str, index: int, reason: str) -> InputError:
    code_point = f"U+{ord(raw[index]):04X}"
    name = unicodedata.name(raw[index], "")
    described = f"{code_point} ({name})" if name else code_point
    return InputError(
        f"media path contains {described} at position {index + 1}, which {reason}",
        "rename the file using letters, digits, '-', '_', '.' and '/'",
    )
