"""Fixtures shared by every test area.

The environment is cleared of Loomta variables so a developer's own key or URL can never reach
a test, and each test area keeps its own fixtures in its folder's conftest.py.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOOMTA_API_KEY", "LOOMTA_API_URL", "GITHUB_TOKEN", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
