"""Build the JSON body of POST /posts from a payload and the uploaded media ids."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from loomta_sync.calendar.model import MediaItem, TargetPayload
from loomta_sync.errors import LoomtaSyncError


def media_ids(items: tuple[MediaItem, ...], uploaded: dict[str, str]) -> list[str]:
    """Return the API media ids, from the upload map (sha256 → id) or the item's own id."""
    ids = []
    for item in items:
        if item.media_id is not None:
            ids.append(item.media_id)
        elif item.sha256 is not None and item.sha256 in uploaded:
            ids.append(uploaded[item.sha256])
        else:
            raise LoomtaSyncError(f"media {item.path} was not uploaded before its post was sent")
    return ids


def post_body(
    payload: TargetPayload, platform_ids: tuple[str, ...], uploaded: dict[str, str]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "platformIds": list(platform_ids),
        "content": payload.content,
        "mode": payload.mode.value,
    }
    if payload.scheduled_for is not None:
        body["scheduledFor"] = payload.scheduled_for.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if payload.media:
        body["mediaIds"] = media_ids(payload.media, uploaded)
    if payload.settings:
        body["settings"] = payload.settings
    if payload.comments:
        body["comments"] = [
            {
                "content": comment.content,
                "delayInMinutes": comment.delay_in_minutes,
                "settings": comment.settings,
                "mediaIds": media_ids(comment.media, uploaded),
            }
            for comment in payload.comments
        ]
    return body
