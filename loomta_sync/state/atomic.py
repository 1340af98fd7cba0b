"""Atomic file replacement: a reader sees the old content or the new, never a mix.

The new content goes to a temporary file in the same directory, is flushed and fsynced, and is
renamed over the target with `os.replace`. The directory is then fsynced so the rename itself
survives a power loss. A process killed midway leaves the old file and, at worst, a temporary
file named `.<name>.<random>.tmp` that `remove_stale_temporaries` deletes later.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import stat
from pathlib import Path

from loomta_sync.errors import StateError

logger = logging.getLogger(__name__)

TEMPORARY_SUFFIX = ".tmp"


def read_regular_file(path: Path) -> bytes:
    """Read `path`, which must be a regular file and not a symlink.

    The state files live in the repository, so a pull request could replace one with a symlink
    to a FIFO or a device. Opening without following links and without blocking, then checking
    the type, keeps a read from hanging or leaving the project. Raises
    FileNotFoundError when it is missing and OSError (ELOOP for a symlink) otherwise.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash at any point leaves the old or the new file.

    Raises StateError when the file or its directory cannot be written.
    """
    temporary = write_temporary(path, data)
    publish_temporary(temporary, path)


def write_temporary(path: Path, data: bytes) -> Path:
    """Write `data` to a new fsynced temporary file beside `path` and return its path."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StateError(f"{path}: cannot create a temporary file: {exc}") from exc

    try:
        _write_all(fd, data)
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        _remove_quietly(temporary)
        raise StateError(
            f"{path}: cannot write {len(data)} bytes to a temporary file: {exc}; "
            "the old file is unchanged"
        ) from exc

    os.close(fd)
    return temporary


def publish_temporary(temporary: Path, path: Path) -> None:
    """Rename a temporary file from `write_temporary` over `path` and fsync the directory."""
    try:
        os.replace(temporary, path)
    except OSError as exc:
        _remove_quietly(temporary)
        raise StateError(
            f"{path}: cannot replace the file: {exc}; the old file is unchanged"
        ) from exc

    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Fsync a directory so that creates, renames and unlinks in it are durable."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise StateError(f"{directory}: cannot open the directory to fsync it: {exc}") from exc

    try:
        os.fsync(fd)
    except OSError as exc:
        raise StateError(f"{directory}: fsync of the directory failed: {exc}") from exc
    finally:
        os.close(fd)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files that interrupted writes of `path` left, and return them.

    Only call this while holding the lock that serializes writers of `path`, because a
    temporary file of a running writer looks the same as a stale one.
    """
    removed: list[Path] = []
    for temporary in path.parent.glob(f".{path.name}.*{TEMPORARY_SUFFIX}"):
        _remove_quietly(temporary)
        removed.append(temporary)

    if removed:
        logger.info(
            "removed %d temporary files left by interrupted writes of %s", len(removed), path
        )
    return removed


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        logger.warning("cannot remove temporary file %s: %s", path, exc)
