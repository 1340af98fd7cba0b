"""The state file: what apply did, per post and platform, and the media already uploaded.

`.loomta/state.json` is committed to git, so keys are sorted and timestamps are UTC ISO 8601.
It never contains the API key.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from loomta_sync.calendar.model import Mode

STATE_FORMAT_VERSION = 1


class TargetStatus(StrEnum):
    IN_FLIGHT = "in_flight"  # journaled before the request; only ever seen inside an apply
    CREATED = "created"  # the API returned the post ids
    FAILED = "failed"  # the API rejected this platform definitively; the plan offers a retry
    UNKNOWN = "unknown"  # sent, outcome never recorded; settle with `state resolve`


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TargetRecord(Record):
    """The last attempt to create one post on one platform, and what the API returned."""

    status: TargetStatus
    idempotency_key: str
    body_digest: str
    # Per-field hashes (content, mode, media, settings, comments) so a conflict names what changed.
    field_digests: dict[str, str] = Field(default_factory=dict)
    scheduled_for: datetime | None = None
    mode: Mode
    attempts: int = 1
    root_post_id: str | None = None
    child_post_ids: list[str] = Field(default_factory=list)
    remote_state: str | None = None
    release_url: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    first_attempt_at: datetime
    updated_at: datetime


class PostRecord(Record):
    """A post key's targets, by platform id, and the file it was last seen in."""

    source: str | None = None
    targets: dict[str, TargetRecord] = Field(default_factory=dict)


class MediaRecord(Record):
    """A file uploaded once, found again by its sha256."""

    media_id: str
    mime_type: str
    size: int
    uploaded_at: datetime


class State(Record):
    """The whole state file. `serial` grows by one on every write; `lineage` never changes."""

    format_version: int = STATE_FORMAT_VERSION
    lineage: str = Field(default_factory=lambda: str(uuid.uuid4()))
    serial: int = 0
    # The id of the last journal folded into this file. A leftover journal with this id was
    # already folded. A leftover journal with another id and an older base serial means that
    # this file was replaced after an apply was interrupted, for example by git pull.
    last_journal_id: str | None = None
    posts: dict[str, PostRecord] = Field(default_factory=dict)
    media: dict[str, MediaRecord] = Field(default_factory=dict)

    def target(self, post_key: str, platform_id: str) -> TargetRecord | None:
        post = self.posts.get(post_key)
        if post is None:
            return None
        return post.targets.get(platform_id)
