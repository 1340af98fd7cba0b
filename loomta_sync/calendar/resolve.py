"""Resolving a validated post into a `Post` with one `Target` per platform.

Resolution checks what needs the project: platform names, the time and its zone, media files
and hidden characters in text. It then builds each platform's final payload (overrides applied,
time in UTC, media hashed) and, when a catalog is present, checks it against the platform's rules.
Every problem is reported at the line where the offending value was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from loomta_sync.calendar.entries import PostEntry
from loomta_sync.calendar.media import MediaFile, MediaResolver
from loomta_sync.calendar.model import (
    CommentPayload,
    MediaItem,
    Mode,
    Post,
    SourceLocation,
    Target,
    TargetPayload,
)
from loomta_sync.calendar.platforms import PlatformDirectory, PlatformRef
from loomta_sync.calendar.report import (
    InputError,
    PostReporter,
    YamlPath,
    excerpt,
    format_field,
)
from loomta_sync.calendar.spec import MediaIdRef, OverrideSpec, PostSpec
from loomta_sync.calendar.text import HiddenCharacter, HiddenKind, find_hidden_characters
from loomta_sync.calendar.times import check_lead_time, load_zone, parse_schedule_time
from loomta_sync.catalog.rules import FieldPath
from loomta_sync.config import Config
from loomta_sync.state.model import State


@dataclass(frozen=True, slots=True)
class ResolveContext:
    """Settings, platforms, media cache, state and clock shared by every post of one load."""

    config: Config
    platforms: PlatformDirectory
    media: MediaResolver
    state: State | None
    now: datetime
    # Media items by the path as written. MediaItem is frozen, so posts naming one file share it.
    media_items: dict[str, MediaItem] = field(default_factory=dict)


# Modes by value. A lookup here costs a fraction of calling Mode(value), and runs for every post.
_MODES = {mode.value: mode for mode in Mode}


@dataclass(frozen=True, slots=True)
class _Override:
    key: str  # the alias or id written under `overrides`
    spec: OverrideSpec


def resolve_post(
    spec: PostSpec, entry: PostEntry, reporter: PostReporter, context: ResolveContext
) -> Post | None:
    """Return the resolved post, or None after reporting every problem found in it."""
    key = entry.key
    if key is None:  # the entry's key problem was reported when the file was split
        return None

    _check_texts(spec, reporter)
    refs = _resolve_platforms(spec, reporter, context.platforms)
    overrides = _resolve_overrides(spec, refs, reporter, context.platforms)
    scheduled_for, zone_name = _resolve_time(spec, key, reporter, context)

    media = _MediaCollector(context.media, context.media_items, reporter)
    post_media = media.collect(("media",), spec.media)
    comments = _build_comments(spec, media)
    override_media: dict[str, tuple[MediaItem, ...]] = {}
    for platform_id, replaced in overrides.items():
        if replaced.spec.media is not None:
            path = ("overrides", replaced.key, "media")
            override_media[platform_id] = media.collect(path, replaced.spec.media)
    media.check_total(context.config.limits.max_media_bytes_per_post)
    if reporter.failed:
        return None

    mode = _MODES[spec.mode]
    # Targets without an override get the same payload object. It is frozen, and sharing it
    # means its digests are computed once for the post rather than once per platform.
    shared_payload: TargetPayload | None = None
    targets: list[Target] = []
    for ref in refs:
        override = overrides.get(ref.platform_id)
        if override is None:
            if shared_payload is None:
                shared_payload = TargetPayload(
                    content=spec.content,
                    mode=mode,
                    scheduled_for=scheduled_for,
                    media=post_media,
                    settings=dict(spec.settings),
                    comments=comments,
                )
            payload = shared_payload
        else:
            payload = TargetPayload(
                content=override.spec.content or spec.content,
                mode=mode,
                scheduled_for=scheduled_for,
                media=override_media.get(ref.platform_id, post_media),
                settings={**spec.settings, **override.spec.settings},
                comments=comments,
            )
        target = Target(
            post_key=key, platform_id=ref.platform_id, platform_alias=ref.alias, payload=payload
        )
        _check_rules(target, spec, override, refs, reporter, context.platforms)
        targets.append(target)
    if reporter.failed:
        return None

    mark = entry.document.mark(entry.prefix)
    return Post(
        key=key,
        location=SourceLocation(path=entry.document.path, line=mark.line, column=mark.column),
        mode=mode,
        scheduled_for=scheduled_for,
        timezone=zone_name,
        targets=tuple(targets),
    )


def _check_texts(spec: PostSpec, reporter: PostReporter) -> None:
    # Paths are built only for a text with hidden characters, because this runs on every post.
    hidden = find_hidden_characters(spec.content)
    if hidden:
        _report_hidden(reporter, ("content",), hidden)
    for index, comment in enumerate(spec.comments):
        hidden = find_hidden_characters(comment.content)
        if hidden:
            _report_hidden(reporter, ("comments", index, "content"), hidden)
    for key, override in spec.overrides.items():
        if override.content is not None:
            hidden = find_hidden_characters(override.content)
            if hidden:
                _report_hidden(reporter, ("overrides", key, "content"), hidden)


def _report_hidden(reporter: PostReporter, path: YamlPath, hidden: list[HiddenCharacter]) -> None:
    # One problem per distinct code point, at its first position, so a pasted run of hundreds
    # of zero-width spaces gives one line and not hundreds.
    first_by_code_point: dict[int, HiddenCharacter] = {}
    counts: dict[int, int] = {}
    for character in hidden:
        first_by_code_point.setdefault(character.code_point, character)
        counts[character.code_point] = counts.get(character.code_point, 0) + 1

    for code_point, character in first_by_code_point.items():
        more = counts[code_point] - 1
        also = f" (and {more} more)" if more else ""
        prefix, suffix = _HIDDEN_WORDS[character.kind]
        reporter.error(
            path,
            f"{format_field(path)} contains {prefix}{character.describe()}{suffix} "
            f"at text line {character.line}, column {character.column}{also}",
            "remove it, because readers of the plan cannot see it",
        )


# Words around a code point's description, by kind: "control character U+0007".
_HIDDEN_WORDS = {
    HiddenKind.CONTROL: ("control character ", ""),
    HiddenKind.BIDI: ("bidirectional control ", ""),
    HiddenKind.INVISIBLE: ("invisible character ", ""),
    HiddenKind.JOINER: ("", " outside an emoji sequence or joining script"),
}


def _resolve_platforms(
    spec: PostSpec, reporter: PostReporter, directory: PlatformDirectory
) -> list[PlatformRef]:
    refs: list[PlatformRef] = []
    first_name: dict[str, str] = {}
    for index, name in enumerate(spec.platforms):
        try:
            ref = directory.resolve(name)
        except InputError as error:
            reporter.invalid(("platforms", index), error)
            continue
        if ref.platform_id in first_name:
            reporter.error(
                ("platforms", index),
                f"platform '{excerpt(name)}' is listed twice "
                f"(first as '{excerpt(first_name[ref.platform_id])}')",
                "remove one of them",
            )
            continue
        first_name[ref.platform_id] = name
        refs.append(ref)
    return refs


def _resolve_overrides(
    spec: PostSpec,
    refs: list[PlatformRef],
    reporter: PostReporter,
    directory: PlatformDirectory,
) -> dict[str, _Override]:
    post_platforms = {ref.platform_id for ref in refs}
    overrides: dict[str, _Override] = {}
    for key, override in spec.overrides.items():
        try:
            ref = directory.resolve(key)
        except InputError as error:
            reporter.error(("overrides", key), error.message, error.hint, at_key=True)
            continue
        if ref.platform_id not in post_platforms:
            reporter.error(
                ("overrides", key),
                f"override for '{excerpt(key)}', which is not in this post's platforms",
                "add it to platforms or remove the override",
                at_key=True,
            )
            continue
        if ref.platform_id in overrides:
            reporter.error(
                ("overrides", key),
                f"second override for platform '{excerpt(key)}'",
                "merge the two overrides",
                at_key=True,
            )
            continue
        overrides[ref.platform_id] = _Override(key, override)
    return overrides


def _resolve_time(
    spec: PostSpec, post_key: str, reporter: PostReporter, context: ResolveContext
) -> tuple[datetime | None, str | None]:
    if spec.timezone is not None:
        try:
            load_zone(spec.timezone)
        except InputError as error:
            reporter.invalid(("timezone",), error)
            return None, None
    zone_name = spec.timezone or context.config.timezone

    if spec.mode != Mode.SCHEDULE.value:
        if spec.scheduled_for is not None:
            reporter.error(
                ("scheduledFor",),
                f"scheduledFor is set, but mode is {spec.mode}",
                "remove scheduledFor, or set `mode: schedule`",
            )
        return None, zone_name
    if spec.scheduled_for is None:
        reporter.error(
            (),
            "missing scheduledFor, which mode schedule needs",
            "add `scheduledFor: 2030-03-29T09:00`, or set `mode: draft`",
        )
        return None, zone_name

    try:
        scheduled_for = parse_schedule_time(spec.scheduled_for, zone_name)
        if not _has_state(context.state, post_key):
            minutes = context.config.min_lead_minutes
            check_lead_time(scheduled_for, context.now, minutes, spec.scheduled_for)
    except InputError as error:
        reporter.invalid(("scheduledFor",), error)
        return None, zone_name
    return scheduled_for, zone_name


def _has_state(state: State | None, post_key: str) -> bool:
    # Once any target of a post was created, a time in the past is history, not a mistake.
    if state is None:
        return False
    record = state.posts.get(post_key)
    return record is not None and bool(record.targets)


class _MediaCollector:
    """Resolves a post's media lists and adds up the bytes of its distinct files.

    A file listed by the post, an override and a comment counts once toward the post's limit.
    """

    def __init__(
        self, resolver: MediaResolver, items: dict[str, MediaItem], reporter: PostReporter
    ) -> None:
        self._resolver = resolver
        self._items = items
        self._reporter = reporter
        self._sizes: dict[str, int] = {}

    def collect(self, path: YamlPath, entries: list[str | MediaIdRef]) -> tuple[MediaItem, ...]:
        items: list[MediaItem] = []
        for index, entry in enumerate(entries):
            if isinstance(entry, MediaIdRef):
                items.append(MediaItem(media_id=entry.id))
                continue
            try:
                file = self._resolver.resolve(entry)
            except InputError as error:
                self._reporter.invalid((*path, index), error)
                continue
            self._sizes[file.real_path] = file.size
            items.append(self._item(entry, file))
        return tuple(items)

    def _item(self, raw: str, file: MediaFile) -> MediaItem:
        item = self._items.get(raw)
        if item is None:
            item = MediaItem(
                path=file.path, sha256=file.sha256, mime_type=file.mime_type, size=file.size
            )
            self._items[raw] = item
        return item

    def check_total(self, limit: int) -> None:
        total = sum(self._sizes.values())
        if total > limit:
            self._reporter.error(
                ("media",),
                f"media files of this post add up to {total} bytes, "
                f"more than limits.max_media_bytes_per_post ({limit})",
                "use smaller files, or raise the limit in loomta.yaml",
            )


def _build_comments(spec: PostSpec, media: _MediaCollector) -> tuple[CommentPayload, ...]:
    comments: list[CommentPayload] = []
    for index, comment in enumerate(spec.comments):
        items = media.collect(("comments", index, "media"), comment.media) if comment.media else ()
        payload = CommentPayload(
            content=comment.content,
            delay_in_minutes=comment.delay_in_minutes,
            settings=dict(comment.settings),
            media=items,
        )
        comments.append(payload)
    return tuple(comments)


def _check_rules(
    target: Target,
    spec: PostSpec,
    override: _Override | None,
    refs: list[PlatformRef],
    reporter: PostReporter,
    directory: PlatformDirectory,
) -> None:
    rules = directory.rules(target.platform_id)
    if rules is None:
        return
    for violation in rules.check(target):
        path = _source_path(violation.field, spec, override, refs, target.platform_id)
        reporter.error(path, violation.message, violation.hint, at_key=violation.about_key)


def _source_path(
    field: FieldPath,
    spec: PostSpec,
    override: _Override | None,
    refs: list[PlatformRef],
    platform_id: str,
) -> YamlPath:
    """Return where in the post the payload field `field` of one target was written."""
    head, rest = field[0], field[1:]
    if head == "platform":
        # Rules run only when every platform name resolved, so refs and names share indexes.
        index = next(i for i, ref in enumerate(refs) if ref.platform_id == platform_id)
        return ("platforms", index)

    if override is not None:
        written = ("overrides", override.key)
        if head == "content" and override.spec.content is not None:
            return (*written, "content")
        if head == "media" and override.spec.media is not None:
            return (*written, "media", *rest)
        if head == "settings" and rest and rest[0] in override.spec.settings:
            return (*written, "settings", *rest)

    if head == "settings" and rest and rest[0] not in spec.settings:
        return ("settings",)
    return field
