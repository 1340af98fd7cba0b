"""The planner: a pure function of (calendar, state, now) that returns a Plan.

It never reads files, talks to the API or looks at the clock, so the same inputs always give the
same plan, and a saved plan can be checked against a fresh one by checksum.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from loomta_sync.calendar.model import Calendar, Mode, Post, Target
from loomta_sync.gc_pause import garbage_collection_paused
from loomta_sync.planner.model import Change, ChangeKind, Plan, StateRef
from loomta_sync.planner.reasons import (
    conflict_reason,
    expired_reason,
    is_still_scheduled,
    moved_and_rescheduled_reason,
    moved_time_left_reason,
    orphan_reason,
    published_time_reason,
    reschedule_too_late_reason,
    unknown_reason,
)
from loomta_sync.state.model import State, TargetRecord, TargetStatus

# Remote states in which a created post can still be rescheduled.
RESCHEDULABLE_STATES = frozenset({None, "QUEUE"})


def make_plan(calendar: Calendar, state: State, now: datetime, min_lead: timedelta) -> Plan:
    """Compare the calendar with the state and return every target's change, sorted."""
    # The plan's changes live as long as the calendar, so the collector need not scan them.
    with garbage_collection_paused():
        return _make_plan(calendar, state, now, min_lead)


def _make_plan(calendar: Calendar, state: State, now: datetime, min_lead: timedelta) -> Plan:
    deadline = now + min_lead
    calendar_keys = {post.key for post in calendar.posts}
    departed = _departed_records(state, calendar_keys)

    changes: list[Change] = []
    for post in calendar.posts:
        for target in post.targets:
            record = state.target(post.key, target.platform_id)
            if record is None and departed:
                match = _claim_moved(departed, target)
                if match is not None:
                    previous_key, previous = match
                    changes.append(_moved(post, target, previous_key, previous, now, deadline))
                    continue
            changes.append(_classify(post, target, record, now, deadline))

    changes.extend(_orphans(departed, now))
    changes.sort(key=Change.sort_key)
    plan = Plan(
        created_at=now,
        state=StateRef(lineage=state.lineage, serial=state.serial),
        changes=tuple(changes),
    )
    return plan.with_checksum()


def _classify(
    post: Post, target: Target, record: TargetRecord | None, now: datetime, deadline: datetime
) -> Change:
    payload = target.payload

    if record is None or record.status is TargetStatus.FAILED:
        if _too_late(payload.mode, payload.scheduled_for, deadline):
            return _change(
                ChangeKind.EXPIRED, post, target, record, reason=expired_reason(payload, now)
            )
        kind = ChangeKind.CREATE if record is None else ChangeKind.RETRY
        reason = "" if record is None else _retry_reason(record)
        return _change(kind, post, target, record, reason=reason)

    if record.status in (TargetStatus.UNKNOWN, TargetStatus.IN_FLIGHT):
        return _change(
            ChangeKind.UNKNOWN,
            post,
            target,
            record,
            reason=unknown_reason(post.key, target, record),
        )

    return _classify_created(post, target, record, now, deadline)


def _classify_created(
    post: Post, target: Target, record: TargetRecord, now: datetime, deadline: datetime
) -> Change:
    payload = target.payload
    changed = _changed_fields(target, record)
    if changed:
        reason = conflict_reason(post.key, target, changed)
        return _change(ChangeKind.CONFLICT, post, target, record, changed=changed, reason=reason)

    if payload.scheduled_for == record.scheduled_for:
        return _change(ChangeKind.UNCHANGED, post, target, record)

    published = record.remote_state not in RESCHEDULABLE_STATES or (
        record.scheduled_for is not None and record.scheduled_for <= now
    )
    if published:
        reason = published_time_reason(post.key, record)
        return _change(
            ChangeKind.CONFLICT, post, target, record, changed=("scheduledFor",), reason=reason
        )
    if _too_late(payload.mode, payload.scheduled_for, deadline):
        reason = reschedule_too_late_reason(payload, now)
        return _change(
            ChangeKind.EXPIRED, post, target, record, changed=("scheduledFor",), reason=reason
        )
    return _change(ChangeKind.RESCHEDULE, post, target, record)


