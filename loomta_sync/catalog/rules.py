"""Platform rules from the cached catalog, checked offline against one target.

The checks are pure. `PlatformRules(entry).check(target)` (or `check_target(target, entry)` for a
single check) reads a resolved target and the platform's catalog entry and returns violations.
Each violation names the payload field it concerns, so the calendar loader can point at the line
where that field was written.

Content length is counted the way the provider counts it. TikTok counts UTF-16 code units, so an
emoji outside the Basic Multilingual Plane counts 2. Other providers count code points.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loomta_sync.calendar.model import MediaItem, Target, TargetPayload
from loomta_sync.calendar.text import make_visible
from loomta_sync.catalog.model import CatalogEntry, PlatformSchema, SettingsField

# A payload field as written in a post file: ("content",), ("media", 2), ("settings", "x"),
# ("comments", 0, "media"); ("platform",) means the platform itself.
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class LengthCounter:
    count: Callable[[str], int]
    unit: str


@dataclass(frozen=True, slots=True)
class ProviderRules:
    """Rules a provider enforces that the schema endpoint does not state as fields."""

    length: LengthCounter
    max_videos: int | None = None


def utf16_length(text: str) -> int:
    """Count UTF-16 code units: code points above U+FFFF take a surrogate pair."""
    return len(text.encode("utf-16-le")) // 2


CODE_POINTS = LengthCounter(count=len, unit="characters")
UTF16_UNITS = LengthCounter(count=utf16_length, unit="UTF-16 code units")

# NOTE: TikTok's "exactly one video, or 1 to 35 images" arrives only as text in
# `schema.media.rules`, so the one-video limit is kept here rather than read from the catalog.
PROVIDER_RULES: dict[str, ProviderRules] = {
    "tiktok": ProviderRules(length=UTF16_UNITS, max_videos=1),
}
DEFAULT_PROVIDER_RULES = ProviderRules(length=CODE_POINTS)


def provider_rules(provider: str) -> ProviderRules:
    """Return a provider's extra rules; a provider not in the table counts code points."""
    return PROVIDER_RULES.get(provider.lower(), DEFAULT_PROVIDER_RULES)


def content_length(text: str, provider: str) -> int:
    """Count `text` the way `provider` counts it against its maximum length."""
    return provider_rules(provider).length.count(text)


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """One broken rule. `about_key` is set when the mapping key itself is wrong, not its value."""

    field: FieldPath
    message: str
    hint: str
    about_key: bool = False


class PlatformRules:
    """One platform's rules, prepared once from its catalog entry and checked per target."""

    def __init__(self, entry: CatalogEntry) -> None:
        self.entry = entry
        self.schema = entry.schema_
        self.provider = provider_rules(entry.platform.provider)
        self.fields = {field.name: field for field in self.schema.settings.fields}
        # Settings that every post must set, in catalog order.
        self._required = [
            field for field in self.fields.values() if field.required and field.default is None
        ]
        # Labels by the alias a target was written with; a few aliases name each platform.
        self._labels: dict[str | None, str] = {}
        platform = entry.platform
        provider_name = platform.providerName or platform.provider
        if platform.displayName:
            self._described = f'{provider_name} "{platform.displayName}"'
        else:
            self._described = provider_name

    def check(self, target: Target) -> list[RuleViolation]:
        """Check one target's payload against the account state and the schema."""
        label = self._labels.get(target.platform_alias)
        if label is None:
            label = f"{target.platform_alias or self.entry.platform.id} ({self._described})"
            self._labels[target.platform_alias] = label
        payload = target.payload

        violations = _check_account(label, self.entry)
        violations += _check_content(label, payload.content, self.schema, self.provider)
        violations += _check_media(label, payload.media, self.schema, self.provider)
        violations += _check_settings(label, payload.settings, self.fields, self._required)
        violations += _check_comments(label, payload, self.schema)
        return violations


def check_target(target: Target, entry: CatalogEntry) -> list[RuleViolation]:
    """Check one target's payload against its platform's account state and schema."""
    return PlatformRules(entry).check(target)


def _check_account(label: str, entry: CatalogEntry) -> list[RuleViolation]:
    platform = entry.platform
    violations: list[RuleViolation] = []
    if platform.disabled:
        violations.append(
            RuleViolation(
                ("platform",),
                f"platform {label} is disabled in Loomta",
                "enable it in Loomta and run `loomta-sync platforms pull`, or remove it",
            )
        )
    if platform.refreshNeeded:
        violations.append(
            RuleViolation(
                ("platform",),
                f"platform {label} needs its login refreshed in Loomta",
                "reconnect the account in Loomta and run `loomta-sync platforms pull`",
            )
        )
    return violations


def _check_content(
    label: str, content: str, schema: PlatformSchema, rules: ProviderRules
) -> list[RuleViolation]:
    if schema.content.required and (not content or content.isspace()):
        return [
            RuleViolation(
                ("content",), f"content is empty, but {label} requires text", "write text"
            )
        ]

    maximum = schema.content.maxLength
    if maximum is None:
        return []
    length = rules.length.count(content)
    if length <= maximum:
        return []
    unit = rules.length.unit
    return [
        RuleViolation(
            ("content",),
            f"content is {length} {unit} long, but {label} allows at most {maximum}",
            f"shorten it by {length - maximum} {unit}",
        )
    ]


