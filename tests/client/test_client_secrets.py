"""The API key never appears in a repr, an exception or a log line, even when a server echoes it."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from loomta_sync.client import (
    ApiError,
    InvalidRequest,
    LoomtaClient,
    PlatformFailed,
    PlatformUnknown,
    RetryPolicy,
    api_key_from_env,
)
from loomta_sync.errors import LoomtaSyncError
from tests.client.client_fakes import (
    BASE_URL,
    CANARY_KEY,
    PLATFORM_A,
    PLATFORM_B,
    POST_ID,
    FakeClock,
    Recorder,
    create_body,
    created_entry,
    failed_entry,
    make_client,
    make_policy,
    remote_post,
)
from tests.client.client_server import LoopbackServer, RequestHandler, SeenRequest

KEY_FRAGMENT = "CANARY_7c1e5b2a9d4f"


def echo_authorization(request: httpx.Request) -> str:
    return request.headers["Authorization"]


def assert_no_key(text: str) -> None:
    assert CANARY_KEY not in text
    assert KEY_FRAGMENT not in text


def test_client_repr_hides_key(clock: FakeClock) -> None:
    with make_client(Recorder([]), clock) as client:
        assert_no_key(repr(client))
        assert_no_key(repr(client.__dict__))
        assert_no_key(str(vars(client)))


@pytest.mark.parametrize("status", [400, 401, 404, 409, 418, 429, 500, 502, 503])
def test_echoed_key_redacted_from_error(clock: FakeClock, status: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        header = echo_authorization(request)
        body = {
            "code": f"echo {header}",
            "message": f"your header was {header} and key {CANARY_KEY}",
            "details": [{"path": [CANARY_KEY], "message": header}],
        }
        return httpx.Response(status, json=body)

    with (
        make_client(Recorder([answer]), clock, policy=make_policy(clock, max_attempts=1)) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    error = caught.value
    assert_no_key(str(error))
    assert_no_key(repr(error))
    assert_no_key(error.message)
    assert_no_key(str(error.code))
    assert_no_key(repr(error.details))
    if isinstance(error, InvalidRequest):
        assert_no_key(repr(error.issues))


def test_echoed_key_redacted_from_html(clock: FakeClock) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text=f"<pre>{request.headers['Authorization']}</pre>")

    with make_client(Recorder([answer]), clock) as client, pytest.raises(ApiError) as caught:
        client.get_post(POST_ID)

    assert_no_key(str(caught.value))
    assert "[redacted]" in str(caught.value)


def test_echoed_key_redacted_from_results(clock: FakeClock) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        entry = created_entry(PLATFORM_A, content=CANARY_KEY, errorText=CANARY_KEY)
        entry["post"]["root"]["state"] = f"bad {CANARY_KEY}"
        failure = failed_entry(PLATFORM_B, f"code {CANARY_KEY}", echo_authorization(request))
        return httpx.Response(200, json={"results": [entry, failure]})

    with make_client(Recorder([answer]), clock) as client:
        outcome = client.create_post(create_body(PLATFORM_A, PLATFORM_B), idempotency_key="key-1")

    unknown = outcome.results[PLATFORM_A]
    failed = outcome.results[PLATFORM_B]
    assert isinstance(unknown, PlatformUnknown)
    assert isinstance(failed, PlatformFailed)
    assert_no_key(repr(outcome))


def test_echoed_key_redacted_from_post_fields(clock: FakeClock) -> None:
    body = {"root": remote_post(content=f"text {CANARY_KEY}", errorText=CANARY_KEY), "children": []}

    with make_client(Recorder([httpx.Response(200, json=body)]), clock) as client:
        group = client.get_post(POST_ID)

    assert_no_key(repr(group))
    assert group.root.content == "text [redacted]"


def test_transport_error_text_redacted(clock: FakeClock) -> None:
    failure = httpx.ConnectError(f"proxy said Bearer {CANARY_KEY}")

    with (
        make_client(
            Recorder([failure]), clock, policy=make_policy(clock, max_attempts=1)
        ) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.get_post(POST_ID)

    assert_no_key(str(caught.value))


def test_key_absent_from_all_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answers: list[Any] = []

    def respond(handler: RequestHandler, seen: SeenRequest) -> None:
        answers.append(seen.path)
        header = seen.headers["Authorization"]
        if len(answers) == 1:
            handler.send_json(
                429, {"code": "rate_limited", "message": header}, {"Retry-After": "0"}
            )
        elif len(answers) == 2:
            handler.send_json(400, {"code": "invalid_request", "message": header})
        else:
            handler.send_json(200, {"results": [created_entry(PLATFORM_A)], "echo": header})

    with (
        LoopbackServer(respond) as server,
        LoomtaClient(server.base_url, CANARY_KEY, retry=RetryPolicy(base_delay=0.0)) as client,
    ):
        with pytest.raises(InvalidRequest):
            client.get_post(POST_ID)
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert len(answers) == 3
    assert caplog.records
    assert_no_key(caplog.text)
    for record in caplog.records:
        assert_no_key(record.getMessage())
        assert_no_key(repr(record.args))


def test_env_error_names_variable_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAM_LOOMTA_KEY", f"{CANARY_KEY}\tbroken")

    with pytest.raises(LoomtaSyncError) as caught:
        api_key_from_env("TEAM_LOOMTA_KEY")

    assert "TEAM_LOOMTA_KEY" in str(caught.value)
    assert_no_key(str(caught.value))


def test_invalid_key_error_hides_key() -> None:
    with pytest.raises(LoomtaSyncError) as caught:
        LoomtaClient("https://api.example.com/v1", f"{CANARY_KEY} extra")

    assert_no_key(str(caught.value))


def test_key_of_any_shape_redacted(clock: FakeClock) -> None:
    key = "workspace-key-CANARY-4d2f"

    def answer(request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        return httpx.Response(400, json={"code": "invalid_request", "message": f"key={token}"})

    with (
        LoomtaClient(
            BASE_URL, key, transport=httpx.MockTransport(answer), retry=make_policy(clock)
        ) as client,
        pytest.raises(InvalidRequest) as caught,
    ):
        client.get_post(POST_ID)

    assert key not in str(caught.value)
    assert caught.value.message == "key=[redacted]"
