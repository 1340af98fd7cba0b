"""Catalog rules checked on hand-built targets: counting, media, settings, comments."""

from __future__ import annotations

from typing import Any

from loomta_sync.calendar.model import CommentPayload, MediaItem, Mode, Target, TargetPayload
from loomta_sync.catalog.model import CatalogEntry
from loomta_sync.catalog.rules import check_target, content_length, utf16_length

JPEG = MediaItem(path="a.jpg", sha256="1" * 64, mime_type="image/jpeg", size=1)
MP4 = MediaItem(path="a.mp4", sha256="2" * 64, mime_type="video/mp4", size=1)
BY_ID = MediaItem(media_id="existing")


def _entry(provider: str = "tiktok", **schema: Any) -> CatalogEntry:
    return CatalogEntry.model_validate(
        {
            "platform": {"id": "p1", "provider": provider, "displayName": "Account"},
            "schema": schema,
        }
    )


def _target(content: str = "Hello", **payload: Any) -> Target:
    return Target(
        post_key="k",
        platform_id="p1",
        platform_alias="main",
        payload=TargetPayload(content=content, mode=Mode.DRAFT, **payload),
    )


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_length("abc") == 3
    assert utf16_length("😀") == 2
    assert utf16_length("é") == 1
    assert utf16_length("👩\u200d💻") == 5


def test_content_length_per_provider() -> None:
    text = "😀" * 3

    assert content_length(text, "tiktok") == 6
    assert content_length(text, "TikTok") == 6
    assert content_length(text, "threads") == 3


def test_code_point_provider_length_limit() -> None:
    entry = _entry("threads", content={"maxLength": 3})

    assert check_target(_target("😀😀😀"), entry) == []
    (violation,) = check_target(_target("😀😀😀😀"), entry)
    assert violation.field == ("content",)
    assert violation.message == (
        'content is 4 characters long, but main (threads "Account") allows at most 3'
    )


def test_whitespace_content_when_required() -> None:
    (violation,) = check_target(_target("  \n"), _entry(content={"required": True}))

    assert violation.message == 'content is empty, but main (tiktok "Account") requires text'


def test_media_by_id_skips_type_rules() -> None:
    entry = _entry(media={"allowedTypes": ["video"], "supportsMixedTypes": False})

    assert check_target(_target(media=(BY_ID, MP4)), entry) == []
    (violation,) = check_target(_target(media=(BY_ID, JPEG)), entry)
    assert violation.field == ("media", 1)
    assert violation.message == 'image media are not accepted by main (tiktok "Account")'


def test_min_items_reported() -> None:
    (violation,) = check_target(_target(media=(JPEG,)), _entry(media={"minItems": 2}))

    assert violation.message == '1 media items, but main (tiktok "Account") needs at least 2'


def test_comments_unsupported() -> None:
    comments = (CommentPayload(content="c", delay_in_minutes=5, media=(JPEG,)),)

    unsupported = check_target(_target(comments=comments), _entry())
    limited = check_target(
        _target(comments=comments),
        _entry(comments={"supported": True, "mediaSupported": False}),
    )

    assert [v.field for v in unsupported] == [("comments",)]
    assert [v.field for v in limited] == [
        ("comments", 0, "media"),
        ("comments", 0, "delayInMinutes"),
    ]


def test_settings_types_and_defaults() -> None:
    fields = [
        {"name": "level", "type": "enum", "required": True, "enum": ["A", "B"]},
        {"name": "flag", "type": "boolean", "required": True, "default": False},
        {"name": "note", "type": "string"},
    ]
    entry = _entry(settings={"fields": fields})

    valid = check_target(_target(settings={"level": "A", "note": "x"}), entry)
    invalid = check_target(_target(settings={"level": "C", "flag": 1, "note": 5}), entry)

    assert valid == []
    assert [(v.field, v.message) for v in invalid] == [
        (
            ("settings", "level"),
            "setting 'level' is 'C', which main (tiktok \"Account\") does not allow",
        ),
        (("settings", "flag"), "setting 'flag' must be true or false, not 1"),
        (("settings", "note"), "setting 'note' must be a string, not 5"),
    ]


def test_unknown_setting_with_no_fields() -> None:
    (violation,) = check_target(_target(settings={"anything": 1}), _entry())

    assert violation.about_key is True
    assert violation.hint == "remove it"


def test_label_falls_back_to_platform_id() -> None:
    target = _target().model_copy(update={"platform_alias": None})
    entry = CatalogEntry.model_validate(
        {"platform": {"id": "p1", "provider": "tiktok", "disabled": True}, "schema": {}}
    )

    (violation,) = check_target(target, entry)

    assert violation.message == "platform p1 (tiktok) is disabled in Loomta"
