"""A compact week-by-week table of what a plan schedules, by ISO week.

Each post counts on its date in its own zone, because that is the calendar its authors read.
One row per week keeps the table small however many posts the plan has.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from loomta_sync.calendar.model import Mode
from loomta_sync.planner.model import Change, ChangeKind
from loomta_sync.render.markdown_time import to_zone

# Kinds that make a post appear on the platform at a time the plan sets.
SCHEDULING_KINDS = frozenset({ChangeKind.CREATE, ChangeKind.RETRY, ChangeKind.RESCHEDULE})

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render_week_view(changes: Sequence[Change]) -> str | None:
    """Render the week table, or None when the plan schedules nothing."""
    days: dict[date, set[str]] = defaultdict(set)
    unscheduled: dict[Mode, set[str]] = defaultdict(set)
    for change in changes:
        payload = change.payload
        if change.kind not in SCHEDULING_KINDS or payload is None:
            continue
        if payload.mode is Mode.SCHEDULE and payload.scheduled_for is not None:
            local, _ = to_zone(payload.scheduled_for, change.timezone)
            days[local.date()].add(change.post_key)
        else:
            unscheduled[payload.mode].add(change.post_key)

    if not days and not unscheduled:
        return None

    lines = []
    if days:
        lines.extend(_week_rows(days))
    if unscheduled:
        lines.append("")
        lines.append(_unscheduled_line(unscheduled))
    return "\n".join(lines) + "\n"


def _week_rows(days: dict[date, set[str]]) -> list[str]:
    weeks: dict[tuple[int, int], dict[date, int]] = defaultdict(dict)
    for day, keys in days.items():
        year, week, _ = day.isocalendar()
        weeks[(year, week)][day] = len(keys)

    rows = ["| Week | Dates | Posts | Posts per day |", "| --- | --- | --- | --- |"]
    for (year, week), counts in sorted(weeks.items()):
        monday = date.fromisocalendar(year, week, 1)
        sunday = monday + timedelta(days=6)
        dates = f"{monday.day} {monday:%b} to {sunday.day} {sunday:%b %Y}"
        per_day = " · ".join(f"{WEEKDAYS[day.weekday()]} {counts[day]}" for day in sorted(counts))
        rows.append(f"| {year}-W{week:02d} | {dates} | {sum(counts.values())} | {per_day} |")
    return rows


def _unscheduled_line(unscheduled: dict[Mode, set[str]]) -> str:
    parts = []
    if unscheduled.get(Mode.NOW):
        parts.append(f"{len(unscheduled[Mode.NOW])} to publish at once when applied")
    if unscheduled.get(Mode.DRAFT):
        parts.append(f"{len(unscheduled[Mode.DRAFT])} saved as drafts")
    return "Not scheduled: " + ", ".join(parts) + "."
