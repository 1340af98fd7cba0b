"""Reading the `results` of POST /posts into one outcome per requested platform.

Each platform is classified on its own. A platform counts as created or failed only when its
single result entry has exactly the documented shape. Everything else makes it unknown,
because the post may exist and must not be created again without a person checking: a missing
entry, two entries, an unknown status or a malformed post. Entries for platforms that were not
requested are logged and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from loomta_sync.client.body import Body, load_json
from loomta_sync.client.responses import (
    CreateOutcome,
    PlatformCreated,
    PlatformFailed,
    PlatformResult,
    PlatformUnknown,
    PostGroup,
)
from loomta_sync.client.sanitize import Redactor, describe_validation_error

logger = logging.getLogger(__name__)

_CODE_CHARS = 64
_MESSAGE_CHARS = 500


def read_create_results(
    requested: Sequence[str], idempotency_key: str, body: Body, redactor: Redactor
) -> CreateOutcome:
    """Classify a 2xx response of POST /posts for every platform id in `requested`."""
    entries = _result_entries(body, redactor)
    if isinstance(entries, str):
        logger.warning("POST /posts (idempotency key %s): %s", idempotency_key, entries)
        unknown = PlatformUnknown(entries)
        return CreateOutcome(idempotency_key, dict.fromkeys(requested, unknown))

    by_platform = _group_by_platform(entries, idempotency_key, redactor)
    unrequested = sorted(by_platform.keys() - set(requested))
    if unrequested:
        # A result for a platform that was not asked for means the response does not belong
        # to this request (a proxy mix-up or a server bug), so none of it can be trusted.
        names = ", ".join(redactor.line(platform_id, 60) for platform_id in unrequested)
        reason = f"the response has results for platforms that were not requested: {names}"
        logger.warning("POST /posts (idempotency key %s): %s", idempotency_key, reason)
        return CreateOutcome(idempotency_key, dict.fromkeys(requested, PlatformUnknown(reason)))

    results: dict[str, PlatformResult] = {}
    for platform_id in requested:
        results[platform_id] = _classify(platform_id, by_platform.get(platform_id, []), redactor)
    return CreateOutcome(idempotency_key, results)


def _result_entries(body: Body, redactor: Redactor) -> list[Any] | str:
    """Return the `results` list, or the reason why the body does not have one."""
    if body.truncated:
        return "the response body is larger than the limit"
    if body.problem:
        return f"the response body is unreadable ({body.problem})"
    try:
        parsed = redactor.redact_json(load_json(body.data))
    except ValueError:
        return f"the response body is not JSON; it starts: {redactor.excerpt(body.data)}"

    results = parsed.get("results") if isinstance(parsed, dict) else None
    if not isinstance(results, list):
        return f"the response has no results list; it starts: {redactor.excerpt(body.data)}"
    return results


def _group_by_platform(
    entries: list[Any], idempotency_key: str, redactor: Redactor
) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    unnamed = 0
    for entry in entries:
        platform_id = entry.get("platformId") if isinstance(entry, dict) else None
        if isinstance(platform_id, str):
            grouped.setdefault(platform_id, []).append(entry)
        else:
            unnamed += 1

    if unnamed:
        logger.warning(
            "POST /posts (idempotency key %s): ignored %d results without a platformId",
            idempotency_key,
            unnamed,
        )
    return grouped


def _classify(
    platform_id: str, entries: list[dict[str, Any]], redactor: Redactor
) -> PlatformResult:
    if not entries:
        return PlatformUnknown("the response has no result for this platform")
    if len(entries) > 1:
        return PlatformUnknown(f"the response has {len(entries)} results for this platform")

    entry = entries[0]
    status = entry.get("status")
    if status == "created":
        return _created(platform_id, entry.get("post"), redactor)
    if status == "failed":
        return _failed(entry.get("error"), redactor)
    quoted = redactor.line(str(status), 40)
    return PlatformUnknown(f"the result has an unknown status {quoted!r}")


def _created(platform_id: str, post: Any, redactor: Redactor) -> PlatformResult:
    try:
        group = PostGroup.model_validate(post)
    except ValidationError as exc:
        reason = describe_validation_error(exc, redactor)
        return PlatformUnknown(f"the created post is malformed: {reason}")

    owner = group.root.integration_id
    if owner is not None and owner != platform_id:
        return PlatformUnknown(f"the created post belongs to another platform, {owner}")

    return PlatformCreated(
        root_post_id=group.root.id,
        child_post_ids=tuple(child.id for child in group.children),
        remote_state=group.root.state,
        release_url=group.root.release_url,
    )


def _failed(error: Any, redactor: Redactor) -> PlatformResult:
    code = error.get("code") if isinstance(error, dict) else None
    if not isinstance(code, str) or not code.strip():
        return PlatformUnknown("the failed result has no error code")

    message = error.get("message")
    text = redactor.line(message, _MESSAGE_CHARS) if isinstance(message, str) else ""
    return PlatformFailed(code=redactor.line(code, _CODE_CHARS), message=text or "(no message)")
