"""The state lock: one apply or state-changing command at a time per state file.

Exclusion comes from `fcntl.flock` on the lock file, which the kernel releases when the holder
exits for any reason, SIGKILL included. The file also contains the holder as JSON (user, host,
pid, operation, start time) so that a waiting process can report who holds it. A holder removes
the file when it releases the lock. A lock file that nobody holds is therefore what a killed
holder leaves behind: the next `acquire` takes it over, and `break_lock` deletes it.

Removing the file on release races with a process that opened it just before: that process
would lock a deleted inode while a third one creates a new file. `acquire` therefore checks,
after locking, that its descriptor still refers to the file at the path, and retries if not.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from loomta_sync.errors import LockHeld, StateError
from loomta_sync.state.events import UtcDatetime
from loomta_sync.state.gitignore import ensure_gitignore

# ensure_gitignore is defined in gitignore.py and exported here too, where `init` imports it.
__all__ = [
    "LockHolder",
    "StateLock",
    "break_lock",
    "ensure_gitignore",
    "format_age",
    "lock_path_for",
    "process_liveness",
    "read_holder",
]

logger = logging.getLogger(__name__)

# Seconds between two attempts to take a held lock.
POLL_INTERVAL_SECONDS = 0.05

UNLOCK_COMMAND = "loomta-sync state unlock"


class LockHolder(BaseModel):
    """The process that holds, or last held, a state lock."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    host: str
    pid: int
    operation: str
    started_at: UtcDatetime

    @classmethod
    def current(cls, operation: str) -> LockHolder:
        return cls(
            user=_current_user(),
            host=socket.gethostname(),
            pid=os.getpid(),
            operation=operation,
            started_at=datetime.now(UTC),
        )

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """Return `user@host pid N (alive|dead|...), operation 'apply', started 3 minutes ago`."""
        age = (datetime.now(UTC) - self.started_at).total_seconds()
        return (
            f"{self.user}@{self.host} pid {self.pid} ({process_liveness(self)}), "
            f"operation {self.operation!r}, started {format_age(age)} ago"
        )


class StateLock:
    """An exclusive lock on one lock file, held by this object between acquire and release."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, operation: str, timeout_seconds: float) -> None:
        """Take the lock, polling for up to `timeout_seconds` while another process holds it.

        Raises LockHeld naming the holder when the time runs out, and StateError when the
        lock file cannot be created or the file system does not support flock.
        """
        if self._fd is not None:
            raise StateError(
                f"{self.path}: this StateLock is already acquired; release it before acquiring "
                "it again"
            )

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"{self.path.parent}: cannot create the state directory: {exc}"
            ) from exc

        deadline = time.monotonic() + max(timeout_seconds, 0.0)
        fd = self._try_lock()
        while fd is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockHeld(_held_message(self.path, timeout_seconds))
            time.sleep(min(POLL_INTERVAL_SECONDS, remaining))
            fd = self._try_lock()

        self._fd = fd
        previous = _read_holder_fd(fd)
        if previous is not None:
            logger.warning(
                "acquired the state lock %s after its previous holder exited without releasing "
                "it: %s",
                self.path,
                previous.describe(),
            )
        try:
            _write_holder(fd, LockHolder.current(operation))
        except OSError as exc:
            # The flock alone excludes other processes; only the held-lock message loses detail.
            logger.warning("cannot record the lock holder in %s: %s", self.path, exc)
        logger.debug("acquired the state lock %s for %s", self.path, operation)

    def release(self) -> None:
        """Delete the lock file and release the lock; does nothing when not held."""
        fd = self._fd
        if fd is None:
            return

        self._fd = None
        try:
            if _is_same_file(fd, self.path):
                self.path.unlink()
        except OSError as exc:
            logger.warning("cannot remove the state lock file %s: %s", self.path, exc)
        finally:
            os.close(fd)

    def _try_lock(self) -> int | None:
        """Lock the file at the path and return its descriptor, or None while another holds it."""
        while True:
            try:
                # O_NOFOLLOW: a lock file committed as a symlink must never make apply write
                # to whatever it points at.
                flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
                fd = os.open(self.path, flags, 0o644)
            except OSError as exc:
                raise StateError(
                    f"{self.path}: cannot open the lock file ({exc}); it must be a regular "
                    "file, so delete it if it is a symlink"
                ) from exc

            try:
                locked = _flock_nonblocking(fd, self.path)
            except StateError:
                os.close(fd)
                raise

            if not locked:
                os.close(fd)
                return None
            if _is_same_file(fd, self.path):
                return fd

            # The previous holder removed the file after we opened it: lock the new one.
            os.close(fd)


def read_holder(path: Path) -> LockHolder | None:
    """Return the holder recorded in a lock file, or None when it is missing or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return _parse_holder(data)


