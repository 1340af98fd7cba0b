"""Builders of plans, catalogs and states for the Markdown renderer tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loomta_sync.calendar.model import MediaItem, Mode, SourceLocation, TargetPayload
from loomta_sync.catalog.model import Catalog, CatalogEntry, ContentRules, Platform, PlatformSchema
from loomta_sync.planner.model import Change, ChangeKind, Plan, StateRef
from loomta_sync.state.model import PostRecord, State, TargetRecord, TargetStatus

PLANNED_AT = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
WHEN = datetime(2030, 3, 11, 8, 0, tzinfo=UTC)  # a Monday, 09:00 in Berlin
TIKTOK = "6f1b2c3d-0000-4000-8000-000000000001"
THREADS = "6f1b2c3d-0000-4000-8000-000000000002"


def payload(
    content: str = "Hello",
    *,
    when: datetime | None = WHEN,
    mode: Mode = Mode.SCHEDULE,
    media: tuple[MediaItem, ...] = (),
) -> TargetPayload:
    return TargetPayload(content=content, mode=mode, scheduled_for=when, media=media)


def change(
    key: str,
    body: TargetPayload | None = None,
    *,
    kind: ChangeKind = ChangeKind.CREATE,
    platform_id: str = TIKTOK,
    alias: str | None = "brand",
    timezone: str | None = "Europe/Berlin",
    reason: str = "",
    record: TargetRecord | None = None,
) -> Change:
    return Change(
        kind=kind,
        post_key=key,
        platform_id=platform_id,
        platform_alias=alias,
        location=SourceLocation(path=f"calendar/{key}.yaml", line=3, column=5),
        timezone=timezone,
        payload=body if body is not None else payload(),
        record=record,
        reason=reason,
    )


def plan_of(*changes: Change) -> Plan:
    ordered = tuple(sorted(changes, key=Change.sort_key))
    plan = Plan(
        created_at=PLANNED_AT, state=StateRef(lineage="lineage-1", serial=4), changes=ordered
    )
    return plan.with_checksum()


def catalog(max_length: int = 2200, handle: str = "@brand") -> Catalog:
    tiktok = CatalogEntry(
        platform=Platform(id=TIKTOK, provider="tiktok", displayHandle=handle),
        schema=PlatformSchema(content=ContentRules(maxLength=max_length)),
    )
    threads = CatalogEntry(
        platform=Platform(id=THREADS, provider="threads"),
        schema=PlatformSchema(content=ContentRules(maxLength=500)),
    )
    return Catalog(platforms=[tiktok, threads])


def target_record(
    body: TargetPayload,
    status: TargetStatus = TargetStatus.CREATED,
    *,
    updated_at: datetime = PLANNED_AT + timedelta(minutes=1),
    release_url: str | None = None,
    error_code: str | None = None,
    error_message: str | None = None,
) -> TargetRecord:
    created = status is TargetStatus.CREATED
    return TargetRecord(
        status=status,
        idempotency_key="lsync-test",
        body_digest=body.body_digest(),
        scheduled_for=body.scheduled_for,
        mode=body.mode,
        root_post_id="post-1" if created else None,
        child_post_ids=["post-2"] if created else [],
        remote_state="QUEUE" if created else None,
        release_url=release_url,
        error_code=error_code,
        error_message=error_message,
        first_attempt_at=updated_at,
        updated_at=updated_at,
    )


def state_of(records: dict[tuple[str, str], TargetRecord]) -> State:
    posts: dict[str, PostRecord] = {}
    for (key, platform_id), record in records.items():
        posts.setdefault(key, PostRecord()).targets[platform_id] = record
    return State(lineage="lineage-1", serial=5, posts=posts)
