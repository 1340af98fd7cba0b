"""Idempotency-Key on `POST /posts`: ignored when off, replayed when on."""

from __future__ import annotations

import httpx
import pytest

from loomta_sync.emulator import RunningEmulator
from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin


def test_idempotency_off_creates_twice(api: httpx.Client, admin: EmulatorAdmin) -> None:
    body = post_body([upload(api)])

    first = create(api, body, idempotency_key="key-1")
    second = create(api, body, idempotency_key="key-1")

    assert first.status_code == 200
    assert second.status_code == 200
    assert first.json() != second.json()
    groups = admin.groups()
    assert [group["idempotency_key"] for group in groups] == ["key-1", "key-1"]
    assert admin.counters()["idempotent_replays"] == 0


@pytest.fixture
def idempotent(start: EmulatorFactory) -> RunningEmulator:
    return start(idempotency=True)


def test_idempotency_on_replays_response(idempotent: RunningEmulator) -> None:
    admin = EmulatorAdmin(idempotent.root_url)
    with api_client(idempotent) as api:
        body = post_body([upload(api)])
        first = create(api, body, idempotency_key="key-1")
        second = create(api, body, idempotency_key="key-1")
        other = create(api, body, idempotency_key="key-2")

    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json() == first.json()
    assert other.json() != first.json()
    assert len(admin.groups()) == 2
    assert admin.counters()["idempotent_replays"] == 1
    assert admin.quota()["used"] == 2
    admin.close()


def test_idempotency_key_reused_is_422(idempotent: RunningEmulator) -> None:
    with api_client(idempotent) as api:
        media_id = upload(api)
        create(api, post_body([media_id], content="one"), idempotency_key="key-1")
        response = create(api, post_body([media_id], content="two"), idempotency_key="key-1")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"


def test_idempotency_ignores_key_order(idempotent: RunningEmulator) -> None:
    with api_client(idempotent) as api:
        body = post_body([upload(api)])
        first = create(api, body, idempotency_key="key-1")
        reordered = dict(reversed(list(body.items())))
        second = create(api, reordered, idempotency_key="key-1")

    assert second.json() == first.json()


def test_idempotency_stores_only_success(idempotent: RunningEmulator) -> None:
    admin = EmulatorAdmin(idempotent.root_url)
    with api_client(idempotent) as api:
        media_id = upload(api)
        invalid = create(api, {"content": "no platforms"}, idempotency_key="key-1")
        valid = create(api, post_body([media_id]), idempotency_key="key-1")

    assert invalid.status_code == 400
    assert valid.status_code == 200
    assert len(admin.groups()) == 1
    admin.close()


def test_idempotency_recovers_lost_response(start: EmulatorFactory) -> None:
    emulator = start(idempotency=True, commit_then_error_rate=1.0)
    admin = EmulatorAdmin(emulator.root_url)
    with api_client(emulator) as api:
        body = post_body([upload(api)])
        lost = create(api, body, idempotency_key="key-1")
        admin.set_faults(commit_then_error_rate=0.0)
        retried = create(api, body, idempotency_key="key-1")

    assert lost.status_code in (500, 502, 504)
    assert retried.status_code == 200
    groups = admin.groups()
    assert len(groups) == 1
    assert retried.json()["results"][0]["post"]["root"]["id"] == groups[0]["root"]["id"]
    admin.close()


def test_idempotency_switched_at_run_time(api: httpx.Client, admin: EmulatorAdmin) -> None:
    body = post_body([upload(api)])
    admin.set_faults(idempotency=True)

    first = create(api, body, idempotency_key="key-1")
    second = create(api, body, idempotency_key="key-1")

    assert second.json() == first.json()
    assert len(admin.groups()) == 1


def test_idempotency_key_too_long(idempotent: RunningEmulator) -> None:
    with api_client(idempotent) as api:
        response = create(api, post_body([upload(api)]), idempotency_key="k" * 256)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert response.json()["details"][0]["path"] == ["Idempotency-Key"]
