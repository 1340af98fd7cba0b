"""Builders of calendars, states and plans for planner and renderer tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loomta_sync.calendar.model import (
    Mode,
    Post,
    SourceLocation,
    Target,
    TargetPayload,
)
from loomta_sync.planner.model import ChangeKind, Plan
from loomta_sync.state.model import PostRecord, State, TargetRecord, TargetStatus

NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
LEAD = timedelta(minutes=5)
BRAND = "6f1b2c3d-0000-4000-8000-000000000001"
DEV = "6f1b2c3d-0000-4000-8000-000000000002"
WHEN = datetime(2030, 3, 10, 9, 0, tzinfo=UTC)


def payload(
    content: str = "Hello", when: datetime | None = WHEN, mode: Mode = Mode.SCHEDULE
) -> TargetPayload:
    return TargetPayload(content=content, mode=mode, scheduled_for=when)


def post(key: str, *targets: tuple[str, TargetPayload]) -> Post:
    first = targets[0][1]
    return Post(
        key=key,
        location=SourceLocation(path=f"calendar/{key}.yaml", line=1, column=1),
        mode=first.mode,
        scheduled_for=first.scheduled_for,
        timezone="Europe/Berlin",
        targets=tuple(
            Target(post_key=key, platform_id=pid, platform_alias=None, payload=body)
            for pid, body in targets
        ),
    )


def record(
    body: TargetPayload,
    status: TargetStatus = TargetStatus.CREATED,
    *,
    remote_state: str | None = "QUEUE",
    attempts: int = 1,
) -> TargetRecord:
    return TargetRecord(
        status=status,
        idempotency_key="lsync-test",
        body_digest=body.body_digest(),
        field_digests=body.field_digests(),
        scheduled_for=body.scheduled_for,
        mode=body.mode,
        attempts=attempts,
        root_post_id="post-1" if status is TargetStatus.CREATED else None,
        remote_state=remote_state if status is TargetStatus.CREATED else None,
        error_code="invalid_request" if status is TargetStatus.FAILED else None,
        error_message="privacy_level is not allowed" if status is TargetStatus.FAILED else None,
        first_attempt_at=NOW - timedelta(days=1),
        updated_at=NOW - timedelta(days=1),
    )


def state_with(entries: dict[str, dict[str, TargetRecord]]) -> State:
    return State(
        lineage="lineage-1",
        serial=7,
        posts={key: PostRecord(targets=targets) for key, targets in entries.items()},
    )


def kinds(plan: Plan) -> list[tuple[ChangeKind, str, str]]:
    return [(change.kind, change.post_key, change.platform_id) for change in plan.changes]
