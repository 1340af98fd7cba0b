"""Media resolution: type detection from bytes, and each file read once per load."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from loomta_sync.calendar.media import MediaResolver
from loomta_sync.calendar.media_types import sniff_media_type
from loomta_sync.calendar.report import InputError

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (JPEG_HEAD, "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00", "video/quicktime"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00", "image/avif"),
        (bytes.fromhex("1a45dfa39f4286810142828477656" + "26d"), "video/webm"),
        (bytes.fromhex("1a45dfa3a3428288") + b"matroska", "video/x-matroska"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF89a", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"plain text", None),
        (b"", None),
    ],
)
def test_sniff_media_type(head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head) == expected


def test_each_file_hashed_once(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    photo = media / "photo.jpg"
    photo.write_bytes(JPEG_HEAD + b"first version")
    resolver = MediaResolver(tmp_path)

    first = resolver.resolve("media/photo.jpg")
    photo.write_bytes(JPEG_HEAD + b"second version, longer")
    # Another spelling of the same file: cached by real path, so not read again.
    second = resolver.resolve("./media/photo.jpg")
    fresh = MediaResolver(tmp_path).resolve("media/photo.jpg")

    assert second.sha256 == first.sha256
    assert second.size == first.size
    assert second.path == "media/photo.jpg"
    assert fresh.sha256 != first.sha256


def test_errors_cached_per_spelling(tmp_path: Path) -> None:
    resolver = MediaResolver(tmp_path)

    with pytest.raises(InputError) as first:
        resolver.resolve("media/absent.jpg")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "absent.jpg").write_bytes(JPEG_HEAD)
    with pytest.raises(InputError) as second:
        resolver.resolve("media/absent.jpg")

    assert first.value is second.value
    assert first.value.message == "media file 'media/absent.jpg' not found"


def test_large_file_hash_covers_every_chunk(tmp_path: Path) -> None:
    # 3.5 MiB takes several reads, so a digest of only the first chunk would differ.
    body = JPEG_HEAD + bytes(range(256)) * (14 * 1024)
    (tmp_path / "big.jpg").write_bytes(body)

    resolved = MediaResolver(tmp_path).resolve("big.jpg")

    assert resolved.sha256 == hashlib.sha256(body).hexdigest()
    assert resolved.size == len(body)
