"""Concurrent requests: the quota, idempotency records and ids stay consistent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from loomta_sync.emulator import RunningEmulator
from tests.emulator.conftest import EmulatorFactory, api_client
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin

THREADS = 8
REQUESTS_PER_THREAD = 10


def create_many(emulator: RunningEmulator, body: dict[str, Any], key: str | None) -> list[int]:
    with api_client(emulator) as api:
        return [create(api, body, key).status_code for _ in range(REQUESTS_PER_THREAD)]


def run_threads(emulator: RunningEmulator, media_id: str, key: str | None) -> list[int]:
    """Send the same body from THREADS threads, REQUESTS_PER_THREAD times each."""
    body = post_body([media_id])
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(create_many, emulator, body, key) for _ in range(THREADS)]
        return [status for future in futures for status in future.result()]


def test_concurrency_quota_exact(start: EmulatorFactory) -> None:
    emulator = start(quota=50)
    with api_client(emulator) as api:
        media_id = upload(api)

    statuses = run_threads(emulator, media_id, None)

    admin = EmulatorAdmin(emulator.root_url)
    groups = admin.groups()
    assert statuses.count(200) == 50
    assert statuses.count(409) == THREADS * REQUESTS_PER_THREAD - 50
    assert len(groups) == 50
    assert len({group["root"]["id"] for group in groups}) == 50
    assert admin.quota() == {"limit": 50, "used": 50}
    assert admin.counters()["requests"] == THREADS * REQUESTS_PER_THREAD + 1
    admin.close()


def test_concurrency_one_key_one_group(start: EmulatorFactory) -> None:
    emulator = start(idempotency=True)
    with api_client(emulator) as api:
        media_id = upload(api)

    statuses = run_threads(emulator, media_id, "shared-key")

    admin = EmulatorAdmin(emulator.root_url)
    assert set(statuses) == {200}
    assert len(admin.groups()) == 1
    assert admin.counters()["idempotent_replays"] == THREADS * REQUESTS_PER_THREAD - 1
    admin.close()


def test_concurrency_keep_alive_clients(api: httpx.Client, emulator: RunningEmulator) -> None:
    def read_platforms(_: int) -> int:
        with api_client(emulator) as client:
            return sum(client.get("/platforms").status_code == 200 for _ in range(20))

    with ThreadPoolExecutor(THREADS) as pool:
        successes = list(pool.map(read_platforms, range(THREADS)))

    assert successes == [20] * THREADS
