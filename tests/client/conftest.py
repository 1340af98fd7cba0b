"""Fixtures for the client tests: a fake clock and no proxy settings from the environment."""

from __future__ import annotations

import pytest

from tests.client.client_fakes import FakeClock


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx reads proxy variables, which would send loopback test traffic elsewhere.
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
