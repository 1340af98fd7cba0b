"""Typed, validated results of API calls.

Wire models read the API's camelCase JSON and keep only the fields loomta-sync uses. Fields that
decide what apply does next (ids, states, times, URLs) are checked strictly, so a response that
does not match is rejected as a whole instead of being half trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

# NOTE: the API documentation calls only platform ids uuids. Post and media ids are uuids in
# every response seen so far, and anything else is treated as a sign of a wrong or hostile
# server. Relax this check if Loomta documents another id format.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_MAX_URL_CHARS = 2048


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def _check_uuid(value: str) -> str:
    if not is_uuid(value):
        raise ValueError("not a UUID")
    return value


def _check_web_url(value: str) -> str:
    if len(value) > _MAX_URL_CHARS or any(char.isspace() or ord(char) < 32 for char in value):
        raise ValueError("not a plain http(s) URL")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


def _none_as_empty(value: Any) -> Any:
    return () if value is None else value


ResourceId = Annotated[str, AfterValidator(_check_uuid)]
WebUrl = Annotated[str, AfterValidator(_check_web_url)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_none_as_empty)]


class PostState(StrEnum):
    DRAFT = "DRAFT"
    QUEUE = "QUEUE"  # waiting to publish
    PUBLISHED = "PUBLISHED"
    ACTION_REQUIRED = "ACTION_REQUIRED"
    ERROR = "ERROR"


class MediaStatus(StrEnum):
    PENDING = "PENDING"
    READY = "READY"  # the only status in which a media id may be used in a post


class WireModel(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True
    )


class RemotePost(WireModel):
    """A post as Loomta stores it; `integration_id` is the platform id."""

    id: ResourceId
    state: PostState
    group_id: str | None = None
    parent_post_id: ResourceId | None = None
    integration_id: ResourceId | None = None
    content: str | None = None
    scheduled_for: AwareDatetime | None = None
    delay_in_minutes: int | None = None
    release_id: str | None = None
    release_url: WebUrl | None = None
    settings: Any = None
    media_ids: IdList = ()
    error_text: str | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class PostGroup(WireModel):
    """A root post and the children made from its follow-up comments."""

    root: RemotePost
    children: tuple[RemotePost, ...] = ()


class UploadedMedia(WireModel):
    id: ResourceId
    status: MediaStatus
    mime_type: str
    size: int = Field(ge=0)
    media_type: str | None = None
    original_file_name: str | None = None
    public_url: str | None = None
    preview_url: str | None = None
    created_at: AwareDatetime | None = None


@dataclass(frozen=True, slots=True)
class PlatformCreated:
    """The platform's post exists: its ids and the state Loomta reported."""

    root_post_id: str
    child_post_ids: tuple[str, ...]
    remote_state: PostState
    release_url: str | None = None


@dataclass(frozen=True, slots=True)
class PlatformFailed:
    """The server reported that it did not create the post on this platform."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class PlatformUnknown:
    """The response does not show whether the post exists on this platform, so it may exist."""

    reason: str


PlatformResult = PlatformCreated | PlatformFailed | PlatformUnknown


@dataclass(frozen=True)
class CreateOutcome:
    """The result of one POST /posts: exactly one entry per requested platform id."""

    idempotency_key: str
    results: Mapping[str, PlatformResult]

    def created(self) -> dict[str, PlatformCreated]:
        return {
            key: value for key, value in self.results.items() if isinstance(value, PlatformCreated)
        }

    def failed(self) -> dict[str, PlatformFailed]:
        return {
            key: value for key, value in self.results.items() if isinstance(value, PlatformFailed)
        }

    def unknown(self) -> dict[str, PlatformUnknown]:
        return {
            key: value for key, value in self.results.items() if isinstance(value, PlatformUnknown)
        }