def _changed_fields(target: Target, record: TargetRecord) -> tuple[str, ...]:
    """Name the fields whose hashes differ; an old record without field hashes names the body."""
    payload = target.payload
    if payload.body_digest() == record.body_digest:
        return ()
    if not record.field_digests:
        return ("body",)
    current = payload.field_digests()
    return tuple(
        name for name, digest in current.items() if record.field_digests.get(name) != digest
    )


def _too_late(mode: Mode, scheduled_for: datetime | None, deadline: datetime) -> bool:
    return mode is Mode.SCHEDULE and scheduled_for is not None and scheduled_for <= deadline


def _retry_reason(record: TargetRecord) -> str:
    code = record.error_code or "error"
    message = record.error_message or "no message"
    return f"the last attempt failed with {code}: {message}"


# Targets of keys that left the calendar, by (platform id, body identity); each list is in
# key order. The body identity leaves out the time, so a renamed post whose time also
# changed is still found.
Departed = dict[tuple[str, str], list[tuple[str, TargetRecord]]]


def _departed_records(state: State, calendar_keys: set[str]) -> Departed:
    departed: Departed = {}
    for key in sorted(state.posts):
        if key in calendar_keys:
            continue
        for platform_id, record in sorted(state.posts[key].targets.items()):
            identity = _identity(record.body_digest, record.mode)
            departed.setdefault((platform_id, identity), []).append((key, record))
    return departed


def _claim_moved(departed: Departed, target: Target) -> tuple[str, TargetRecord] | None:
    """Take the departed target that this one continues: the same body, at the same time if any."""
    payload = target.payload
    identity = (target.platform_id, _identity(payload.body_digest(), payload.mode))
    candidates = departed.get(identity)
    if not candidates:
        return None

    chosen = 0
    for index, (_key, record) in enumerate(candidates):
        if record.scheduled_for == payload.scheduled_for:
            chosen = index
            break
    match = candidates.pop(chosen)
    if not candidates:
        del departed[identity]
    return match


def _moved(
    post: Post,
    target: Target,
    previous_key: str,
    record: TargetRecord,
    now: datetime,
    deadline: datetime,
) -> Change:
    """Re-key a renamed post; when its time changed too, say whether apply reschedules it."""
    payload = target.payload
    if payload.scheduled_for == record.scheduled_for:
        return _change(ChangeKind.MOVED, post, target, record, previous_key)

    reschedulable = (
        record.status is TargetStatus.CREATED
        and record.remote_state in RESCHEDULABLE_STATES
        and record.scheduled_for is not None
        and record.scheduled_for > now
        and not _too_late(payload.mode, payload.scheduled_for, deadline)
    )
    if reschedulable:
        reason = moved_and_rescheduled_reason(previous_key, record, payload)
        return _change(
            ChangeKind.MOVED,
            post,
            target,
            record,
            previous_key,
            changed=("scheduledFor",),
            reason=reason,
        )
    reason = moved_time_left_reason(previous_key)
    return _change(ChangeKind.MOVED, post, target, record, previous_key, reason=reason)


def _identity(body_digest: str, mode: Mode) -> str:
    return f"{body_digest}|{mode.value}"


def _orphans(departed: Departed, now: datetime) -> Iterable[Change]:
    for (platform_id, _identity_key), matches in departed.items():
        for key, record in matches:
            yield Change(
                kind=ChangeKind.ORPHAN,
                post_key=key,
                platform_id=platform_id,
                record=record,
                still_scheduled=is_still_scheduled(record, now),
                reason=orphan_reason(key, record, now),
            )


def _change(
    kind: ChangeKind,
    post: Post,
    target: Target,
    record: TargetRecord | None,
    previous_key: str | None = None,
    *,
    changed: tuple[str, ...] = (),
    reason: str = "",
) -> Change:
    # Validation keeps the nested models as they are (pydantic does not revalidate instances),
    # and with pydantic 2.14 it costs less than model_construct, whose field loop is Python.
    return Change(
        kind=kind,
        post_key=post.key,
        platform_id=target.platform_id,
        platform_alias=target.platform_alias,
        location=post.location,
        timezone=post.timezone,
        payload=target.payload,
        record=record,
        previous_key=previous_key,
        changed_fields=changed,
        reason=reason,
    )
