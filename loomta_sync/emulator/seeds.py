"""The emulator's workspace: four TikTok accounts with fixed ids and their schemas.

Other modules, tests and the example calendar refer to these ids, so they never change. The
schema served by `GET /platforms/{id}/schema` is the same data the emulator enforces on
`POST /posts`, so the two cannot disagree.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from loomta_sync.emulator.protocol import JsonObject

BRAND_PLATFORM_ID = "6f1b2c3d-0000-4000-8000-000000000001"
DEVELOPERS_PLATFORM_ID = "6f1b2c3d-0000-4000-8000-000000000002"
ARCHIVE_PLATFORM_ID = "6f1b2c3d-0000-4000-8000-000000000003"  # disabled
EVENTS_PLATFORM_ID = "6f1b2c3d-0000-4000-8000-000000000004"  # needs a token refresh

PRIVACY_LEVELS: tuple[str, ...] = (
    "PUBLIC_TO_EVERYONE",
    "MUTUAL_FOLLOW_FRIENDS",
    "FOLLOWER_OF_CREATOR",
    "SELF_ONLY",
)

TIKTOK_MAX_CONTENT_LENGTH = 2200  # in UTF-16 code units
TIKTOK_MAX_IMAGES = 35
TIKTOK_MEDIA_RULE = "Exactly one video, or 1 to 35 images; images and videos are never mixed."


@dataclass(frozen=True, slots=True)
class EmulatedPlatform:
    """One connected account: its API object and its schema, both as served."""

    id: str
    provider: str
    handle: str
    disabled: bool
    refresh_needed: bool
    platform: JsonObject = field(repr=False)
    schema: JsonObject = field(repr=False)

    def platform_json(self) -> JsonObject:
        return copy.deepcopy(self.platform)

    def schema_json(self) -> JsonObject:
        return copy.deepcopy(self.schema)


def tiktok_schema(privacy_levels: tuple[str, ...]) -> JsonObject:
    """Build the schema of a TikTok account whose creator may use `privacy_levels`."""
    return {
        "content": {"required": True, "maxLength": TIKTOK_MAX_CONTENT_LENGTH},
        "media": {
            "required": True,
            "allowedTypes": ["image", "video"],
            "minItems": 1,
            "maxItems": TIKTOK_MAX_IMAGES,
            "supportsMixedTypes": False,
            "rules": [TIKTOK_MEDIA_RULE],
        },
        "comments": {"supported": True, "mediaSupported": False, "delayInMinutesSupported": True},
        "settings": {
            "fields": [
                _enum_field("privacy_level", privacy_levels, "Who can watch the post on TikTok."),
                _boolean_field("disable_comment", "Turn off comments on the post."),
                _boolean_field("disable_duet", "Turn off duets of a video."),
                _boolean_field("disable_stitch", "Turn off stitches of a video."),
                _boolean_field(
                    "brand_content_toggle", "Mark the post as paid partnership content."
                ),
            ]
        },
    }


def _enum_field(name: str, values: tuple[str, ...], description: str) -> JsonObject:
    return {
        "name": name,
        "type": "enum",
        "required": True,
        "default": None,
        "enum": list(values),
        "description": description,
    }


def _boolean_field(name: str, description: str) -> JsonObject:
    return {
        "name": name,
        "type": "boolean",
        "required": False,
        "default": False,
        "enum": None,
        "description": description,
    }


def _tiktok_account(
    platform_id: str,
    display_name: str,
    handle: str,
    account_number: int,
    *,
    privacy_levels: tuple[str, ...] = PRIVACY_LEVELS,
    disabled: bool = False,
    refresh_needed: bool = False,
) -> EmulatedPlatform:
    # An expired token is what makes a real account need a refresh.
    token_expires_at = "2024-01-01T00:00:00.000Z" if refresh_needed else "2099-01-01T00:00:00.000Z"
    platform: JsonObject = {
        "id": platform_id,
        "provider": "tiktok",
        "providerName": "TikTok",
        "providerAccountId": f"70000000000000{account_number:05d}",
        "displayName": display_name,
        "displayHandle": handle,
        # The .invalid top-level domain never resolves, so this URL is data only.
        "displayImageUrl": f"https://media.loomta.invalid/avatars/{handle.lstrip('@')}.jpg",
        "disabled": disabled,
        "refreshNeeded": refresh_needed,
        "tokenExpiresAt": token_expires_at,
        "capabilities": {"publish": True, "schedule": True, "draft": True, "comments": True},
        "metadata": {"emulated": True},
        "settings": {},
    }
    return EmulatedPlatform(
        id=platform_id,
        provider="tiktok",
        handle=handle,
        disabled=disabled,
        refresh_needed=refresh_needed,
        platform=platform,
        schema=tiktok_schema(privacy_levels),
    )


SEED_PLATFORMS: tuple[EmulatedPlatform, ...] = (
    _tiktok_account(BRAND_PLATFORM_ID, "Loomta Brand", "@loomta", 1),
    _tiktok_account(
        DEVELOPERS_PLATFORM_ID,
        "Loomta Developers",
        "@loomta.dev",
        2,
        privacy_levels=("PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR", "SELF_ONLY"),
    ),
    _tiktok_account(ARCHIVE_PLATFORM_ID, "Loomta Archive", "@loomta.archive", 3, disabled=True),
    _tiktok_account(EVENTS_PLATFORM_ID, "Loomta Events", "@loomta.events", 4, refresh_needed=True),
)
