"""One-sentence reasons for the plan's blocking kinds, each ending with the way to resolve it."""

from __future__ import annotations

from datetime import UTC, datetime

from loomta_sync.calendar.model import Target, TargetPayload
from loomta_sync.state.model import TargetRecord, TargetStatus


def expired_reason(payload: TargetPayload, now: datetime) -> str:
    return (
        f"scheduledFor {_instant(payload.scheduled_for)} has passed or is too close to now "
        f"({_instant(now)}), so it was never created; move it to a later time or remove the post"
    )


def reschedule_too_late_reason(payload: TargetPayload, now: datetime) -> str:
    return (
        f"the post exists, but its new scheduledFor {_instant(payload.scheduled_for)} has "
        f"passed or is too close to now ({_instant(now)}), so it cannot be rescheduled there; "
        "pick a later time or revert the change"
    )


def moved_and_rescheduled_reason(
    previous_key: str, record: TargetRecord, payload: TargetPayload
) -> str:
    return (
        f"renamed from {previous_key}, and its time changed from {_instant(record.scheduled_for)} "
        f"to {_instant(payload.scheduled_for)}: apply moves the state entry, then reschedules "
        "the post"
    )


def moved_time_left_reason(previous_key: str) -> str:
    return (
        f"renamed from {previous_key}, and its time changed, which this post's status does not "
        "allow to apply now; apply moves the state entry and the next plan shows what is left"
    )


def is_still_scheduled(record: TargetRecord, now: datetime) -> bool:
    """Return True when a created post waits in Loomta's queue and will publish on its own."""
    return (
        record.status is TargetStatus.CREATED
        and record.scheduled_for is not None
        and record.scheduled_for > now
        and record.remote_state in (None, "QUEUE")
    )


def _instant(value: datetime | None) -> str:
    if value is None:
        return "?"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def unknown_reason(post_key: str, target: Target, record: TargetRecord) -> str:
    code = record.error_code or "interrupted"
    return (
        f"a create request was sent at {record.updated_at.isoformat()} and its outcome is unknown "
        f"({code}); look for the post in Loomta, then run "
        f"`loomta-sync state resolve {post_key} --platform {target.platform_id} "
        "--created POST_ID` or `--not-created`"
    )


def conflict_reason(post_key: str, target: Target, changed: tuple[str, ...]) -> str:
    fields = ", ".join(changed)
    return (
        f"{fields} changed after the post was created, and Loomta cannot edit a created post; "
        "revert the change, or make the same edit in Loomta and run "
        f"`loomta-sync state accept {post_key} --platform {target.platform_id}`"
    )


def published_time_reason(post_key: str, record: TargetRecord) -> str:
    when = _instant(record.scheduled_for)
    state = record.remote_state or "published"
    return (
        f"scheduledFor changed, but the post was scheduled for {when} and is {state} "
        f"or already published, so it cannot be moved; revert the time of {post_key}"
    )


def orphan_reason(post_key: str, record: TargetRecord, now: datetime) -> str:
    status = record.status.value
    pending = is_still_scheduled(record, now)
    warning = " It is still scheduled and will publish unless deleted in Loomta." if pending else ""
    return (
        f"{post_key} ({status}) is no longer in the calendar, and the API cannot delete posts."
        f"{warning} Run `loomta-sync state forget {post_key}` to drop it from the state"
    )
