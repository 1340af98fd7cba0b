"""`POST /posts`: check the body, then create one post group per platform that accepts it.

Order of checks, all under the store lock so concurrent requests cannot interleave:
1. The body must be JSON (400 `invalid_json`).
2. With idempotency on, a known Idempotency-Key replays its stored response, or gets 422
   `idempotency_key_reused` when the body differs (extension).
3. The body's shape (400 `invalid_request`, every issue in `details`).
4. Each platform on its own: availability and the schema's rules. Extension: when every
   platform is unknown, disabled or needs a refresh, the response is 404 `platform_not_found`
   and nothing is created.
5. The monthly quota (409 `post_limit_reached`). Extension: each created platform post counts
   one, and a request that would pass the quota creates nothing.

Only a 200 response is stored for replay, as nothing happened for any other response.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from loomta_sync.emulator.app import Emulator
from loomta_sync.emulator.posts import build_group
from loomta_sync.emulator.protocol import (
    ApiFailure,
    Issue,
    JsonObject,
    Request,
    Response,
    invalid_request,
    parse_json_body,
)
from loomta_sync.emulator.rules import PlatformFailure, check_platform
from loomta_sync.emulator.store import StoredResponse
from loomta_sync.emulator.validation import CreateRequest, validate_create_body

logger = logging.getLogger(__name__)

# Extension: longer keys are rejected so that stored keys stay small.
MAX_IDEMPOTENCY_KEY_LENGTH = 255


def create_posts(app: Emulator, request: Request) -> Response:
    body = parse_json_body(request.body)
    key = idempotency_key(request)
    fingerprint = _fingerprint(body)
    store = app.store

    with store.lock:
        store.counters.create_requests += 1
        honoured = app.faults.settings.idempotency and key is not None
        if honoured and key is not None and key in store.idempotency:
            return _replay(app, key, fingerprint)

        response = _create(app, body, key)
        if honoured and key is not None:
            store.idempotency[key] = StoredResponse(fingerprint, response)
        return response


def idempotency_key(request: Request) -> str | None:
    """Return the request's Idempotency-Key, or raise `invalid_request` when it is too long."""
    key = request.header("idempotency-key")
    if key is None or not key.strip():
        return None
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        issue = Issue(
            ("Idempotency-Key",),
            f"is {len(key)} characters long, over the maximum of {MAX_IDEMPOTENCY_KEY_LENGTH}",
        )
        raise invalid_request([issue], subject="request header")
    return key


def _fingerprint(body: Any) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replay(app: Emulator, key: str, fingerprint: str) -> Response:
    stored = app.store.idempotency[key]
    if stored.fingerprint != fingerprint:
        raise ApiFailure(
            422,
            "idempotency_key_reused",
            "Idempotency-Key was first used with a different request body; "
            "send a new key for a new request",
        )
    app.store.counters.idempotent_replays += 1
    logger.debug("replayed the stored response of an idempotency key")
    return stored.response


def _create(app: Emulator, body: Any, key: str | None) -> Response:
    store = app.store
    now = app.clock.now()
    create = validate_create_body(body, now, store.media)
    failures = {
        platform_id: check_platform(
            platform_id, app.platforms.get(platform_id), create, store.media
        )
        for platform_id in create.platform_ids
    }
    _reject_if_no_platform_found(failures)

    accepted = [platform_id for platform_id, failure in failures.items() if failure is None]
    _check_quota(app, len(accepted))

    results = [
        _failed_result(platform_id, failure)
        if failure is not None
        else _created_result(app, create, platform_id, key, now)
        for platform_id, failure in failures.items()
    ]
    store.quota_used += len(accepted)
    return Response(200, {"results": results})


def _reject_if_no_platform_found(failures: dict[str, PlatformFailure | None]) -> None:
    not_found = [failure for failure in failures.values() if failure is not None]
    if len(not_found) < len(failures):
        return
    if any(failure.code != "platform_not_found" for failure in not_found):
        return

    messages = "; ".join(failure.message for failure in not_found)
    raise ApiFailure(404, "platform_not_found", f"no platform can take this post: {messages}")


def _check_quota(app: Emulator, needed: int) -> None:
    limit, used = app.store.quota_limit, app.store.quota_used
    if limit is None or needed == 0 or used + needed <= limit:
        return
    raise ApiFailure(
        409,
        "post_limit_reached",
        f"monthly post quota reached: {used} of {limit} posts used and this request needs "
        f"{needed} more; wait for next month or raise the plan's quota",
    )


def _failed_result(platform_id: str, failure: PlatformFailure) -> JsonObject:
    # Extension: the shape of a failed result entry.
    return {"platformId": platform_id, "status": "failed", "error": failure.to_json()}


def _created_result(
    app: Emulator, create: CreateRequest, platform_id: str, key: str | None, now: datetime
) -> JsonObject:
    platform = app.platforms[platform_id]
    group = build_group(create, platform_id, platform.handle, now, app.new_id)
    group.idempotency_key = key
    group.create_request = app.store.counters.create_requests
    app.store.add_group(group)
    return {"platformId": platform_id, "status": "created", "post": group.to_json()}