def lock_path_for(state_path: Path) -> Path:
    """Return the lock file of a state file: `<dir>/<name>.lock` for `<dir>/<name>.json`."""
    return state_path.with_name(f"{state_path.stem}.lock")


def break_lock(state_path: Path) -> LockHolder | None:
    """Delete the lock file of `state_path` if no process holds it, and return its holder.

    Returns None when there is no lock file or it records no readable holder. Raises LockHeld
    when a live process still holds the lock.
    """
    path = lock_path_for(state_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"{path}: cannot open the lock file: {exc}") from exc

    try:
        if not _flock_nonblocking(fd, path):
            raise LockHeld(_unlock_rejected_message(path))
        holder = _read_holder_fd(fd)
        if _is_same_file(fd, path):
            path.unlink()
        logger.info("removed the state lock file %s", path)
        return holder
    finally:
        os.close(fd)


def process_liveness(holder: LockHolder) -> str:
    """Return `alive` or `dead` for a holder on this host, which is all that can be checked.

    NOTE: a recycled pid makes a dead holder look alive. The flock decides who holds the lock,
    and this check only informs the message.
    """
    if holder.host != socket.gethostname():
        return "on another host, liveness unknown"

    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return "dead"
    except PermissionError:
        return "alive"

    return "dead" if _is_zombie(holder.pid) else "alive"


def format_age(seconds: float) -> str:
    """Format a duration in its two largest units, for example `3 minutes 5 seconds`."""
    total = max(int(seconds), 0)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    units = [(days, "day"), (hours, "hour"), (minutes, "minute"), (secs, "second")]

    first = next((index for index, (value, _) in enumerate(units) if value), len(units) - 1)
    words = [_plural(*units[first])]
    if first + 1 < len(units) and units[first + 1][0]:
        words.append(_plural(*units[first + 1]))
    return " ".join(words)


def _held_message(path: Path, waited_seconds: float) -> str:
    waited = f" after waiting {format_age(waited_seconds)}" if waited_seconds >= 1 else ""
    return (
        f"{path}: the state lock is held by {_describe_holder(path)}; gave up{waited}. Wait "
        f"for that process to finish, or run `{UNLOCK_COMMAND}` if that process is dead"
    )


def _unlock_rejected_message(path: Path) -> str:
    return (
        f"{path}: the state lock is held by {_describe_holder(path)}, and `{UNLOCK_COMMAND}` "
        "removes only a lock whose process has exited. Wait for that process to finish or "
        "stop it first"
    )


# How long a message waits for a new holder to write its details: it does so right after flock.
HOLDER_DETAILS_WAIT_SECONDS = 1.0


def _describe_holder(path: Path) -> str:
    holder = read_holder(path)
    deadline = time.monotonic() + HOLDER_DETAILS_WAIT_SECONDS
    while holder is None and time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL_SECONDS)
        holder = read_holder(path)
    if holder is None:
        return "a process that has not recorded its details yet"
    return holder.describe()


def _flock_nonblocking(fd: int, path: Path) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        raise StateError(
            f"{path}: flock failed: {exc}; keep the state file on a local file system"
        ) from exc
    return True


def _is_same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (opened.st_dev, opened.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read_holder_fd(fd: int) -> LockHolder | None:
    size = os.fstat(fd).st_size
    return _parse_holder(os.pread(fd, size, 0)) if size else None


def _write_holder(fd: int, holder: LockHolder) -> None:
    data = (json.dumps(holder.model_dump(mode="json"), sort_keys=True) + "\n").encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _parse_holder(data: bytes) -> LockHolder | None:
    try:
        return LockHolder.model_validate_json(data)
    except ValidationError:
        return None


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return str(os.getuid())


def _is_zombie(pid: int) -> bool:
    """Return whether `pid` has exited and is not reaped yet, on Linux (False elsewhere)."""
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] == "Z"
    return False


def _plural(value: int, unit: str) -> str:
    return f"{value} {unit}" if value == 1 else f"{value} {unit}s"
