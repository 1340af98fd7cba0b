"""API key checks. Messages never contain the key, not even part of it.

A key is valid when it is `loomta_sk_` followed by at least 8 characters of `[A-Za-z0-9_]`.
Extension: keys that start with `loomta_sk_revoked` count as revoked, so tests can provoke
`invalid_api_key` with a well-formed key.
"""

from __future__ import annotations

import re

from loomta_sync.emulator.protocol import ApiFailure, Request

API_KEY_PATTERN = re.compile(r"loomta_sk_[A-Za-z0-9_]{8,}")
REVOKED_KEY_PREFIX = "loomta_sk_revoked"


def authenticate(request: Request) -> None:
    """Raise the 401 failure unless the request carries a valid Bearer key."""
    header = (request.header("authorization") or "").strip()
    if not header:
        raise _missing("request has no Authorization header")

    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer":
        raise _invalid("Authorization header does not use the Bearer scheme")

    key = key.strip()
    if not key:
        raise _missing("Authorization header has an empty Bearer token")
    if key.startswith(REVOKED_KEY_PREFIX):
        raise _invalid("API key has been revoked")
    if API_KEY_PATTERN.fullmatch(key) is None:
        raise _invalid(
            "API key is malformed: expected loomta_sk_ and at least 8 letters, digits or '_'"
        )


def _missing(reason: str) -> ApiFailure:
    message = f"{reason}; send 'Authorization: Bearer <API key>'"
    return ApiFailure(401, "missing_api_key", message)


def _invalid(reason: str) -> ApiFailure:
    message = f"{reason}; send a current key of this workspace as 'Authorization: Bearer <key>'"
    return ApiFailure(401, "invalid_api_key", message)
