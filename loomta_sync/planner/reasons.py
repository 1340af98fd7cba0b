"""One-sentence reasons for the plan's blocking kinds, each ending with the way to resolve it."""

from __future__ import annotations

from datetime import datetime

from loomta_sync.calendar.model import Target, TargetPayload
from loomta_sync.state.model import TargetRecord


def expired_reason(payload: TargetPayload, now: datetime) -> str:
    when = payload.scheduled_for.isoformat() if payload.scheduled_for else "?"
    return (
        f"scheduledFor {when} has passed or is too close to now ({now.isoformat()}), "
        "so it was never created; move it to a later time or remove the post"
    )


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
    when = record.scheduled_for.isoformat() if record.scheduled_for else "?"
    state = record.remote_state or "published"
    return (
        f"scheduledFor changed, but the post was scheduled for {when} and is {state} "
        f"or already published, so it cannot be moved; revert the time of {post_key}"
    )


def orphan_reason(post_key: str, record: TargetRecord, now: datetime) -> str:
    status = record.status.value
    pending = (
        record.scheduled_for is not None
        and record.scheduled_for > now
        and record.remote_state in (None, "QUEUE")
        and status == "created"
    )
    warning = " It is still scheduled and will publish unless deleted in Loomta." if pending else ""
    return (
        f"{post_key} ({status}) is no longer in the calendar, and the API cannot delete posts."
        f"{warning} Run `loomta-sync state forget {post_key}` to drop it from the state"
    )
