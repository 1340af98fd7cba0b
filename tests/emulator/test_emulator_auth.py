"""API key checks, and that the key never leaves the emulator in any form."""

from __future__ import annotations

import logging

import httpx
import pytest

from loomta_sync.emulator import RunningEmulator
from tests.emulator.conftest import api_client
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import TEST_API_KEY


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "missing_api_key"),
        ("", "missing_api_key"),
        ("Bearer", "missing_api_key"),
        ("Basic dXNlcjpwYXNz", "invalid_api_key"),
        ("Bearer loomta_sk_short", "invalid_api_key"),
        ("Bearer sk_live_abcdefghijkl", "invalid_api_key"),
        ("Bearer loomta_sk_has-a-dash-in-it", "invalid_api_key"),
        ("Bearer loomta_sk_revoked_0123456789", "invalid_api_key"),
    ],
)
def test_auth_rejects_bad_header(
    http: httpx.Client, emulator: RunningEmulator, authorization: str | None, code: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = http.get(f"{emulator.base_url}/platforms", headers=headers)

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["message"]


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {TEST_API_KEY}",
        f"bearer {TEST_API_KEY}",
        f"BEARER  {TEST_API_KEY}",
        "Bearer loomta_sk_12345678",
        "Bearer loomta_sk_revoke_12345678",
    ],
)
def test_auth_accepts_valid_key(
    http: httpx.Client, emulator: RunningEmulator, authorization: str
) -> None:
    response = http.get(f"{emulator.base_url}/platforms", headers={"Authorization": authorization})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/platforms"),
        ("GET", "/platforms/6f1b2c3d-0000-4000-8000-000000000001/schema"),
        ("POST", "/media"),
        ("GET", "/media"),
        ("POST", "/posts"),
        ("GET", "/posts/some-id"),
        ("PATCH", "/posts/some-id/schedule"),
        ("GET", "/no-such-route"),
    ],
)
def test_auth_guards_every_route(
    http: httpx.Client, emulator: RunningEmulator, method: str, path: str
) -> None:
    response = http.request(method, f"{emulator.base_url}{path}")

    assert response.status_code == 401
    assert response.json()["code"] == "missing_api_key"


def test_auth_not_needed_for_admin(http: httpx.Client, emulator: RunningEmulator) -> None:
    response = http.get(f"{emulator.admin_url}/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_auth_key_never_echoed(
    http: httpx.Client, emulator: RunningEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="loomta_sync.emulator")
    valid = "loomta_sk_SECRETvalid0000001"
    revoked = "loomta_sk_revokedSECRET0000002"
    malformed = "loomta_sk_SECRET-malformed-0003"
    texts: list[str] = []

    with api_client(emulator, key=valid) as api:
        media_id = upload(api)
        texts.append(api.get("/platforms").text)
        texts.append(create(api, post_body([media_id]), idempotency_key="key-1").text)
        texts.append(create(api, {"content": 5}).text)
        texts.append(api.get("/posts/unknown").text)
    for key in (revoked, malformed):
        with api_client(emulator, key=key) as api:
            response = api.get("/platforms")
            texts.append(response.text)
            texts.append(str(response.headers))
    texts.append(http.get(f"{emulator.admin_url}/requests").text)
    texts.append(http.get(f"{emulator.admin_url}/posts").text)
    texts.append(caplog.text)

    assert "GET /public/v1/platforms" in caplog.text
    for text in texts:
        assert "SECRET" not in text
