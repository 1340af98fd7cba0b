"""Media types, detected from a file's first bytes rather than trusted from its extension.

Loomta accepts image/jpeg, image/webp, video/mp4, video/webm and video/quicktime. A few other
common types are recognised only so an error can name what the file really is.
"""

from __future__ import annotations

ACCEPTED_TYPES = ("image/jpeg", "image/webp", "video/mp4", "video/webm", "video/quicktime")

EXTENSION_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
}

# Bytes read to detect a type: enough for an EBML header's DocType.
SNIFF_BYTES = 4096

# QuickTime files written without an `ftyp` box start with one of these top-level atoms.
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})

# Major brands of ISO base media files that are not video/mp4; every other brand is read as MP4.
_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
}

_PREFIXES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)


def sniff_media_type(head: bytes) -> str | None:
    """Return the media type that a file's first bytes show, or None when unrecognised."""
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            return media_type

    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return _ebml_type(head)
    return None


def _ebml_type(head: bytes) -> str:
    # The DocType element (ID 0x4282) contains "webm" or "matroska" near the start of the header.
    if b"\x42\x82" in head and b"webm" in head:
        return "video/webm"
    return "video/x-matroska"