def _check_media(
    label: str, media: tuple[MediaItem, ...], schema: PlatformSchema, rules: ProviderRules
) -> list[RuleViolation]:
    limits = schema.media
    if not media:
        if limits.required:
            return [RuleViolation(("media",), f"{label} requires media", "add an image or video")]
        return []

    violations: list[RuleViolation] = []
    count = len(media)
    if limits.minItems is not None and count < limits.minItems:
        violations.append(
            RuleViolation(
                ("media",),
                f"{count} media items, but {label} needs at least {limits.minItems}",
                "add media",
            )
        )
    if limits.maxItems is not None and count > limits.maxItems:
        violations.append(
            RuleViolation(
                ("media",),
                f"{count} media items, but {label} allows at most {limits.maxItems}",
                f"remove {count - limits.maxItems}",
            )
        )

    # Media given by id carry no type, so only local files take part in the type rules.
    kinds = [_media_kind(item) for item in media]
    violations += _check_media_types(label, kinds, limits.allowedTypes)
    known_kinds = {kind for kind in kinds if kind is not None}
    if len(known_kinds) > 1 and not limits.supportsMixedTypes:
        violations.append(
            RuleViolation(
                ("media",),
                f"media mix {' and '.join(f'{kind}s' for kind in sorted(known_kinds))}, "
                f"which {label} does not allow",
                "use only images or only videos",
            )
        )
    videos = kinds.count("video")
    if rules.max_videos is not None and videos > rules.max_videos:
        violations.append(
            RuleViolation(
                ("media",),
                f"{videos} videos, but {label} allows at most {rules.max_videos} per post",
                "split them into separate posts",
            )
        )
    return violations


def _media_kind(item: MediaItem) -> str | None:
    if item.mime_type is None:
        return None
    return item.mime_type.partition("/")[0]


def _check_media_types(
    label: str, kinds: list[str | None], allowed: list[str]
) -> list[RuleViolation]:
    if not allowed:
        return []
    violations: list[RuleViolation] = []
    for index, kind in enumerate(kinds):
        if kind is not None and kind not in allowed:
            violations.append(
                RuleViolation(
                    ("media", index),
                    f"{kind} media are not accepted by {label}",
                    f"use {' or '.join(allowed)} media",
                )
            )
    return violations


def _check_settings(
    label: str,
    settings: dict[str, Any],
    by_name: dict[str, SettingsField],
    required: list[SettingsField],
) -> list[RuleViolation]:
    violations: list[RuleViolation] = []
    # A misspelled name is the mistake to report, not the missing setting it was meant to be.
    meant: set[str] = set()

    for name, value in settings.items():
        field = by_name.get(name)
        if field is None:
            close = _close_name(name, by_name)
            if close is not None:
                meant.add(close)
            violations.append(_unknown_setting(label, name, close, by_name))
            continue
        problem = _check_setting_value(label, field, value)
        if problem is not None:
            violations.append(problem)

    for field in required:
        if field.name not in settings and field.name not in meant:
            violations.append(_missing_setting(label, field))
    return violations


def _close_name(name: str, by_name: dict[str, SettingsField]) -> str | None:
    # A long name gets no suggestion, so a hostile setting name cannot make difflib slow.
    if len(name) > 100:
        return None
    close = difflib.get_close_matches(name, list(by_name), n=1)
    return close[0] if close else None


def _unknown_setting(
    label: str, name: str, close: str | None, by_name: dict[str, SettingsField]
) -> RuleViolation:
    if close is not None:
        hint = f"did you mean '{close}'?"
    elif by_name:
        hint = f"known settings: {', '.join(sorted(by_name))}"
    else:
        hint = "remove it"
    return RuleViolation(
        ("settings", name),
        f"unknown setting '{_shorten(name)}' for {label}",
        hint,
        about_key=True,
    )


def _missing_setting(label: str, field: SettingsField) -> RuleViolation:
    if field.enum:
        hint = f"add {field.name}: one of {', '.join(field.enum)}"
    else:
        hint = f"add {field.name} under settings"
    return RuleViolation(("settings",), f"missing setting '{field.name}' for {label}", hint)


def _check_setting_value(label: str, field: SettingsField, value: Any) -> RuleViolation | None:
    path: FieldPath = ("settings", field.name)
    if field.type == "boolean" and not isinstance(value, bool):
        return RuleViolation(
            path,
            f"setting '{field.name}' must be true or false, not {_short_repr(value)}",
            "write true or false without quotes",
        )
    if field.type == "string" and not isinstance(value, str):
        return RuleViolation(
            path,
            f"setting '{field.name}' must be a string, not {_short_repr(value)}",
            "quote the value",
        )
    if field.type == "enum" and field.enum is not None and value not in field.enum:
        return RuleViolation(
            path,
            f"setting '{field.name}' is {_short_repr(value)}, which {label} does not allow",
            f"use one of {', '.join(field.enum)}",
        )
    return None


def _check_comments(
    label: str, payload: TargetPayload, schema: PlatformSchema
) -> list[RuleViolation]:
    if not payload.comments:
        return []
    rules = schema.comments
    if not rules.supported:
        return [RuleViolation(("comments",), f"{label} does not support comments", "remove them")]

    violations: list[RuleViolation] = []
    for index, comment in enumerate(payload.comments):
        if comment.media and not rules.mediaSupported:
            violations.append(
                RuleViolation(
                    ("comments", index, "media"),
                    f"{label} does not support media in comments",
                    "remove the comment's media",
                )
            )
        if comment.delay_in_minutes is not None and not rules.delayInMinutesSupported:
            violations.append(
                RuleViolation(
                    ("comments", index, "delayInMinutes"),
                    f"{label} does not support comment delays",
                    "remove delayInMinutes",
                )
            )
    return violations


def _short_repr(value: Any) -> str:
    return _shorten(repr(value))


def _shorten(text: str) -> str:
    # Messages are one line each, so a long value written in a post is cut, and hidden
    # characters in a setting's name are shown as markers such as `⟨U+202E⟩`.
    return make_visible(text if len(text) <= 60 else text[:57] + "...")
