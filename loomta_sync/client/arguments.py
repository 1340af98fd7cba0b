"""Checks and conversions of the values a client sends: the API URL, ids, idempotency keys, times.

Values that a user can get wrong (the API URL, a post id typed on a command line or edited in
the state file) raise LoomtaSyncError with a fix. Values that only a bug can get wrong raise
ValueError.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

import httpx

from loomta_sync.client.responses import is_uuid
from loomta_sync.client.sanitize import Redactor
from loomta_sync.errors import LoomtaSyncError

MAX_IDEMPOTENCY_KEY_CHARS = 255


def check_base_url(base_url: str) -> httpx.URL:
    """Return `base_url` parsed, or raise LoomtaSyncError if the key must not be sent there.

    Plain http is accepted only for loopback hosts, where the emulator runs. A URL with
    user info, a query or a fragment is rejected because the client would drop or leak them.
    """
    # The URL is quoted in messages, so credential-shaped parts are removed first.
    quoted = repr(Redactor([]).line(base_url, 120))
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise LoomtaSyncError(f"API URL {quoted} is invalid; use https://…") from exc

    if url.scheme not in ("http", "https") or not url.host:
        raise LoomtaSyncError(f"API URL {quoted} is not an http(s) URL; use https://…")
    if url.userinfo or url.query or url.fragment:
        raise LoomtaSyncError(
            "API URL has user info, a query or a fragment; give only scheme, host and path"
        )
    if url.scheme == "http" and not _is_loopback(url.host):
        raise LoomtaSyncError(
            f"API URL {quoted} uses plain http for a remote host, which would expose the "
            "API key; use https"
        )
    return url


def format_api_datetime(value: datetime) -> str:
    """Format a time as the API expects it: UTC with milliseconds and a Z suffix.

    Raises ValueError for a naive datetime, since its instant is unknown.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no time zone; pass an aware datetime")
    text = value.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def path_id(value: str, label: str) -> str:
    """Return `value` if it is safe to put in a URL path, which a UUID always is.

    Ids may come from a command line or a hand-edited state file, so a bad one raises
    LoomtaSyncError, not ValueError.
    """
    if not isinstance(value, str) or not is_uuid(value):
        quoted = repr(value)[:60]
        raise LoomtaSyncError(f"{label} {quoted} is not a UUID; copy the id from Loomta")
    return value


def requested_platforms(body: dict[str, Any]) -> list[str]:
    platform_ids = body.get("platformIds")
    if not isinstance(platform_ids, list) or not platform_ids:
        raise ValueError("body['platformIds'] must be a non-empty list of platform ids")
    if not all(isinstance(platform_id, str) for platform_id in platform_ids):
        raise ValueError("body['platformIds'] must contain only strings")
    return list(dict.fromkeys(platform_ids))


def idempotency_header(key: str | None) -> dict[str, str]:
    if key is None:
        return {}
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY_CHARS or not all("!" <= c <= "~" for c in key):
        raise ValueError(
            f"idempotency key must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} printable ASCII "
            "characters without spaces"
        )
    return {"Idempotency-Key": key}
