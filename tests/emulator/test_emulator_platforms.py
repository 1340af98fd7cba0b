"""`GET /platforms` and `GET /platforms/{id}/schema` with the seeded accounts."""

from __future__ import annotations

import httpx
import pytest

from loomta_sync.catalog.model import CatalogEntry, Platform
from loomta_sync.emulator.seeds import (
    ARCHIVE_PLATFORM_ID,
    BRAND_PLATFORM_ID,
    DEVELOPERS_PLATFORM_ID,
    EVENTS_PLATFORM_ID,
    PRIVACY_LEVELS,
)

DOCUMENTED_PLATFORM_FIELDS = {
    "id",
    "provider",
    "providerName",
    "providerAccountId",
    "displayName",
    "displayHandle",
    "displayImageUrl",
    "disabled",
    "refreshNeeded",
    "tokenExpiresAt",
    "capabilities",
    "metadata",
    "settings",
}


def test_platforms_lists_seeded_accounts(api: httpx.Client) -> None:
    response = api.get("/platforms")

    assert response.status_code == 200
    platforms = {item["id"]: item for item in response.json()["platforms"]}
    assert list(platforms) == [
        BRAND_PLATFORM_ID,
        DEVELOPERS_PLATFORM_ID,
        ARCHIVE_PLATFORM_ID,
        EVENTS_PLATFORM_ID,
    ]
    assert platforms[BRAND_PLATFORM_ID]["displayName"] == "Loomta Brand"
    assert platforms[BRAND_PLATFORM_ID]["displayHandle"] == "@loomta"
    assert platforms[DEVELOPERS_PLATFORM_ID]["displayName"] == "Loomta Developers"
    assert platforms[DEVELOPERS_PLATFORM_ID]["displayHandle"] == "@loomta.dev"
    assert platforms[ARCHIVE_PLATFORM_ID]["displayName"] == "Loomta Archive"
    assert platforms[ARCHIVE_PLATFORM_ID]["disabled"] is True
    assert platforms[EVENTS_PLATFORM_ID]["displayName"] == "Loomta Events"
    assert platforms[EVENTS_PLATFORM_ID]["refreshNeeded"] is True


def test_platforms_carry_documented_fields(api: httpx.Client) -> None:
    for item in api.get("/platforms").json()["platforms"]:
        assert set(item) >= DOCUMENTED_PLATFORM_FIELDS
        assert item["provider"] == "tiktok"
        Platform.model_validate(item)


@pytest.mark.parametrize(
    ("platform_id", "privacy_levels"),
    [
        (BRAND_PLATFORM_ID, list(PRIVACY_LEVELS)),
        (DEVELOPERS_PLATFORM_ID, ["PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]),
    ],
)
def test_schema_lists_account_privacy_levels(
    api: httpx.Client, platform_id: str, privacy_levels: list[str]
) -> None:
    response = api.get(f"/platforms/{platform_id}/schema")

    assert response.status_code == 200
    fields = {item["name"]: item for item in response.json()["schema"]["settings"]["fields"]}
    assert fields["privacy_level"]["type"] == "enum"
    assert fields["privacy_level"]["required"] is True
    assert fields["privacy_level"]["enum"] == privacy_levels


def test_schema_states_tiktok_rules(api: httpx.Client) -> None:
    body = api.get(f"/platforms/{BRAND_PLATFORM_ID}/schema").json()
    schema = body["schema"]

    assert body["platform"]["id"] == BRAND_PLATFORM_ID
    assert schema["content"] == {"required": True, "maxLength": 2200}
    media = schema["media"]
    assert media["required"] is True
    assert media["allowedTypes"] == ["image", "video"]
    assert media["minItems"] == 1
    assert media["maxItems"] == 35
    assert media["supportsMixedTypes"] is False
    assert len(media["rules"]) == 1
    assert schema["comments"] == {
        "supported": True,
        "mediaSupported": False,
        "delayInMinutesSupported": True,
    }
    fields = {item["name"]: item for item in schema["settings"]["fields"]}
    assert set(fields) == {
        "privacy_level",
        "disable_comment",
        "disable_duet",
        "disable_stitch",
        "brand_content_toggle",
    }
    for name in ("disable_comment", "disable_duet", "disable_stitch", "brand_content_toggle"):
        assert fields[name]["type"] == "boolean"
        assert fields[name]["required"] is False
        assert fields[name]["default"] is False


@pytest.mark.parametrize("platform_id", [ARCHIVE_PLATFORM_ID, EVENTS_PLATFORM_ID])
def test_schema_served_for_unavailable_accounts(api: httpx.Client, platform_id: str) -> None:
    response = api.get(f"/platforms/{platform_id}/schema")

    assert response.status_code == 200
    assert response.json()["platform"]["id"] == platform_id


def test_schema_reads_as_catalog_entry(api: httpx.Client) -> None:
    entry = CatalogEntry.model_validate(api.get(f"/platforms/{BRAND_PLATFORM_ID}/schema").json())

    assert entry.schema_.content.maxLength == 2200
    assert entry.schema_.media.supportsMixedTypes is False
    assert entry.schema_.settings.fields[0].enum == list(PRIVACY_LEVELS)


def test_schema_unknown_platform_is_404(api: httpx.Client) -> None:
    response = api.get("/platforms/6f1b2c3d-0000-4000-8000-999999999999/schema")

    assert response.status_code == 404
    assert response.json()["code"] == "platform_not_found"
    assert "6f1b2c3d-0000-4000-8000-999999999999" in response.json()["message"]
