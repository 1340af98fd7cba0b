"""Per-platform checks of a `POST /posts` request: availability, then the schema's rules.

The rules are read from the same schema that `GET /platforms/{id}/schema` serves. Extension:
a platform that breaks a rule fails only its own result, with
`{"code": "invalid_request", "message", "details"}`, and the other platforms go ahead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loomta_sync.emulator.media import MediaRecord
from loomta_sync.emulator.protocol import Issue, JsonObject, echo, json_type
from loomta_sync.emulator.seeds import EmulatedPlatform
from loomta_sync.emulator.validation import CreateRequest


@dataclass(frozen=True, slots=True)
class PlatformFailure:
    """Why one platform's result failed: the `error` object of a failed result entry."""

    code: str
    message: str
    details: tuple[Issue, ...] = ()

    def to_json(self) -> JsonObject:
        error: JsonObject = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = [issue.to_json() for issue in self.details]
        return error


def utf16_length(text: str) -> int:
    """Count UTF-16 code units, as JavaScript's `length` and TikTok do (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def check_platform(
    platform_id: str,
    platform: EmulatedPlatform | None,
    create: CreateRequest,
    media: Mapping[str, MediaRecord],
) -> PlatformFailure | None:
    """Return why `platform_id` cannot take this post, or None when it can."""
    unavailable = _unavailable(platform_id, platform)
    if unavailable is not None or platform is None:
        return unavailable

    schema = platform.schema
    provider_name = str(platform.platform.get("providerName") or platform.provider)
    issues = [
        *_content_issues(create, schema["content"]),
        *_media_issues(create, schema["media"], media, platform.provider, provider_name),
        *_comment_issues(create, schema["comments"]),
        *_settings_issues(create.settings, schema["settings"]["fields"]),
    ]
    if not issues:
        return None

    count = len(issues)
    noun = "rule" if count == 1 else "rules"
    message = (
        f"post breaks {count} {noun} of {provider_name} account {platform.handle}; "
        f"first: {issues[0].describe()}"
    )
    return PlatformFailure("invalid_request", message, tuple(issues))


def _unavailable(platform_id: str, platform: EmulatedPlatform | None) -> PlatformFailure | None:
    if platform is None:
        return PlatformFailure(
            "platform_not_found",
            f"platform {echo(platform_id)} is not connected to this workspace; "
            "use an id from GET /platforms",
        )
    if platform.disabled:
        return PlatformFailure(
            "platform_not_found",
            f"platform {platform_id} ({platform.handle}) is disabled; enable it in Loomta",
        )
    if platform.refresh_needed:
        return PlatformFailure(
            "platform_not_found",
            f"platform {platform_id} ({platform.handle}) needs a token refresh; "
            "reconnect the account in Loomta",
        )
    return None


def _content_issues(create: CreateRequest, rules: JsonObject) -> list[Issue]:
    limit = rules.get("maxLength")
    length = utf16_length(create.content)
    if limit is None or length <= limit:
        return []
    return [
        Issue(
            ("content",),
            f"is {length} UTF-16 code units long, {length - limit} over the maximum of {limit}; "
            "shorten the text",
        )
    ]


def _media_issues(
    create: CreateRequest,
    rules: JsonObject,
    media: Mapping[str, MediaRecord],
    provider: str,
    provider_name: str,
) -> list[Issue]:
    path = ("mediaIds",)
    kinds = [media[media_id].media_type for media_id in create.media_ids]
    if not kinds:
        if rules.get("required"):
            return [Issue(path, f"{provider_name} requires media; attach {_rule_text(rules)}")]
        return []

    issues: list[Issue] = []
    allowed = rules.get("allowedTypes") or []
    for index, kind in enumerate(kinds):
        if kind not in allowed:
            message = f"is a {kind}, which {provider_name} does not accept"
            issues.append(Issue((*path, index), message))

    images, videos = kinds.count("image"), kinds.count("video")
    if images and videos and not rules.get("supportsMixedTypes", True):
        message = f"mixes {images} image(s) and {videos} video(s); attach {_rule_text(rules)}"
        issues.append(Issue(path, message))
    elif provider == "tiktok" and videos > 1:
        issues.append(Issue(path, f"has {videos} videos; TikTok takes exactly one video"))

    issues.extend(_count_issues(len(kinds), rules, path))
    return issues


def _count_issues(count: int, rules: JsonObject, path: tuple[str, ...]) -> list[Issue]:
    minimum, maximum = rules.get("minItems"), rules.get("maxItems")
    if minimum is not None and count < minimum:
        return [Issue(path, f"has {count} item(s), fewer than the minimum of {minimum}")]
    if maximum is not None and count > maximum:
        return [Issue(path, f"has {count} items, {count - maximum} over the maximum of {maximum}")]
    return []


def _rule_text(rules: JsonObject) -> str:
    texts = rules.get("rules") or []
    if texts:
        first = str(texts[0]).rstrip(".")
        return first[0].lower() + first[1:]
    return "at least one media item"


def _comment_issues(create: CreateRequest, rules: JsonObject) -> list[Issue]:
    if create.comments and not rules.get("supported"):
        return [Issue(("comments",), "this platform does not take comments; remove them")]

    issues: list[Issue] = []
    for index, comment in enumerate(create.comments):
        if comment.media_ids and not rules.get("mediaSupported"):
            message = "comments on this platform cannot carry media; remove mediaIds"
            issues.append(Issue(("comments", index, "mediaIds"), message))
        if comment.delay_in_minutes is not None and not rules.get("delayInMinutesSupported"):
            message = "this platform posts comments at once; set delayInMinutes to null"
            issues.append(Issue(("comments", index, "delayInMinutes"), message))
    return issues


def _settings_issues(settings: dict[str, Any], fields: list[JsonObject]) -> list[Issue]:
    # Extension: settings keys that the schema does not list are ignored.
    issues: list[Issue] = []
    for spec in fields:
        name = spec["name"]
        path = ("settings", name)
        if name not in settings:
            if spec.get("required"):
                issues.append(Issue(path, f"is required{_allowed_suffix(spec)}"))
            continue
        problem = _setting_problem(settings[name], spec)
        if problem is not None:
            issues.append(Issue(path, problem))
    return issues


def _setting_problem(value: Any, spec: JsonObject) -> str | None:
    kind = spec.get("type")
    if kind == "boolean" and not isinstance(value, bool):
        return f"expected boolean, received {json_type(value)}"
    if kind == "string" and not isinstance(value, str):
        return f"expected string, received {json_type(value)}"
    if kind == "enum" and value not in (spec.get("enum") or []):
        return f"{echo(value)} is not allowed for this account{_allowed_suffix(spec)}"
    return None


def _allowed_suffix(spec: JsonObject) -> str:
    values = spec.get("enum")
    if not values:
        return ""
    return "; use one of " + ", ".join(values)
