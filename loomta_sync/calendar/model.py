"""Resolved calendar: posts and their per-platform targets, ready for the planner.

These are the values the planner compares with the state. They are frozen pydantic models so
the plan can carry them as JSON and a saved plan can be applied without re-reading the calendar.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Mode(StrEnum):
    SCHEDULE = "schedule"
    DRAFT = "draft"
    NOW = "now"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceLocation(Frozen):
    """A value's source position: path relative to the project root, 1-based line and column."""

    path: str
    line: int
    column: int


class MediaItem(Frozen):
    """One media attachment: a local file (path, sha256, mime_type, size) or a media id."""

    path: str | None = None
    sha256: str | None = None
    mime_type: str | None = None
    size: int | None = None
    media_id: str | None = None

    def identity(self) -> str:
        """Return what makes two attachments the same upload: the content hash or the media id."""
        if self.sha256 is not None:
            return f"sha256:{self.sha256}"
        return f"id:{self.media_id}"


class CommentPayload(Frozen):
    """A follow-up comment, sent in the `comments` array of POST /posts."""

    content: str
    delay_in_minutes: int | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    media: tuple[MediaItem, ...] = ()


class TargetPayload(Frozen):
    """Everything one platform receives for one post, with media not yet uploaded."""

    content: str
    mode: Mode
    scheduled_for: datetime | None = None
    media: tuple[MediaItem, ...] = ()
    settings: dict[str, Any] = Field(default_factory=dict)
    comments: tuple[CommentPayload, ...] = ()

    def field_digests(self) -> dict[str, str]:
        """Hash each field that the API cannot change after creation, so a conflict can name it.

        Media count by content hash or id, not by path, so renaming a media file is no change.
        """
        return {name: _sha256_json(value) for name, value in self._body().items()}

    def body_digest(self) -> str:
        """Hash everything that the API cannot change after creation (all but the time)."""
        return self._digests[0]

    def full_digest(self) -> str:
        """Hash the body and the time: equal digests mean identical requests."""
        return self._digests[1]

    # The payload is frozen, so both hashes are computed once, together. The planner reads
    # them for every target, some of them more than once.
    @cached_property
    def _digests(self) -> tuple[str, str]:
        body_digest = _sha256_json(self._body())
        when = self.scheduled_for.isoformat() if self.scheduled_for else "-"
        text = f"{body_digest}|{when}"
        return body_digest, hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _body(self) -> dict[str, Any]:
        comments = [
            {
                "content": comment.content,
                "delay_in_minutes": comment.delay_in_minutes,
                "settings": comment.settings,
                "media": [item.identity() for item in comment.media],
            }
            for comment in self.comments
        ]
        return {
            "content": self.content,
            "mode": self.mode.value,
            "media": [item.identity() for item in self.media],
            "settings": self.settings,
            "comments": comments,
        }


class Target(Frozen):
    """One post on one platform: the unit of sync."""

    post_key: str
    platform_id: str
    platform_alias: str | None = None
    payload: TargetPayload


class Post(Frozen):
    """One calendar post, resolved: platform ids, UTC time, hashed media, per-platform payloads."""

    key: str
    location: SourceLocation
    mode: Mode
    scheduled_for: datetime | None = None
    timezone: str | None = None
    targets: tuple[Target, ...]


class Calendar(Frozen):
    """All posts of a project, sorted by key."""

    posts: tuple[Post, ...] = ()

    def targets(self) -> list[Target]:
        return [target for post in self.posts for target in post.targets]


# Built once: json.dumps with these options would build an equal encoder on every call.
# Hashed values are trees built from validated fields, so there is no cycle to look for.
_DIGEST_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str, check_circular=False
)


def _sha256_json(value: Any) -> str:
    text = _DIGEST_ENCODER.encode(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
