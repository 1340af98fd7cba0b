"""Times and sizes as the Markdown plan shows them: in the post's zone and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def to_zone(instant: datetime, zone_name: str | None) -> tuple[datetime, str]:
    """Convert a UTC instant to the post's zone and return it with the zone's name.

    A missing or unknown zone falls back to UTC, named so the reader sees the fallback.
    """
    if not zone_name:
        return instant.astimezone(UTC), "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return instant.astimezone(UTC), f"UTC (zone {zone_name} not found)"
    return instant.astimezone(zone), zone_name


def format_local(instant: datetime, zone_name: str | None) -> str:
    """Format an instant as `Sat 2030-03-02 09:00 CET (Europe/Paris)` in the post's zone."""
    local, name = to_zone(instant, zone_name)
    abbreviation = local.strftime("%Z")
    text = local.strftime("%a %Y-%m-%d %H:%M")
    if abbreviation and abbreviation != name:
        text += f" {abbreviation}"
    return f"{text} ({name})"


def format_utc(instant: datetime) -> str:
    """Format an instant as `2030-03-02 08:00 UTC`."""
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_size(size: int | None) -> str:
    """Format a byte count with a binary unit: `512 B`, `3.2 MiB`."""
    if size is None:
        return "size unknown"
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
