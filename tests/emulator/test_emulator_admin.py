"""The `/_emulator/` inspection and control endpoints."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from loomta_sync.emulator import RunningEmulator
from loomta_sync.emulator.seeds import BRAND_PLATFORM_ID, DEVELOPERS_PLATFORM_ID
from tests.emulator.conftest import EmulatorFactory
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin


def test_admin_posts_in_creation_order(api: httpx.Client, admin: EmulatorAdmin) -> None:
    media_id = upload(api)
    both = [BRAND_PLATFORM_ID, DEVELOPERS_PLATFORM_ID]
    first = create(api, post_body([media_id], platformIds=both), idempotency_key="key-a")
    second = create(api, post_body([media_id], content="later"))

    groups = admin.groups()

    assert [group["platform_id"] for group in groups] == [*both, BRAND_PLATFORM_ID]
    assert [group["idempotency_key"] for group in groups] == ["key-a", "key-a", None]
    assert [group["create_request"] for group in groups] == [1, 1, 2]
    results = first.json()["results"] + second.json()["results"]
    assert [group["root"] for group in groups] == [result["post"]["root"] for result in results]


def test_admin_counters(api: httpx.Client, admin: EmulatorAdmin) -> None:
    media_id = upload(api)
    create(api, post_body([media_id], comments=[{"content": "c"}]))
    create(api, {"content": "invalid"})
    api.get("/platforms")

    counters = admin.counters()

    assert counters["requests"] == 4
    assert counters["create_requests"] == 2
    assert counters["groups"] == 1
    assert counters["posts"] == 2
    assert counters["media"] == 1
    assert counters["idempotent_replays"] == 0
    assert counters["quota"] == {"limit": None, "used": 1}
    assert set(counters["faults"].values()) == {0}


def test_admin_request_log(api: httpx.Client, admin: EmulatorAdmin) -> None:
    api.get("/platforms")
    create(api, {"content": 1}, idempotency_key="key-b")
    admin.faults()

    log = admin.requests()

    assert log == [
        {
            "sequence": 1,
            "method": "GET",
            "path": "/public/v1/platforms",
            "status": 200,
            "idempotency_key": None,
            "fault": None,
        },
        {
            "sequence": 2,
            "method": "POST",
            "path": "/public/v1/posts",
            "status": 400,
            "idempotency_key": "key-b",
            "fault": None,
        },
    ]


def test_admin_request_log_bounded(start: EmulatorFactory) -> None:
    emulator = start(request_log_size=3)
    admin = EmulatorAdmin(emulator.root_url)
    with httpx.Client(base_url=emulator.root_url) as client:
        for index in range(5):
            client.get(f"/public/v1/page-{index}")

    log = admin.requests()

    assert [entry["sequence"] for entry in log] == [3, 4, 5]
    assert admin.counters()["requests"] == 5
    admin.close()


def test_admin_reset_clears_everything(api: httpx.Client, admin: EmulatorAdmin) -> None:
    media_id = upload(api)
    first = create(api, post_body([media_id])).json()
    admin.set_faults(latency_ms=5, idempotency=True)
    admin.set_quota(10)
    admin.set_clock_offset(60)

    admin.reset()

    assert admin.groups() == []
    assert admin.requests() == []
    assert api.get("/media").json() == {"media": []}
    assert admin.faults()["latency_ms"] == 0
    assert admin.faults()["idempotency"] is False
    assert admin.quota() == {"limit": None, "used": 0}
    assert admin.counters()["requests"] == 1
    again = create(api, post_body([upload(api)])).json()
    assert again["results"][0]["post"]["root"]["id"] == first["results"][0]["post"]["root"]["id"]


def test_admin_reset_with_seed(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.reset(seed=99)
    seeded = upload(api)
    admin.reset()
    default = upload(api)
    admin.reset(seed=99)
    again = upload(api)

    assert admin.health()["seed"] == 99
    assert seeded == again
    assert seeded != default


def test_admin_clock_offset(
    http: httpx.Client, emulator: RunningEmulator, admin: EmulatorAdmin
) -> None:
    clock = admin.set_clock_offset(86_400)

    now = datetime.fromisoformat(clock["now"])
    assert clock["offset_seconds"] == 86_400
    assert (now - datetime.now(UTC)).total_seconds() > 86_000
    assert http.get(f"{emulator.admin_url}/clock").json()["offset_seconds"] == 86_400


@pytest.mark.parametrize("body", [{}, {"offset_seconds": "1"}, {"offset_seconds": 1e12}, [1]])
def test_admin_clock_rejects_bad_offset(
    http: httpx.Client, emulator: RunningEmulator, body: object
) -> None:
    response = http.put(f"{emulator.admin_url}/clock", json=body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_admin_reset_rejects_bad_seed(http: httpx.Client, emulator: RunningEmulator) -> None:
    response = http.post(f"{emulator.admin_url}/reset", json={"seed": "x"})

    assert response.status_code == 400
    assert response.json()["details"][0]["path"] == ["seed"]


def test_admin_unknown_route(http: httpx.Client, emulator: RunningEmulator) -> None:
    missing = http.get(f"{emulator.admin_url}/nothing")
    wrong_method = http.post(f"{emulator.admin_url}/faults", json={})

    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"
    assert wrong_method.headers["Allow"] == "GET, PUT"
