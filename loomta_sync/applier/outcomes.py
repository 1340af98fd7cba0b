"""Turn a create request's result or exception into journal events and target results.

A target is recorded as failed only when the API certainly created nothing for it. Every
doubtful outcome is recorded as unknown, which the next plan shows and never re-creates.
"""

from __future__ import annotations

import logging

from loomta_sync.applier.groups import RequestGroup
from loomta_sync.applier.report import Outcome, TargetResult
from loomta_sync.client.errors import (
    ApiError,
    OutcomeUnknown,
    RequestNotSent,
    ServiceUnavailable,
)
from loomta_sync.client.responses import (
    CreateOutcome,
    PlatformCreated,
    PlatformFailed,
    PlatformResult,
)
from loomta_sync.state import journal
from loomta_sync.state.store import Session

logger = logging.getLogger(__name__)


def record_outcome(
    session: Session, group: RequestGroup, outcome: CreateOutcome
) -> list[TargetResult]:
    """Record each platform's outcome with one `record` call, so they share one fsync."""
    pairs = [
        _platform_outcome(group, platform_id, outcome.results.get(platform_id))
        for platform_id in group.platform_ids
    ]
    session.record(*[event for event, _result in pairs])
    return [result for _event, result in pairs]


def _platform_outcome(
    group: RequestGroup, platform_id: str, result: PlatformResult | None
) -> tuple[journal.Event, TargetResult]:
    key = group.post_key
    if isinstance(result, PlatformCreated):
        event: journal.Event = journal.created(
            key,
            platform_id,
            result.root_post_id,
            list(result.child_post_ids),
            str(result.remote_state),
            result.release_url,
        )
        return event, TargetResult(key, platform_id, Outcome.CREATED, result.root_post_id)

    if isinstance(result, PlatformFailed):
        event = journal.failed(key, platform_id, result.code, result.message)
        detail = f"{result.code}: {result.message}"
        return event, TargetResult(key, platform_id, Outcome.FAILED, detail)

    reason = result.reason if result is not None else "missing from the response"
    event = journal.outcome_unknown(key, platform_id, "invalid_response", reason)
    return event, TargetResult(key, platform_id, Outcome.UNKNOWN, reason)


def record_exception(session: Session, group: RequestGroup, exc: Exception) -> list[TargetResult]:
    """Record a whole-request failure: definitive API errors fail, everything else is unknown."""
    code, certain = classify_failure(exc)
    message = str(exc)
    detail = f"{code}: {message}"
    key = group.post_key

    events: list[journal.Event]
    if certain:
        events = [journal.failed(key, platform, code, message) for platform in group.platform_ids]
        outcome = Outcome.FAILED
    else:
        events = [
            journal.outcome_unknown(key, platform, code, message) for platform in group.platform_ids
        ]
        outcome = Outcome.UNKNOWN
    session.record(*events)
    return [TargetResult(key, platform, outcome, detail) for platform in group.platform_ids]


def classify_failure(exc: Exception) -> tuple[str, bool]:
    """Return the error code to record and whether the request certainly created nothing."""
    if isinstance(exc, RequestNotSent):
        return "request_not_sent", True
    if not isinstance(exc, ApiError):
        return "unexpected_error", False
    if isinstance(exc, OutcomeUnknown):
        # Includes every 5xx except a 503 with Retry-After, and 2xx bodies of the wrong shape.
        return exc.code or "outcome_unknown", False
    if isinstance(exc, ServiceUnavailable):
        # The client maps only a 503 with Retry-After here: the server did not process it.
        return exc.code or "service_unavailable", True
    if exc.status is not None and 400 <= exc.status < 500:
        return exc.code or f"http_{exc.status}", True
    return exc.code or "unexpected_error", False
