"""Plain-text plan for terminals and logs: one block per target, then the summary lines."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from loomta_sync.calendar.model import TargetPayload
from loomta_sync.calendar.text import make_visible
from loomta_sync.planner.model import Change, ChangeKind, Plan
from loomta_sync.render.summary import summary_lines
from loomta_sync.render.symbols import SYMBOLS

INDENT = "      "

# The start of each change's first line: its symbol and its kind, padded to one width.
_KIND_LABELS = {kind: f"{SYMBOLS[kind]} {kind.value:<10}" for kind in ChangeKind}


def render_plan_text(plan: Plan, *, show_unchanged: bool = False) -> str:
    # All lines go into one list, with an empty line between changes, and are joined once. A
    # plan of 10,000 posts renders to several megabytes, and joining each change first would
    # hold a second copy of it. That copy would mostly take four bytes per character, because
    # one emoji makes a string store every character in four bytes, while most lines are ASCII.
    lines: list[str] = []
    memo = _PayloadLinesMemo()
    for change in plan.changes:
        if change.kind is ChangeKind.UNCHANGED and not show_unchanged:
            continue
        _add_change_lines(lines, change, memo)
        lines.append("")

    lines.extend(summary_lines(plan))
    lines.append("")
    # Keys, aliases, ids, settings and stored error messages can carry hidden or bidirectional
    # characters as well as post text, so the whole output is made visible in one pass.
    return make_visible("\n".join(lines))


def render_change(change: Change, memo: _PayloadLinesMemo | None = None) -> str:
    lines: list[str] = []
    _add_change_lines(lines, change, memo)
    return make_visible("\n".join(lines))


def _add_change_lines(lines: list[str], change: Change, memo: _PayloadLinesMemo | None) -> None:
    platform = change.platform_alias or change.platform_id
    lines.append(f"{_KIND_LABELS[change.kind]} {change.post_key} on {platform}")

    if change.kind is ChangeKind.MOVED:
        lines.append(f"{INDENT}from key {change.previous_key}")
    if change.payload is not None and change.kind is not ChangeKind.UNCHANGED:
        lines.extend(memo.lines(change) if memo is not None else _payload_lines(change))
    if change.kind is ChangeKind.RESCHEDULE and change.record is not None:
        before = format_time(change.record.scheduled_for, change.timezone)
        lines.append(f"{INDENT}was:     {before}")
    if change.location is not None and change.kind is not ChangeKind.UNCHANGED:
        location = change.location
        lines.append(f"{INDENT}file:    {location.path}:{location.line}:{location.column}")
    if change.reason:
        lines.append(f"{INDENT}{change.reason}")


class _PayloadLinesMemo:
    """The payload lines of the previous change, reused when the next one would repeat them.

    Changes sort by kind, post key and platform, so the targets of one post follow each other,
    and targets without an override share one payload object.
    """

    def __init__(self) -> None:
        self._payload: TargetPayload | None = None
        self._kind: ChangeKind | None = None
        self._timezone: str | None = None
        self._lines: list[str] = []

    def lines(self, change: Change) -> list[str]:
        payload = change.payload
        same = (
            payload is self._payload
            and change.kind is self._kind
            and change.timezone == self._timezone
        )
        if not same:
            self._payload = payload
            self._kind = change.kind
            self._timezone = change.timezone
            self._lines = _payload_lines(change)
        return self._lines


def _payload_lines(change: Change) -> list[str]:
    payload: TargetPayload | None = change.payload
    if payload is None:
        return []

    lines = [f"{INDENT}mode:    {payload.mode.value}"]
    if payload.scheduled_for is not None:
        lines.append(f"{INDENT}when:    {format_time(payload.scheduled_for, change.timezone)}")
    if change.kind in (ChangeKind.CREATE, ChangeKind.RETRY, ChangeKind.CONFLICT):
        content = payload.content.rstrip("\n")
        lines.append(f"{INDENT}content: " + _indent_text(content))
        for item in payload.media:
            lines.append(
                f"{INDENT}media:   {item.path or item.media_id} {item.mime_type or ''}".rstrip()
            )
        if payload.settings:
            settings = ", ".join(
                f"{key}={value}" for key, value in sorted(payload.settings.items())
            )
            lines.append(f"{INDENT}settings: {settings}")
        for number, comment in enumerate(payload.comments, start=1):
            delay = f" after {comment.delay_in_minutes} min" if comment.delay_in_minutes else ""
            text = _indent_text(comment.content)
            lines.append(f"{INDENT}comment {number}{delay}: {text}")
            if comment.settings:
                settings = ", ".join(f"{k}={v}" for k, v in sorted(comment.settings.items()))
                lines.append(f"{INDENT}comment {number} settings: {settings}")
    return lines


def _indent_text(text: str) -> str:
    return text.replace("\n", "\n" + INDENT + "         ")


def format_time(instant: datetime | None, timezone: str | None) -> str:
    """Format a UTC instant in the post's zone, then in UTC.

    Example: `2030-03-29 09:00 Europe/Berlin (2030-03-29 08:00 UTC)`.
    """
    if instant is None:
        return "-"
    utc_text = _minutes(instant.astimezone(UTC)) + " UTC"
    if not timezone or timezone == "UTC":
        return utc_text
    local = instant.astimezone(_zone(timezone))
    return f"{_minutes(local)} {timezone} ({utc_text})"


def _minutes(instant: datetime) -> str:
    # isoformat is several times faster than strftime, which matters for 10,000-post plans.
    # Its first 16 characters are the date and time, because it writes years with 4 digits.
    return instant.isoformat(" ", "minutes")[:16]


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
