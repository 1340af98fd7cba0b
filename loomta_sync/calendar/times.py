"""Schedule times: parsing, time zones, daylight saving gaps and folds, and the minimum lead.

A time is either ISO 8601 with an offset (`2030-03-29T09:00+02:00`, `...Z`), which is an instant
as written, or a local date-time (`2030-03-29T09:00`, also with a space for the `T`) read in an
IANA zone. A local time with no zone is an error, never UTC. A local time that a zone skips
(spring forward) or repeats (fall back) is an error that shows both candidate instants, because
either choice would publish an hour away from what someone meant.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from loomta_sync.calendar.report import InputError, excerpt, suggest
from loomta_sync.calendar.zones import installed_zone_names, is_installed_zone

_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:(?:[Tt]|[ \t]+)"
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,6}))?)?"
    r"[ \t]*(?P<offset>[Zz]|[-+][0-9]{1,2}(?::?[0-9]{2})?)?)?"
)
_EXAMPLE = "2030-03-29T09:00 or 2030-03-29T09:00+02:00"


@functools.cache
def load_zone(name: str) -> zoneinfo.ZoneInfo:
    """Return the IANA zone `name`, raising InputError with a near miss when it is unknown.

    Names are checked against the installed zones before ZoneInfo opens any file, so a value
    such as `../../etc/passwd` never reaches the file system.
    """
    if not is_installed_zone(name):
        close = suggest(name, installed_zone_names())
        hint = f"did you mean '{close}'?" if close else "use an IANA name such as Europe/Berlin"
        raise InputError(f"unknown time zone '{excerpt(name)}'", hint)
    return zoneinfo.ZoneInfo(name)


def parse_schedule_time(text: str, zone_name: str | None) -> datetime:
    """Return the UTC instant that `text` names, reading a local time in `zone_name`.

    Raises InputError for a malformed time, a local time with no zone, an unknown zone, or a
    local time that the zone skips or repeats.
    """
    written = text.strip()
    match = _DATE_TIME.fullmatch(written)
    if match is None:
        raise InputError(f"invalid time '{excerpt(written)}'", f"write it as {_EXAMPLE}")
    if match["hour"] is None:
        raise InputError(
            f"scheduledFor {written} has no time of day", f"write it as {written}T09:00"
        )

    local = _build_local(match, written)
    offset = match["offset"]
    if offset is not None:
        return local.replace(tzinfo=_parse_offset(offset, written)).astimezone(UTC)

    if zone_name is None:
        raise InputError(
            f"scheduledFor {written} is a local time, but no time zone is set",
            "add `timezone: Europe/Berlin` (any IANA zone) to the post or to loomta.yaml, "
            f"or write an offset: {written}+02:00",
        )
    return resolve_local_time(local, load_zone(zone_name), zone_name)


def resolve_local_time(local: datetime, zone: tzinfo, zone_name: str) -> datetime:
    """Return the one UTC instant for a naive local time in `zone`.

    A time in a gap does not survive a round trip through UTC, and a time in a fold has two
    offsets.
    """
    # The constructor is several times faster than replace() with keywords, and this runs
    # for every post.
    fields = (
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
    )
    earlier = datetime(*fields, zone)
    later = datetime(*fields, zone, fold=1)
    earlier_offset = earlier.utcoffset()
    later_offset = later.utcoffset()
    if earlier_offset == later_offset:
        return earlier.astimezone(UTC)

    round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    local_text = format_local(local)
    change = f"from {format_offset(earlier_offset)} to {format_offset(later_offset)}"
    if round_trip != local:
        what_happens = f"does not exist in {zone_name} because the clocks skip ahead {change}"
    else:
        what_happens = f"occurs twice in {zone_name} because the clocks fall back {change}"
    description = f"{local_text} {what_happens}"
    raise InputError(
        f"{description}, so it could mean {_candidate(earlier)} or {_candidate(later)}",
        "write the one you mean with its offset",
    )


def check_lead_time(
    scheduled_for: datetime, now: datetime, min_lead_minutes: int, written: str
) -> None:
    """Raise InputError unless `scheduled_for` is more than `min_lead_minutes` after `now`.

    `written` is the time as the post wrote it, shown beside the instant in UTC.
    """
    if scheduled_for > now + timedelta(minutes=min_lead_minutes):
        return
    utc = format_utc(scheduled_for)
    when = utc if written.strip() == utc else f"{written.strip()} ({utc})"
    if scheduled_for <= now:
        raise InputError(
            f"scheduledFor {when} is in the past (now is {format_utc(now)})",
            "pick a later time",
        )
    minutes = int((scheduled_for - now).total_seconds() // 60)
    raise InputError(
        f"scheduledFor {when} is {minutes} minutes from now, "
        f"less than min_lead_minutes ({min_lead_minutes})",
        f"pick a time at least {min_lead_minutes} minutes from now",
    )


def format_local(value: datetime) -> str:
    """Format a wall-clock time as `2030-03-31T02:30`, with seconds only when they are set."""
    spec = "seconds" if value.second or value.microsecond else "minutes"
    return value.replace(tzinfo=None, microsecond=0).isoformat(timespec=spec)


def format_utc(value: datetime) -> str:
    """Format an instant in UTC as `2030-03-31T00:30Z`."""
    return format_local(value.astimezone(UTC)) + "Z"


def format_offset(offset: timedelta | None) -> str:
    total = int((offset or timedelta()).total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _candidate(value: datetime) -> str:
    return f"{format_local(value)}{format_offset(value.utcoffset())} ({format_utc(value)})"


def _build_local(match: re.Match[str], written: str) -> datetime:
    fraction = match["fraction"] or ""
    date = match["date"]  # YYYY-MM-DD, by the pattern
    try:
        return datetime(
            int(date[:4]),
            int(date[5:7]),
            int(date[8:]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int(fraction.ljust(6, "0")) if fraction else 0,
        )
    except ValueError as exc:
        raise InputError(
            f"invalid time '{excerpt(written)}': {exc}", f"write it as {_EXAMPLE}"
        ) from exc


def _parse_offset(text: str, written: str) -> tzinfo:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:-2] if len(digits) > 2 else digits)
    minutes = int(digits[-2:]) if len(digits) > 2 else 0
    if hours > 23 or minutes > 59:
        raise InputError(
            f"invalid UTC offset '{text}' in '{excerpt(written)}'", "write it as +02:00"
        )
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
