"""The monthly post quota: 409 `post_limit_reached`, counted per created platform post."""

from __future__ import annotations

import httpx

from loomta_sync.emulator import RunningEmulator
from loomta_sync.emulator.seeds import (
    ARCHIVE_PLATFORM_ID,
    BRAND_PLATFORM_ID,
    DEVELOPERS_PLATFORM_ID,
)
from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin

BOTH = [BRAND_PLATFORM_ID, DEVELOPERS_PLATFORM_ID]


def test_quota_unlimited_by_default(api: httpx.Client, admin: EmulatorAdmin) -> None:
    media_id = upload(api)
    for _ in range(5):
        assert create(api, post_body([media_id])).status_code == 200

    assert admin.quota() == {"limit": None, "used": 5}


def test_quota_reached_is_409(start: EmulatorFactory) -> None:
    emulator = start(quota=2)
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator) as api:
        media_id = upload(api)
        first = create(api, post_body([media_id]))
        second = create(api, post_body([media_id]))
        third = create(api, post_body([media_id]))

    assert first.status_code == 200
    assert second.status_code == 200
    assert third.status_code == 409
    assert third.json()["code"] == "post_limit_reached"
    assert "2 of 2 posts used" in third.json()["message"]
    assert len(admin.groups()) == 2
    admin.close()


def test_quota_counts_each_platform(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.set_quota(3)
    media_id = upload(api)

    first = create(api, post_body([media_id], platformIds=BOTH))
    second = create(api, post_body([media_id], platformIds=BOTH))

    assert first.status_code == 200
    assert admin.quota()["used"] == 2
    assert second.status_code == 409
    assert "needs 2 more" in second.json()["message"]
    assert admin.quota()["used"] == 2
    assert len(admin.groups()) == 2


def test_quota_ignores_failed_platforms(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.set_quota(1)
    media_id = upload(api)
    body = post_body([media_id], platformIds=[ARCHIVE_PLATFORM_ID, BRAND_PLATFORM_ID])

    response = create(api, body)

    assert response.status_code == 200
    assert admin.quota() == {"limit": 1, "used": 1}


def test_quota_not_checked_without_creates(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.set_quota(0)

    response = create(api, post_body([]))

    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "failed"


def test_quota_set_at_run_time(api: httpx.Client, admin: EmulatorAdmin) -> None:
    media_id = upload(api)
    assert admin.set_quota(1, used=1) == {"limit": 1, "used": 1}
    blocked = create(api, post_body([media_id]))

    admin.set_quota(2)
    allowed = create(api, post_body([media_id]))
    admin.set_quota(None)
    unlimited = create(api, post_body([media_id]))

    assert blocked.status_code == 409
    assert allowed.status_code == 200
    assert unlimited.status_code == 200
    assert admin.quota() == {"limit": None, "used": 3}


def test_quota_admin_rejects_bad_values(
    http: httpx.Client, emulator: RunningEmulator, admin: EmulatorAdmin
) -> None:
    for body in ({}, {"limit": -1}, {"limit": "5"}, {"limit": 5, "used": True}, [1]):
        response = http.put(f"{emulator.admin_url}/quota", json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "invalid_request"

    assert admin.quota() == {"limit": None, "used": 0}
