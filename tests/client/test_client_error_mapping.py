"""Error responses mapped to the client's exceptions, through httpx.MockTransport."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from loomta_sync.client import (
    ApiError,
    AuthenticationFailed,
    InvalidApiKey,
    InvalidJson,
    InvalidMediaFile,
    InvalidRequest,
    InvalidResponse,
    MissingApiKey,
    OutcomeUnknown,
    PlatformNotFound,
    PostLimitReached,
    PostNotFound,
    RateLimited,
    ServerError,
    ServerOutcomeUnknown,
    ServiceUnavailable,
    UnexpectedApiError,
    UnsupportedMediaType,
)
from loomta_sync.errors import LoomtaSyncError
from tests.client.client_fakes import (
    PLATFORM_A,
    POST_ID,
    FakeClock,
    Recorder,
    create_body,
    error_body,
    make_client,
    make_policy,
)

DOCUMENTED = [
    (400, "invalid_json", InvalidJson),
    (400, "invalid_request", InvalidRequest),
    (400, "invalid_media_file", InvalidMediaFile),
    (400, "unsupported_media_type", UnsupportedMediaType),
    (401, "missing_api_key", MissingApiKey),
    (401, "invalid_api_key", InvalidApiKey),
    (404, "platform_not_found", PlatformNotFound),
    (404, None, PostNotFound),
    (404, "not_found", PostNotFound),
    (404, "post_not_found", PostNotFound),
    (409, "post_limit_reached", PostLimitReached),
    (429, "rate_limited", RateLimited),
]


def create_error(clock: FakeClock, response: httpx.Response) -> ApiError:
    recorder = Recorder([response])
    with (
        make_client(recorder, clock, policy=make_policy(clock, max_attempts=1)) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")
    return caught.value


def get_error(clock: FakeClock, response: httpx.Response) -> ApiError:
    recorder = Recorder([response])
    with (
        make_client(recorder, clock, policy=make_policy(clock, max_attempts=1)) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.get_post(POST_ID)
    return caught.value


@pytest.mark.parametrize(("status", "code", "expected"), DOCUMENTED)
def test_documented_code_maps_to_class(
    clock: FakeClock, status: int, code: str | None, expected: type[ApiError]
) -> None:
    error = create_error(clock, httpx.Response(status, json=error_body(code, "server text")))

    assert type(error) is expected
    assert error.status == status
    assert error.code == code
    assert error.message == "server text"
    assert error.method == "POST"
    assert error.path == "/posts"
    assert isinstance(error, LoomtaSyncError)
    assert "\n" not in str(error)
    assert str(error).startswith(f"POST /posts: HTTP {status}")


@pytest.mark.parametrize(("status", "code", "expected"), DOCUMENTED)
def test_documented_code_had_no_effect(
    clock: FakeClock, status: int, code: str | None, expected: type[ApiError]
) -> None:
    error = create_error(clock, httpx.Response(status, json=error_body(code)))

    assert not error.may_have_taken_effect


def test_authentication_classes_share_base(clock: FakeClock) -> None:
    missing = create_error(clock, httpx.Response(401, json=error_body("missing_api_key")))
    invalid = create_error(clock, httpx.Response(401, json=error_body("invalid_api_key")))

    assert isinstance(missing, AuthenticationFailed)
    assert isinstance(invalid, AuthenticationFailed)


def test_invalid_request_lists_issues(clock: FakeClock) -> None:
    details: list[dict[str, Any]] = [
        {"path": ["comments", 0, "content"], "message": "String must contain at least 1 character"},
        {"path": ["scheduledFor"], "message": "Invalid datetime"},
        {"path": [], "message": "Unrecognized key"},
        {"path": ["settings", "privacy_level"], "message": "Invalid enum value"},
    ]
    error = create_error(
        clock, httpx.Response(400, json=error_body("invalid_request", "Invalid body", details))
    )

    assert isinstance(error, InvalidRequest)
    assert [issue.path for issue in error.issues] == [
        ("comments", 0, "content"),
        ("scheduledFor",),
        (),
        ("settings", "privacy_level"),
    ]
    assert error.issues[1].message == "Invalid datetime"
    assert error.details == details
    assert "comments.0.content: String must contain at least 1 character" in str(error)
    assert "(body): Unrecognized key" in str(error)
    assert "(and 1 more)" in str(error)
    assert "privacy_level" not in str(error)


def test_invalid_request_skips_malformed_issues(clock: FakeClock) -> None:
    details = ["text", {"path": "not a list", "message": 5}, {"message": "kept"}]
    error = create_error(
        clock, httpx.Response(400, json=error_body("invalid_request", "Bad", details))
    )

    assert isinstance(error, InvalidRequest)
    assert [issue.message for issue in error.issues] == ["invalid", "kept"]
    assert [issue.path for issue in error.issues] == [(), ()]


def test_unknown_code_keeps_code(clock: FakeClock) -> None:
    error = create_error(clock, httpx.Response(422, json=error_body("content_flagged", "Flagged")))

    assert type(error) is UnexpectedApiError
    assert error.code == "content_flagged"
    assert error.status == 422
    assert "content_flagged" in str(error)
    assert not error.may_have_taken_effect


def test_html_not_found_is_not_post_not_found(clock: FakeClock) -> None:
    page = "<html><body><h1>404 Not Found</h1>nginx</body></html>"
    error = get_error(clock, httpx.Response(404, text=page, headers={"content-type": "text/html"}))

    assert type(error) is UnexpectedApiError
    assert error.code is None
    assert "404 Not Found" in error.message
    assert "is not a Loomta error" in error.message


def test_html_unauthorized_is_authentication_failed(clock: FakeClock) -> None:
    error = create_error(clock, httpx.Response(401, text="<html>Authorization Required</html>"))

    assert type(error) is AuthenticationFailed
    assert error.code is None


def test_rate_limited_without_envelope(clock: FakeClock) -> None:
    error = create_error(clock, httpx.Response(429, text="slow down", headers={"Retry-After": "4"}))

    assert isinstance(error, RateLimited)
    assert error.retry_after == 4.0


@pytest.mark.parametrize("status", [500, 502, 504, 501, 599])
def test_server_error_on_create_is_unknown(clock: FakeClock, status: int) -> None:
    error = create_error(clock, httpx.Response(status, json=error_body("internal", "boom")))

    assert isinstance(error, ServerOutcomeUnknown)
    assert isinstance(error, ServerError)
    assert isinstance(error, OutcomeUnknown)
    assert error.status == status
    assert error.may_have_taken_effect
    assert "may have taken effect" in str(error)


def test_unavailable_without_retry_after_is_unknown(clock: FakeClock) -> None:
    error = create_error(clock, httpx.Response(503, text="upstream connect error"))

    assert isinstance(error, ServerOutcomeUnknown)
    assert error.may_have_taken_effect


def test_unavailable_with_retry_after_had_no_effect(clock: FakeClock) -> None:
    error = create_error(
        clock, httpx.Response(503, json=error_body("unavailable"), headers={"Retry-After": "2"})
    )

    assert type(error) is ServiceUnavailable
    assert error.retry_after == 2.0
    assert not error.may_have_taken_effect


def test_server_error_on_read_changed_nothing(clock: FakeClock) -> None:
    error = get_error(clock, httpx.Response(500, json=error_body("internal")))

    assert isinstance(error, ServerOutcomeUnknown)
    assert not error.may_have_taken_effect
    assert "changed nothing" in str(error)
    assert "may have taken effect" not in str(error)


@pytest.mark.parametrize("status", [301, 302, 304, 307])
def test_redirect_is_untrusted(clock: FakeClock, status: int) -> None:
    response = httpx.Response(status, headers={"Location": "https://elsewhere.invalid/posts"})
    error = create_error(clock, response)

    assert isinstance(error, InvalidResponse)
    assert error.may_have_taken_effect


def test_code_with_control_characters_sanitized(clock: FakeClock) -> None:
    code = "bad\x1b[31m\ncode"
    error = create_error(clock, httpx.Response(400, json=error_body(code, "line one\nline two")))

    assert error.code == "bad [31m code"
    assert error.message == "line one line two"
    assert "\n" not in str(error)
    assert "\x1b" not in str(error)
