"""The emulator's clock, and how it reads and writes instants.

The clock is the system clock plus an offset that the admin endpoint sets, so a test can move
time forward and see a queued post become published without waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

LATEST_YEAR = 9998


class Clock:
    """UTC time shifted by an adjustable offset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return datetime.now(UTC) + offset

    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset.total_seconds()

    def set_offset(self, seconds: float) -> None:
        with self._lock:
            self._offset = timedelta(seconds=seconds)


def format_instant(instant: datetime) -> str:
    """Write an instant as JavaScript's toISOString does: UTC, milliseconds, `Z`."""
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_instant(text: str) -> datetime:
    """Read an ISO 8601 date-time that carries a UTC offset (`Z` or `+01:00`), in UTC.

    Raises ValueError with the reason when the text is not a date-time, has no offset, or falls
    after the year LATEST_YEAR, which leaves room to add a comment's delay.
    """
    try:
        instant = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError("is not an ISO 8601 date-time") from exc

    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("has no UTC offset; add Z or an offset such as +01:00")

    try:
        utc = instant.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"is out of range; use a year from 1 to {LATEST_YEAR}") from exc
    if utc.year > LATEST_YEAR:
        raise ValueError(f"is out of range; use a year from 1 to {LATEST_YEAR}")
    return utc
