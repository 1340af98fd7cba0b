"""Request builders shared by the emulator tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from loomta_sync.emulator.seeds import BRAND_PLATFORM_ID

JPEG_BYTES = b"\xff\xd8\xff\xe0 not a real jpeg"
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42 not a real video"


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def upload(api: httpx.Client, kind: str = "image", name: str | None = None) -> str:
    """Upload a small JPEG (image) or MP4 (video) and return its media id."""
    if kind == "image":
        files = {"file": (name or "photo.jpg", JPEG_BYTES, "image/jpeg")}
    else:
        files = {"file": (name or "clip.mp4", MP4_BYTES, "video/mp4")}
    response = api.post("/media", files=files)
    assert response.status_code == 200, response.text
    media_id: str = response.json()["id"]
    return media_id


def post_body(media_ids: list[str], **fields: Any) -> dict[str, Any]:
    """A valid scheduled TikTok post for the brand account, with `fields` replacing defaults."""
    body: dict[str, Any] = {
        "platformIds": [BRAND_PLATFORM_ID],
        "content": "Launch day",
        "mode": "schedule",
        "scheduledFor": in_hours(2),
        "mediaIds": media_ids,
        "settings": {"privacy_level": "PUBLIC_TO_EVERYONE"},
    }
    body.update(fields)
    return body


def create(
    api: httpx.Client, body: dict[str, Any], idempotency_key: str | None = None
) -> httpx.Response:
    headers = {} if idempotency_key is None else {"Idempotency-Key": idempotency_key}
    return api.post("/posts", json=body, headers=headers)


def issue_paths(response: httpx.Response) -> list[list[Any]]:
    return [issue["path"] for issue in response.json()["details"]]
