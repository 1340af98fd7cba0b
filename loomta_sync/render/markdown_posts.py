"""One folded `<details>` block per post for the Markdown plan.

The block shows what each platform will receive: the full text, media, settings, follow-up
comments, the time in the post's zone and in UTC, and the text's length against the platform's
limit. Every piece of user text goes through `markdown_escape`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from loomta_sync.calendar.model import CommentPayload, MediaItem, Mode, TargetPayload
from loomta_sync.catalog.model import Catalog
from loomta_sync.catalog.rules import provider_rules
from loomta_sync.planner.model import Change, ChangeKind
from loomta_sync.render.markdown_escape import escape_inline, fenced_block, inline_code
from loomta_sync.render.markdown_time import format_local, format_size, format_utc


def render_post_block(post_key: str, changes: Sequence[Change], catalog: Catalog) -> str:
    """Render one post's changes as a `<details>` block, folded, with a one-line summary."""
    # A blank line after `<summary>` ends the HTML block, so GitHub parses the rest as Markdown.
    blocks = [
        f"<details>\n<summary>{_summary_text(post_key, changes, catalog)}</summary>",
        _source_line(changes),
        _target_table(changes, catalog),
    ]
    blocks.extend(_reason_lines(changes, catalog))
    for platforms, payload in _distinct_payloads(changes, catalog):
        blocks.append(_payload_section(platforms, payload))
    blocks.append("</details>")
    return "\n\n".join(blocks) + "\n"


def platform_label(change: Change, catalog: Catalog) -> str:
    """Name a platform as reviewers know it: alias, then provider and handle from the catalog."""
    name = change.platform_alias or change.platform_id
    entry = catalog.entry(change.platform_id)
    if entry is None:
        return name
    details = [entry.platform.provider]
    if entry.platform.displayHandle:
        details.append(entry.platform.displayHandle)
    return f"{name} ({' '.join(details)})"


def _summary_text(post_key: str, changes: Sequence[Change], catalog: Catalog) -> str:
    kinds = sorted({change.kind for change in changes}, key=list(ChangeKind).index)
    platforms = ", ".join(escape_inline(platform_label(change, catalog)) for change in changes)
    text = f"<b>{', '.join(kind.value for kind in kinds)}</b> {inline_code(post_key)}"
    text += f" · {platforms}"
    when = _first_time(changes)
    if when:
        text += f" · {escape_inline(when)}"
    return text


def _first_time(changes: Sequence[Change]) -> str | None:
    for change in changes:
        payload = change.payload
        if payload is None:
            continue
        if payload.mode is not Mode.SCHEDULE:
            return payload.mode.value
        if payload.scheduled_for is not None:
            return format_local(payload.scheduled_for, change.timezone)
    return None


def _source_line(changes: Sequence[Change]) -> str:
    for change in changes:
        if change.location is not None:
            where = f"{change.location.path}:{change.location.line}:{change.location.column}"
            return f"File: {inline_code(where)}"
    return "File: not in the calendar any more"


def _target_table(changes: Sequence[Change], catalog: Catalog) -> str:
    rows = [
        "| Platform | Change | Time in the post's zone | Time in UTC | Length / limit |",
        "| --- | --- | --- | --- | --- |",
    ]
    for change in changes:
        cells = [
            escape_inline(platform_label(change, catalog)),
            _change_cell(change),
            *_time_cells(change),
            _length_cell(change, catalog),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _change_cell(change: Change) -> str:
    text = f"<b>{change.kind.value}</b>"
    if change.kind is ChangeKind.MOVED and change.previous_key:
        text += f" from {inline_code(change.previous_key)}"
    if change.changed_fields:
        text += " (" + ", ".join(escape_inline(name) for name in change.changed_fields) + ")"
    return text


def _time_cells(change: Change) -> tuple[str, str]:
    payload = change.payload
    if payload is None:
        return "none", "none"
    if payload.mode is not Mode.SCHEDULE or payload.scheduled_for is None:
        return escape_inline(payload.mode.value), escape_inline(payload.mode.value)

    local = escape_inline(format_local(payload.scheduled_for, change.timezone))
    utc = escape_inline(format_utc(payload.scheduled_for))
    previous = change.record.scheduled_for if change.record is not None else None
    if change.kind is ChangeKind.RESCHEDULE and previous is not None:
        local += "<br>was " + escape_inline(format_local(previous, change.timezone))
        utc += "<br>was " + escape_inline(format_utc(previous))
    return local, utc


def _length_cell(change: Change, catalog: Catalog) -> str:
    if change.payload is None:
        return "none"
    entry = catalog.entry(change.platform_id)
    if entry is None:
        return f"{len(change.payload.content):,} characters / platform not in the catalog"
    counter = provider_rules(entry.platform.provider).length
    length = counter.count(change.payload.content)
    unit = f" {counter.unit}"
    limit = entry.schema_.content.maxLength
    if limit is None:
        return f"{length:,}{unit} / no limit known"
    if length > limit:
        return f"**{length:,}{unit} / {limit:,}: {length - limit:,} over the limit**"
    return f"{length:,}{unit} / {limit:,}"


def _reason_lines(changes: Sequence[Change], catalog: Catalog) -> list[str]:
    lines = [
        f"- {escape_inline(platform_label(change, catalog))}: {escape_inline(change.reason)}"
        for change in changes
        if change.reason
    ]
    return ["\n".join(lines)] if lines else []


def _distinct_payloads(
    changes: Sequence[Change], catalog: Catalog
) -> list[tuple[list[str], TargetPayload]]:
    """Group platforms that receive the same body, so shared text is shown once."""
    groups: dict[str, tuple[list[str], TargetPayload]] = {}
    for change in changes:
        if change.payload is None:
            continue
        label = platform_label(change, catalog)
        digest = change.payload.body_digest()
        groups.setdefault(digest, ([], change.payload))[0].append(label)
    return list(groups.values())


def _payload_section(platforms: list[str], payload: TargetPayload) -> str:
    names = ", ".join(escape_inline(name) for name in platforms)
    blocks = [f"**Text for {names}** ({payload.mode.value}):", fenced_block(payload.content)]
    if payload.media:
        blocks.append("**Media:**\n\n" + _media_lines(payload.media))
    if payload.settings:
        blocks.append(f"**Settings:** {inline_code(_settings_text(payload.settings))}")
    for number, comment in enumerate(payload.comments, start=1):
        blocks.append(_comment_section(number, comment))
    return "\n\n".join(blocks)


def _media_lines(media: Sequence[MediaItem]) -> str:
    lines = []
    for item in media:
        if item.path is None:
            lines.append(f"- existing media {inline_code(item.media_id or 'without id')}")
            continue
        details = [item.mime_type or "type unknown", format_size(item.size)]
        if item.sha256:
            details.append(f"sha256 {item.sha256[:12]}")
        lines.append(f"- {inline_code(item.path)} · {escape_inline(' · '.join(details))}")
    return "\n".join(lines)


def _settings_text(settings: dict[str, object]) -> str:
    return json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)


def _comment_section(number: int, comment: CommentPayload) -> str:
    delay = comment.delay_in_minutes
    when = f"{delay} minutes after the post" if delay else "right after the post"
    blocks = [f"**Comment {number}**, {when}:", fenced_block(comment.content)]
    if comment.media:
        blocks.append(_media_lines(comment.media))
    if comment.settings:
        blocks.append(f"Settings: {inline_code(_settings_text(comment.settings))}")
    return "\n\n".join(blocks)
