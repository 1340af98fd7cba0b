"""The path of one request through the emulator: admin or API, faults, route, request log.

Faults come before the API key check, because they model the network and gateways in front
of the service. Admin requests never see faults or latency and are not logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from loomta_sync.emulator.admin import ADMIN_PREFIX, route_admin
from loomta_sync.emulator.api import API_PREFIX, route_api
from loomta_sync.emulator.app import Emulator
from loomta_sync.emulator.faults import FaultDecision, FaultKind
from loomta_sync.emulator.protocol import ApiFailure, Request, Response, error_body

logger = logging.getLogger(__name__)

Route = Callable[[Emulator, Request], Response]

# Extension: codes of injected 5xx responses.
SERVER_ERROR_CODES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """Result for the connection: a response, or None to close it without one."""

    response: Response | None


def handle_request(app: Emulator, request: Request) -> Outcome:
    if _under(request.path, ADMIN_PREFIX):
        return Outcome(_run(route_admin, app, request))
    if not _under(request.path, API_PREFIX):
        failure = ApiFailure(404, "not_found", f"no route matches {request.method} {request.path}")
        return _finish(app, request, failure.to_response(), None)

    settings = app.faults.settings
    in_scope = settings.fault_scope == "api" or (
        request.method == "POST" and request.path == f"{API_PREFIX}/posts"
    )
    decision = app.faults.decide(in_scope)
    app.pause(settings.latency_ms)
    if decision.before is not None:
        return _finish(app, request, _fault_response(decision), decision.before)

    response = _run(route_api, app, request)
    return _after_work(app, request, response, decision)


def _after_work(
    app: Emulator, request: Request, response: Response, decision: FaultDecision
) -> Outcome:
    if decision.after is FaultKind.COMMIT_THEN_ERROR:
        return _finish(app, request, _fault_response(decision), decision.after)
    if decision.after is FaultKind.DROP_AFTER_COMMIT:
        return _finish(app, request, None, decision.after)

    outcome = _finish(app, request, response, decision.after)
    if decision.after is FaultKind.SLOW_RESPONSE:
        # The request log already shows this request, so a client that timed out can see it.
        app.pause(decision.slow_response_ms)
    return outcome


def _finish(
    app: Emulator, request: Request, response: Response | None, fault: FaultKind | None
) -> Outcome:
    status = None if response is None else response.status
    key = request.header("idempotency-key")
    app.store.log_request(request.method, request.path, status, key, fault)
    if fault is not None:
        # DEBUG, since a benchmark may inject thousands; the counters keep the totals.
        logger.debug("injected %s into %s %s", fault.value, request.method, request.path)
    return Outcome(response)


def _run(route: Route, app: Emulator, request: Request) -> Response:
    try:
        return route(app, request)
    except ApiFailure as failure:
        return failure.to_response()
    except Exception:
        # A bug in the emulator: keep serving and respond with 500, with the traceback in the log.
        logger.exception("emulator failed on %s %s", request.method, request.path)
        return Response(500, error_body("internal_error", "emulator failed; see its log"))


def _fault_response(decision: FaultDecision) -> Response:
    status = decision.status or 500
    if decision.before is FaultKind.RATE_LIMITED:
        seconds = decision.retry_after_seconds
        body = error_body("rate_limited", f"rate limit exceeded; retry after {seconds} seconds")
        return Response(429, body, {"Retry-After": str(seconds)})

    code = SERVER_ERROR_CODES.get(status, "server_error")
    if decision.after is FaultKind.COMMIT_THEN_ERROR:
        return Response(status, error_body(code, f"emulated HTTP {status} after the work was done"))

    # Only an error before any work carries Retry-After, because a retry is safe only then.
    body = error_body(code, f"emulated HTTP {status} before any work was done")
    if status == 503:
        return Response(status, body, {"Retry-After": str(decision.retry_after_seconds)})
    return Response(status, body)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
