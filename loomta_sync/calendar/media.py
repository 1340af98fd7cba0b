"""Local media files: safe resolution, type detection and sha256, each file handled once per load.

A file is checked with `os.stat` before it is opened, so a FIFO or device named in a post is
reported and never opened (opening a FIFO would block, and opening some devices has effects).
After opening, `fstat` confirms the descriptor is still a regular file, because the path could
have been swapped in between. The media type comes from the file's bytes, and the extension must
agree with it.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import logging
import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

from loomta_sync.calendar.media_paths import check_media_path
from loomta_sync.calendar.media_types import (
    ACCEPTED_TYPES,
    EXTENSION_TYPES,
    SNIFF_BYTES,
    sniff_media_type,
)
from loomta_sync.calendar.report import InputError

logger = logging.getLogger(__name__)

# Bytes per read while hashing. A smaller file takes one read, plus one that returns end of file.
READ_CHUNK_BYTES = 1 << 20

_PREFERRED_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/quicktime": ".mov",
}

_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A checked media file: its path as written (normalised), real path, hash, type and size.

    `size` is the number of bytes hashed, so size and sha256 always describe the same content.
    """

    path: str
    real_path: str
    sha256: str
    mime_type: str
    size: int


class MediaResolver:
    """Resolves media paths for one calendar load, caching results and errors.

    Two spellings of one file (`media/a.jpg`, `./media/a.jpg`, or a symlink to it) share one
    entry by real path, so each distinct file is stat-ed, read and hashed once.
    """

    def __init__(self, root: Path) -> None:
        self._root = os.fspath(root)
        self._real_root = os.path.realpath(root)
        self._by_text: dict[str, MediaFile | InputError] = {}
        self._by_real_path: dict[str, MediaFile | InputError] = {}

    def resolve(self, raw: str) -> MediaFile:
        """Return the checked file that `raw` names, or raise InputError saying what is wrong."""
        result = self._by_text.get(raw)
        if result is None:
            try:
                result = self._resolve_uncached(raw)
            except InputError as error:
                result = error
            self._by_text[raw] = result

        if isinstance(result, InputError):
            raise result
        return result

    def _resolve_uncached(self, raw: str) -> MediaFile:
        display_path = check_media_path(raw)
        real_path = os.path.realpath(os.path.join(self._root, display_path))
        if not real_path.startswith(self._real_root + os.sep):
            raise InputError(
                f"media path '{display_path}' resolves outside the project through a symlink",
                "copy the file into the project",
            )

        result = self._by_real_path.get(real_path)
        if result is None:
            try:
                result = self._read(display_path, real_path)
            except InputError as error:
                result = error
            self._by_real_path[real_path] = result

        if isinstance(result, InputError):
            raise result
        return MediaFile(display_path, real_path, result.sha256, result.mime_type, result.size)

    def _read(self, display_path: str, real_path: str) -> MediaFile:
        try:
            status = os.stat(real_path)
        except FileNotFoundError:
            raise _not_found(display_path, os.path.join(self._root, display_path)) from None
        except OSError as exc:
            raise InputError(f"cannot read media file '{display_path}': {exc.strerror}") from exc
        _require_regular_file(display_path, status.st_mode)

        try:
            descriptor = os.open(real_path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError as exc:
            raise InputError(f"cannot open media file '{display_path}': {exc.strerror}") from exc
        try:
            _require_regular_file(display_path, os.fstat(descriptor).st_mode)
            mime_type, sha256, size = _hash(descriptor, display_path, status.st_size)
        except OSError as exc:
            raise InputError(f"cannot read media file '{display_path}': {exc.strerror}") from exc
        finally:
            os.close(descriptor)

        logger.debug("hashed media %s (%s, %s bytes)", display_path, mime_type, size)
        return MediaFile(display_path, real_path, sha256, mime_type, size)


def _hash(descriptor: int, display_path: str, expected_size: int) -> tuple[str, str, int]:
    """Check the type from the first bytes and hash the whole file: (mime type, sha256, size)."""
    # The size from stat only sizes the first read, because the file may change meanwhile.
    chunk = os.read(descriptor, min(expected_size + 1, READ_CHUNK_BYTES))
    mime_type = _check_type(
        display_path, posixpath.splitext(display_path)[1].lower(), chunk[:SNIFF_BYTES]
    )

    digest = hashlib.sha256()
    size = 0
    while chunk:
        digest.update(chunk)
        size += len(chunk)
        chunk = os.read(descriptor, READ_CHUNK_BYTES)
    return mime_type, digest.hexdigest(), size


def file_kind(mode: int) -> str:
    """Name the kind of a file that is not a regular file, from its `st_mode`."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def _require_regular_file(display_path: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise InputError(
            f"media path '{display_path}' is {file_kind(mode)}",
            "point it at an image or video file",
        )


def _not_found(display_path: str, path: str) -> InputError:
    directory, name = os.path.split(path)
    siblings: list[str] = []
    with contextlib.suppress(OSError):
        siblings = [entry.name for entry in os.scandir(directory) if entry.is_file()]
    close = difflib.get_close_matches(name, siblings, n=1)
    if close:
        hint = f"did you mean '{posixpath.join(posixpath.dirname(display_path), close[0])}'?"
    else:
        hint = "check the path, which is relative to the directory of loomta.yaml"
    return InputError(f"media file '{display_path}' not found", hint)


def _check_type(display_path: str, extension: str, head: bytes) -> str:
    detected = sniff_media_type(head)
    accepted = ", ".join(ACCEPTED_TYPES)
    if not head:
        raise InputError(
            f"media file '{display_path}' is empty", "replace it with an image or video"
        )
    if detected is None:
        raise InputError(
            f"media file '{display_path}' is not a recognised image or video",
            f"use one of {accepted}",
        )
    if detected not in ACCEPTED_TYPES:
        raise InputError(
            f"media file '{display_path}' is {detected}, which Loomta does not accept",
            f"convert it to one of {accepted}",
        )

    expected = EXTENSION_TYPES.get(extension)
    if expected == detected:
        return detected
    better_name = posixpath.splitext(display_path)[0] + _PREFERRED_EXTENSIONS[detected]
    if expected is None:
        written = f"extension '{extension}'" if extension else "no extension"
        raise InputError(
            f"media file '{display_path}' contains {detected} but has {written}",
            f"rename it to '{better_name}'",
        )
    raise InputError(
        f"media file '{display_path}' has the extension of {expected} but contains {detected}",
        f"rename it to '{better_name}' or replace the file",
    )
