"""Endpoint methods, argument checks, the API URL check and the key from the environment."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from loomta_sync.client import (
    DEFAULT_TIMEOUT,
    InvalidResponse,
    LoomtaClient,
    PlatformNotFound,
    PostState,
    api_key_from_env,
    format_api_datetime,
)
from loomta_sync.client.arguments import check_base_url
from loomta_sync.errors import LoomtaSyncError
from tests.client.client_fakes import (
    CANARY_KEY,
    CHILD_ID,
    PLATFORM_A,
    PLATFORM_B,
    POST_ID,
    FakeClock,
    Recorder,
    create_body,
    error_body,
    make_client,
    platform,
    remote_post,
)

SCHEMA: dict[str, Any] = {
    "content": {"required": True, "maxLength": 2200},
    "media": {
        "required": True,
        "allowedTypes": ["image", "video"],
        "minItems": 1,
        "maxItems": 35,
        "supportsMixedTypes": False,
        "rules": ["exactly one video, or 1 to 35 images"],
    },
    "comments": {"supported": True, "mediaSupported": False, "delayInMinutesSupported": True},
    "settings": {
        "fields": [
            {
                "name": "privacy_level",
                "type": "enum",
                "required": True,
                "enum": ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
            }
        ]
    },
}


def group_body(**root: Any) -> dict[str, Any]:
    return {
        "root": remote_post(**root),
        "children": [remote_post(CHILD_ID, parentPostId=POST_ID)],
    }


def test_list_platforms(clock: FakeClock) -> None:
    body = {"platforms": [platform(PLATFORM_A), {**platform(PLATFORM_B), "newField": [1]}]}
    recorder = Recorder([httpx.Response(200, json=body)])

    with make_client(recorder, clock) as client:
        platforms = client.list_platforms()

    assert [item.id for item in platforms] == [PLATFORM_A, PLATFORM_B]
    assert platforms[0].provider == "tiktok"
    assert recorder.requests[0].url.path == "/public/v1/platforms"


def test_platform_schema_read(clock: FakeClock) -> None:
    body = {"platform": platform(PLATFORM_A), "schema": SCHEMA}
    recorder = Recorder([httpx.Response(200, json=body)])

    with make_client(recorder, clock) as client:
        entry = client.get_platform_schema(PLATFORM_A)

    assert entry.platform.id == PLATFORM_A
    assert entry.schema_.content.maxLength == 2200
    assert entry.schema_.settings.fields[0].enum == ["PUBLIC_TO_EVERYONE", "SELF_ONLY"]
    assert recorder.requests[0].url.path == f"/public/v1/platforms/{PLATFORM_A}/schema"


def test_schema_for_other_platform_untrusted(clock: FakeClock) -> None:
    body = {"platform": platform(PLATFORM_B), "schema": SCHEMA}
    recorder = Recorder([httpx.Response(200, json=body)])

    with make_client(recorder, clock) as client, pytest.raises(InvalidResponse) as caught:
        client.get_platform_schema(PLATFORM_A)

    assert "another platform" in str(caught.value)


def test_schema_of_unknown_platform(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(404, json=error_body("platform_not_found"))])

    with make_client(recorder, clock) as client, pytest.raises(PlatformNotFound):
        client.get_platform_schema(PLATFORM_A)


def test_get_post_returns_group(clock: FakeClock) -> None:
    body = group_body(state="PUBLISHED", releaseUrl="https://www.tiktok.example/@team/video/1")
    recorder = Recorder([httpx.Response(200, json=body)])

    with make_client(recorder, clock) as client:
        group = client.get_post(POST_ID)

    assert group.root.id == POST_ID
    assert group.root.state is PostState.PUBLISHED
    assert group.root.release_url == "https://www.tiktok.example/@team/video/1"
    assert group.root.scheduled_for == datetime(2030, 1, 2, 9, tzinfo=UTC)
    assert group.root.media_ids == ("20000000-0000-4000-8000-000000000001",)
    assert [child.id for child in group.children] == [CHILD_ID]
    assert group.children[0].parent_post_id == POST_ID


def test_null_media_ids_read_as_empty(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json=group_body(mediaIds=None))])

    with make_client(recorder, clock) as client:
        group = client.get_post(POST_ID)

    assert group.root.media_ids == ()


def test_reschedule_sends_utc_time(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json=group_body())])
    paris = timezone(timedelta(hours=2))

    with make_client(recorder, clock) as client:
        group = client.reschedule_post(POST_ID, datetime(2030, 6, 1, 11, 30, tzinfo=paris))

    request = recorder.requests[0]
    assert request.method == "PATCH"
    assert request.url.path == f"/public/v1/posts/{POST_ID}/schedule"
    assert json.loads(recorder.bodies[0]) == {"scheduledFor": "2030-06-01T09:30:00.000Z"}
    assert group.root.id == POST_ID


def test_reschedule_rejects_naive_time(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json=group_body())])

    with make_client(recorder, clock) as client, pytest.raises(ValueError, match="no time zone"):
        client.reschedule_post(POST_ID, datetime(2030, 6, 1, 11, 30))

    assert recorder.requests == []


@pytest.mark.parametrize(
    "post_id", ["../platforms", "", "abc", f"{POST_ID}/schedule", f" {POST_ID}"]
)
def test_post_id_must_be_uuid(clock: FakeClock, post_id: str) -> None:
    recorder = Recorder([httpx.Response(200, json=group_body())])

    with (
        make_client(recorder, clock) as client,
        pytest.raises(LoomtaSyncError, match="is not a UUID; copy the id from Loomta"),
    ):
        client.get_post(post_id)

    assert recorder.requests == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"content": "x"}, "non-empty list"),
        ({"platformIds": []}, "non-empty list"),
        ({"platformIds": PLATFORM_A}, "non-empty list"),
        ({"platformIds": [PLATFORM_A, 5]}, "only strings"),
    ],
)
def test_create_checks_platform_ids(clock: FakeClock, body: dict[str, Any], message: str) -> None:
    recorder = Recorder([])

    with make_client(recorder, clock) as client, pytest.raises(ValueError, match=message):
        client.create_post(body, idempotency_key="key-1")

    assert recorder.requests == []


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "line\nbreak", "ключ"])
def test_create_checks_idempotency_key(clock: FakeClock, key: str) -> None:
    recorder = Recorder([])

    with make_client(recorder, clock) as client, pytest.raises(ValueError, match="idempotency key"):
        client.create_post(create_body(PLATFORM_A), idempotency_key=key)

    assert recorder.requests == []


def test_duplicate_platform_ids_one_outcome(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json={"results": []})])

    with make_client(recorder, clock) as client:
        outcome = client.create_post(
            create_body(PLATFORM_A, PLATFORM_A, PLATFORM_B), idempotency_key="key-1"
        )

    assert list(outcome.results) == [PLATFORM_A, PLATFORM_B]


def test_format_api_datetime() -> None:
    value = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=-5)))

    assert format_api_datetime(value) == "2030-01-02T08:04:05.678Z"


def test_default_timeouts() -> None:
    assert DEFAULT_TIMEOUT.connect == 5.0
    assert DEFAULT_TIMEOUT.read == 30.0
    assert DEFAULT_TIMEOUT.write == 30.0
    assert DEFAULT_TIMEOUT.pool == 10.0


@pytest.mark.parametrize(
    "url",
    [
        "https://api.loomta.com/public/v1",
        "http://127.0.0.1:8080/public/v1",
        "http://localhost:8080",
        "http://[::1]:9000/v1",
    ],
)
def test_base_url_accepted(url: str) -> None:
    assert str(check_base_url(url)).rstrip("/") == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://api.loomta.com/public/v1", "plain http for a remote host"),
        ("http://10.0.0.5/v1", "plain http for a remote host"),
        ("ftp://api.loomta.com", "not an http(s) URL"),
        ("api.loomta.com/public/v1", "not an http(s) URL"),
        ("https://user:pass@api.loomta.com", "user info"),
        ("https://api.loomta.com/v1?key=1", "user info, a query"),
        ("https://api.loomta.com/v1#top", "fragment"),
    ],
)
def test_base_url_rejected(url: str, message: str) -> None:
    with pytest.raises(LoomtaSyncError, match=re.escape(message)):
        LoomtaClient(url, CANARY_KEY)


def test_key_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOMTA_API_KEY", f"  {CANARY_KEY}\n")

    assert api_key_from_env() == CANARY_KEY


def test_key_read_from_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGING_KEY", CANARY_KEY)

    assert api_key_from_env("STAGING_KEY") == CANARY_KEY


@pytest.mark.parametrize("value", [None, "", "   \n"])
def test_missing_key_names_variable(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is not None:
        monkeypatch.setenv("LOOMTA_API_KEY", value)

    with pytest.raises(LoomtaSyncError) as caught:
        api_key_from_env()

    assert str(caught.value) == (
        "environment variable LOOMTA_API_KEY is not set or empty; "
        "set it to your Loomta API key (it starts with loomta_sk_)"
    )


def test_client_sends_key_as_bearer(clock: FakeClock) -> None:
    recorder = Recorder([httpx.Response(200, json={"platforms": []})])

    with make_client(recorder, clock) as client:
        client.list_platforms()

    assert recorder.requests[0].headers["Authorization"] == f"Bearer {CANARY_KEY}"
