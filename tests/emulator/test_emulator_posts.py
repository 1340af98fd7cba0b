"""Created posts: results, states, `GET /posts/{id}`, `PATCH /posts/{id}/schedule`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from loomta_sync.emulator.seeds import (
    ARCHIVE_PLATFORM_ID,
    BRAND_PLATFORM_ID,
    DEVELOPERS_PLATFORM_ID,
    EVENTS_PLATFORM_ID,
)
from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import create, in_hours, post_body, upload
from tests.support.emulator import EmulatorAdmin

POST_FIELDS = {
    "id",
    "groupId",
    "parentPostId",
    "integrationId",
    "content",
    "state",
    "scheduledFor",
    "delayInMinutes",
    "releaseId",
    "releaseUrl",
    "settings",
    "mediaIds",
    "errorText",
    "createdAt",
    "updatedAt",
}
RELEASE_URL = re.compile(r"https://www\.tiktok\.com/@loomta/video/\d{19}")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def created_group(response: httpx.Response, index: int = 0) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result = response.json()["results"][index]
    assert result["status"] == "created", result
    group: dict[str, Any] = result["post"]
    return group


def test_posts_created_group_shape(api: httpx.Client) -> None:
    media_id = upload(api)
    comments = [
        {"content": "first", "delayInMinutes": 10, "settings": {"pin": True}},
        {"content": "second"},
    ]
    when = in_hours(3)

    response = create(api, post_body([media_id], comments=comments, scheduledFor=when))

    result = response.json()["results"][0]
    assert result["platformId"] == BRAND_PLATFORM_ID
    group = created_group(response)
    root, children = group["root"], group["children"]
    assert set(root) == POST_FIELDS
    assert UUID4.fullmatch(root["id"])
    assert root["parentPostId"] is None
    assert root["integrationId"] == BRAND_PLATFORM_ID
    assert root["content"] == "Launch day"
    assert root["state"] == "QUEUE"
    assert root["mediaIds"] == [media_id]
    assert root["settings"] == {"privacy_level": "PUBLIC_TO_EVERYONE"}
    assert root["releaseUrl"] is None
    assert root["errorText"] is None
    assert [child["content"] for child in children] == ["first", "second"]
    for child in children:
        assert set(child) == POST_FIELDS
        assert child["groupId"] == root["groupId"]
        assert child["parentPostId"] == root["id"]
        assert child["state"] == "QUEUE"
    root_time = datetime.fromisoformat(root["scheduledFor"])
    assert datetime.fromisoformat(children[0]["scheduledFor"]) == root_time + timedelta(minutes=10)
    assert children[0]["settings"] == {"pin": True}
    assert children[1]["delayInMinutes"] is None


def test_posts_draft_state(api: httpx.Client) -> None:
    body = post_body([upload(api)], mode="draft")
    del body["scheduledFor"]

    group = created_group(create(api, body))

    assert group["root"]["state"] == "DRAFT"
    assert group["root"]["scheduledFor"] is None


def test_posts_now_is_published(api: httpx.Client) -> None:
    comments = [{"content": "at once"}, {"content": "later", "delayInMinutes": 30}]
    body = post_body([upload(api)], mode="now", comments=comments)
    del body["scheduledFor"]

    group = created_group(create(api, body))

    root, (at_once, later) = group["root"], group["children"]
    assert root["state"] == "PUBLISHED"
    assert RELEASE_URL.fullmatch(root["releaseUrl"])
    assert root["releaseUrl"].endswith(root["releaseId"])
    assert at_once["state"] == "PUBLISHED"
    assert at_once["releaseUrl"] == root["releaseUrl"]
    assert later["state"] == "QUEUE"
    assert later["releaseUrl"] is None


def test_posts_release_url_uses_handle(api: httpx.Client) -> None:
    body = post_body(
        [upload(api)],
        mode="now",
        platformIds=[DEVELOPERS_PLATFORM_ID],
        settings={"privacy_level": "SELF_ONLY"},
    )

    group = created_group(create(api, body))

    assert group["root"]["releaseUrl"].startswith("https://www.tiktok.com/@loomta.dev/video/")


def test_posts_get_by_root_or_child(api: httpx.Client) -> None:
    body = post_body([upload(api)], comments=[{"content": "c"}])
    group = created_group(create(api, body))

    by_root = api.get(f"/posts/{group['root']['id']}")
    by_child = api.get(f"/posts/{group['children'][0]['id']}")

    assert by_root.status_code == 200
    assert by_root.json() == group
    assert by_child.status_code == 200
    assert by_child.json() == group


def test_posts_get_unknown_is_404(api: httpx.Client) -> None:
    response = api.get("/posts/00000000-0000-4000-8000-000000000000")

    assert response.status_code == 404
    assert response.json()["code"] == "post_not_found"


def test_posts_queue_publishes_when_due(api: httpx.Client, admin: EmulatorAdmin) -> None:
    body = post_body([upload(api)], scheduledFor=in_hours(1), comments=[{"content": "c"}])
    group = created_group(create(api, body))
    root_id = group["root"]["id"]

    admin.set_clock_offset(2 * 3600)
    first = api.get(f"/posts/{root_id}").json()
    second = api.get(f"/posts/{root_id}").json()

    assert first["root"]["state"] == "PUBLISHED"
    assert RELEASE_URL.fullmatch(first["root"]["releaseUrl"])
    assert first["root"]["updatedAt"] == group["root"]["scheduledFor"]
    assert first["children"][0]["state"] == "PUBLISHED"
    assert second == first


def test_posts_reschedule_moves_group(api: httpx.Client) -> None:
    comments = [{"content": "c", "delayInMinutes": 5}]
    group = created_group(create(api, post_body([upload(api)], comments=comments)))
    new_time = "2031-06-01T12:00:00+02:00"

    response = api.patch(f"/posts/{group['root']['id']}/schedule", json={"scheduledFor": new_time})

    assert response.status_code == 200
    moved = response.json()
    assert moved["root"]["id"] == group["root"]["id"]
    assert moved["root"]["scheduledFor"] == "2031-06-01T10:00:00.000Z"
    assert moved["children"][0]["scheduledFor"] == "2031-06-01T10:05:00.000Z"
    assert moved["root"]["state"] == "QUEUE"
    assert api.get(f"/posts/{group['root']['id']}").json() == moved


def test_posts_reschedule_by_child_id(api: httpx.Client) -> None:
    group = created_group(create(api, post_body([upload(api)], comments=[{"content": "c"}])))
    child_id = group["children"][0]["id"]

    response = api.patch(f"/posts/{child_id}/schedule", json={"scheduledFor": in_hours(5)})

    assert response.status_code == 200
    assert response.json()["root"]["id"] == group["root"]["id"]


def test_posts_reschedule_draft_rejected(api: httpx.Client) -> None:
    group = created_group(create(api, post_body([upload(api)], mode="draft")))

    response = api.patch(
        f"/posts/{group['root']['id']}/schedule", json={"scheduledFor": in_hours(5)}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert "DRAFT" in response.json()["message"]


def test_posts_reschedule_published_rejected(api: httpx.Client, admin: EmulatorAdmin) -> None:
    group = created_group(create(api, post_body([upload(api)], scheduledFor=in_hours(1))))
    admin.set_clock_offset(2 * 3600)

    response = api.patch(
        f"/posts/{group['root']['id']}/schedule", json={"scheduledFor": in_hours(5)}
    )

    assert response.status_code == 400
    assert "PUBLISHED" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, ["scheduledFor"]),
        ({"scheduledFor": "soon"}, ["scheduledFor"]),
        ({"scheduledFor": "2031-01-01T10:00:00"}, ["scheduledFor"]),
        ({"scheduledFor": "2001-01-01T10:00:00Z"}, ["scheduledFor"]),
        ([], []),
    ],
)
def test_posts_reschedule_invalid_body(api: httpx.Client, body: Any, path: list[Any]) -> None:
    group = created_group(create(api, post_body([upload(api)])))

    response = api.patch(f"/posts/{group['root']['id']}/schedule", json=body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert response.json()["details"][0]["path"] == path


def test_posts_reschedule_invalid_json(api: httpx.Client) -> None:
    group = created_group(create(api, post_body([upload(api)])))

    response = api.patch(f"/posts/{group['root']['id']}/schedule", content=b"{nope")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_posts_reschedule_unknown_is_404(api: httpx.Client) -> None:
    response = api.patch("/posts/unknown-id/schedule", json={"scheduledFor": in_hours(5)})

    assert response.status_code == 404
    assert response.json()["code"] == "post_not_found"


@pytest.mark.parametrize(
    ("platform_id", "reason"),
    [
        ("6f1b2c3d-0000-4000-8000-999999999999", "not connected"),
        (ARCHIVE_PLATFORM_ID, "disabled"),
        (EVENTS_PLATFORM_ID, "token refresh"),
    ],
)
def test_posts_unavailable_platform_fails_alone(
    api: httpx.Client, admin: EmulatorAdmin, platform_id: str, reason: str
) -> None:
    body = post_body([upload(api)], platformIds=[platform_id, BRAND_PLATFORM_ID])

    response = create(api, body)

    assert response.status_code == 200
    failed, created = response.json()["results"]
    assert failed == {
        "platformId": platform_id,
        "status": "failed",
        "error": {"code": "platform_not_found", "message": failed["error"]["message"]},
    }
    assert reason in failed["error"]["message"]
    assert created["status"] == "created"
    assert len(admin.groups()) == 1


def test_posts_no_available_platform_is_404(api: httpx.Client, admin: EmulatorAdmin) -> None:
    platform_ids = ["6f1b2c3d-0000-4000-8000-999999999999", ARCHIVE_PLATFORM_ID, EVENTS_PLATFORM_ID]

    response = create(api, post_body([upload(api)], platformIds=platform_ids))

    assert response.status_code == 404
    assert response.json()["code"] == "platform_not_found"
    assert admin.groups() == []
    assert admin.quota()["used"] == 0


def test_posts_all_rules_failed_is_200(api: httpx.Client) -> None:
    body = post_body([], platformIds=[ARCHIVE_PLATFORM_ID, BRAND_PLATFORM_ID])

    response = create(api, body)

    assert response.status_code == 200
    codes = [result["error"]["code"] for result in response.json()["results"]]
    assert codes == ["platform_not_found", "invalid_request"]


def test_posts_ids_follow_seed(start: EmulatorFactory) -> None:
    runs: list[list[str]] = []
    for seed in (5, 5, 6):
        emulator = start(seed=seed)
        with api_client(emulator) as api:
            media_id = upload(api)
            group = created_group(create(api, post_body([media_id], comments=[{"content": "c"}])))
        runs.append([media_id, group["root"]["groupId"], group["root"]["id"]])

    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_posts_times_in_utc_millis(api: httpx.Client) -> None:
    group = created_group(create(api, post_body([upload(api)])))

    for name in ("scheduledFor", "createdAt", "updatedAt"):
        value = group["root"][name]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value), value
        assert datetime.fromisoformat(value).tzinfo == UTC
