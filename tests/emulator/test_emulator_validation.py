"""Shape checks of `POST /posts`: `invalid_json` and `invalid_request` with Zod-style details."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from loomta_sync.emulator.seeds import BRAND_PLATFORM_ID
from tests.emulator.emulator_helpers import create, in_hours, issue_paths, post_body, upload
from tests.support.emulator import EmulatorAdmin


@pytest.mark.parametrize(
    "body",
    [b"{", b"", b"   ", b"not json", b'{"content": NaN}', b"\xff\xfe", b'{"a": 1} trailing'],
)
def test_create_invalid_json(api: httpx.Client, body: bytes) -> None:
    response = api.post("/posts", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert "\n" not in response.json()["message"]


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_create_body_must_be_object(api: httpx.Client, body: Any) -> None:
    response = api.post("/posts", content=json.dumps(body))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert issue_paths(response) == [[]]


def test_create_lists_every_issue(api: httpx.Client, admin: EmulatorAdmin) -> None:
    body = {
        "platformIds": [BRAND_PLATFORM_ID, 7],
        "content": "",
        "mode": "later",
        "mediaIds": "media-1",
        "settings": [],
        "comments": [
            {"delayInMinutes": "5"},
            "text",
            {"content": 3, "delayInMinutes": -1, "settings": 1, "mediaIds": ["missing"]},
        ],
    }

    response = create(api, body)

    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid_request"
    assert issue_paths(response) == [
        ["platformIds", 1],
        ["content"],
        ["mode"],
        ["mediaIds"],
        ["settings"],
        ["comments", 0, "content"],
        ["comments", 0, "delayInMinutes"],
        ["comments", 1],
        ["comments", 2, "content"],
        ["comments", 2, "delayInMinutes"],
        ["comments", 2, "settings"],
        ["comments", 2, "mediaIds", 0],
    ]
    for issue in payload["details"]:
        assert isinstance(issue["message"], str)
        assert issue["message"]
    assert "12 issues" in payload["message"]
    assert admin.counters()["groups"] == 0


@pytest.mark.parametrize("missing", ["platformIds", "content", "mode"])
def test_create_required_fields(api: httpx.Client, missing: str) -> None:
    body = post_body([upload(api)])
    del body[missing]

    response = create(api, body)

    assert response.status_code == 400
    assert issue_paths(response) == [[missing]]
    assert "required" in response.json()["details"][0]["message"]


def test_create_empty_platform_ids(api: httpx.Client) -> None:
    response = create(api, post_body([upload(api)], platformIds=[]))

    assert response.status_code == 400
    assert issue_paths(response) == [["platformIds"]]


def test_create_repeated_platform_id(api: httpx.Client) -> None:
    body = post_body([upload(api)], platformIds=[BRAND_PLATFORM_ID, BRAND_PLATFORM_ID])

    response = create(api, body)

    assert response.status_code == 400
    assert issue_paths(response) == [["platformIds", 1]]


def test_create_schedule_needs_time(api: httpx.Client) -> None:
    body = post_body([upload(api)])
    del body["scheduledFor"]

    response = create(api, body)

    assert response.status_code == 400
    assert issue_paths(response) == [["scheduledFor"]]
    assert "mode is schedule" in response.json()["details"][0]["message"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2030-01-01T10:00:00", "no UTC offset"),
        ("2030-01-01", "no UTC offset"),
        ("tomorrow", "not an ISO 8601"),
        ("2030-13-01T10:00:00Z", "not an ISO 8601"),
        ("9999-12-31T23:00:00Z", "out of range"),
        (1893456000, "expected an ISO 8601 string"),
    ],
)
def test_create_rejects_bad_time(api: httpx.Client, value: Any, reason: str) -> None:
    response = create(api, post_body([upload(api)], scheduledFor=value))

    assert response.status_code == 400
    assert issue_paths(response) == [["scheduledFor"]]
    assert reason in response.json()["details"][0]["message"]


def test_create_rejects_past_time(api: httpx.Client) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()

    response = create(api, post_body([upload(api)], scheduledFor=past))

    assert response.status_code == 400
    assert issue_paths(response) == [["scheduledFor"]]
    assert "in the past" in response.json()["details"][0]["message"]


@pytest.mark.parametrize(
    "value", ["2030-01-01T10:00:00Z", "2030-01-01T11:00:00+01:00", "2030-01-01T05:00:00-05:00"]
)
def test_create_accepts_any_offset(api: httpx.Client, value: str) -> None:
    response = create(api, post_body([upload(api)], scheduledFor=value))

    assert response.status_code == 200
    root = response.json()["results"][0]["post"]["root"]
    assert root["scheduledFor"] == "2030-01-01T10:00:00.000Z"


def test_create_draft_keeps_past_time(api: httpx.Client) -> None:
    body = post_body([upload(api)], mode="draft", scheduledFor="2020-01-01T00:00:00Z")

    response = create(api, body)

    assert response.status_code == 200
    root = response.json()["results"][0]["post"]["root"]
    assert root["state"] == "DRAFT"
    assert root["scheduledFor"] == "2020-01-01T00:00:00.000Z"


def test_create_unknown_media_id(api: httpx.Client) -> None:
    media_id = upload(api)

    response = create(api, post_body([media_id, "no-such-media"]))

    assert response.status_code == 400
    assert issue_paths(response) == [["mediaIds", 1]]
    assert "POST /media" in response.json()["details"][0]["message"]


def test_create_ignores_unknown_keys(api: httpx.Client) -> None:
    response = create(api, post_body([upload(api)], somethingElse={"x": 1}))

    assert response.status_code == 200


@pytest.mark.parametrize(("delay", "expected"), [(None, None), (0, 0), (15, 15), (15.0, 15)])
def test_create_comment_delay_values(api: httpx.Client, delay: Any, expected: int | None) -> None:
    body = post_body([upload(api)], comments=[{"content": "first", "delayInMinutes": delay}])

    response = create(api, body)

    assert response.status_code == 200
    child = response.json()["results"][0]["post"]["children"][0]
    assert child["delayInMinutes"] == expected


@pytest.mark.parametrize("delay", [1.5, True, "5", -1, 10**9])
def test_create_comment_delay_invalid(api: httpx.Client, delay: Any) -> None:
    body = post_body([upload(api)], comments=[{"content": "first", "delayInMinutes": delay}])

    response = create(api, body)

    assert response.status_code == 400
    assert issue_paths(response) == [["comments", 0, "delayInMinutes"]]


def test_create_time_check_uses_clock(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.set_clock_offset(3 * 3600)

    response = create(api, post_body([upload(api)], scheduledFor=in_hours(2)))

    assert response.status_code == 400
    assert "in the past" in response.json()["details"][0]["message"]
