"""Transport failures mapped to RequestNotSent or OutcomeUnknown, once, with the cause kept."""

from __future__ import annotations

import threading

import httpx
import pytest

from loomta_sync.client import ApiError, OutcomeUnknown, RequestNotSent
from tests.client.client_fakes import (
    PLATFORM_A,
    POST_ID,
    ChunkStream,
    FakeClock,
    Recorder,
    create_body,
    make_client,
    make_policy,
)

NOT_SENT = [
    httpx.ConnectError("[Errno 111] Connection refused"),
    httpx.ConnectTimeout("timed out"),
    httpx.PoolTimeout("no connection available"),
    httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'"),
]

MAY_HAVE_ARRIVED = [
    httpx.ReadTimeout("timed out"),
    httpx.WriteTimeout("timed out"),
    httpx.WriteError("[Errno 32] Broken pipe"),
    httpx.ReadError("[Errno 104] Connection reset by peer"),
    httpx.RemoteProtocolError("Server disconnected without sending a response."),
    httpx.LocalProtocolError("illegal header"),
    httpx.ProxyError("proxy failed"),
    httpx.CloseError("close failed"),
]


def failed_create(clock: FakeClock, failure: Exception) -> tuple[ApiError, Recorder]:
    recorder = Recorder([failure])
    policy = make_policy(clock, max_attempts=1)
    with make_client(recorder, clock, policy=policy) as client, pytest.raises(ApiError) as caught:
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")
    return caught.value, recorder


@pytest.mark.parametrize("failure", NOT_SENT, ids=lambda exc: type(exc).__name__)
def test_failure_before_connection_not_sent(clock: FakeClock, failure: Exception) -> None:
    error, _ = failed_create(clock, failure)

    assert type(error) is RequestNotSent
    assert error.__cause__ is failure
    assert not error.may_have_taken_effect
    assert type(failure).__name__ in str(error)
    assert error.method == "POST"
    assert error.path == "/posts"


@pytest.mark.parametrize("failure", MAY_HAVE_ARRIVED, ids=lambda exc: type(exc).__name__)
def test_failure_after_sending_outcome_unknown(clock: FakeClock, failure: Exception) -> None:
    error, _ = failed_create(clock, failure)

    assert type(error) is OutcomeUnknown
    assert error.__cause__ is failure
    assert error.may_have_taken_effect
    assert type(failure).__name__ in str(error)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_failure_mid_body_outcome_unknown(clock: FakeClock, failure: Exception) -> None:
    stream = ChunkStream([b'{"results": [{"platformId": '], error=failure)
    recorder = Recorder([httpx.Response(200, stream=stream)])

    with (
        make_client(recorder, clock) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

    assert caught.value.__cause__ is failure
    assert len(recorder.requests) == 1


def test_unexpected_exception_is_not_swallowed(clock: FakeClock) -> None:
    recorder = Recorder([RuntimeError("bug in a transport")])

    with make_client(recorder, clock) as client, pytest.raises(RuntimeError):
        client.get_post(POST_ID)


def test_read_failure_hint_says_nothing_changed(clock: FakeClock) -> None:
    recorder = Recorder([httpx.ReadTimeout("timed out")])
    policy = make_policy(clock, max_attempts=1)

    with (
        make_client(recorder, clock, policy=policy) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.get_post(POST_ID)

    assert not caught.value.may_have_taken_effect
    assert "changed nothing" in str(caught.value)


def test_connection_refused_hint_is_actionable(clock: FakeClock) -> None:
    error, _ = failed_create(clock, httpx.ConnectError("[Errno 111] Connection refused"))

    assert "could not connect to the server" in str(error)
    assert "check the API URL and the network" in str(error)


def test_no_free_connection_not_sent(clock: FakeClock) -> None:
    first_arrived = threading.Event()
    release_first = threading.Event()

    def answer(request: httpx.Request) -> httpx.Response:
        first_arrived.set()
        release_first.wait(timeout=10)
        return httpx.Response(404, json={"message": "Post not found"})

    holder_errors: list[ApiError] = []

    def hold_the_connection() -> None:
        try:
            client.get_post(POST_ID)
        except ApiError as error:
            holder_errors.append(error)

    timeout = httpx.Timeout(5.0, pool=0.05)
    with make_client(Recorder([answer]), clock, max_connections=1, timeout=timeout) as client:
        holder = threading.Thread(target=hold_the_connection)
        holder.start()
        assert first_arrived.wait(timeout=10)

        with pytest.raises(RequestNotSent) as caught:
            client.create_post(create_body(PLATFORM_A), idempotency_key="key-1")

        release_first.set()
        holder.join(timeout=10)

    assert "no connection became free within 0.05 s" in str(caught.value)
    assert not holder.is_alive()
    assert [type(error).__name__ for error in holder_errors] == ["PostNotFound"]
