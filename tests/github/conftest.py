"""Fixtures of the GitHub tests: the fake GitHub API and a client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loomta_sync.github.api import GitHubClient

from .fake_github import FakeGitHub


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub().start()
    yield fake
    fake.stop()


@pytest.fixture
def github_client(fake_github: FakeGitHub) -> Iterator[GitHubClient]:
    with GitHubClient(fake_github.url, fake_github.token) as client:
        yield client
