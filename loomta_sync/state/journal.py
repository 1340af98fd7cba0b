"""Constructors of journal events, for the applier and the `state` commands.

Each function returns one event for `Session.record`. `at` defaults to the current UTC time;
pass it to record a time measured elsewhere. `fold` applies events to a State without I/O, and
`Event` is the base class of every event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from loomta_sync.calendar.model import Mode
from loomta_sync.state.events import (
    Accepted,
    Created,
    Event,
    Failed,
    Forgotten,
    InFlight,
    MediaUploaded,
    Moved,
    OutcomeUnknown,
    RemoteRefreshed,
    Rescheduled,
    ResolvedCreated,
    ResolvedNotCreated,
    utc_now,
)
from loomta_sync.state.fold import fold
from loomta_sync.state.model import MediaRecord

__all__ = [
    "Event",
    "accepted",
    "created",
    "failed",
    "fold",
    "forgotten",
    "in_flight",
    "media_uploaded",
    "moved",
    "outcome_unknown",
    "remote_refreshed",
    "rescheduled",
    "resolved_created",
    "resolved_not_created",
]


def media_uploaded(sha256: str, media: MediaRecord, *, at: datetime | None = None) -> MediaUploaded:
    return MediaUploaded(sha256=sha256, media=media, at=at or utc_now())


def in_flight(
    post_key: str,
    platform_ids: Sequence[str],
    idempotency_key: str,
    body_digest: str,
    scheduled_for: datetime | None,
    mode: Mode,
    source: str | None,
    *,
    field_digests: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> InFlight:
    """Build the write-ahead event for one request that creates a post on `platform_ids`.

    Record it, and let `record` return, before the request is sent. `field_digests` are the
    per-field hashes of the body, kept so that a later conflict can name the changed fields.
    """
    return InFlight(
        post_key=post_key,
        platform_ids=tuple(platform_ids),
        idempotency_key=idempotency_key,
        body_digest=body_digest,
        scheduled_for=scheduled_for,
        mode=mode,
        source=source,
        field_digests=dict(field_digests or {}),
        at=at or utc_now(),
    )


def created(
    post_key: str,
    platform_id: str,
    root_post_id: str,
    child_post_ids: Sequence[str],
    remote_state: str | None,
    release_url: str | None,
    *,
    at: datetime | None = None,
) -> Created:
    return Created(
        post_key=post_key,
        platform_id=platform_id,
        root_post_id=root_post_id,
        child_post_ids=tuple(child_post_ids),
        remote_state=remote_state,
        release_url=release_url,
        at=at or utc_now(),
    )


def failed(
    post_key: str, platform_id: str, code: str, message: str, *, at: datetime | None = None
) -> Failed:
    return Failed(
        post_key=post_key,
        platform_id=platform_id,
        code=code,
        message=message,
        at=at or utc_now(),
    )


def outcome_unknown(
    post_key: str, platform_id: str, code: str, message: str, *, at: datetime | None = None
) -> OutcomeUnknown:
    return OutcomeUnknown(
        post_key=post_key,
        platform_id=platform_id,
        code=code,
        message=message,
        at=at or utc_now(),
    )


def rescheduled(
    post_key: str,
    platform_id: str,
    scheduled_for: datetime,
    remote_state: str | None,
    *,
    at: datetime | None = None,
) -> Rescheduled:
    return Rescheduled(
        post_key=post_key,
        platform_id=platform_id,
        scheduled_for=scheduled_for,
        remote_state=remote_state,
        at=at or utc_now(),
    )


def moved(
    old_key: str,
    new_key: str,
    platform_id: str,
    *,
    source: str | None = None,
    at: datetime | None = None,
) -> Moved:
    return Moved(
        old_key=old_key,
        new_key=new_key,
        platform_id=platform_id,
        source=source,
        at=at or utc_now(),
    )


def forgotten(post_key: str, platform_id: str | None, *, at: datetime | None = None) -> Forgotten:
    return Forgotten(post_key=post_key, platform_id=platform_id, at=at or utc_now())


def resolved_created(
    post_key: str,
    platform_id: str,
    root_post_id: str,
    child_post_ids: Sequence[str],
    remote_state: str | None,
    release_url: str | None,
    *,
    at: datetime | None = None,
) -> ResolvedCreated:
    return ResolvedCreated(
        post_key=post_key,
        platform_id=platform_id,
        root_post_id=root_post_id,
        child_post_ids=tuple(child_post_ids),
        remote_state=remote_state,
        release_url=release_url,
        at=at or utc_now(),
    )


def resolved_not_created(
    post_key: str, platform_id: str, *, at: datetime | None = None
) -> ResolvedNotCreated:
    return ResolvedNotCreated(post_key=post_key, platform_id=platform_id, at=at or utc_now())


def accepted(
    post_key: str,
    platform_id: str,
    body_digest: str,
    field_digests: Mapping[str, str] | None = None,
    *,
    at: datetime | None = None,
) -> Accepted:
    return Accepted(
        post_key=post_key,
        platform_id=platform_id,
        body_digest=body_digest,
        field_digests=dict(field_digests or {}),
        at=at or utc_now(),
    )


def remote_refreshed(
    post_key: str,
    platform_id: str,
    remote_state: str | None,
    release_url: str | None,
    *,
    at: datetime | None = None,
) -> RemoteRefreshed:
    return RemoteRefreshed(
        post_key=post_key,
        platform_id=platform_id,
        remote_state=remote_state,
        release_url=release_url,
        at=at or utc_now(),
    )
