"""The retry policy: what is repeated, how long it waits, and when it gives up."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from loomta_sync.client import (
    ApiError,
    AuthenticationFailed,
    InvalidRequest,
    OutcomeUnknown,
    PostLimitReached,
    PostNotFound,
    RateLimited,
    RequestNotSent,
    RetryPolicy,
    ServerOutcomeUnknown,
)
from loomta_sync.client.retry import parse_retry_after
from tests.client.client_fakes import (
    PLATFORM_A,
    POST_ID,
    WALL_START,
    FakeClock,
    Recorder,
    create_body,
    created_entry,
    error_body,
    make_client,
    make_policy,
    remote_post,
)


def created() -> httpx.Response:
    return httpx.Response(200, json={"results": [created_entry(PLATFORM_A)]})


def found() -> httpx.Response:
    return httpx.Response(200, json={"root": remote_post(), "children": []})


def rate_limited(retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(429, json=error_body("rate_limited"), headers=headers)


def test_not_sent_create_retried_with_same_key(clock: FakeClock) -> None:
    recorder = Recorder(
        [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out"), created()]
    )

    with make_client(recorder, clock) as client:
        outcome = client.create_post(create_body(PLATFORM_A), idempotency_key="key-7")

    assert len(recorder.requests) == 3
    keys = [request.headers["Idempotency-Key"] for request in recorder.requests]
    assert keys == ["key-7", "key-7", "key-7"]
    assert len(set(recorder.bodies)) == 1
    assert list(outcome.created()) == [PLATFORM_A]


def test_rate_limited_create_waits_retry_after(clock: FakeClock) -> None:
    recorder = Recorder([rate_limited("7"), created()])

    with make_client(recorder, clock) as client:
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(recorder.requests) == 2
    assert clock.total_slept() >= 7.0
    assert recorder.requests[1].headers["Idempotency-Key"] == "key-1"


def test_retry_after_http_date_honoured(clock: FakeClock) -> None:
    when = format_datetime(WALL_START + timedelta(seconds=12), usegmt=True)
    recorder = Recorder([rate_limited(when), created()])

    with make_client(recorder, clock) as client:
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(recorder.requests) == 2
    assert clock.total_slept() >= 12.0


def test_retry_after_is_minimum_wait(clock: FakeClock) -> None:
    # Backoff for attempt 1 is at most 0.5 s, so the 3 s from the server must win.
    recorder = Recorder([rate_limited("3"), created()])
    policy = make_policy(clock, random=lambda: 0.0)

    with make_client(recorder, clock, policy=policy) as client:
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    policy_sleeps = [seconds for name, seconds in clock.sleeps]
    assert 3.0 in policy_sleeps


def test_unavailable_with_retry_after_retried(clock: FakeClock) -> None:
    unavailable = httpx.Response(503, text="busy", headers={"Retry-After": "1"})
    recorder = Recorder([unavailable, created()])

    with make_client(recorder, clock) as client:
        outcome = client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(recorder.requests) == 2
    assert list(outcome.created()) == [PLATFORM_A]


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(400, json=error_body("invalid_request")), InvalidRequest),
        (httpx.Response(401, json=error_body("invalid_api_key")), AuthenticationFailed),
        (httpx.Response(404, json=error_body("platform_not_found")), ApiError),
        (httpx.Response(409, json=error_body("post_limit_reached")), PostLimitReached),
        (httpx.Response(500, json=error_body("internal")), ServerOutcomeUnknown),
        (httpx.Response(502, text="bad gateway"), ServerOutcomeUnknown),
        (httpx.Response(503, text="no retry-after"), ServerOutcomeUnknown),
        (httpx.Response(504, text="gateway timeout"), ServerOutcomeUnknown),
        (httpx.ReadTimeout("timed out"), OutcomeUnknown),
        (httpx.WriteTimeout("timed out"), OutcomeUnknown),
        (httpx.RemoteProtocolError("disconnected"), OutcomeUnknown),
    ],
    ids=lambda value: getattr(value, "status_code", None) or type(value).__name__,
)
def test_create_not_retried(
    clock: FakeClock, response: httpx.Response | Exception, expected: type[ApiError]
) -> None:
    recorder = Recorder([response, created()])

    with make_client(recorder, clock) as client, pytest.raises(expected):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(recorder.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, json=error_body("internal")),
        httpx.Response(502, text="bad gateway"),
        httpx.Response(504, text="gateway timeout"),
        httpx.ReadTimeout("timed out"),
    ],
    ids=lambda value: getattr(value, "status_code", None) or type(value).__name__,
)
def test_read_retried_after_server_failure(
    clock: FakeClock, failure: httpx.Response | Exception
) -> None:
    recorder = Recorder([failure, found()])

    with make_client(recorder, clock) as client:
        group = client.get_post(POST_ID)

    assert group.root.id == POST_ID
    assert len(recorder.requests) == 2


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(404, json=error_body(None, "Post not found")),
        httpx.Response(401, json=error_body("invalid_api_key")),
    ],
    ids=["404", "401"],
)
def test_read_not_retried_after_rejection(clock: FakeClock, response: httpx.Response) -> None:
    recorder = Recorder([response, found()])

    with make_client(recorder, clock) as client, pytest.raises(ApiError):
        client.get_post(POST_ID)

    assert len(recorder.requests) == 1


def test_reschedule_not_retried_after_timeout(clock: FakeClock) -> None:
    recorder = Recorder([httpx.ReadTimeout("timed out"), found()])

    with make_client(recorder, clock) as client, pytest.raises(OutcomeUnknown):
        client.reschedule_post(POST_ID, datetime(2030, 1, 3, tzinfo=UTC))

    assert len(recorder.requests) == 1


def test_max_attempts_then_last_error(clock: FakeClock) -> None:
    failures: list[httpx.Response | Exception] = [
        httpx.ConnectError(f"refused {n}") for n in range(9)
    ]
    recorder = Recorder(failures)
    policy = make_policy(clock, max_attempts=4)

    with (
        make_client(recorder, clock, policy=policy) as client,
        pytest.raises(RequestNotSent) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(recorder.requests) == 4
    assert "refused 3" in str(caught.value)


def test_backoff_grows_exponentially_with_cap(clock: FakeClock) -> None:
    recorder = Recorder([httpx.ConnectError("refused")] * 6)
    policy = make_policy(clock, max_attempts=6, base_delay=1.0, max_delay=5.0, budget=1000.0)

    with make_client(recorder, clock, policy=policy) as client, pytest.raises(RequestNotSent):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert [seconds for _, seconds in clock.sleeps] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_backoff_uses_full_jitter() -> None:
    draws = iter([0.25, 0.5, 0.0])
    policy = RetryPolicy(base_delay=2.0, max_delay=100.0, random=lambda: next(draws))

    assert policy.backoff(1) == 0.5
    assert policy.backoff(3) == 4.0
    assert policy.backoff(5) == 0.0


def test_retry_after_beyond_budget_not_waited(clock: FakeClock) -> None:
    recorder = Recorder([rate_limited("120"), created()])
    policy = make_policy(clock, budget=60.0)

    with (
        make_client(recorder, clock, policy=policy) as client,
        pytest.raises(RateLimited) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert caught.value.retry_after == 120.0
    assert len(recorder.requests) == 1
    assert clock.total_slept() == 0.0


def test_budget_stops_repeated_rate_limits(clock: FakeClock) -> None:
    recorder = Recorder([rate_limited("20")])
    policy = make_policy(clock, budget=60.0, max_attempts=100)

    with make_client(recorder, clock, policy=policy) as client, pytest.raises(RateLimited):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    # Waits of 20 s fit three times in 60 s; the fourth would end after the budget.
    assert len(recorder.requests) == 4
    assert clock.total_slept() <= 60.0


def test_retry_logged_with_reason(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="loomta_sync.client")
    recorder = Recorder([rate_limited("2"), created()])

    with make_client(recorder, clock) as client:
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    retries = [record for record in caplog.records if "retrying" in record.getMessage()]
    assert len(retries) == 1
    assert retries[0].levelno == logging.WARNING
    message = retries[0].getMessage()
    assert "POST /posts" in message
    assert "attempt 1 of 5" in message
    assert "RateLimited, HTTP 429" in message
    assert "retrying in 2.00 s" in message


def test_giving_up_logged(clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="loomta_sync.client")
    recorder = Recorder([rate_limited("500")])

    with make_client(recorder, clock) as client, pytest.raises(RateLimited):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    messages = [record.getMessage() for record in caplog.records]
    assert any("exceeds the remaining budget of 60.00 s" in message for message in messages)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        (" 3 ", 3.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("Tue, 01 Jan 2030 12:00:30 GMT", 30.0),
        ("Tue, 01 Jan 2030 11:00:00 GMT", 0.0),
        ("-1", None),
        ("soon", None),
        ("inf", None),
        ("nan", None),
        ("1e9", None),
        ("9999999999", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, WALL_START) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_attempts", 0), ("base_delay", -1.0), ("max_delay", float("nan")), ("budget", -5.0)],
)
def test_policy_rejects_invalid_settings(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]


def test_post_not_found_reported_once(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(404, json=error_body(None, "Post not found"))])

    with make_client(recorder, clock) as client, pytest.raises(PostNotFound) as caught:
        client.get_post(POST_ID)

    assert caught.value.message == "Post not found"
    assert len(recorder.requests) == 1
