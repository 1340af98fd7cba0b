"""Fault injection: each kind, its scope, its settings endpoint and its seeded repeatability."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from loomta_sync.emulator import EmulatorOptions, RunningEmulator
from loomta_sync.emulator.faults import FaultSettings
from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin


def statuses(api: httpx.Client, body: dict[str, Any], count: int) -> list[int]:
    return [create(api, body).status_code for _ in range(count)]


def test_faults_options_cover_settings() -> None:
    option_names = {item.name for item in dataclasses.fields(EmulatorOptions)}

    for item in dataclasses.fields(FaultSettings):
        assert item.name in option_names


def test_faults_options_validated() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        EmulatorOptions(error_rate=1.5).fault_settings()


def test_faults_latency_delays_api_only(http: httpx.Client, start: EmulatorFactory) -> None:
    emulator = start(latency_ms=5_000)

    with api_client(emulator, timeout=0.3) as api:
        with pytest.raises(httpx.ReadTimeout):
            api.get("/platforms")
        admin = http.get(f"{emulator.admin_url}/health", timeout=5)

    assert admin.status_code == 200


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "internal_error"),
        (502, "bad_gateway"),
        (503, "service_unavailable"),
        (504, "gateway_timeout"),
        (599, "server_error"),
    ],
)
def test_faults_error_before_work(start: EmulatorFactory, status: int, code: str) -> None:
    emulator = start(error_rate=1.0, error_statuses=(status,), retry_after_seconds=7)
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator) as api:
        response = create(api, post_body([upload(api)]))

    assert response.status_code == status
    assert response.json()["code"] == code
    assert "before any work" in response.json()["message"]
    assert response.headers.get("Retry-After") == ("7" if status == 503 else None)
    assert admin.groups() == []
    assert admin.counters()["faults"]["error"] == 1
    admin.close()


def test_faults_error_precedes_auth(start: EmulatorFactory) -> None:
    emulator = start(error_rate=1.0, error_statuses=(502,))

    with api_client(emulator, key=None) as api:
        response = api.post("/posts", json={})

    assert response.status_code == 502


def test_faults_commit_then_error(start: EmulatorFactory) -> None:
    emulator = start(commit_then_error_rate=1.0, commit_error_statuses=(504,))
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator) as api:
        response = create(api, post_body([upload(api)]), idempotency_key="lost-1")

    assert response.status_code == 504
    assert response.json()["code"] == "gateway_timeout"
    assert "Retry-After" not in response.headers
    groups = admin.groups()
    assert len(groups) == 1
    assert groups[0]["idempotency_key"] == "lost-1"
    assert admin.requests()[-1]["fault"] == "commit_then_error"
    admin.close()


def test_faults_drop_after_commit(start: EmulatorFactory) -> None:
    emulator = start(drop_after_commit_rate=1.0)
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator) as api:
        body = post_body([upload(api)])
        with pytest.raises(httpx.RemoteProtocolError):
            create(api, body, idempotency_key="dropped-1")
        platforms = api.get("/platforms")

    assert platforms.status_code == 200
    assert len(admin.groups()) == 1
    last = admin.requests()[-2]
    assert last["path"] == "/public/v1/posts"
    assert last["status"] is None
    assert last["fault"] == "drop_after_commit"
    admin.close()


def test_faults_slow_response_after_commit(start: EmulatorFactory) -> None:
    emulator = start(slow_response_rate=1.0, slow_response_ms=10_000)
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator, timeout=0.3) as api:
        body = post_body([upload(api)])
        with pytest.raises(httpx.ReadTimeout):
            create(api, body)

    assert len(admin.groups()) == 1
    assert admin.requests()[-1]["fault"] == "slow_response"
    assert admin.requests()[-1]["status"] == 200
    admin.close()


def test_faults_rate_limit_burst(start: EmulatorFactory) -> None:
    emulator = start(rate_limit_burst=2, retry_after_seconds=3)
    admin = EmulatorAdmin(emulator.root_url)

    with api_client(emulator) as api:
        body = post_body([upload(api)])
        responses = [create(api, body) for _ in range(3)]

    assert [response.status_code for response in responses] == [429, 429, 200]
    assert responses[0].json()["code"] == "rate_limited"
    assert responses[0].headers["Retry-After"] == "3"
    assert admin.faults()["rate_limit_burst"] == 0
    assert len(admin.groups()) == 1
    admin.close()


def test_faults_rate_limit_rate(start: EmulatorFactory) -> None:
    emulator = start(rate_limit_rate=1.0)

    with api_client(emulator) as api:
        response = create(api, post_body([upload(api)]))

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"


def test_faults_scope_create_only(start: EmulatorFactory) -> None:
    emulator = start(error_rate=1.0)

    with api_client(emulator) as api:
        platforms = api.get("/platforms")
        media = api.post("/media", files={"file": ("a.jpg", b"x", "image/jpeg")})

    assert platforms.status_code == 200
    assert media.status_code == 200


def test_faults_scope_every_api_request(start: EmulatorFactory) -> None:
    emulator = start(error_rate=1.0, error_statuses=(503,), fault_scope="api")

    with api_client(emulator) as api:
        platforms = api.get("/platforms")
        unknown = api.get("/no-such-route")

    assert platforms.status_code == 503
    assert unknown.status_code == 503


def test_faults_sequence_follows_seed(start: EmulatorFactory) -> None:
    sequences: list[list[int]] = []
    for seed in (11, 11, 12):
        emulator = start(seed=seed, error_rate=0.5, error_statuses=(502,))
        with api_client(emulator) as api:
            sequences.append(statuses(api, post_body([upload(api)]), 30))

    assert sequences[0] == sequences[1]
    assert sequences[0] != sequences[2]
    assert set(sequences[0]) == {200, 502}


def test_faults_reset_repeats_sequence(api: httpx.Client, admin: EmulatorAdmin) -> None:
    admin.set_faults(error_rate=0.5, error_statuses=[500])
    body = post_body([upload(api)])
    first = statuses(api, body, 20)

    admin.reset()
    admin.set_faults(error_rate=0.5, error_statuses=[500])
    body = post_body([upload(api)])
    second = statuses(api, body, 20)

    assert first == second


def test_faults_rates_leave_ids_alone(start: EmulatorFactory) -> None:
    root_ids: list[str] = []
    for rate in (0.0, 1.0):
        emulator = start(seed=3, commit_then_error_rate=rate)
        with api_client(emulator) as api:
            create(api, post_body([upload(api)]))
        admin = EmulatorAdmin(emulator.root_url)
        root_ids.append(admin.groups()[0]["root"]["id"])
        admin.close()

    assert root_ids[0] == root_ids[1]


def test_faults_settings_round_trip(admin: EmulatorAdmin) -> None:
    defaults = admin.faults()

    changed = admin.set_faults(error_rate=0.25, error_statuses=[502, 503], fault_scope="api")

    assert defaults == FaultSettings().to_json()
    assert changed["error_rate"] == 0.25
    assert changed["error_statuses"] == [502, 503]
    assert changed["fault_scope"] == "api"
    assert changed["latency_ms"] == defaults["latency_ms"]
    assert admin.faults() == changed


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"error_rate": 1.5}, ["error_rate"]),
        ({"error_rate": True}, ["error_rate"]),
        ({"latency_ms": -1}, ["latency_ms"]),
        ({"latency_ms": 2.5}, ["latency_ms"]),
        ({"error_statuses": []}, ["error_statuses"]),
        ({"error_statuses": [404]}, ["error_statuses"]),
        ({"idempotency": "on"}, ["idempotency"]),
        ({"fault_scope": "all"}, ["fault_scope"]),
        ({"no_such_fault": 1}, ["no_such_fault"]),
    ],
)
def test_faults_settings_rejected(
    http: httpx.Client,
    emulator: RunningEmulator,
    admin: EmulatorAdmin,
    changes: dict[str, Any],
    path: list[str],
) -> None:
    before = admin.faults()

    response = http.put(f"{emulator.admin_url}/faults", json={"slow_response_ms": 1, **changes})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert [issue["path"] for issue in response.json()["details"]] == [path]
    assert admin.faults() == before
