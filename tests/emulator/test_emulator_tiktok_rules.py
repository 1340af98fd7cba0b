"""TikTok rules from the schema, each failing only its own platform's result."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from loomta_sync.emulator.seeds import BRAND_PLATFORM_ID, DEVELOPERS_PLATFORM_ID
from tests.emulator.emulator_helpers import create, post_body, upload
from tests.support.emulator import EmulatorAdmin

EMOJI = "\U0001f680"  # one code point, two UTF-16 code units


def only_result(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert len(results) == 1
    return results[0]


def failure_paths(result: dict[str, Any]) -> list[list[Any]]:
    return [issue["path"] for issue in result["error"]["details"]]


def test_rules_require_media(api: httpx.Client) -> None:
    result = only_result(create(api, post_body([])))

    assert result["status"] == "failed"
    assert result["error"]["code"] == "invalid_request"
    assert failure_paths(result) == [["mediaIds"]]
    assert "requires media" in result["error"]["message"]


def test_rules_accept_one_video(api: httpx.Client) -> None:
    result = only_result(create(api, post_body([upload(api, "video")])))

    assert result["status"] == "created"


def test_rules_reject_two_videos(api: httpx.Client) -> None:
    videos = [upload(api, "video"), upload(api, "video")]

    result = only_result(create(api, post_body(videos)))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["mediaIds"]]
    assert "2 videos" in result["error"]["details"][0]["message"]


def test_rules_reject_mixed_media(api: httpx.Client) -> None:
    mixed = [upload(api, "image"), upload(api, "video")]

    result = only_result(create(api, post_body(mixed)))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["mediaIds"]]
    assert "mixes 1 image(s) and 1 video(s)" in result["error"]["details"][0]["message"]


def test_rules_accept_35_images(api: httpx.Client) -> None:
    image = upload(api, "image")

    result = only_result(create(api, post_body([image] * 35)))

    assert result["status"] == "created"
    assert len(result["post"]["root"]["mediaIds"]) == 35


def test_rules_reject_36_images(api: httpx.Client) -> None:
    image = upload(api, "image")

    result = only_result(create(api, post_body([image] * 36)))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["mediaIds"]]
    assert "36 items, 1 over the maximum of 35" in result["error"]["details"][0]["message"]


@pytest.mark.parametrize(
    ("content", "accepted"),
    [
        ("a" * 2200, True),
        ("a" * 2201, False),
        ("é" * 2200, True),
        ("a" * 2198 + EMOJI, True),
        ("a" * 2199 + EMOJI, False),
        (EMOJI * 1100, True),
        (EMOJI * 1101, False),
    ],
)
def test_rules_count_utf16_units(api: httpx.Client, content: str, accepted: bool) -> None:
    result = only_result(create(api, post_body([upload(api)], content=content)))

    assert (result["status"] == "created") is accepted
    if not accepted:
        assert failure_paths(result) == [["content"]]
        assert "UTF-16 code units" in result["error"]["details"][0]["message"]


def test_rules_require_privacy_level(api: httpx.Client) -> None:
    result = only_result(create(api, post_body([upload(api)], settings={})))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["settings", "privacy_level"]]
    assert "PUBLIC_TO_EVERYONE" in result["error"]["details"][0]["message"]


def test_rules_privacy_level_per_account(api: httpx.Client, admin: EmulatorAdmin) -> None:
    body = post_body(
        [upload(api)],
        platformIds=[BRAND_PLATFORM_ID, DEVELOPERS_PLATFORM_ID],
        settings={"privacy_level": "MUTUAL_FOLLOW_FRIENDS"},
    )

    response = create(api, body)

    assert response.status_code == 200
    brand, developers = response.json()["results"]
    assert brand["platformId"] == BRAND_PLATFORM_ID
    assert brand["status"] == "created"
    assert developers["platformId"] == DEVELOPERS_PLATFORM_ID
    assert developers["status"] == "failed"
    assert failure_paths(developers) == [["settings", "privacy_level"]]
    assert [group["platform_id"] for group in admin.groups()] == [BRAND_PLATFORM_ID]


def test_rules_check_boolean_settings(api: httpx.Client) -> None:
    settings = {
        "privacy_level": "SELF_ONLY",
        "disable_comment": "yes",
        "disable_duet": True,
        "unknown_setting": 5,
    }

    result = only_result(create(api, post_body([upload(api)], settings=settings)))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["settings", "disable_comment"]]


def test_rules_reject_comment_media(api: httpx.Client) -> None:
    media_id = upload(api)
    comments = [{"content": "see this", "mediaIds": [media_id]}]

    result = only_result(create(api, post_body([media_id], comments=comments)))

    assert result["status"] == "failed"
    assert failure_paths(result) == [["comments", 0, "mediaIds"]]


def test_rules_report_every_broken_rule(api: httpx.Client) -> None:
    media = [upload(api, "image"), upload(api, "video")]
    body = post_body(media, content="a" * 2300, settings={"privacy_level": "NOBODY"})

    result = only_result(create(api, body))

    assert failure_paths(result) == [["content"], ["mediaIds"], ["settings", "privacy_level"]]
    assert "3 rules" in result["error"]["message"]
