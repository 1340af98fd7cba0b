"""Post files as written: the pydantic models that validate them and generate their JSON Schema.

Types are strict, so `content: 123` is an error rather than the text "123". Field names follow
the API where a field maps one to one (`scheduledFor`, `delayInMinutes`). Checks that need more
than one field, the project or the file system (time zones, platforms, media files) happen when
the post is resolved, not here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StrictStr,
    Tag,
    TypeAdapter,
)

# Letters, digits, '.', '_' and '-', in segments joined by '/'. Keys appear in the state file,
# plan output and PR comments, so they stay plain ASCII.
POST_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$"
POST_KEY_MAX_LENGTH = 200

# Discriminator tags for a media entry. Pydantic puts them into error locations, and the spec
# check removes them again, so messages name the field as written.
MEDIA_PATH_TAG = "media-path"
MEDIA_ID_TAG = "media-id"
MEDIA_TAGS = frozenset({MEDIA_PATH_TAG, MEDIA_ID_TAG})
MEDIA_ENTRY_ERROR = "media_entry"

ModeName = Literal["schedule", "draft", "now"]


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class MediaIdRef(SpecModel):
    """Media already uploaded to Loomta, by its media id."""

    id: StrictStr = Field(min_length=1)


def _media_entry_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return MEDIA_PATH_TAG
    if isinstance(value, dict):
        return MEDIA_ID_TAG
    return None


MediaEntry = Annotated[
    Annotated[StrictStr, Tag(MEDIA_PATH_TAG)] | Annotated[MediaIdRef, Tag(MEDIA_ID_TAG)],
    Discriminator(
        _media_entry_tag,
        custom_error_type=MEDIA_ENTRY_ERROR,
        custom_error_message="a media entry is a file path or a mapping with an id",
    ),
]
"""A file path relative to the project root, or `{id: <media id>}`."""


class CommentSpec(SpecModel):
    """A follow-up comment published after the post."""

    content: StrictStr = Field(min_length=1)
    delay_in_minutes: StrictInt | None = Field(default=None, alias="delayInMinutes", ge=0)
    settings: dict[StrictStr, Any] = Field(default_factory=dict)
    media: list[MediaEntry] = Field(default_factory=list)


class OverrideSpec(SpecModel):
    """Replacements for one platform: content and media replace, settings merge over the post's."""

    content: StrictStr | None = Field(default=None, min_length=1)
    media: list[MediaEntry] | None = None
    settings: dict[StrictStr, Any] = Field(default_factory=dict)


class PostSpec(SpecModel):
    """One post as written in a calendar file."""

    id: StrictStr | None = Field(
        default=None, pattern=POST_KEY_PATTERN, max_length=POST_KEY_MAX_LENGTH
    )
    platforms: list[StrictStr] = Field(min_length=1)
    content: StrictStr = Field(min_length=1)
    mode: ModeName = "schedule"
    scheduled_for: StrictStr | None = Field(default=None, alias="scheduledFor")
    timezone: StrictStr | None = None
    media: list[MediaEntry] = Field(default_factory=list)
    settings: dict[StrictStr, Any] = Field(default_factory=dict)
    comments: list[CommentSpec] = Field(default_factory=list)
    overrides: dict[StrictStr, OverrideSpec] = Field(default_factory=dict)


# Built once, because building a validator costs far more than running it on one post.
POST_ADAPTER: TypeAdapter[PostSpec] = TypeAdapter(PostSpec)

# Keys each mapping accepts, by the name a file uses, for near-miss suggestions.
POST_KEYS = tuple(field.alias or name for name, field in PostSpec.model_fields.items())
COMMENT_KEYS = tuple(field.alias or name for name, field in CommentSpec.model_fields.items())
OVERRIDE_KEYS = tuple(OverrideSpec.model_fields)
MEDIA_ID_KEYS = tuple(MediaIdRef.model_fields)


def calendar_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of a calendar file: one post, or a list of posts."""
    post_schema = PostSpec.model_json_schema(by_alias=True)
    definitions = post_schema.pop("$defs", {})
    definitions["Post"] = post_schema
    reference = {"$ref": "#/$defs/Post"}
    listed_post = {"allOf": [reference, {"required": ["id"]}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "loomta-sync calendar file",
        "description": "One post, or a list of posts that each have an id.",
        "oneOf": [reference, {"type": "array", "items": listed_post}],
        "$defs": definitions,
    }
