"""Journal events: the facts an apply or a `state` command records, one per journal line.

Each event is a frozen model with a `kind` tag and the UTC time `at` when it happened. Folding
the events in order into a State gives the state they describe. An event names only the
targets it changes, so its size does not grow with the size of the state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from loomta_sync.calendar.model import Mode
from loomta_sync.state.model import MediaRecord


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A timezone-aware instant, stored in UTC so the state file shows one offset only.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: UtcDatetime = Field(default_factory=utc_now)


class MediaUploaded(Event):
    """A file was uploaded; later posts reuse its media id instead of uploading it again."""

    kind: Literal["media_uploaded"] = "media_uploaded"
    sha256: str
    media: MediaRecord


class InFlight(Event):
    """A create request for these platforms is about to be sent (the write-ahead record)."""

    kind: Literal["in_flight"] = "in_flight"
    post_key: str
    platform_ids: tuple[str, ...] = Field(min_length=1)
    idempotency_key: str
    body_digest: str
    scheduled_for: UtcDatetime | None
    mode: Mode
    source: str | None
    field_digests: dict[str, str] = Field(default_factory=dict)


class Created(Event):
    """The API returned the post ids for one platform of an in-flight request."""

    kind: Literal["created"] = "created"
    post_key: str
    platform_id: str
    root_post_id: str
    child_post_ids: tuple[str, ...]
    remote_state: str | None
    release_url: str | None


class Failed(Event):
    """The API rejected one platform of an in-flight request definitively."""

    kind: Literal["failed"] = "failed"
    post_key: str
    platform_id: str
    code: str
    message: str


class OutcomeUnknown(Event):
    """A request was sent but its outcome for one platform cannot be known (timeout, lost reply)."""

    kind: Literal["outcome_unknown"] = "outcome_unknown"
    post_key: str
    platform_id: str
    code: str
    message: str


class Rescheduled(Event):
    """`PATCH /posts/{id}/schedule` moved a created post to a new time."""

    kind: Literal["rescheduled"] = "rescheduled"
    post_key: str
    platform_id: str
    scheduled_for: UtcDatetime
    remote_state: str | None


class Moved(Event):
    """A target was re-keyed because its post key changed and the payload did not.

    `source` is the calendar file of the new key, when known.
    """

    kind: Literal["moved"] = "moved"
    old_key: str
    new_key: str
    platform_id: str
    source: str | None = None


class Forgotten(Event):
    """A target, or a whole post when `platform_id` is None, was dropped from the state."""

    kind: Literal["forgotten"] = "forgotten"
    post_key: str
    platform_id: str | None


class ResolvedCreated(Event):
    """A person checked Loomta and found that an unknown target was created, with these ids."""

    kind: Literal["resolved_created"] = "resolved_created"
    post_key: str
    platform_id: str
    root_post_id: str
    child_post_ids: tuple[str, ...]
    remote_state: str | None
    release_url: str | None


class ResolvedNotCreated(Event):
    """A person checked Loomta and found that an unknown target was never created."""

    kind: Literal["resolved_not_created"] = "resolved_not_created"
    post_key: str
    platform_id: str


class Accepted(Event):
    """A conflict was fixed by hand in Loomta; the post now matches the calendar's body."""

    kind: Literal["accepted"] = "accepted"
    post_key: str
    platform_id: str
    body_digest: str
    field_digests: dict[str, str] = Field(default_factory=dict)


class RemoteRefreshed(Event):
    """`GET /posts/{id}` returned a newer state or release URL for a created post."""

    kind: Literal["remote_refreshed"] = "remote_refreshed"
    post_key: str
    platform_id: str
    remote_state: str | None
    release_url: str | None


AnyEvent = Annotated[
    MediaUploaded
    | InFlight
    | Created
    | Failed
    | OutcomeUnknown
    | Rescheduled
    | Moved
    | Forgotten
    | ResolvedCreated
    | ResolvedNotCreated
    | Accepted
    | RemoteRefreshed,
    Field(discriminator="kind"),
]
