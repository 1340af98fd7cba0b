"""Fixtures for the emulator tests: an emulator reset for each test, an API client and an
admin client, all over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from loomta_sync.emulator import EmulatorOptions, RunningEmulator, start_emulator
from tests.support.emulator import SSL_CONTEXT, TEST_API_KEY, EmulatorAdmin

EmulatorFactory = Callable[..., RunningEmulator]
TEST_SEED = 7


@pytest.fixture(scope="module")
def shared_emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorOptions(seed=TEST_SEED)) as running:
        yield running


@pytest.fixture
def emulator(shared_emulator: RunningEmulator) -> RunningEmulator:
    """The module's emulator, reset to its start-up state for this test."""
    shared_emulator.app.reset()
    return shared_emulator


@pytest.fixture
def start() -> Iterator[EmulatorFactory]:
    """Start emulators with the given EmulatorOptions fields; all stop after the test."""
    started: list[RunningEmulator] = []

    def start_with(**options: Any) -> RunningEmulator:
        options.setdefault("seed", TEST_SEED)
        running = start_emulator(EmulatorOptions(**options))
        started.append(running)
        return running

    yield start_with
    for running in started:
        running.stop()


@pytest.fixture
def api(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    with api_client(emulator) as client:
        yield client


@pytest.fixture
def admin(emulator: RunningEmulator) -> Iterator[EmulatorAdmin]:
    client = EmulatorAdmin(emulator.root_url)
    yield client
    client.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A client with no base URL and no key."""
    with httpx.Client(verify=SSL_CONTEXT, timeout=10) as client:
        yield client


def api_client(
    emulator: RunningEmulator, key: str | None = TEST_API_KEY, timeout: float = 10.0
) -> httpx.Client:
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    return httpx.Client(
        base_url=emulator.base_url, headers=headers, timeout=timeout, verify=SSL_CONTEXT
    )
