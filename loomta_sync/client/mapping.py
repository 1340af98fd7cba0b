"""Translation of failed exchanges into the client's exceptions.

This is the one place where httpx exceptions and error statuses become ApiError subclasses.
The split that matters is whether the request may have taken effect. Only failures that happen
before a connection exists (connect error or timeout, pool timeout, unsupported URL scheme)
count as "not sent". Every later failure may have reached the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from loomta_sync.client.body import Body, load_json
from loomta_sync.client.errors import (
    ApiError,
    AuthenticationFailed,
    InvalidApiKey,
    InvalidJson,
    InvalidMediaFile,
    InvalidRequest,
    InvalidResponse,
    Issue,
    MissingApiKey,
    OutcomeUnknown,
    PlatformNotFound,
    PostLimitReached,
    PostNotFound,
    RateLimited,
    RequestNotSent,
    ServerOutcomeUnknown,
    ServiceUnavailable,
    UnexpectedApiError,
    UnsupportedMediaType,
)
from loomta_sync.client.retry import parse_retry_after
from loomta_sync.client.sanitize import Redactor

# A failed read changes nothing on the server, so its hint differs from a failed write's.
READ_FAILED_HINT = "reading from Loomta failed and changed nothing: run again later"
MAX_ISSUES = 50
_CODE_CHARS = 64

_CODE_CLASSES: dict[str, type[ApiError]] = {
    "missing_api_key": MissingApiKey,
    "invalid_api_key": InvalidApiKey,
    "invalid_request": InvalidRequest,
    "invalid_json": InvalidJson,
    "invalid_media_file": InvalidMediaFile,
    "unsupported_media_type": UnsupportedMediaType,
    "platform_not_found": PlatformNotFound,
    "post_limit_reached": PostLimitReached,
}

# Checked in order, so subclasses come before their bases.
_TRANSPORT_FAILURES: tuple[tuple[type[Exception], type[ApiError], str], ...] = (
    (httpx.ConnectTimeout, RequestNotSent, "timed out connecting to the server"),
    (httpx.ConnectError, RequestNotSent, "could not connect to the server"),
    (httpx.PoolTimeout, RequestNotSent, "timed out waiting for a free connection in the pool"),
    (httpx.UnsupportedProtocol, RequestNotSent, "the API URL's scheme is not http or https"),
    (httpx.WriteTimeout, OutcomeUnknown, "timed out while sending the request"),
    (httpx.ReadTimeout, OutcomeUnknown, "timed out waiting for the response to a sent request"),
    (httpx.WriteError, OutcomeUnknown, "the connection failed while sending the request"),
    (httpx.ReadError, OutcomeUnknown, "the connection failed while reading the response"),
    (httpx.RemoteProtocolError, OutcomeUnknown, "the server closed the connection or broke HTTP"),
    (httpx.HTTPError, OutcomeUnknown, "the exchange failed, possibly after the request was sent"),
    (OSError, OutcomeUnknown, "reading the upload file failed while sending it"),
)


@dataclass(frozen=True, slots=True)
class Exchange:
    """The request that failed: the method, path and redactor that every error message uses."""

    method: str
    path: str
    redactor: Redactor

    @property
    def is_read(self) -> bool:
        return self.method == "GET"

    def context(self) -> dict[str, Any]:
        context: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.is_read:
            context["hint"] = READ_FAILED_HINT
        return context


def error_from_transport(exchange: Exchange, exc: Exception) -> ApiError:
    """Classify an exception raised while sending a request or reading its response."""
    error_class, description = _transport_failure(exc)
    detail = exchange.redactor.line(str(exc), 120) or "no detail"
    message = f"{description} ({type(exc).__name__}: {detail})"

    context = exchange.context()
    if error_class is RequestNotSent:
        context.pop("hint", None)
    return error_class(message, **context)


def _transport_failure(exc: Exception) -> tuple[type[ApiError], str]:
    for exception_type, error_class, description in _TRANSPORT_FAILURES:
        if isinstance(exc, exception_type):
            return error_class, description
    return OutcomeUnknown, "the exchange failed after the request may have been sent"


def error_from_response(
    exchange: Exchange, status: int, headers: Mapping[str, str], body: Body, now: datetime
) -> ApiError:
    """Classify a response whose status is not 2xx."""
    retry_after = parse_retry_after(headers.get("retry-after"), now)
    envelope = _read_envelope(body, exchange.redactor)
    code = envelope.code if envelope else None
    message = envelope.message if envelope else _describe_foreign_body(body, exchange.redactor)
    error_class = _error_class(status, envelope, retry_after)

    context = exchange.context()
    if not issubclass(error_class, OutcomeUnknown):
        context.pop("hint", None)
    common: dict[str, Any] = {
        **context,
        "status": status,
        "code": code,
        "details": envelope.details if envelope else None,
        "retry_after": retry_after,
    }
    if error_class is InvalidRequest:
        issues = _read_issues(envelope.details if envelope else None, exchange.redactor)
        return InvalidRequest(message, issues=issues, **common)
    return error_class(message, **common)


def untrusted_response(exchange: Exchange, status: int, reason: str, body: Body) -> InvalidResponse:
    """Build the error for a 2xx or 3xx response whose body cannot be used."""
    excerpt = exchange.redactor.excerpt(body.data)
    return InvalidResponse(f"{reason}; body starts: {excerpt}", status=status, **exchange.context())


@dataclass(frozen=True, slots=True)
class _Envelope:
    code: str | None
    message: str
    details: Any


def _read_envelope(body: Body, redactor: Redactor) -> _Envelope | None:
    """Return the `{code, message, details}` error body, or None when the body is not one."""
    if not body.trusted:
        return None
    try:
        parsed = load_json(body.data)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or not ("code" in parsed or "message" in parsed):
        return None

    raw_code = parsed.get("code")
    code = None
    if isinstance(raw_code, str):
        code = redactor.line(raw_code, _CODE_CHARS) or None
    raw_message = parsed.get("message")
    message = redactor.line(raw_message) if isinstance(raw_message, str) else ""
    return _Envelope(code, message or "(no message)", redactor.redact_json(parsed.get("details")))


def _describe_foreign_body(body: Body, redactor: Redactor) -> str:
    if body.problem:
        return f"the response body is unreadable ({body.problem})"
    size = "larger than the limit and " if body.truncated else ""
    return (
        f"the response body is {size}not a Loomta error; it starts: {redactor.excerpt(body.data)}"
    )


def _error_class(
    status: int, envelope: _Envelope | None, retry_after: float | None
) -> type[ApiError]:
    code = envelope.code if envelope else None
    if status == 401:
        if code == "missing_api_key":
            return MissingApiKey
        return InvalidApiKey if code == "invalid_api_key" else AuthenticationFailed
    if status == 429:
        return RateLimited
    if 500 <= status <= 599:
        # A 503 without Retry-After may come from a proxy that lost the upstream connection
        # after the request had been forwarded, so only a 503 with Retry-After is "not processed".
        return (
            ServiceUnavailable
            if status == 503 and retry_after is not None
            else ServerOutcomeUnknown
        )
    if not 400 <= status <= 499:
        return InvalidResponse
    if envelope is None:
        return UnexpectedApiError
    if code in _CODE_CLASSES:
        return _CODE_CLASSES[code]
    # Loomta documents no code for a post that does not exist; the bundled emulator sends
    # post_not_found. An HTML 404 from a proxy or a wrong base URL has no JSON envelope and
    # was handled above, so it never reads as "not found".
    if status == 404 and code in (None, "not_found", "post_not_found"):
        return PostNotFound
    return UnexpectedApiError


def _read_issues(details: Any, redactor: Redactor) -> list[Issue]:
    if not isinstance(details, list):
        return []
    issues = []
    for item in details[:MAX_ISSUES]:
        if not isinstance(item, dict):
            continue
        raw_path = item.get("path")
        path = raw_path if isinstance(raw_path, list) else []
        parts = tuple(
            part if isinstance(part, int) else redactor.line(str(part), 60) for part in path[:20]
        )
        message = item.get("message")
        issues.append(
            Issue(parts, redactor.line(message) if isinstance(message, str) else "invalid")
        )
    return issues
