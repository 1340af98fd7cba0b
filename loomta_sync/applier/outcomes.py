"""Turn a create request's result or exception into journal events and target results.

The rule: a target is recorded as failed only when the API certainly created nothing for it;
every doubt is recorded as unknown, which the next plan shows and never re-creates on its own.
"""

from __future__ import annotations

import logging

from loomta_sync.applier.groups import RequestGroup
from loomta_sync.applier.report import Outcome, TargetResult
from loomta_sync.client.errors import ApiError, OutcomeUnknown, RequestNotSent
from loomta_sync.client.responses import (
    CreateOutcome,
    PlatformCreated,
    PlatformFailed,
)
from loomta_sync.state import journal
from loomta_sync.state.store import Session

logger = logging.getLogger(__name__)


def record_outcome(
    session: Session, group: RequestGroup, outcome: CreateOutcome
) -> list[TargetResult]:
    results = []
    for platform_id in group.platform_ids:
        result = outcome.results.get(platform_id)
        if isinstance(result, PlatformCreated):
            session.record(
                journal.created(
                    group.post_key,
                    platform_id,
                    result.root_post_id,
                    list(result.child_post_ids),
                    str(result.remote_state),
                    result.release_url,
                )
            )
            results.append(
                TargetResult(group.post_key, platform_id, Outcome.CREATED, result.root_post_id)
            )
        elif isinstance(result, PlatformFailed):
            session.record(journal.failed(group.post_key, platform_id, result.code, result.message))
            results.append(
                TargetResult(
                    group.post_key, platform_id, Outcome.FAILED, f"{result.code}: {result.message}"
                )
            )
        else:
            reason = result.reason if result is not None else "missing from the response"
            session.record(
                journal.outcome_unknown(group.post_key, platform_id, "invalid_response", reason)
            )
            results.append(TargetResult(group.post_key, platform_id, Outcome.UNKNOWN, reason))
    return results


def record_exception(session: Session, group: RequestGroup, exc: Exception) -> list[TargetResult]:
    """Record a whole-request failure: definitive API errors fail, everything else is unknown."""
    if isinstance(exc, RequestNotSent):
        code, certain = "request_not_sent", True
    elif isinstance(exc, OutcomeUnknown):
        code, certain = "outcome_unknown", False
    elif isinstance(exc, ApiError) and exc.status is not None and 400 <= exc.status < 500:
        code, certain = exc.code, True
    elif isinstance(exc, ApiError) and exc.status == 503:
        # 503 is retried inside the client and means the server did not process the request.
        code, certain = exc.code, True
    else:
        code, certain = "unexpected_error", False

    message = str(exc)
    results = []
    for platform_id in group.platform_ids:
        if certain:
            session.record(journal.failed(group.post_key, platform_id, code, message))
            results.append(
                TargetResult(group.post_key, platform_id, Outcome.FAILED, f"{code}: {message}")
            )
        else:
            session.record(journal.outcome_unknown(group.post_key, platform_id, code, message))
            results.append(
                TargetResult(group.post_key, platform_id, Outcome.UNKNOWN, f"{code}: {message}")
            )
    return results
