"""Shape checks of the `POST /posts` and `PATCH /posts/{id}/schedule` bodies.

Every issue is collected before the request is rejected, so one 400 `invalid_request` lists
them all in `details`, as a Zod schema would. Unknown top-level keys are ignored, as Zod's
default object parsing strips them. Provider rules (media counts, content length, settings)
are per platform and live in `rules`.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from loomta_sync.emulator.clock import format_instant, parse_instant
from loomta_sync.emulator.protocol import Issue, echo, invalid_request, json_type

MODES = ("now", "schedule", "draft")

# Extension: the longest comment delay, one leap year, so that times stay in range.
MAX_DELAY_MINUTES = 366 * 24 * 60

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class CommentRequest:
    """One entry of `comments`: a follow-up post."""

    content: str
    delay_in_minutes: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    media_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """A `POST /posts` body that passed the shape checks."""

    platform_ids: tuple[str, ...]
    content: str
    mode: str
    scheduled_for: datetime | None = None
    media_ids: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    comments: tuple[CommentRequest, ...] = ()


def validate_create_body(body: Any, now: datetime, known_media: Container[str]) -> CreateRequest:
    """Check a decoded `POST /posts` body, or raise `invalid_request` listing every issue.

    `now` is the emulator's time, for the past-time check. `known_media` contains the uploaded
    media ids, all READY.
    """
    issues: list[Issue] = []
    if not isinstance(body, dict):
        issues.append(Issue((), f"expected a JSON object, received {json_type(body)}"))
        raise invalid_request(issues)

    create = CreateRequest(
        platform_ids=_platform_ids(body, issues),
        content=_required_text(body, ("content",), issues),
        mode=_mode(body, issues),
        scheduled_for=_scheduled_for(body, now, issues),
        media_ids=_media_ids(body.get("mediaIds"), ("mediaIds",), known_media, issues),
        settings=_optional_object(body.get("settings"), ("settings",), issues),
        comments=_comments(body.get("comments"), known_media, issues),
    )
    if issues:
        raise invalid_request(issues)
    return create


def validate_schedule_body(body: Any, now: datetime) -> datetime:
    """Check a `PATCH /posts/{id}/schedule` body and return its new time."""
    issues: list[Issue] = []
    if not isinstance(body, dict):
        issues.append(Issue((), f"expected a JSON object, received {json_type(body)}"))
        raise invalid_request(issues)

    if "scheduledFor" not in body:
        issues.append(Issue(("scheduledFor",), "is required"))
        raise invalid_request(issues)

    when = _instant(body["scheduledFor"], ("scheduledFor",), now, issues)
    if when is None:
        raise invalid_request(issues)
    return when


def _platform_ids(body: dict[str, Any], issues: list[Issue]) -> tuple[str, ...]:
    path: Path = ("platformIds",)
    if "platformIds" not in body:
        issues.append(Issue(path, "is required"))
        return ()

    ids = _string_list(body["platformIds"], path, issues)
    if not ids and isinstance(body["platformIds"], list):
        issues.append(Issue(path, "must contain at least 1 platform id"))

    # Extension: a platform listed twice is rejected, because it would post the same text twice.
    seen: set[str] = set()
    for index, platform_id in enumerate(ids):
        if platform_id in seen:
            issues.append(Issue((*path, index), f"repeats platform id {echo(platform_id)}"))
        seen.add(platform_id)
    return ids


def _mode(body: dict[str, Any], issues: list[Issue]) -> str:
    if "mode" not in body:
        issues.append(Issue(("mode",), "is required; use one of now, schedule, draft"))
        return "draft"

    mode = body["mode"]
    if mode not in MODES:
        issues.append(
            Issue(("mode",), f"must be one of now, schedule, draft; received {echo(mode)}")
        )
        return "draft"
    return str(mode)


def _scheduled_for(body: dict[str, Any], now: datetime, issues: list[Issue]) -> datetime | None:
    path: Path = ("scheduledFor",)
    value = body.get("scheduledFor")
    mode = body.get("mode")
    if value is None:
        if mode == "schedule":
            issues.append(Issue(path, "is required when mode is schedule"))
        return None

    # Extension: only a scheduled post's time must lie ahead. A draft keeps its time as data.
    return _instant(value, path, now if mode == "schedule" else None, issues)


def _instant(
    value: Any, path: Path, not_before: datetime | None, issues: list[Issue]
) -> datetime | None:
    if not isinstance(value, str):
        issues.append(Issue(path, f"expected an ISO 8601 string, received {json_type(value)}"))
        return None

    try:
        when = parse_instant(value)
    except ValueError as exc:
        issues.append(Issue(path, f"{echo(value)} {exc}"))
        return None

    # Extension: a time in the past is an invalid_request.
    if not_before is not None and when < not_before:
        issues.append(
            Issue(
                path,
                f"{format_instant(when)} is in the past (now is {format_instant(not_before)}); "
                "choose a later time",
            )
        )
        return None
    return when


def _required_text(body: dict[str, Any], path: Path, issues: list[Issue]) -> str:
    name = path[-1]
    if name not in body:
        issues.append(Issue(path, "is required"))
        return ""
    return _text(body[name], path, issues)


def _text(value: Any, path: Path, issues: list[Issue]) -> str:
    if not isinstance(value, str):
        issues.append(Issue(path, f"expected string, received {json_type(value)}"))
        return ""
    if not value:
        issues.append(Issue(path, "must contain at least 1 character"))
    return value


def _string_list(value: Any, path: Path, issues: list[Issue]) -> tuple[str, ...]:
    if not isinstance(value, list):
        issues.append(Issue(path, f"expected array, received {json_type(value)}"))
        return ()

    strings: list[str] = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            strings.append(item)
        else:
            issues.append(Issue((*path, index), f"expected string, received {json_type(item)}"))
    return tuple(strings)


def _media_ids(
    value: Any, path: Path, known_media: Container[str], issues: list[Issue]
) -> tuple[str, ...]:
    if value is None:
        return ()

    ids = _string_list(value, path, issues)
    # Extension: every media id must name an upload of this workspace (all uploads are READY).
    for index, media_id in enumerate(ids):
        if media_id not in known_media:
            issues.append(
                Issue(
                    (*path, index),
                    f"media {echo(media_id)} was not found; upload the file with POST /media first",
                )
            )
    return ids


def _optional_object(value: Any, path: Path, issues: list[Issue]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        issues.append(Issue(path, f"expected object, received {json_type(value)}"))
        return {}
    return value


def _comments(
    value: Any, known_media: Container[str], issues: list[Issue]
) -> tuple[CommentRequest, ...]:
    path: Path = ("comments",)
    if value is None:
        return ()
    if not isinstance(value, list):
        issues.append(Issue(path, f"expected array, received {json_type(value)}"))
        return ()

    comments: list[CommentRequest] = []
    for index, item in enumerate(value):
        item_path: Path = (*path, index)
        if not isinstance(item, dict):
            issues.append(Issue(item_path, f"expected object, received {json_type(item)}"))
            continue
        comments.append(_comment(item, item_path, known_media, issues))
    return tuple(comments)


def _comment(
    item: dict[str, Any], path: Path, known_media: Container[str], issues: list[Issue]
) -> CommentRequest:
    return CommentRequest(
        content=_required_text(item, (*path, "content"), issues),
        delay_in_minutes=_delay(item.get("delayInMinutes"), (*path, "delayInMinutes"), issues),
        settings=_optional_object(item.get("settings"), (*path, "settings"), issues),
        media_ids=_media_ids(item.get("mediaIds"), (*path, "mediaIds"), known_media, issues),
    )


def _delay(value: Any, path: Path, issues: list[Issue]) -> int | None:
    if value is None:
        return None

    # JSON has one number type, so 5.0 is the integer 5, as in JavaScript.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or value != int(value):
        issues.append(Issue(path, f"expected an integer or null, received {echo(value)}"))
        return None

    # Extension: a negative delay is rejected, since a comment cannot precede its post.
    if not 0 <= value <= MAX_DELAY_MINUTES:
        message = f"must be 0 to {MAX_DELAY_MINUTES} minutes, received {echo(value)}"
        issues.append(Issue(path, message))
        return None
    return int(value)
