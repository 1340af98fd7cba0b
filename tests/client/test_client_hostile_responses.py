"""Malformed and hostile responses: classified, never trusted, never crashing the caller."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loomta_sync.client import (
    ApiError,
    CreateOutcome,
    InvalidResponse,
    PlatformCreated,
    PlatformFailed,
    PlatformUnknown,
    UnexpectedApiError,
)
from tests.client.client_fakes import (
    PLATFORM_A,
    PLATFORM_B,
    PLATFORM_C,
    POST_ID,
    ChunkStream,
    FakeClock,
    Recorder,
    create_body,
    created_entry,
    failed_entry,
    make_client,
    make_policy,
    remote_post,
)

FIVE_MB = 5 * 1024 * 1024
PROXY_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>Upstream unavailable</h1></center><hr>cloud-proxy</body></html>"
)


def create(clock: FakeClock, response: httpx.Response, *platforms: str) -> CreateOutcome:
    recorder = Recorder([response])
    with make_client(recorder, clock) as client:
        return client.create_post(create_body(*platforms), idempotency_key="key-1")


def results_response(*entries: Any) -> httpx.Response:
    return httpx.Response(200, json={"results": list(entries)})


def assert_all_unknown(outcome: CreateOutcome, platforms: list[str], reason: str) -> None:
    assert list(outcome.results) == platforms
    for platform_id in platforms:
        result = outcome.results[platform_id]
        assert isinstance(result, PlatformUnknown)
        assert reason in result.reason


def big_chunks(total: int, chunk: bytes = b"x" * 65536) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield chunk
        sent += len(chunk)


def test_all_platforms_created(clock: FakeClock) -> None:
    response = results_response(created_entry(PLATFORM_A), created_entry(PLATFORM_B))
    outcome = create(clock, response, PLATFORM_A, PLATFORM_B)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformCreated)
    assert result.root_post_id == POST_ID
    assert result.child_post_ids == ("10000000-0000-4000-8000-000000000002",)
    assert result.remote_state == "QUEUE"
    assert result.release_url is None
    assert outcome.idempotency_key == "key-1"
    assert set(outcome.created()) == {PLATFORM_A, PLATFORM_B}


def test_failed_platform_reported(clock: FakeClock) -> None:
    response = results_response(
        created_entry(PLATFORM_A), failed_entry(PLATFORM_B, "invalid_request", "TikTok needs media")
    )
    outcome = create(clock, response, PLATFORM_A, PLATFORM_B)

    assert outcome.results[PLATFORM_B] == PlatformFailed("invalid_request", "TikTok needs media")
    assert list(outcome.created()) == [PLATFORM_A]
    assert list(outcome.failed()) == [PLATFORM_B]


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="OK"),
        httpx.Response(200, text=PROXY_PAGE, headers={"content-type": "text/html"}),
        httpx.Response(200, content=b""),
        httpx.Response(200, content=b"\xff\xfe\x00garbage"),
        httpx.Response(200, text='{"results": [NaN]}'),
        httpx.Response(200, text="[" * 100_000 + "]" * 100_000),
    ],
    ids=["text", "html", "empty", "binary", "nan", "deep"],
)
def test_non_json_success_all_unknown(clock: FakeClock, response: httpx.Response) -> None:
    outcome = create(clock, response, PLATFORM_A, PLATFORM_B)

    assert_all_unknown(outcome, [PLATFORM_A, PLATFORM_B], "not JSON")


@pytest.mark.parametrize(
    "body",
    [[], {"result": []}, {"results": {}}, {"results": None}, "results", 5],
    ids=["list", "misspelled", "object", "null", "string", "number"],
)
def test_wrong_shape_all_unknown(clock: FakeClock, body: Any) -> None:
    outcome = create(clock, httpx.Response(200, json=body), PLATFORM_A)

    assert_all_unknown(outcome, [PLATFORM_A], "no results list")


def test_html_success_reason_quotes_excerpt(clock: FakeClock) -> None:
    outcome = create(clock, httpx.Response(200, text=PROXY_PAGE), PLATFORM_A)

    reason = outcome.unknown()[PLATFORM_A].reason
    assert "502 Bad Gateway" in reason
    assert len(reason) < 300


def test_five_megabyte_success_all_unknown(clock: FakeClock) -> None:
    stream = ChunkStream(big_chunks(FIVE_MB))
    outcome = create(clock, httpx.Response(200, stream=stream), PLATFORM_A)

    assert_all_unknown(outcome, [PLATFORM_A], "larger than the limit")
    assert stream.yielded < 2 * 1024 * 1024


def test_five_megabyte_in_memory_all_unknown(clock: FakeClock) -> None:
    body = json.dumps({"results": [created_entry(PLATFORM_A)], "pad": "x" * FIVE_MB})
    outcome = create(clock, httpx.Response(200, text=body), PLATFORM_A)

    assert_all_unknown(outcome, [PLATFORM_A], "larger than the limit")


def test_gzip_bomb_stops_at_limit(clock: FakeClock) -> None:
    bomb = gzip.compress(b"{" + b" " * (16 * 1024 * 1024))
    stream = ChunkStream([bomb[i : i + 4096] for i in range(0, len(bomb), 4096)])
    response = httpx.Response(200, stream=stream, headers={"content-encoding": "gzip"})

    outcome = create(clock, response, PLATFORM_A)

    assert_all_unknown(outcome, [PLATFORM_A], "larger than the limit")


def test_gzip_body_decoded(clock: FakeClock) -> None:
    data = gzip.compress(json.dumps({"results": [created_entry(PLATFORM_A)]}).encode())
    response = httpx.Response(200, stream=ChunkStream([data]), headers={"content-encoding": "gzip"})

    outcome = create(clock, response, PLATFORM_A)

    assert list(outcome.created()) == [PLATFORM_A]


@pytest.mark.parametrize(
    ("encoding", "data", "reason"),
    [
        ("br", b"\x1b\x00", "unsupported Content-Encoding 'br'"),
        ("gzip", b"not gzip at all", "invalid gzip data"),
    ],
)
def test_undecodable_body_all_unknown(
    clock: FakeClock, encoding: str, data: bytes, reason: str
) -> None:
    response = httpx.Response(
        200, stream=ChunkStream([data]), headers={"content-encoding": encoding}
    )

    outcome = create(clock, response, PLATFORM_A)

    assert_all_unknown(outcome, [PLATFORM_A], reason)


def test_missing_platform_unknown(clock: FakeClock) -> None:
    outcome = create(clock, results_response(created_entry(PLATFORM_A)), PLATFORM_A, PLATFORM_B)

    assert isinstance(outcome.results[PLATFORM_A], PlatformCreated)
    assert outcome.results[PLATFORM_B] == PlatformUnknown(
        "the response has no result for this platform"
    )


def test_unrequested_platform_makes_all_unknown(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="loomta_sync.client")
    response = results_response(created_entry(PLATFORM_A), created_entry(PLATFORM_C))

    outcome = create(clock, response, PLATFORM_A)

    assert list(outcome.results) == [PLATFORM_A]
    assert isinstance(outcome.results[PLATFORM_A], PlatformUnknown)
    assert "not requested" in outcome.results[PLATFORM_A].reason
    messages = [record.getMessage() for record in caplog.records]
    assert any(PLATFORM_C in message and "not requested" in message for message in messages)


def test_duplicate_results_unknown(clock: FakeClock) -> None:
    response = results_response(
        created_entry(PLATFORM_A), failed_entry(PLATFORM_A), created_entry(PLATFORM_B)
    )
    outcome = create(clock, response, PLATFORM_A, PLATFORM_B)

    assert outcome.results[PLATFORM_A] == PlatformUnknown(
        "the response has 2 results for this platform"
    )
    assert isinstance(outcome.results[PLATFORM_B], PlatformCreated)


def test_shorter_list_leaves_rest_unknown(clock: FakeClock) -> None:
    outcome = create(clock, results_response(), PLATFORM_A, PLATFORM_B, PLATFORM_C)

    assert_all_unknown(outcome, [PLATFORM_A, PLATFORM_B, PLATFORM_C], "no result")


def test_entries_without_platform_id_ignored(clock: FakeClock) -> None:
    response = results_response("created", None, {"status": "created"}, created_entry(PLATFORM_A))

    outcome = create(clock, response, PLATFORM_A, PLATFORM_B)

    assert isinstance(outcome.results[PLATFORM_A], PlatformCreated)
    assert isinstance(outcome.results[PLATFORM_B], PlatformUnknown)


@pytest.mark.parametrize("status", ["CREATED", "pending", "ok", None, 1, ""])
def test_unknown_status_unknown(clock: FakeClock, status: Any) -> None:
    entry = {**created_entry(PLATFORM_A), "status": status}

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformUnknown)
    assert "unknown status" in result.reason


@pytest.mark.parametrize(
    ("root", "reason"),
    [
        ({"id": "42"}, "root.id"),
        ({"id": "../platforms"}, "root.id"),
        ({"id": None}, "root.id"),
        ({"state": "SCHEDULED"}, "root.state"),
        ({"state": None}, "root.state"),
        ({"scheduledFor": "tomorrow"}, "root.scheduledFor"),
        ({"scheduledFor": "2030-01-02T09:00:00"}, "root.scheduledFor"),
        ({"releaseUrl": "javascript:alert(1)"}, "root.releaseUrl"),
        ({"releaseUrl": "https://x.example/ a"}, "root.releaseUrl"),
    ],
)
def test_malformed_created_post_unknown(
    clock: FakeClock, root: dict[str, Any], reason: str
) -> None:
    entry = created_entry(PLATFORM_A)
    entry["post"]["root"].update(root)

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformUnknown)
    assert reason in result.reason


@pytest.mark.parametrize("post", [None, "created", [], {"children": []}, {"root": {}}])
def test_missing_created_post_unknown(clock: FakeClock, post: Any) -> None:
    entry = {"platformId": PLATFORM_A, "status": "created", "post": post}

    outcome = create(clock, results_response(entry), PLATFORM_A)

    assert isinstance(outcome.results[PLATFORM_A], PlatformUnknown)


def test_child_with_bad_id_unknown(clock: FakeClock) -> None:
    entry = created_entry(PLATFORM_A)
    entry["post"]["children"][0]["id"] = "child-1"

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformUnknown)
    assert "children.0.id" in result.reason


def test_post_of_other_platform_unknown(clock: FakeClock) -> None:
    entry = created_entry(PLATFORM_A, integrationId=PLATFORM_B)

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformUnknown)
    assert "another platform" in result.reason


@pytest.mark.parametrize(
    "error", [None, {}, {"code": ""}, {"code": 5, "message": "x"}, "invalid_request"]
)
def test_failure_without_code_unknown(clock: FakeClock, error: Any) -> None:
    entry = {"platformId": PLATFORM_A, "status": "failed", "error": error}

    outcome = create(clock, results_response(entry), PLATFORM_A)

    assert outcome.results[PLATFORM_A] == PlatformUnknown("the failed result has no error code")


def test_failure_message_sanitized(clock: FakeClock) -> None:
    entry = failed_entry(PLATFORM_A, "bad\ncode", "line one\n\x1b[2Jline two" + "y" * 2000)

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformFailed)
    assert result.code == "bad code"
    assert result.message.startswith("line one [2Jline two")
    assert len(result.message) <= 500


def test_created_post_with_release_url(clock: FakeClock) -> None:
    entry = created_entry(PLATFORM_A, state="PUBLISHED", releaseUrl="https://tiktok.example/v/1")

    outcome = create(clock, results_response(entry), PLATFORM_A)

    result = outcome.results[PLATFORM_A]
    assert isinstance(result, PlatformCreated)
    assert result.remote_state == "PUBLISHED"
    assert result.release_url == "https://tiktok.example/v/1"


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx.Response(200, text=PROXY_PAGE), "not JSON"),
        (httpx.Response(200, json={"root": remote_post(state="LIVE")}), "root.state"),
        (httpx.Response(200, json={"root": remote_post("p-1")}), "root.id"),
        (httpx.Response(200, json={"children": []}), "root"),
        (httpx.Response(200, json=[remote_post()]), "PostGroup"),
        (httpx.Response(200, stream=ChunkStream(big_chunks(FIVE_MB))), "larger than the limit"),
    ],
    ids=["html", "state", "id", "no-root", "list", "five-mb"],
)
def test_get_post_rejects_untrusted_body(
    clock: FakeClock, response: httpx.Response, reason: str
) -> None:
    recorder = Recorder([response])

    with make_client(recorder, clock) as client, pytest.raises(InvalidResponse) as caught:
        client.get_post(POST_ID)

    assert reason in str(caught.value)
    assert len(str(caught.value)) < 600
    assert len(recorder.requests) == 1


def test_platform_list_rejects_non_uuid(clock: FakeClock) -> None:
    platforms = [{"id": "tiktok-1", "provider": "tiktok"}]
    recorder = Recorder([httpx.Response(200, json={"platforms": platforms})])

    with make_client(recorder, clock) as client, pytest.raises(InvalidResponse) as caught:
        client.list_platforms()

    assert "not a UUID" in str(caught.value)


def test_huge_error_body_quoted_briefly(clock: FakeClock) -> None:
    stream = ChunkStream(big_chunks(FIVE_MB, b"<p>denied</p>" * 1000))
    recorder = Recorder([httpx.Response(403, stream=stream)])

    with make_client(recorder, clock) as client, pytest.raises(UnexpectedApiError) as caught:
        client.get_post(POST_ID)

    assert "larger than the limit" in caught.value.message
    assert len(str(caught.value)) < 600


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["results", "platformId", "status", "post", "root", "id", "state", "error"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
ENTRY = st.fixed_dictionaries(
    {
        "platformId": st.sampled_from([PLATFORM_A, PLATFORM_B, PLATFORM_C, "x"]),
        "status": st.sampled_from(["created", "failed", "other"]),
    },
    optional={"post": JSON_VALUES, "error": JSON_VALUES},
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from([200, 201, 204, 302, 400, 404, 409, 429, 500, 503]), body=JSON_VALUES)
def test_any_json_body_classified(status: int, body: Any) -> None:
    clock = FakeClock()
    recorder = Recorder([httpx.Response(status, json=body)])
    policy = make_policy(clock, max_attempts=1)

    with make_client(recorder, clock, policy=policy) as client:
        try:
            outcome = client.create_post(create_body(PLATFORM_A, PLATFORM_B), idempotency_key="k")
        except ApiError as error:
            assert "\n" not in str(error)
            return

    assert list(outcome.results) == [PLATFORM_A, PLATFORM_B]


@settings(max_examples=80, deadline=None)
@given(entries=st.lists(ENTRY, max_size=5))
def test_any_results_list_one_outcome_each(entries: list[dict[str, Any]]) -> None:
    clock = FakeClock()
    recorder = Recorder([results_response(*entries)])

    with make_client(recorder, clock) as client:
        outcome = client.create_post(create_body(PLATFORM_A, PLATFORM_B), idempotency_key="k")

    assert list(outcome.results) == [PLATFORM_A, PLATFORM_B]
    for platform_id, result in outcome.results.items():
        matching = [entry for entry in entries if entry["platformId"] == platform_id]
        if len(matching) != 1:
            assert isinstance(result, PlatformUnknown)
        if isinstance(result, PlatformCreated):
            assert matching[0]["status"] == "created"


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_classified(data: bytes) -> None:
    clock = FakeClock()
    recorder = Recorder([httpx.Response(200, content=data)])

    with make_client(recorder, clock) as client:
        outcome = client.create_post(create_body(PLATFORM_A), idempotency_key="k")
        with pytest.raises(InvalidResponse):
            client.get_post(POST_ID)

    assert list(outcome.results) == [PLATFORM_A]
